/**
 * The last step of a browser sign-in: the authorization code traded for the first tokens.
 * Storing them is the caller's job.
 */
import { fingerprint } from '../base/redact';
import { buildAuthorizationCodeRequest, type TokenGrant } from './tokenEndpoint';
import { type ExchangeOptions, sendTokenRequest, tokenRequestSettings } from './tokenExchange';

export interface CodeExchangeInput {
  clientId: string;
  clientSecret: string;
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
    `[sign-in] ${request.method} ${request.url} (client ${fingerprint(input.clientId)}, code ${fingerprint(input.code)}, scope ${common.scope}, redirect URI ${input.redirectUri})`,
  );
  const describeGrant = (grant: TokenGrant): string[] =>
    grant.refreshToken ? [`refresh token ${fingerprint(grant.refreshToken)}`] : ['no refresh token'];
  return sendTokenRequest(options, { tag: '[sign-in]', request, grant: 'authorization_code', describeGrant });
}
