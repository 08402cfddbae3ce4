/**
 * What is known of one account's stored credentials without holding a secret: what the status
 * bar, the commands, the window ledger and other extensions are told.
 */
import type { AuthError } from '../base/errors';
import type { AccountInfo, Credentials } from './credentials';

/** What other extensions may see: never a secret. */
export interface PublicStatus {
  kind: 'none' | 'oauth' | 'apiKey';
  expiresAt?: number;
}

/** Everything the status bar and commands need to describe the account. */
export interface AccountState {
  status: PublicStatus;
  /** OAuth with a refresh token PandaDoc has not rejected. */
  canRefresh: boolean;
  refreshing: boolean;
  /** The last refresh failure, until the next success or change of credentials. */
  lastError?: AuthError;
  /** Something is stored but cannot be read; storing new credentials replaces it. */
  unreadable: boolean;
  /** Whose credentials these are, once PandaDoc has said (Show Account, sign-in). */
  account?: AccountInfo;
  /** The active profile, set by Profiles; `shown` when there is more than one to tell apart;
   *  `region` where its requests go, in a few words (regions.ts describeRegion). */
  profile?: { name: string; shown: boolean; region?: string };
  /** Another window stored newer credentials that this window's SecretStorage cannot show until
   *  the window reloads (VS Code for the Web, code-server). `status` is then theirs. */
  behind?: boolean;
}

/** Why the state changed. `busy` and `idle` mark the start and the end (either way) of a
 *  refresh; a failure is then in `state().lastError`. */
export type ChangeCause = 'load' | 'store' | 'refresh' | 'signOut' | 'external' | 'busy' | 'idle' | 'account';

/** What may be told of `credentials`: their kind and expiry, never a secret. */
export function statusOf(credentials: Credentials | undefined): PublicStatus {
  if (credentials === undefined) {
    return { kind: 'none' };
  }
  if (credentials.kind === 'apiKey') {
    return { kind: 'apiKey' };
  }
  return credentials.expiresAt === undefined ? { kind: 'oauth' } : { kind: 'oauth', expiresAt: credentials.expiresAt };
}
