/**
 * Named profiles ("Production" with OAuth, "Sandbox" with an API key), one TokenManager each, and
 * the one that is active. Everything the commands, the status bar and the API ask of "the account"
 * goes to the active profile's manager; a refresh that started before a switch still stores into
 * the profile it started in, because each manager is bound to its own key.
 */
import { type AccountInfo, profileKey } from '../token/credentials';
import { type Disposable, Emitter } from '../base/emitter';
import { AuthError, describeError } from '../base/errors';
import { Sequencer } from '../base/sequencer';
import { migrateLegacyAccount, type MigrationOutcome } from './migration';
import {
  checkProfileName,
  DEFAULT_PROFILE,
  defaultIndex,
  findName,
  parseIndex,
  type ProfileIndex,
  PROFILES_KEY,
  serializeIndex,
} from './profileIndex';
import type { AccountState, ChangeCause, PublicStatus } from '../token/status';
import { TokenManager, type TokenManagerOptions } from '../token/tokenManager';

export type ProfilesOptions = Omit<TokenManagerOptions, 'key'>;

/** `switch`: another profile became active; `profiles`: one was added or removed. */
export type ProfilesChange = ChangeCause | 'switch' | 'profiles';

export interface ProfileSummary {
  name: string;
  active: boolean;
  kind: PublicStatus['kind'];
  account?: AccountInfo;
}

/** The stored name `wanted` refers to (in any case), or a `bad_input` error. */
function existing(index: ProfileIndex, wanted: string): string {
  const found = findName(index.names, wanted);
  if (found === undefined) {
    throw new AuthError('bad_input', `There is no PandaDoc profile named "${wanted}".`);
  }
  return found;
}

/** Back to the one empty `Default` profile; undefined when that is what there already is. */
function resetIndex(index: ProfileIndex): ProfileIndex | undefined {
  return index.names.length === 1 && index.names[0] === DEFAULT_PROFILE ? undefined : defaultIndex();
}

export class Profiles implements Disposable {
  private readonly changed = new Emitter<ProfilesChange>();
  /** Fires for every change of the active profile's state, and on switch, add and remove. */
  readonly onDidChange = this.changed.event;

  private index: ProfileIndex = defaultIndex();
  private readonly managers = new Map<string, TokenManager>();
  private forwarding: Disposable | undefined;
  private bound: TokenManager | undefined;
  /** Serialises read-modify-write of the index within this window. */
  private readonly indexWrites = new Sequencer();

  constructor(private readonly options: ProfilesOptions) {}

  /** Migrates a 0.1 account, reads the index and the active profile. Never throws and never
   *  touches the network: safe for activation. */
  async initialize(): Promise<void> {
    // Read while the migration looks for a 0.1 value: activation waits for one round trip to
    // SecretStorage less, except the first time after an upgrade, which reads the index again.
    const index = this.readIndex();
    let outcome: MigrationOutcome = 'nothing';
    try {
      outcome = await migrateLegacyAccount(this.options.store, this.options.log);
    } catch (error) {
      // The old value stays where it was; the next activation tries again.
      this.options.log.error(`[profiles] migration failed, nothing was lost: ${describeError(error)}`);
    }
    this.index = outcome === 'nothing' ? await index : await this.readIndex();
    await this.bindActive();
  }

  activeName(): string {
    return this.index.active;
  }

  names(): readonly string[] {
    return this.index.names;
  }

  /** The active profile's manager. */
  active(): TokenManager {
    return this.managerOf(this.index.active);
  }

  /** A profile's manager, having read its store, e.g. to fill a profile that is not active. */
  async profile(name: string): Promise<TokenManager> {
    return this.initialized(existing(this.index, name));
  }

  /** Every profile with what it holds, read from the store (no network). */
  async summaries(): Promise<ProfileSummary[]> {
    return Promise.all(
      this.index.names.map(async (name) => {
        const manager = await this.initialized(name);
        const state = manager.state();
        return { name, active: name === this.index.active, kind: state.status.kind, account: state.account };
      }),
    );
  }

  /** Makes `name` active, in every window. Resolves false when it already was. */
  async switchTo(name: string): Promise<boolean> {
    const changed = await this.updateIndex((index) => {
      const found = existing(index, name);
      return found === index.active ? undefined : { ...index, active: found };
    });
    if (changed) {
      this.options.log.info(`[profiles] switched to "${this.index.active}"`);
    }
    return changed;
  }

  /** Makes `name` active, creating it first when it does not exist and `create` allows. */
  async use(name: string, create: boolean): Promise<void> {
    if (create && findName(this.index.names, name) === undefined) {
      await this.create(name, true);
    } else {
      await this.switchTo(name);
    }
  }

