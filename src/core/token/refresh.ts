/**
 * One refresh of one account, inside the refresh turn the TokenManager holds: read what is stored,
 * trade the refresh token, and store the answer before anyone hears of it, unless the credentials
 * were replaced meanwhile. Failures leave what is stored as it was, but for a dead refresh token.
 */
import { AuthError, isAuthError } from '../base/errors';
import { exchangeRefreshToken, type ExchangeOptions, type TokenGrant } from '../pandadoc/tokenEndpoint';
import { type Credentials, type OAuthCredentials, sameGrant } from './credentials';
import { deadGrant, holdsTokenValidFor, type TokenCredentials } from './freshness';
import type { StoredAccount } from './storedAccount';

/**
 * Unless forced, a refresh first checks the store: another window may just have stored a token
 * valid for `validForMs` (the refresh margin unless given), which then serves without a request
 * (and without racing that window on a rotated refresh token).
 */
export async function refreshStored(
  stored: StoredAccount,
  options: ExchangeOptions,
  force: boolean,
  validForMs = options.settings().refreshMarginMs,
): Promise<TokenCredentials> {
  // Read the store, not the cache: another window may have rotated the token a moment ago.
  const credentials = await stored.readLatest();
  if (credentials?.kind !== 'oauth') {
    throw new AuthError('no_credentials', 'No PandaDoc OAuth credentials are stored.');
  }
  if (!force && holdsTokenValidFor(credentials, validForMs, options.clock.now())) {
    return credentials;
  }
  if (credentials.refreshToken === undefined) {
    throw deadGrant();
  }
  let grant: TokenGrant;
  try {
    grant = await exchangeRefreshToken(options, credentials, credentials.refreshToken, (stranded) =>
      keepRefreshToken(stored, credentials, stranded),
    );
  } catch (error) {
    if (isAuthError(error) && error.code === 'invalid_grant') {
      return await afterInvalidGrant(stored, options, credentials, error);
    }
    throw error;
  }
  return await storeGrant(stored, options, credentials, grant);
}

/** Stores a successful answer, unless the credentials it belongs to were replaced meanwhile. */
function storeGrant(stored: StoredAccount, options: ExchangeOptions, used: OAuthCredentials, grant: TokenGrant): Promise<TokenCredentials> {
  return stored.serialized(async () => {
    // No second SecretStorage read when the ledger shows nothing was written since the first.
    const latest = await stored.latestUnlessUnchanged();
    if (!sameGrant(latest, used)) {
      // Signed out, replaced, or refreshed by another window while we waited: what the user
      // or the other window stored wins over our answer.
      options.log.warn('[refresh] the stored credentials changed during the refresh; keeping the newer ones');
      return adopt(stored, latest);
    }
    const next: TokenCredentials = {
      ...used,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? used.refreshToken,
      expiresAt: grant.expiresAt,
    };
    await stored.write(next, 'refresh');
    return next;
  });
}

/** An answer refused for want of an access token brought a new refresh token: stored in place of
 *  the one sent (which PandaDoc may have retired), so the next refresh can still succeed. */
function keepRefreshToken(stored: StoredAccount, used: OAuthCredentials, refreshToken: string): Promise<void> {
  return stored.serialized(async () => {
    const latest = await stored.readLatest();
    if (refreshToken !== used.refreshToken && sameGrant(latest, used)) {
      await stored.write({ ...used, refreshToken }, 'refresh');
    }
  });
}

/**
 * PandaDoc refused the refresh token. If another window rotated it meanwhile, its newer
 * credentials are the live ones. Otherwise the grant is dead: the refresh token is dropped, the
 * client id and secret (and an access token that has not expired) are kept.
 */
function afterInvalidGrant(stored: StoredAccount, options: ExchangeOptions, used: OAuthCredentials, error: AuthError): Promise<TokenCredentials> {
  return stored.serialized(async () => {
    const latest = await stored.readLatest();
    if (!sameGrant(latest, used)) {
      options.log.info('[refresh] another window stored newer credentials; using them');
      return adopt(stored, latest, error);
    }
    if (await stored.markBehindIfNewerElsewhere()) {
      // The refresh token is alive in the other window's write, which this window's store
      // cannot show: dropping it here would sign every window out at their next reload.
      options.log.warn('[refresh] another window refreshed, and this window cannot read its credentials until it reloads; nothing was removed');
      throw new AuthError('stale_window', 'Another window refreshed the token; reload this window to use it.', { oauthError: 'invalid_grant' });
    }
    const { clientId, clientSecret, accessToken, expiresAt, account } = used;
    await stored.write({ kind: 'oauth', clientId, clientSecret, accessToken, expiresAt, account }, 'refresh');
    options.log.warn('[refresh] PandaDoc no longer accepts the refresh token; it was removed, client kept');
    throw error;
  });
}

/** Newer credentials found instead of ours: use them when they hold a token. */
function adopt(stored: StoredAccount, latest: Credentials | undefined, failure?: AuthError): TokenCredentials {
  stored.fire('external');
  if (latest?.kind === 'oauth' && latest.accessToken) {
    return { ...latest, accessToken: latest.accessToken };
  }
  throw failure ?? new AuthError('no_credentials', 'The credentials were removed or replaced during the refresh.');
}
