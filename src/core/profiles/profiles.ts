/**
 * Named profiles ("Production" with OAuth, "Sandbox" with an API key) and the one that is active.
 * Everything the commands, the status bar and the API ask of "the account" goes to the active
 * profile's manager. The stored index is storedIndex.ts's, the managers profileManagers.ts's;
 * this class adds and switches profiles, and says so to its listeners. Renaming and removing, and
 * the followers of the names, are nameChanges.ts's, which this class drives. Credentials tried
 * with a way back (an import, a sign-in into a new profile) are profileTrials.ts's, built on this
 * class's public operations: that file imports this one, never the other way.
 */
import type { AccountInfo } from '../token/credentials';
import { type Disposable, Emitter } from '../base/emitter';
import { tryMigrateLegacyAccount } from './migration';
import { type ManagerOptions, ProfileManagers } from './profileManagers';
import { checkProfileName, DEFAULT_PROFILE, existingName, findName, type ProfileIndex, PROFILES_KEY } from './profileIndex';
import type { AccountState, ChangeCause, PublicStatus } from '../token/status';
import { StoredProfileIndex } from './storedIndex';
import type { TokenManager } from '../token/tokenManager';
import { describeRegion, followsSettings, type Region } from '../base/regions';
import type { Logger } from '../base/logger';
import type { Settings } from '../base/settings';
import { RegionStore } from './regionStore';
import { type NameChanges, nameChanges, type ProfileNameFollower } from './nameChanges';
import { stateOfSnapshot, type StatusSnapshot } from './statusSnapshot';

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
  private readonly nameChanges: NameChanges;
  /** What the status snapshot said, until the store has been read (see presume). */
  private presumed: AccountState | undefined;
  private reading: Promise<void> | undefined;

  /** Where the profiles' operations are logged; the trials built on them (profileTrials.ts) log
   *  there too. */
  readonly log: Logger;

  constructor(private readonly options: ProfilesOptions) {
    this.log = options.log;
    this.index = new StoredProfileIndex(options.store, options.log, (before) => this.announce(before));
    this.regions = options.regions ?? new RegionStore();
    this.managers = new ProfileManagers(options, (cause) => this.changed.fire(cause), this.regions);
    this.nameChanges = nameChanges(this.index, this.managers, this.regions, options.log);
  }

  /**
   * Starts from a status snapshot (statusSnapshot.ts), before the store is read: state() and
   * status() answer from it at once. Nothing secret comes from it: every method that gives out
   * a token, lists the profiles or changes anything waits for the read (whenRead) first. Then
   * call initialize(), which replaces the snapshot's word with the store's and fires `load`.
   */
  presume(snapshot: StatusSnapshot): void {
    this.presumed = stateOfSnapshot(snapshot);
    this.index.adopt({ names: [snapshot.profile], active: snapshot.profile });
  }

  /**
   * Migrates a 0.1 account, reads the index and the active profile. Never throws and never
   * touches the network: safe for activation. `likelyActive` (the profile active when this
   * window last looked, which needs no secret to remember) is read beside the index and the 0.1
   * check, so activation waits for one round trip to SecretStorage, not two, when it is right.
   * Called again, it returns the first call's promise.
   */
  initialize(likelyActive: string = DEFAULT_PROFILE): Promise<void> {
    this.reading ??= this.readStored(likelyActive);
    return this.reading;
  }

  /** Resolves once initialize() has read the store (at once when it was never called). */
  async whenRead(): Promise<void> {
    await this.reading;
  }

  private async readStored(likelyActive: string): Promise<void> {
    const index = this.index.read();
    const guessed = this.managers.loaded(likelyActive);
    const outcome = await tryMigrateLegacyAccount(this.options.store, this.options.log);
    this.index.adopt(outcome === 'nothing' ? await index : await this.index.read());
    if (outcome !== 'nothing' && likelyActive === DEFAULT_PROFILE) {
      // The migration wrote Default, perhaps after the guess had read it.
      await (await guessed).reload('load');
    }
    await this.managers.follow(this.activeName());
    if (this.presumed !== undefined) {
      // The store's word replaces the snapshot's; listeners compare and correct what they showed.
      this.presumed = undefined;
      this.changed.fire('load');
    }
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

  /** The active profile's manager once the store has been read: for a write, which must go to
   *  the profile the store says is active, not the one the status snapshot said. */
  async storedActiveManager(): Promise<TokenManager> {
    await this.whenRead();
    return this.activeManager();
  }

  /** A profile's manager, having read its store, e.g. to fill a profile that is not active. */
  async manager(name: string): Promise<TokenManager> {
    await this.whenRead();
    return await this.managers.loaded(existingName(this.index.current(), name));
  }

  /** The settings a profile's requests are made with: its region's URLs, or the settings' for a
   *  profile with no region (or none yet: a profile about to be made for a sign-in). */
  settingsFor(name: string): Settings {
    return this.regions.settingsFor(findName(this.names(), name) ?? name.trim(), this.options.settings());
  }

  /** Sets a profile's region (undefined: follow the settings), in memory and the global state. */
  async setRegion(name: string, region: Region | undefined): Promise<void> {
    await this.whenRead();
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
    await this.whenRead();
    return Promise.all(
      this.names().map(async (name) => {
        const state = (await this.managers.loaded(name)).state();
        return { name, active: name === this.activeName(), kind: state.status.kind, account: state.account };
      }),
    );
  }

  /** Makes `name` active, in every window. Resolves false when it already was. */
  async switchTo(name: string): Promise<boolean> {
    await this.whenRead();
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
    await this.whenRead();
    if (findName(this.names(), name) === undefined) {
      await this.create(name);
    } else {
      await this.switchTo(name);
    }
  }

  /** Adds an empty profile, and makes it active unless told not to. Returns its name as stored. */
  async create(rawName: unknown, { activate = true }: CreateOptions = {}): Promise<string> {
    await this.whenRead();
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

  /** Renames a profile, what is kept under its name following (nameChanges.ts). Resolves with the new name. */
  async rename(from: string, rawTo: unknown): Promise<string> {
    await this.whenRead();
    return this.nameChanges.rename(from, rawTo);
  }

  /** Signs a profile out and removes it (nameChanges.ts); resolves false when there was none to remove. */
  async remove(name: string): Promise<boolean> {
    await this.whenRead();
    return this.nameChanges.remove(name);
  }

  /** Tells `follower` of every rename and removal from now on, until disposed. */
  followNames(follower: ProfileNameFollower): Disposable {
    return this.nameChanges.follow(follower);
  }

  /** Signs every profile out and forgets them all. Resolves false when nothing was stored. */
  async removeAll(): Promise<boolean> {
    await this.whenRead();
    return this.nameChanges.removeAll();
  }

  /** Follows another window's write as the shared ledger reports it (see windowLedger.ts). */
  async onLedgerRecord(key: string): Promise<void> {
    await this.whenRead();
    for (const manager of this.managers.withKey(key)) {
      await manager.onLedgerRecord();
    }
  }

  /** Follows a change another window made to SecretStorage. */
  async onSecretChange(key: string): Promise<void> {
    await this.whenRead();
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
    if (this.presumed !== undefined) {
      return { ...this.presumed, profile: { name: active, shown: this.presumed.profile?.shown ?? false, region: this.describeRegion(active) } };
    }
    return { ...this.activeManager().state(), profile: { name: active, shown: names.length > 1, region: this.describeRegion(active) } };
  }

  status(): PublicStatus & { profile: string } {
    return { ...(this.presumed?.status ?? this.activeManager().status()), profile: this.activeName() };
  }

  /** Whether state() still answers from the status snapshot (the store is being read). */
  presuming(): boolean {
    return this.presumed !== undefined;
  }

  async getAccessToken(): Promise<string | undefined> {
    await this.whenRead();
    return this.activeManager().getAccessToken();
  }

  async getAuthorizationHeader(): Promise<string | undefined> {
    await this.whenRead();
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
