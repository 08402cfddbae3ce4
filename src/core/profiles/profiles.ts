/**
 * Named profiles ("Production" with OAuth, "Sandbox" with an API key) and the one that is active.
 * Everything the commands, the status bar and the API ask of "the account" goes to the active
 * profile's manager. The stored index is storedIndex.ts's, the managers profileManagers.ts's;
 * this class adds, switches and removes profiles, and says so to its listeners.
 */
import type { AccountInfo } from '../token/credentials';
import { type Disposable, Emitter } from '../base/emitter';
import { AuthError } from '../base/errors';
import { tryMigrateLegacyAccount } from './migration';
import { type ManagerOptions, ProfileManagers } from './profileManagers';
import { checkProfileName, DEFAULT_PROFILE, existingName, findName, type ProfileIndex, PROFILES_KEY, resetIndex } from './profileIndex';
import type { AccountState, ChangeCause, PublicStatus } from '../token/status';
import { fillOnTrial, runInProfileOrRollBack, type Trial, undoTrial } from './profileTrials';
import { StoredProfileIndex } from './storedIndex';
import type { TokenManager } from '../token/tokenManager';
import { describeRegion, followsSettings, type Region } from '../base/regions';
import type { Settings } from '../base/settings';
import { RegionStore } from './regionStore';

/** `regions`: where each profile's region is kept; in memory unless given. */
export type ProfilesOptions = ManagerOptions & { regions?: RegionStore };
export type { Trial } from './profileTrials';

/** `switch`: another profile became active; `profiles`: one was added or removed; `region`: a
 *  profile's region changed. */
export type ProfilesChange = ChangeCause | 'switch' | 'profiles' | 'region';

/** `activate: false` adds a profile beside the active one, e.g. to fill it before switching. */
export interface CreateOptions {
  activate?: boolean;
}

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
  private readonly followers = new Set<ProfileNameFollower>();

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
    // Only for a profile that exists: a region kept for a name nobody has made yet would be
    // waiting, unasked, for the profile a person makes later under that name.
    const found = existingName(this.index.current(), name);
    await this.regions.set(found, region);
    this.options.log.info(`[profiles] "${found}" now uses the region ${this.describeRegion(found)}`);
    this.changed.fire('region');
  }

  /** The profile's region in a few words: `EU (api.pandadoc.eu)`. */
  describeRegion(name: string): string {
    const found = findName(this.names(), name) ?? name.trim();
    return describeRegion(this.settingsFor(found), this.regions.regionTable(), followsSettings(this.regions.get(found)));
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
    // A new profile starts with no region of its own, whatever an older release kept under its
    // name, so the region question is asked where it should be.
    await this.regions.remove(created);
    this.options.log.info(`[profiles] created "${created}"${activate ? ' and switched to it' : ''}`);
    return created;
  }

  /**
   * Renames a profile, its credentials moved along (SecretStorage keys are per name), keeping its
   * place in the list and whether it is active. Resolves with the new name as stored.
   */
  async rename(from: string, rawTo: unknown): Promise<string> {
    const found = existingName(this.index.current(), from);
    const to = checkProfileName(rawTo, this.names().filter((name) => name !== found));
    if (to === found) {
      return found;
    }
    const source = await this.managers.loaded(found);
    const target = await this.managers.loaded(to);
    await source.moveTo(target, async () => {
      // The region goes with the credentials; back again if the index cannot follow.
      await this.regions.rename(found, to);
      try {
        await this.index.update((index) => {
          const at = index.names.indexOf(existingName(index, found));
          if (findName(index.names.filter((_, i) => i !== at), to) !== undefined) {
            throw new AuthError('bad_input', `A profile named "${to}" already exists.`);
          }
          const names = index.names.map((name, i) => (i === at ? to : name));
          return { names, active: index.active === found ? to : index.active };
        });
      } catch (error) {
        await this.regions.rename(to, found);
        throw error;
      }
    });
    this.options.log.info(`[profiles] renamed "${found}" to "${to}"`);
    await this.tellFollowers('rename', (follower) => follower.renamed(found, to));
    return to;
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
    await this.tellFollowers('removal', (follower) => follower.removed(found));
    return deleted || removed;
  }

  /** Fills a profile on trial, made active, with what undoTrial needs (profileTrials.ts). */
  fillOnTrial(name: string, fill: (manager: TokenManager) => Promise<void>): Promise<Trial> {
    return fillOnTrial(this, this.options.log, name, fill);
  }

  /** Puts back what a trial replaced, unless others were stored since (profileTrials.ts). */
  undoTrial(trial: Trial): Promise<boolean> {
    return undoTrial(this, this.options.log, trial);
  }

  /** Runs `task` in a profile, made if need be, undone if it fails empty (profileTrials.ts). */
  runInProfileOrRollBack<T>(name: string, task: () => Promise<T>): Promise<T> {
    return runInProfileOrRollBack(this, this.options.log, name, task);
  }

  /** Tells `follower` of every rename and removal from now on, until disposed. */
  followNames(follower: ProfileNameFollower): Disposable {
    this.followers.add(follower);
    return { dispose: () => this.followers.delete(follower) };
  }

  /** Signs every profile out and forgets them all. Resolves false when nothing was stored. */
  async removeAll(): Promise<boolean> {
    let any = false;
    for (const name of [...this.names()]) {
      any = (await (await this.managers.loaded(name)).signOut()) || any;
      await this.regions.remove(name);
      await this.tellFollowers('removal', (follower) => follower.removed(name));
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

  /** A follower that fails is logged and does not stop the others, nor undo the change. */
  private async tellFollowers(what: string, tell: (follower: ProfileNameFollower) => Promise<void>): Promise<void> {
    for (const follower of [...this.followers]) {
      try {
        await tell(follower);
      } catch (error) {
        this.options.log.warn(`[profiles] what is kept for the profile could not follow its ${what}: ${error instanceof AuthError ? error.message : 'unexpected error'}`);
      }
    }
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
