/**
 * Whole-value moves of one account's stored credentials: a snapshot put back when an import is
 * not kept, and a move to another profile's key when a profile is renamed. Each runs in the
 * accounts' write turns, so a refresh finishing meanwhile is not lost between two writes.
 */
import { AuthError } from '../base/errors';
import type { Logger } from '../base/logger';
import { type Credentials, identityOf } from './credentials';
import type { StoredAccount } from './storedAccount';

/** What is stored now, read again, to be put back with `restoreSnapshot`; undefined when nothing
 *  is stored or it cannot be read. */
export function snapshotOf(stored: StoredAccount): Promise<Credentials | undefined> {
  return stored.serialized(() => stored.readLatest());
}

/**
 * Puts `previous` (a snapshot, or nothing) back, if what is stored is still the credentials
 * `replacing` identifies: someone may have stored others since, and those are kept. Resolves
 * whether it put them back.
 */
export function restoreSnapshot(stored: StoredAccount, log: Logger, previous: Credentials | undefined, replacing: string): Promise<boolean> {
  return stored.serialized(async () => {
    const latest = await stored.readLatest();
    if (latest === undefined || identityOf(latest) !== replacing) {
      return false;
    }
    await stored.write(previous, previous ? 'store' : 'signOut');
    log.info(`[store] put back what was stored before${previous ? '' : ': nothing'}`);
    return true;
  });
}

/**
 * Moves what `from` holds to `to` and deletes it from `from`, all in one turn of `from`'s writes.
 * `commit` runs between the copy and the delete (the profile index's change); when it fails, the
 * copy is deleted again and nothing has changed.
 */
export function moveStored(from: StoredAccount, to: StoredAccount, commit: () => Promise<void>): Promise<void> {
  return from.serialized(async () => {
    const state = await from.readState();
    if (!state?.ok) {
      throw new AuthError('storage', 'The stored credentials of this profile cannot be read, so they cannot be moved. Sign out of it, or set them again, first.');
    }
    const { credentials } = state;
    await to.serialized(() => to.write(credentials, 'store'));
    try {
      await commit();
    } catch (error) {
      await to.serialized(() => to.write(undefined, 'signOut'));
      throw error;
    }
    if (credentials !== undefined) {
      await from.write(undefined, 'signOut');
    }
  });
}