  /** Adds an empty profile, and makes it active unless told not to. Returns its name as stored. */
  async create(rawName: unknown, activate = true): Promise<string> {
    let created = '';
    await this.updateIndex((index) => {
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
    const found = findName(this.index.names, name);
    if (found === undefined) {
      return false;
    }
    const deleted = await (await this.initialized(found)).signOut();
    const removed = await this.updateIndex((index) => {
      const names = index.names.filter((candidate) => candidate !== found);
      if (names.length === 0) {
        return resetIndex(index);
      }
      return { names, active: index.active === found ? names[0] : index.active };
    });
    if (removed) {
      this.options.log.info(`[profiles] removed "${found}"`);
    }
    return deleted || removed;
  }

  /**
   * Runs `task` in the profile `name`, made when there is none and made active. When the task
   * fails, a profile made for it that is still empty is removed and the profile active before is
   * active again, so a cancelled sign-in into a new profile leaves the profiles as they were.
   */
  async within<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.index.active;
    const created = findName(this.index.names, name) === undefined;
    await this.use(name, true);
    try {
      return await task();
    } catch (error) {
      if (created) {
        await this.dropIfEmpty(this.index.active, previous);
      }
      throw error;
    }
  }

  private async dropIfEmpty(name: string, previous: string): Promise<void> {
    try {
      if ((await this.initialized(name)).status().kind === 'none') {
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
    for (const name of [...this.index.names]) {
      any = (await (await this.initialized(name)).signOut()) || any;
    }
    const reset = await this.updateIndex(resetIndex);
    return any || reset;
  }

  /** Follows another window's write as the shared ledger reports it (see windowLedger.ts). */
  async onLedgerRecord(key: string): Promise<void> {
    for (const [name, manager] of this.managers) {
      if (profileKey(name) === key) {
        await manager.onLedgerRecord();
      }
    }
  }

  /** Follows a change another window made to SecretStorage. */
  async onSecretChange(key: string): Promise<void> {
    if (key === PROFILES_KEY) {
      await this.reloadIndex();
      return;
    }
    for (const [name, manager] of this.managers) {
      if (profileKey(name) === key) {
        await manager.reload();
      }
    }
  }

  // What the adapters ask of "the account": the active profile's.

  state(): AccountState {
    return { ...this.active().state(), profile: { name: this.index.active, shown: this.index.names.length > 1 } };
  }

  status(): PublicStatus & { profile: string } {
    return { ...this.active().status(), profile: this.index.active };
  }

  getAccessToken(): Promise<string | undefined> {
    return this.active().getAccessToken();
  }

  getAuthorizationHeader(): Promise<string | undefined> {
    return this.active().getAuthorizationHeader();
  }

  dispose(): void {
    this.forwarding?.dispose();
    for (const manager of this.managers.values()) {
      manager.dispose();
    }
    this.changed.dispose();
  }

  private managerOf(name: string): TokenManager {
    let manager = this.managers.get(name);
    if (!manager) {
      manager = new TokenManager({ ...this.options, key: profileKey(name) });
      this.managers.set(name, manager);
    }
    return manager;
  }

  /** A manager that has read its store at least once. */
  private async initialized(name: string): Promise<TokenManager> {
    const known = this.managers.has(name);
    const manager = this.managerOf(name);
    if (!known) {
      await manager.initialize();
    }
    return manager;
  }

  /** Forwards the active manager's changes, and only its. */
  private async bindActive(): Promise<void> {
    const manager = await this.initialized(this.index.active);
    if (manager === this.bound) {
      return;
    }
    this.forwarding?.dispose();
    this.bound = manager;
    this.forwarding = manager.onDidChange((cause) => this.changed.fire(cause));
  }

  private async readIndex(): Promise<ProfileIndex> {
    try {
      return parseIndex(await this.options.store.get(PROFILES_KEY)) ?? defaultIndex();
    } catch {
      this.options.log.error('[profiles] VS Code could not read its secret storage; using the default profile');
      return defaultIndex();
    }
  }

  private async reloadIndex(): Promise<void> {
    const before = this.index;
    this.index = await this.readIndex();
    await this.announce(before);
  }

  /**
   * Read, change, write the index, starting from what is stored (another window may have
   * changed it). `change` returns undefined for "nothing to do". Resolves whether it wrote.
   */
  private updateIndex(change: (index: ProfileIndex) => ProfileIndex | undefined): Promise<boolean> {
    return this.indexWrites.queue(async () => {
      const before = this.index;
      const latest = await this.readIndex();
      const next = change(latest);
      if (next === undefined) {
        this.index = latest;
        await this.announce(before);
        return false;
      }
      try {
        await this.options.store.store(PROFILES_KEY, serializeIndex(next));
      } catch {
        throw new AuthError('storage', 'VS Code could not write its secret storage.');
      }
      this.index = next;
      await this.announce(before);
      return true;
    });
  }

  private async announce(before: ProfileIndex): Promise<void> {
    if (before.active !== this.index.active) {
      await this.bindActive();
      this.changed.fire('switch');
    } else if (before.names.join('\n') !== this.index.names.join('\n')) {
      this.changed.fire('profiles');
    }
  }
}
