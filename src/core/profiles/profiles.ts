/**
 * Named profiles ("Production" with OAuth, "Sandbox" with an API key) and the one that is active.
 * Everything the commands, the status bar and the API ask of "the account" goes to the active
 * profile's manager. The stored index is storedIndex.ts's, the managers profileManagers.ts's;
 * this class adds, switches and removes profiles, and says so to its listeners.
 */
import type { AccountInfo } from '../token/credentials';
import { type Disposable, Emitter } from '../base/emitter';
import { describeError } from '../base/errors';
import { tryMigrateLegacyAccount } from './migration';
import { type ManagerOptions, ProfileManagers } from './profileManagers';
import { checkProfileName, DEFAULT_PROFILE, existingName, findName, type ProfileIndex, PROFILES_KEY, resetIndex } from './profileIndex';
import type { AccountState, ChangeCause, PublicStatus } from '../token/status';
import { StoredProfileIndex } from './storedIndex';
import type { TokenManager } from '../token/tokenManager';
import { describeRegion, type Region } from '../base/regions';
import type { Settings } from '../base/settings';
import { RegionStore } from './regionStore';

/** `regions`: where each profile's region is kept; in memory unless given. */
export type ProfilesOptions = ManagerOptions & { regions?: RegionStore };

/** `switch`: another profile became active; `profiles`: one was added or removed; `region`: a
 *  profile's region changed. */
export type ProfilesChange = ChangeCause | 'switch' | 'profiles' | 'region';

/** `activate: false` adds a profile beside the active one, e.g. to fill it before switching. */
export interface CreateOptions {
  activate?: boolean;
}

export interface ProfileSummary {
  name: string;
  active: boolean;
  kind: PublicStatus['kind'];
  account?: AccountInfo;
}

export class Profiles implements Disposable {
  private readonly changed = new Emitter<ProfilesChange>();
  /** Fires for every change of the active profile's state, and on switch, add and remove. */
  readonly onDidChange = this.changed.event;

  private readonly index: StoredProfileIndex;
  private readonly managers: ProfileManagers;
  /** Each profile's region, by name (see regionStore.ts). */
  readonly regions: RegionStore;

  constructor(private readonly options: ProfilesOptions) {
    this.index = new StoredProfileIndex(options.store, options.log, (before) => this.announce(before));
    this.regions = options.regions ?? new RegionStore();
    this.managers = new ProfileManagers(options, (cause) => this.changed.fire(cause), this.regions);
  }

  /**
   * Migrates a 0.1 account, reads the index and the active profile. Never throws and never
   * touches the network: safe for activation. `likelyActive` (the profile active when this
   * window last looked, which needs no secret to remember) is read beside the index and the 0.1
   * check, so activation waits for one round trip to SecretStorage, not two, when it is right.
   */
  async initialize(likelyActive: string = DEFAULT_PROFILE): Promise<void> {
    const index = this.index.read();
    const guessed = this.managers.loaded(likelyActive);
    const outcome = await tryMigrateLegacyAccount(this.options.store, this.options.log);
    this.index.adopt(outcome === 'nothing' ? await index : await this.index.read());
    if (outcome !== 'nothing' && likelyActive === DEFAULT_PROFILE) {
      // The migration wrote Default, perhaps after the guess had read it.
      await (await guessed).reload('load');
    }
    await this.managers.follow(this.activeName());
  }

  activeName(): string {
    return this.index.current().active;
  }

  names(): readonly string[] {
    return this.index.current().names;
  }

  /** The active profile's manager. */
  activeManager(): TokenManager {
    return this.managers.get(this.activeName());
  }

  /** A profile's manager, having read its store, e.g. to fill a profile that is not active. */
  async manager(name: string): Promise<TokenManager> {
    return this.managers.loaded(existingName(this.index.current(), name));
  }

  /** The settings a profile's requests are made with: its region's URLs, or the settings' for a
   *  profile with no region (or none yet: a profile about to be made for a sign-in). */
  settingsFor(name: string): Settings {
    return this.regions.settingsFor(findName(this.names(), name) ?? name.trim(), this.options.settings());
  }

  /** Sets a profile's region (undefined: follow the settings), in memory and the global state. */
  async setRegion(name: string, region: Region | undefined): Promise<void> {
    const found = findName(this.names(), name) ?? name.trim();
    await this.regions.set(found, region);
    this.options.log.info(`[profiles] "${found}" now uses the region ${describeRegion(this.regions.urls(found, this.options.settings()), this.regions.regionTable())}`);
    this.changed.fire('region');
  }

  /** The profile's region in a few words: `EU (api.pandadoc.eu)`. */
  describeRegion(name: string): string {
    return describeRegion(this.settingsFor(name), this.regions.regionTable());
  }

  /** Every profile with what it holds, read from the store (no network). */
  async summaries(): Promise<ProfileSummary[]> {
    return Promise.all(
      this.names().map(async (name) => {
        const state = (await this.managers.loaded(name)).state();
        return { name, active: name === this.activeName(), kind: state.status.kind, account: state.account };
      }),
    );
  }

