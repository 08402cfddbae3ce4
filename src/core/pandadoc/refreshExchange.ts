/**
 * One refresh exchange with PandaDoc: the request, its retries, and a log line for every step
 * with secrets named by fingerprint only. Storing the result is the TokenManager's job.
 */
import type { OAuthCredentials } from '../token/credentials';
import { MAX_ATTEMPTS } from '../base/policy';
import { fingerprint } from '../base/redact';
import { withRetries } from './retry';
import { buildRefreshRequest, type TokenGrant } from './tokenEndpoint';
import { type ExchangeOptions, sendTokenRequest, tokenRequestSettings } from './tokenExchange';

export type { ExchangeOptions } from './tokenExchange';

export function exchangeRefreshToken(
  options: ExchangeOptions,
  credentials: OAuthCredentials,
  refreshToken: string,
): Promise<TokenGrant> {
  const { clock, log } = options;
  const common = tokenRequestSettings(options);
  const request = buildRefreshRequest({
    ...common,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    refreshToken,
  });
  log.info(
    `[refresh] ${request.method} ${request.url} (client ${fingerprint(credentials.clientId)}, refresh token ${fingerprint(refreshToken)}, scope ${common.scope})`,
  );
  const describeGrant = (grant: TokenGrant): string[] =>
    grant.refreshToken && grant.refreshToken !== refreshToken
      ? [`refresh token rotated to ${fingerprint(grant.refreshToken)}`]
      : [];
  return withRetries(
    () => sendTokenRequest(options, { tag: '[refresh]', request, describeGrant }),
    clock,
    (n, error, delayMs) =>
      log.info(`[refresh] attempt ${n} of ${MAX_ATTEMPTS} failed (${error.code}); retrying in ${delayMs} ms`),
  );
}
