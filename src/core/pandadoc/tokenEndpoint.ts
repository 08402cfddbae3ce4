/**
 * PandaDoc's token endpoint, the one module for it: the refresh and authorization-code requests
 * exactly as PandaDoc's reference sends them, one exchange (timed, read, and logged step by step
 * with secrets named by fingerprint only), and the reading of every answer it can give. The
 * readers shared with the other endpoints are in responses.ts.
 */
import type { Clock } from '../base/clock';
import { AuthError, describeError } from '../base/errors';
import type { Logger } from '../base/logger';
import { ASSUMED_LIFETIME_MS, MAX_ATTEMPTS, MAX_LIFETIME_MS, TIME } from '../base/policy';
import { fingerprint, redactBody, type Redactor } from '../base/redact';
import { checkApiBaseUrl, checkScope, type Settings } from '../base/settings';
import { hasSpaceOrControlChars } from '../base/text';
import type { HttpRequest, HttpResponse, HttpSender } from './http';
import { OAUTH_ERRORS, parseJsonObject, readJsonObject, statusError } from './responses';
import { withRetries } from './retry';

export const TOKEN_PATH = '/oauth2/access_token';

/** The OAuth application a token request is made for. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** What every token request carries, whatever the grant. */
interface TokenRequestParams extends OAuthClient {
  baseUrl: string;
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

/** A usable `refresh_token` in a 2xx answer that is refused all the same (no access token). */
function strandedRefreshToken(response: HttpResponse): string | undefined {
  const body = response.status >= 200 && response.status < 300 ? parseJsonObject(response) : undefined;
  return isUsableToken(body?.refresh_token) ? body.refresh_token : undefined;
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
          flow: 'sign-in',
        })
      : new AuthError('invalid_grant', 'PandaDoc rejected the refresh token (invalid_grant).', { status, oauthError });
  }
  if (oauthError === 'invalid_client' || (status === 401 && oauthError === undefined)) {
    return new AuthError('invalid_client', 'PandaDoc rejected the client ID or secret (invalid_client).', {
      status,
      oauthError: 'invalid_client',
      ...(grant === 'authorization_code' ? { flow: 'sign-in' } : {}),
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

export interface ExchangeOptions {
  http: HttpSender;
  clock: Clock;
  settings: () => Settings;
  log: Logger;
  redactor: Redactor;
  userAgent: string;
}

export interface TokenExchangeStep {
  /** The log tag of the flow, such as `[refresh]`. */
  tag: string;
  request: HttpRequest;
  /** The grant presented; `refresh_token` unless said otherwise. */
  grant?: GrantKind;
  /** What the outcome line adds after the new token's fingerprint (fingerprints only). */
  describeGrant?: (grant: TokenGrant) => string[];
  /** Gets the new refresh token of a 2xx answer that is refused (it has no access token):
   *  PandaDoc may have retired the one sent, so it is kept before the failure is reported. */
  keepRefreshToken?: (refreshToken: string) => Promise<void>;
}

/** The checked settings every token request is built from: where, with which scope, how long. */
export function tokenRequestSettings(options: ExchangeOptions): { baseUrl: string; scope: string; timeoutMs: number; userAgent: string } {
  const settings = options.settings();
  return {
    baseUrl: checkApiBaseUrl(settings.apiBaseUrl),
    scope: checkScope(settings.scope),
    timeoutMs: settings.timeoutMs,
    userAgent: options.userAgent,
  };
}

/** Sends `request` once and reads the answer; the new tokens join the redactor before any log. */
export async function sendTokenRequest(options: ExchangeOptions, step: TokenExchangeStep): Promise<TokenGrant> {
  const { clock, log, http, redactor } = options;
  const { tag, request } = step;
  const target = `${request.method} ${request.url}`;
  const started = clock.now();
  let response: HttpResponse;
  try {
    response = await http.send(request);
  } catch (error) {
    log.warn(`${tag} ${target} failed after ${clock.now() - started} ms: ${describeError(error)}`);
    throw error;
  }
  const outcome = `${tag} ${target} -> ${response.status} in ${clock.now() - started} ms`;
  const body = () => `${tag} response body: ${redactBody(response.body, response.header('content-type'))}`;
  let grant: TokenGrant;
  try {
    grant = interpretTokenResponse(response, clock.now(), step.grant);
  } catch (error) {
    log.warn(`${outcome}: ${describeError(error)}`);
    log.info(body());
    const stranded = step.keepRefreshToken && strandedRefreshToken(response);
    if (stranded) {
      redactor.remember([stranded]);
      log.warn(`${tag} the answer still held a refresh token (${fingerprint(stranded)}); it is kept`);
      await step.keepRefreshToken?.(stranded);
    }
    throw error;
  }
  redactor.remember([grant.accessToken, ...(grant.refreshToken ? [grant.refreshToken] : [])]);
  const facts = [`token ${fingerprint(grant.accessToken)}`, ...(step.describeGrant?.(grant) ?? [])];
  log.info(`${outcome}, expires ${new Date(grant.expiresAt).toISOString()} (${facts.join(', ')})`);
  log.info(body());
  if (!grant.expiryFromServer) {
    log.warn(`${tag} the response gave no usable expires_in; assuming the token lives one hour`);
  }
  return grant;
}

/** One refresh: the request, its retries (policy.ts), and a log line for every step. */
export function exchangeRefreshToken(
  options: ExchangeOptions,
  client: OAuthClient,
  refreshToken: string,
  keepRefreshToken?: (refreshToken: string) => Promise<void>,
): Promise<TokenGrant> {
  const { clock, log } = options;
  const common = tokenRequestSettings(options);
  const request = buildRefreshRequest({
    ...common,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken,
  });
  log.info(
    `[refresh] ${request.method} ${request.url} (client ${client.clientId}, refresh token ${fingerprint(refreshToken)}, scope ${common.scope})`,
  );
  const describeGrant = (grant: TokenGrant): string[] =>
    grant.refreshToken && grant.refreshToken !== refreshToken
      ? [`refresh token rotated to ${fingerprint(grant.refreshToken)}`]
      : [];
  return withRetries(
    () => sendTokenRequest(options, { tag: '[refresh]', request, describeGrant, ...(keepRefreshToken ? { keepRefreshToken } : {}) }),
    clock,
    (n, error, delayMs) =>
      log.info(`[refresh] attempt ${n} of ${MAX_ATTEMPTS} failed (${error.code}); retrying in ${delayMs} ms`),
  );
}

export interface CodeExchangeInput extends OAuthClient {
  code: string;
  /** Exactly the redirect URI the authorization request sent. */
  redirectUri: string;
}

/**
 * One request, never retried: a code is single-use, so after a 5xx or a dropped answer PandaDoc
 * may already have spent it, and a second try could only meet invalid_grant and hide the real
 * failure. The user signs in again instead, which costs one click.
 */
export async function exchangeAuthorizationCode(options: ExchangeOptions, input: CodeExchangeInput): Promise<TokenGrant> {
  const common = tokenRequestSettings(options);
  const request = buildAuthorizationCodeRequest({
    ...common,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    code: input.code,
    redirectUri: input.redirectUri,
  });
  // Nothing stored knows these yet: the redactor learns them before any line could show them
  // (a proxy's error page can echo the request back).
  options.redactor.remember([input.clientSecret, input.code]);
  options.log.info(
    `[sign-in] ${request.method} ${request.url} (client ${input.clientId}, code ${fingerprint(input.code)}, scope ${common.scope}, redirect URI ${input.redirectUri})`,
  );
  const describeGrant = (grant: TokenGrant): string[] =>
    grant.refreshToken ? [`refresh token ${fingerprint(grant.refreshToken)}`] : ['no refresh token'];
  return sendTokenRequest(options, { tag: '[sign-in]', request, grant: 'authorization_code', describeGrant });
}