  /** Makes `name` active, in every window. Resolves false when it already was. */
  async switchTo(name: string): Promise<boolean> {
    const changed = await this.index.update((index) => {
      const found = existingName(index, name);
      return found === index.active ? undefined : { ...index, active: found };
    });
    if (changed) {
      this.options.log.info(`[profiles] switched to "${this.activeName()}"`);
    }
    return changed;
  }

  /** Makes `name` active, creating it first when it does not exist. */
  async switchToOrCreate(name: string): Promise<void> {
    if (findName(this.names(), name) === undefined) {
      await this.create(name);
    } else {
      await this.switchTo(name);
    }
  }

  /** Adds an empty profile, and makes it active unless told not to. Returns its name as stored. */
  async create(rawName: unknown, { activate = true }: CreateOptions = {}): Promise<string> {
    let created = '';
    await this.index.update((index) => {
      created = checkProfileName(rawName, index.names);
      return { names: [...index.names, created], active: activate ? created : index.active };
    });
    this.options.log.info(`[profiles] created "${created}"${activate ? ' and switched to it' : ''}`);
    return created;
  }

  /**
   * Signs a profile out: deletes its credentials and the profile itself. The last profile is
   * emptied instead, since something must be active. Resolves false when there was nothing to
   * remove.
   */
  async remove(name: string): Promise<boolean> {
    const found = findName(this.names(), name);
    if (found === undefined) {
      return false;
    }
    const deleted = await (await this.managers.loaded(found)).signOut();
    const removed = await this.index.update((index) => {
      const names = index.names.filter((candidate) => candidate !== found);
      if (names.length === 0) {
        return resetIndex(index);
      }
      return { names, active: index.active === found ? names[0] : index.active };
    });
    if (removed) {
      this.options.log.info(`[profiles] removed "${found}"`);
    }
    await this.regions.remove(found);
    return deleted || removed;
  }

  /**
   * Runs `task` in the profile `name`, made when there is none and made active. When the task
   * fails, a profile made for it that is still empty is removed and the profile active before is
   * active again, so a cancelled sign-in into a new profile leaves the profiles as they were.
   */
  async runInProfileOrRollBack<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.activeName();
    const created = findName(this.names(), name) === undefined;
    await this.switchToOrCreate(name);
    try {
      return await task();
    } catch (error) {
      if (created) {
        await this.dropIfEmpty(this.activeName(), previous);
      }
      throw error;
    }
  }

  private async dropIfEmpty(name: string, previous: string): Promise<void> {
    try {
      if ((await this.managers.loaded(name)).status().kind === 'none') {
        await this.remove(name);
        await this.switchTo(previous);
      }
    } catch (error) {
      this.options.log.warn(`[profiles] could not remove "${name}", made for what failed: ${describeError(error)}`);
    }
  }

  /** Signs every profile out and forgets them all. Resolves false when nothing was stored. */
  async removeAll(): Promise<boolean> {
    let any = false;
    for (const name of [...this.names()]) {
      any = (await (await this.managers.loaded(name)).signOut()) || any;
      await this.regions.remove(name);
    }
    const reset = await this.index.update(resetIndex);
    return any || reset;
  }

  /** Follows another window's write as the shared ledger reports it (see windowLedger.ts). */
  async onLedgerRecord(key: string): Promise<void> {
    for (const manager of this.managers.withKey(key)) {
      await manager.onLedgerRecord();
    }
  }

  /** Follows a change another window made to SecretStorage. */
  async onSecretChange(key: string): Promise<void> {
    if (key === PROFILES_KEY) {
      await this.index.reload();
      return;
    }
    for (const manager of this.managers.withKey(key)) {
      await manager.reload();
    }
  }

  // What the adapters ask of "the account": the active profile's.

  state(): AccountState {
    const { active, names } = this.index.current();
    return { ...this.activeManager().state(), profile: { name: active, shown: names.length > 1, region: this.describeRegion(active) } };
  }

  status(): PublicStatus & { profile: string } {
    return { ...this.activeManager().status(), profile: this.activeName() };
  }

  getAccessToken(): Promise<string | undefined> {
    return this.activeManager().getAccessToken();
  }

  getAuthorizationHeader(): Promise<string | undefined> {
    return this.activeManager().getAuthorizationHeader();
  }

  dispose(): void {
    this.managers.dispose();
    this.changed.dispose();
  }

  /** Follows the new active manager and fires `switch` when the active profile changed, `profiles` when the list did. */
  private async announce(before: ProfileIndex): Promise<void> {
    const after = this.index.current();
    if (before.active !== after.active) {
      await this.managers.follow(after.active);
      this.changed.fire('switch');
    } else if (before.names.join('\n') !== after.names.join('\n')) {
      this.changed.fire('profiles');
    }
  }
}
