/**
 * One refresh exchange with PandaDoc: the request, its retries, and a log line for every step
 * with secrets named by fingerprint only. Storing the result is the TokenManager's job.
 */
import type { Clock } from './clock';
import type { OAuthCredentials } from './credentials';
import { describeError } from './errors';
import type { HttpSender } from './http';
import type { Logger } from './logger';
import { MAX_ATTEMPTS } from './policy';
import { fingerprint, redactBody, type Redactor } from './redact';
import { withRetries } from './retry';
import { checkApiBaseUrl, checkScope, type Settings } from './settings';
import { buildRefreshRequest, interpretTokenResponse, type TokenGrant } from './tokenEndpoint';

export interface ExchangeOptions {
  http: HttpSender;
  clock: Clock;
  settings: () => Settings;
  log: Logger;
  redactor: Redactor;
  userAgent: string;
}

export function exchangeRefreshToken(
  options: ExchangeOptions,
  credentials: OAuthCredentials,
  refreshToken: string,
): Promise<TokenGrant> {
  const { clock, log, http, redactor } = options;
  const settings = options.settings();
  const request = buildRefreshRequest({
    baseUrl: checkApiBaseUrl(settings.apiBaseUrl),
    scope: checkScope(settings.scope),
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    refreshToken,
    timeoutMs: settings.timeoutMs,
    userAgent: options.userAgent,
  });
  const target = `${request.method} ${request.url}`;
  log.info(
    `[refresh] ${target} (client ${fingerprint(credentials.clientId)}, refresh token ${fingerprint(refreshToken)}, scope ${settings.scope})`,
  );
  const attempt = async (): Promise<TokenGrant> => {
    const started = clock.now();
    let response;
    try {
      response = await http.send(request);
    } catch (error) {
      log.warn(`[refresh] ${target} failed after ${clock.now() - started} ms: ${describeError(error)}`);
      throw error;
    }
    const outcome = `[refresh] ${target} -> ${response.status} in ${clock.now() - started} ms`;
    const body = () => `[refresh] response body: ${redactBody(response.body, response.header('content-type'))}`;
    let grant: TokenGrant;
    try {
      grant = interpretTokenResponse(response, clock.now());
    } catch (error) {
      log.warn(`${outcome}: ${describeError(error)}`);
      log.info(body());
      throw error;
    }
    redactor.remember([grant.accessToken, ...(grant.refreshToken ? [grant.refreshToken] : [])]);
    const rotatedTo = grant.refreshToken !== refreshToken ? grant.refreshToken : undefined;
    log.info(
      `${outcome}, expires ${new Date(grant.expiresAt).toISOString()} (token ${fingerprint(grant.accessToken)}${
        rotatedTo ? `, refresh token rotated to ${fingerprint(rotatedTo)}` : ''
      })`,
    );
    log.info(body());
    if (!grant.expiryFromServer) {
      log.warn('[refresh] the response gave no usable expires_in; assuming the token lives one hour');
    }
    return grant;
  };
  return withRetries(attempt, clock, (n, error, delayMs) =>
    log.info(`[refresh] attempt ${n} of ${MAX_ATTEMPTS} failed (${error.code}); retrying in ${delayMs} ms`),
  );
}
