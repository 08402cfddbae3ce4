import type { PandaDocAuthErrorCode } from '../../api/pandadoc-auth';

/**
 * Every way getting a token can fail, as a typed code. API consumers branch on `code`; the
 * messages here are for developers and never contain a secret or text the server sent.
 * What the user reads is built from the code in userMessages.ts. The codes are part of the
 * public API, so they are declared once, in its declaration file.
 */
export type AuthErrorCode = PandaDocAuthErrorCode;

const TRANSIENT: ReadonlySet<AuthErrorCode> = new Set(['network', 'server', 'rate_limited']);

export interface AuthErrorDetails {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The OAuth `error` string, only when it is one of the RFC 6749 values. */
  oauthError?: string;
  /** How long PandaDoc asked us to wait (429 Retry-After). */
  retryAfterMs?: number;
  /** A short machine-made detail, such as `ECONNREFUSED` or `HTML instead of JSON`. */
  detail?: string;
  /** Set where a code means something else than in a refresh: a browser sign-in's
   *  `invalid_grant` is a used or expired code, its `timeout` the browser that never answered;
   *  an `unauthorized` of `api-key` is a stored API key refused (no refresh is possible), of
   *  `new-api-key` one the user just entered, refused before it was stored. */
  flow?: 'sign-in' | 'api-key' | 'new-api-key';
}

export class AuthError extends Error {
  override readonly name = 'PandaDocAuthError';

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly details: AuthErrorDetails = {},
  ) {
    super(message);
  }

  /** Worth retrying without any change by the user. */
  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

/** An error for the log: its code and developer message, never anything else it carries. */
export function describeError(error: unknown): string {
  return isAuthError(error) ? `${error.code}: ${error.message}` : 'unexpected error';
}
