/**
 * One TokenManager per profile, made the first time the profile is asked for and kept for the
 * window's life, and which of them is followed: only the active profile's changes reach the
 * status bar and the API. Each manager is bound to its own profile's key, so a refresh that
 * started before a switch still stores into the profile it started in.
 */
import { profileKey } from '../token/credentials';
import type { Disposable } from '../base/emitter';
import type { Settings } from '../base/settings';
import type { RegionStore } from './regionStore';
import type { ChangeCause } from '../token/status';
import { TokenManager, type TokenManagerOptions } from '../token/tokenManager';

/** What every profile's manager shares: all of a TokenManager's options but its key. */
export type ManagerOptions = Omit<TokenManagerOptions, 'key'>;

export class ProfileManagers implements Disposable {
  private readonly managers = new Map<string, TokenManager>();
  private readonly firstReads = new WeakMap<TokenManager, Promise<void>>();
  private followed: TokenManager | undefined;
  private forwarding: Disposable | undefined;

  constructor(
    private readonly options: ManagerOptions,
    /** Hears the followed manager's changes. */
    private readonly onFollowedChange: (cause: ChangeCause) => void,
    private readonly regions: RegionStore,
  ) {}

  /** The profile's manager, made now if need be, without waiting for it to read its store: for
   *  the synchronous questions about the active profile, whose manager was loaded on switching. */
  get(name: string): TokenManager {
    let manager = this.managers.get(name);
    if (!manager) {
      manager = new TokenManager({ ...this.options, settings: this.regionSettings(name), key: profileKey(name) });
      this.managers.set(name, manager);
    }
    return manager;
  }

  /** The profile's manager, once it has read its store at least once. A second caller while
   *  the first read is under way waits for that read too. */
  async loaded(name: string): Promise<TokenManager> {
    const manager = this.get(name);
    let read = this.firstReads.get(manager);
    if (!read) {
      read = manager.initialize();
      this.firstReads.set(manager, read);
    }
    await read;
    return manager;
  }

  /** Loads the profile's manager and forwards its changes, and from now on only its. */
  async follow(name: string): Promise<void> {
    const manager = await this.loaded(name);
    if (manager === this.followed) {
      return;
    }
    this.forwarding?.dispose();
    this.followed = manager;
    this.forwarding = manager.onDidChange((cause) => this.onFollowedChange(cause));
  }

  /** The managers (made so far) that look after the SecretStorage key `key`. */
  *withKey(key: string): Generator<TokenManager> {
    for (const [name, manager] of this.managers) {
      if (profileKey(name) === key) {
        yield manager;
      }
    }
  }

  /**
   * The profile's settings: the shared ones with its region's URLs. getAccessToken() reads them
   * on every call, so they are made again only when the settings or the region changed (both are
   * kept in memory); a profile with no region gets the shared object itself.
   */
  private regionSettings(name: string): () => Settings {
    let base: Settings | undefined;
    let region: unknown;
    let table: unknown;
    let made: Settings | undefined;
    return () => {
      const settings = this.options.settings();
      const current = this.regions.get(name);
      if (made === undefined || settings !== base || current !== region || this.regions.regionTable() !== table) {
        base = settings;
        region = current;
        table = this.regions.regionTable();
        made = this.regions.settingsFor(name, settings);
      }
      return made;
    };
  }

  dispose(): void {
    this.forwarding?.dispose();
    for (const manager of this.managers.values()) {
      manager.dispose();
    }
  }
}
