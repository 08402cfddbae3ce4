/**
 * Reading what any PandaDoc endpoint (or a proxy in front of it) answers, beyond what only one
 * endpoint can interpret: JSON bodies and what came instead, Retry-After, 429, 5xx and 3xx.
 */
import { AuthError } from '../base/errors';
import { TIME } from '../base/policy';
import type { HttpResponse } from './http';

/** The body as a JSON object; undefined for anything else (HTML, broken JSON, an array). */
export function parseJsonObject(response: HttpResponse): Record<string, unknown> | undefined {
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

/** The error strings of RFC 6749 section 5.2; the token endpoint reports any other as `rejected`. */
export const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);
