/**
 * Renaming and removing profiles: the two changes after which a name has moved or gone, so that
 * everything kept under it must follow: the credentials (SecretStorage keys are per name), the
 * region, the entry in the index, and what is kept by name outside this layer (the followers).
 * Profiles makes them over its stored parts and waits for the store's read before calling them;
 * the arrow goes one way, from profiles.ts to here, and this file knows nothing of Profiles.
 */
import type { Disposable } from '../base/emitter';
import { AuthError } from '../base/errors';
import type { Logger } from '../base/logger';
import { checkProfileName, existingName, findName, resetIndex } from './profileIndex';
import type { ProfileManagers } from './profileManagers';
import type { RegionStore } from './regionStore';
import type { StoredProfileIndex } from './storedIndex';

/**
 * Something kept by profile name outside this layer (the workspace grants of the task route,
 * core/routes): told when a profile is renamed or removed, and waited for, so it has followed by
 * the time the call resolves. The layers keep core/profiles below core/routes, so the routes
 * subscribe here (wired in src/extension.ts) rather than being called by name.
 */
export interface ProfileNameFollower {
  renamed(from: string, to: string): Promise<void>;
  removed(name: string): Promise<void>;
}

/** Renaming and removing profiles over the stored parts Profiles keeps, which waits for the
 *  store's read before each call. */
export interface NameChanges {
  /** Tells `follower` of every rename and removal from now on, until disposed. */
  follow(follower: ProfileNameFollower): Disposable;
  /**
   * Renames a profile, its credentials moved along (SecretStorage keys are per name), keeping its
   * place in the list and whether it is active. Resolves with the new name as stored.
   */
  rename(from: string, rawTo: unknown): Promise<string>;
  /**
   * Signs a profile out: deletes its credentials and the profile itself. The last profile is
   * emptied instead, since something must be active. Resolves false when there was nothing to
   * remove.
   */
  remove(name: string): Promise<boolean>;
  /** Signs every profile out and forgets them all. Resolves false when nothing was stored. */
  removeAll(): Promise<boolean>;
}

/** The name changes of the profiles in `index`; the followers are the returned object's own. */
export function nameChanges(index: StoredProfileIndex, managers: ProfileManagers, regions: RegionStore, log: Logger): NameChanges {
  const followers = new Set<ProfileNameFollower>();

  /** A follower that fails is logged and does not stop the others, nor undo the change. */
  async function tellFollowers(what: string, tell: (follower: ProfileNameFollower) => Promise<void>): Promise<void> {
    for (const follower of [...followers]) {
      try {
        await tell(follower);
      } catch (error) {
        log.warn(`[profiles] what is kept for the profile could not follow its ${what}: ${error instanceof AuthError ? error.message : 'unexpected error'}`);
      }
    }
  }

  return {
    follow(follower) {
      followers.add(follower);
      return { dispose: () => followers.delete(follower) };
    },

    async rename(from, rawTo) {
      const current = index.current();
      const found = existingName(current, from);
      const to = checkProfileName(rawTo, current.names.filter((name) => name !== found));
      if (to === found) {
        return found;
      }
      const source = await managers.loaded(found);
      const target = await managers.loaded(to);
      await source.moveTo(target, async () => {
        // The region goes with the credentials; back again if the index cannot follow.
        await regions.rename(found, to);
        try {
          await index.update((stored) => {
            const at = stored.names.indexOf(existingName(stored, found));
            if (findName(stored.names.filter((_, i) => i !== at), to) !== undefined) {
              throw new AuthError('bad_input', `A profile named "${to}" already exists.`);
            }
            const names = stored.names.map((name, i) => (i === at ? to : name));
            return { names, active: stored.active === found ? to : stored.active };
          });
        } catch (error) {
          await regions.rename(to, found);
          throw error;
        }
      });
      log.info(`[profiles] renamed "${found}" to "${to}"`);
      await tellFollowers('rename', (follower) => follower.renamed(found, to));
      return to;
    },

    async remove(name) {
      const found = findName(index.current().names, name);
      if (found === undefined) {
        return false;
      }
      const deleted = await (await managers.loaded(found)).signOut();
      const removed = await index.update((stored) => {
        const names = stored.names.filter((candidate) => candidate !== found);
        if (names.length === 0) {
          return resetIndex(stored);
        }
        return { names, active: stored.active === found ? names[0] : stored.active };
      });
      if (removed) {
        log.info(`[profiles] removed "${found}"`);
      }
      await regions.remove(found);
      await tellFollowers('removal', (follower) => follower.removed(found));
      return deleted || removed;
    },

    async removeAll() {
      let any = false;
      for (const name of [...index.current().names]) {
        any = (await (await managers.loaded(name)).signOut()) || any;
        await regions.remove(name);
        await tellFollowers('removal', (follower) => follower.removed(name));
      }
      const reset = await index.update(resetIndex);
      return any || reset;
    },
  };
}
