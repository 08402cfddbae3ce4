/**
 * Every way getting a token can fail, as a typed code. API consumers branch on `code`; the
 * messages here are for developers and never contain a secret or text the server sent.
 * What the user reads is built from the code in userMessages.ts.
 */
export type AuthErrorCode =
  /** PandaDoc no longer accepts the refresh token: the user must set credentials again. */
  | 'invalid_grant'
  /** Client id or secret rejected. */
  | 'invalid_client'
  /** Any other OAuth error (invalid_request, invalid_scope, unsupported_grant_type, ...) or a
   *  4xx without one. */
  | 'rejected'
  /** No connection, reset, DNS failure, connection dropped mid-answer. Transient. */
  | 'network'
  /** No complete answer within the configured timeout. */
  | 'timeout'
  /** A 5xx. Transient. */
  | 'server'
  /** A 429. Transient; `retryAfterMs` says when to try again if PandaDoc said. */
  | 'rate_limited'
  /** An answer that is not a usable token response: HTML, broken JSON, a 200 without
   *  `access_token`, a redirect, an oversized body. */
  | 'bad_response'
  /** The settings do not allow a request (e.g. plain http to a non-loopback host). */
  | 'bad_config'
  /** A credential that fails validation. */
  | 'bad_input'
  /** Nothing is stored that could produce a token. */
  | 'no_credentials'
  /** VS Code's secret storage failed to read or write. */
  | 'storage';

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
