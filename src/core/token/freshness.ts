/**
 * The rules for how long a token serves, with the time passed in (the callers hold the injected
 * clock): nothing here reads the system time, so a test can move it.
 */
import { AuthError } from '../base/errors';
import type { OAuthCredentials } from './credentials';

/** OAuth credentials that hold an access token: what a refresh yields. */
export type TokenCredentials = OAuthCredentials & { accessToken: string };

/** Holds an access token that stays valid for at least `marginMs` after `now`. */
export function holdsTokenValidFor(credentials: OAuthCredentials, marginMs: number, now: number): credentials is TokenCredentials {
  const { accessToken, expiresAt } = credentials;
  return accessToken !== undefined && expiresAt !== undefined && expiresAt - marginMs > now;
}

/**
 * Serves a session without a new sign-in: a refresh token PandaDoc has not rejected, or, once the
 * grant is dead, an access token that has not expired yet (it works until it does).
 */
export function sessionAlive(credentials: OAuthCredentials, now: number): boolean {
  return credentials.refreshToken !== undefined || holdsTokenValidFor(credentials, 0, now);
}

/** The grant was found dead before: PandaDoc answered `invalid_grant` to a refresh earlier. */
export function deadGrant(): AuthError {
  return new AuthError('invalid_grant', 'PandaDoc rejected the refresh token earlier; set credentials again.');
}
