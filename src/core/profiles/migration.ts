/**
 * From the single-account version (0.1) to profiles: its one stored value becomes the `Default`
 * profile's, byte for byte, so nothing in it can be lost or misread on the way.
 *
 * Order makes it safe to be cut off at any point: the copy is written and read back first, then
 * the index that makes it live, and only then is the old key deleted. Cut off before the index,
 * the next activation migrates again from the untouched old value; cut off after it, the next
 * activation only finishes the deletion.
 */
import { LEGACY_CREDENTIALS_KEY, profileKey } from '../token/credentials';
import { describeError } from '../base/errors';
import type { Logger } from '../base/logger';
import { DEFAULT_PROFILE, defaultIndex, PROFILES_KEY, parseIndex, serializeIndex } from './profileIndex';
import type { SecretStore } from '../base/secretStore';

export type MigrationOutcome = 'nothing' | 'migrated' | 'finished';

export async function migrateLegacyAccount(store: SecretStore, log: Logger): Promise<MigrationOutcome> {
  const legacy = await store.get(LEGACY_CREDENTIALS_KEY);
  if (legacy === undefined) {
    return 'nothing';
  }
  if (parseIndex(await store.get(PROFILES_KEY)) !== undefined) {
    // The index is written only after the copy read back, so the copy exists (and may have been
    // refreshed since): the old value is stale.
    await store.delete(LEGACY_CREDENTIALS_KEY);
    log.info('[profiles] finished an interrupted migration: the old single-account value was deleted');
    return 'finished';
  }
  const target = profileKey(DEFAULT_PROFILE);
  await store.store(target, legacy);
  if ((await store.get(target)) !== legacy) {
    // Never delete the only good copy on the word of a write that did not stick.
    throw new Error('the migrated value did not read back the same');
  }
  await store.store(PROFILES_KEY, serializeIndex(defaultIndex()));
  await store.delete(LEGACY_CREDENTIALS_KEY);
  log.info(`[profiles] moved the stored account of version 0.1.x into the profile "${DEFAULT_PROFILE}"`);
  return 'migrated';
}

/**
 * The migration as activation runs it: never throws. A failure leaves the old value where it was,
 * so nothing is lost and the next activation tries again; this one goes on with the index it
 * read beside the migration.
 */
export async function tryMigrateLegacyAccount(store: SecretStore, log: Logger): Promise<MigrationOutcome> {
  try {
    return await migrateLegacyAccount(store, log);
  } catch (error) {
    log.error(`[profiles] migration failed, nothing was lost: ${describeError(error)}`);
    return 'nothing';
  }
}
