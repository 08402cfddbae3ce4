/**
 * PandaDoc's token endpoint: the refresh and authorization-code requests exactly as PandaDoc's
 * reference sends them, and the reading of every answer it (or a proxy in front of it) can give.
 * The readers of statuses and bodies are shared with the other PandaDoc endpoints (members.ts).
 */
import { AuthError } from '../base/errors';
import type { HttpRequest, HttpResponse } from './http';
import { ASSUMED_LIFETIME_MS, MAX_LIFETIME_MS, TIME } from '../base/policy';
import { hasSpaceOrControlChars } from '../base/text';

export const TOKEN_PATH = '/oauth2/access_token';

/** The error strings of RFC 6749 section 5.2; any other is reported as `rejected`. */
export const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/** What every token request carries, whatever the grant. */
interface TokenRequestParams {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  timeoutMs: number;
  userAgent: string;
}

export interface RefreshParams extends TokenRequestParams {
  refreshToken: string;
}

export interface AuthorizationCodeParams extends TokenRequestParams {
  code: string;
  /** Exactly the redirect URI the authorization request named: PandaDoc compares them. */
  redirectUri: string;
}

function buildTokenRequest(params: TokenRequestParams, form: URLSearchParams): HttpRequest {
  return {
    method: 'POST',
    url: `${params.baseUrl}${TOKEN_PATH}`,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      'User-Agent': params.userAgent,
    },
    body: form.toString(),
    timeoutMs: params.timeoutMs,
  };
}

export function buildRefreshRequest(params: RefreshParams): HttpRequest {
  // URLSearchParams encodes `read+write` as `read%2Bwrite`, as curl --data-urlencode does.
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: params.clientId,
    client_secret: params.clientSecret,
    scope: params.scope,
    refresh_token: params.refreshToken,
  });
  return buildTokenRequest(params, form);
}

/** The first token of a browser sign-in, in the field order of PandaDoc's reference. */
export function buildAuthorizationCodeRequest(params: AuthorizationCodeParams): HttpRequest {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.code,
    client_id: params.clientId,
    client_secret: params.clientSecret,
    scope: params.scope,
    redirect_uri: params.redirectUri,
  });
  return buildTokenRequest(params, form);
}

/** A successful token response, with the expiry computed locally. */
export interface TokenGrant {
  accessToken: string;
  /** Present only when PandaDoc sent one: it then replaces the stored refresh token. */
  refreshToken?: string;
  expiresAt: number;
  /** False when `expires_in` was missing or nonsense and ASSUMED_LIFETIME_MS was used. */
  expiryFromServer: boolean;
}

/** The body as a JSON object; undefined for anything else (HTML, broken JSON, an array). */
function parseJsonObject(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(response.body);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What came instead of JSON, in a few words fit for a message (never the body itself). */
function describeUnreadable(response: HttpResponse): string {
  const type = response.header('content-type') ?? '';
  if (/html/i.test(type) || /^\s*</.test(response.body)) {
    return 'HTML instead of JSON';
  }
  return response.body.trim() === '' ? 'an empty body' : 'a body that is not JSON';
}

/** A 2xx body as a JSON object, or the `bad_response` that says what `endpoint` sent instead. */
export function readJsonObject(response: HttpResponse, endpoint: string): Record<string, unknown> {
  const body = parseJsonObject(response);
  if (!body) {
    const detail = describeUnreadable(response);
    throw new AuthError('bad_response', `The ${endpoint} answered with ${detail}.`, {
      status: response.status,
      detail,
    });
  }
  return body;
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or junk. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    // About 306 digits or more overflow to Infinity: as unreadable as any other junk.
    const ms = Number(value.trim()) * TIME.SECOND;
    return Number.isFinite(ms) ? ms : undefined;
  }
  // An HTTP date names its day or month; a bare number that is not all digits ("-3") is junk,
  // though Date.parse would read it as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function lifetimeMs(expiresIn: unknown): number | undefined {
  const seconds = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    return undefined;
  }
  return Math.min(seconds * TIME.SECOND, MAX_LIFETIME_MS);
}

function isUsableToken(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 8192 && !hasSpaceOrControlChars(value);
}

function readGrant(body: Record<string, unknown>, now: number, status: number): TokenGrant {
  if (!isUsableToken(body.access_token)) {
    throw new AuthError('bad_response', 'The token response has no usable access_token.', {
      status,
      detail: 'no access_token',
    });
  }
  const lifetime = lifetimeMs(body.expires_in);
  return {
    accessToken: body.access_token,
    refreshToken: isUsableToken(body.refresh_token) ? body.refresh_token : undefined,
    expiresAt: now + (lifetime ?? ASSUMED_LIFETIME_MS),
    expiryFromServer: lifetime !== undefined,
  };
}

/**
 * The statuses that mean the same whichever PandaDoc endpoint answered: 429, 5xx and 3xx.
 * Undefined for any other status, which only the endpoint's own reader can interpret.
 */
export function statusError(response: HttpResponse, now: number, endpoint: string): AuthError | undefined {
  const { status } = response;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.header('retry-after'), now);
    return new AuthError('rate_limited', 'PandaDoc is throttling requests (HTTP 429).', { status, retryAfterMs });
  }
  if (status >= 500) {
    return new AuthError('server', `PandaDoc answered with a server error (HTTP ${status}).`, { status });
  }
  if (status >= 300 && status < 400) {
    // Never followed: a redirected request would carry the client secret or the token to
    // another address.
    return new AuthError('bad_response', `The ${endpoint} answered with a redirect (HTTP ${status}).`, {
      status,
      detail: 'redirect',
    });
  }
  return undefined;
}

/** Which grant a token request presented: an `invalid_grant` answer is about that grant. */
export type GrantKind = 'refresh_token' | 'authorization_code';

function errorFor(response: HttpResponse, now: number, grant: GrantKind): AuthError {
  const common = statusError(response, now, 'token endpoint');
  if (common) {
    return common;
  }
  const { status } = response;
  const body = parseJsonObject(response);
  const oauthError = typeof body?.error === 'string' && OAUTH_ERRORS.has(body.error) ? body.error : undefined;
  if (oauthError === 'invalid_grant') {
    // A sign-in code is single-use and short-lived: invalid_grant then means "used or expired",
    // which the user fixes by signing in again, not by re-entering a refresh token.
    return grant === 'authorization_code'
      ? new AuthError('invalid_grant', 'PandaDoc rejected the sign-in code (invalid_grant).', {
          status,
          oauthError,
          detail: 'sign-in',
        })
      : new AuthError('invalid_grant', 'PandaDoc rejected the refresh token (invalid_grant).', { status, oauthError });
  }
  if (oauthError === 'invalid_client' || (status === 401 && oauthError === undefined)) {
    return new AuthError('invalid_client', 'PandaDoc rejected the client ID or secret (invalid_client).', {
      status,
      oauthError: 'invalid_client',
      ...(grant === 'authorization_code' ? { detail: 'sign-in' } : {}),
    });
  }
  const what = oauthError ?? `HTTP ${status}`;
  return new AuthError('rejected', `PandaDoc refused the token request (${what}).`, { status, oauthError });
}

/** Reads any answer of the token endpoint: a grant, or the AuthError that describes it. */
export function interpretTokenResponse(response: HttpResponse, now: number, grant: GrantKind = 'refresh_token'): TokenGrant {
  if (response.status >= 200 && response.status < 300) {
    return readGrant(readJsonObject(response, 'token endpoint'), now, response.status);
  }
  throw errorFor(response, now, grant);
}
