/**
 * "Who am I": PandaDoc's `members/current`, which answers for an OAuth token and an API key
 * alike, and is the cheapest way to learn whether a stored credential still works.
 */
import { AuthError } from '../base/errors';
import type { HttpResponse, HttpSender } from './http';
import { checkApiBaseUrl } from '../base/settings';
import { readJsonObject, statusError } from './responses';
import { replaceControlChars } from '../base/text';

export const MEMBERS_CURRENT_PATH = '/public/v1/members/current';

/** The member record, as far as the extension shows or keeps it. */
export interface Member {
  userId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  workspaceId?: string;
  workspaceName?: string;
  role?: string;
  membershipId?: string;
}

export interface MemberRequest {
  baseUrl: string;
  /** The whole header value: `Bearer <token>` or `API-Key <key>`. */
  authorization: string;
  timeoutMs: number;
  userAgent: string;
  /** For Retry-After dates; the system clock unless a test gives its own. */
  now?: () => number;
}

const ENDPOINT = 'members endpoint';
const API_KEY_SCHEME = /^API-Key /i;
/** Names and ids end up in the status bar and menus: one line, of a sane length. */
const MAX_FIELD_LENGTH = 200;

/** A field as one clean line of text; undefined when absent, empty or not text. */
function text(value: unknown): string | undefined {
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof raw !== 'string') {
    return undefined;
  }
  const clean = replaceControlChars(raw, ' ').trim();
  return clean === '' ? undefined : clean.slice(0, MAX_FIELD_LENGTH);
}

function readMember(body: Record<string, unknown>, status: number): Member {
  const email = text(body.email);
  const userId = text(body.user_id);
  if (email === undefined || userId === undefined) {
    const detail = email === undefined ? 'no email' : 'no user_id';
    throw new AuthError('bad_response', `The ${ENDPOINT} answered without a member (${detail}).`, { status, detail });
  }
  const optional = {
    firstName: text(body.first_name),
    lastName: text(body.last_name),
    workspaceId: text(body.workspace),
    workspaceName: text(body.workspace_name),
    role: text(body.role),
    membershipId: text(body.membership_id),
  };
  // Absent fields are left out rather than set to undefined, so records compare and store cleanly.
  const present = Object.entries(optional).filter(([, value]) => value !== undefined);
  return { userId, email, ...Object.fromEntries(present) };
}

function errorFor(response: HttpResponse, now: number, apiKey: boolean): AuthError {
  const { status } = response;
  if (status === 401 || status === 403) {
    return new AuthError('unauthorized', `PandaDoc's API refused the token or key (HTTP ${status}).`, {
      status,
      ...(apiKey ? { flow: 'api-key' } : {}),
    });
  }
  return (
    statusError(response, now, ENDPOINT) ??
    new AuthError('rejected', `PandaDoc refused the request for the current member (HTTP ${status}).`, { status })
  );
}

/** The member the credential in `authorization` belongs to. Rejects with an AuthError only. */
export async function fetchCurrentMember(http: HttpSender, request: MemberRequest): Promise<Member> {
  // Checked here too: this request carries the credential, wherever the caller got the URL.
  const baseUrl = checkApiBaseUrl(request.baseUrl);
  const response = await http.send({
    method: 'GET',
    url: `${baseUrl}${MEMBERS_CURRENT_PATH}`,
    headers: { Authorization: request.authorization, Accept: 'application/json', 'User-Agent': request.userAgent },
    timeoutMs: request.timeoutMs,
  });
  const now = (request.now ?? Date.now)();
  if (response.status >= 200 && response.status < 300) {
    return readMember(readJsonObject(response, ENDPOINT), response.status);
  }
  throw errorFor(response, now, API_KEY_SCHEME.test(request.authorization));
}

/** "First Last", or the email when PandaDoc has no name for the member. */
export function displayName(member: Member): string {
  const name = [member.firstName, member.lastName].filter((part) => part !== undefined).join(' ');
  return name === '' ? member.email : name;
}

/** "First Last <email>, workspace W, role R", as far as PandaDoc said. */
export function describeMember(member: Member): string {
  const where = [member.workspaceName && `workspace ${member.workspaceName}`, member.role && `role ${member.role}`].filter(Boolean).join(', ');
  return `${displayName(member)} <${member.email}>${where ? `, ${where}` : ''}`;
}
