/**
 * The stored value of one account: its one SecretStorage key, this window's cache of it, the
 * single path that writes it, and what the windows of one VS Code tell each other about it
 * through the window ledger. What a token is good for is not its business (tokenManager.ts).
 */
import type { Logger } from '../base/logger';
import { type Disposable, Emitter } from '../base/emitter';
import { AuthError, describeError } from '../base/errors';
import type { Redactor } from '../base/redact';
import type { SecretStore } from '../base/secretStore';
import { Sequencer } from '../base/sequencer';
import { type Credentials, parseCredentials, secretsOf, serializeCredentials, type StoredState } from './credentials';
import { type ChangeCause, statusOf } from './status';
import { type LedgerEntry, stampOf, type WindowLedger } from './windowLedger';

export interface StoredAccountOptions {
  store: SecretStore;
  /** The SecretStorage key of the one account (`profileKey(name)`). */
  key: string;
  /** Shared with the other windows; without it, this window trusts its store alone. */
  ledger?: WindowLedger;
  log: Logger;
  redactor: Redactor;
}

/** A change of what this window holds; `written` when this window wrote it. */
export interface StoredChange {
  cause: ChangeCause;
  written: boolean;
}

/** Enough for the writes whose ledger news can still be on its way back to this window. */
const OWN_STAMPS_KEPT = 16;

export class StoredAccount implements Disposable {
  private readonly changed = new Emitter<StoredChange>();
  /** Fires after every read that replaced the cache and after every write. */
  readonly onDidChange = this.changed.event;

  private cached: StoredState | undefined;
  private loading: Promise<{ state: StoredState; stamp: string }> | undefined;
  /** Counts writes, so a read that started before one is not taken as newer. */
  private writeCount = 0;
  /** Read-compare-write sequences of this window, one at a time. */
  private readonly writes = new Sequencer();
  /** `stampOf` the value this window last read or wrote. */
  private viewStamp: string | undefined;
  /** The ledger's stamp when this window first read the store: a write the store did not hold
   *  even then is lost (overwritten), not waiting behind a reload. */
  private stampAtLoad: string | undefined;
  /** Another window's write that this window's store cannot show: while set, this window is
   *  behind, and what is stored is described by this entry, not by the cache. */
  private newerWrite: LedgerEntry | undefined;
  /** Stamps of this window's own latest writes: the ledger reports those back too. */
  private readonly ownStamps: string[] = [];

  constructor(private readonly options: StoredAccountOptions) {}

  /** Reads what is stored. Never throws and never touches the network: safe for activation. */
  async initialize(): Promise<void> {
    const [entry] = await Promise.all([this.options.ledger?.read(this.options.key), this.reload('load')]);
    this.stampAtLoad = entry?.stamp;
  }

  /**
   * Another window recorded a write of this account. Re-read the store (where secrets are shared,
   * it holds the write); if it still does not, this window is behind until it reloads.
   */
  async onLedgerRecord(): Promise<void> {
    const entry = await this.options.ledger?.read(this.options.key);
    if (entry === undefined || entry.stamp === this.viewStamp || this.ownStamps.includes(entry.stamp)) {
      return;
    }
    await this.reload();
    const newer = this.isNewerElsewhere(entry) ? entry : undefined;
    if (newer?.stamp !== this.newerWrite?.stamp) {
      this.newerWrite = newer;
      this.fire('external');
    }
  }

  /** Re-reads the store, e.g. after another window changed it. Never throws. */
  async reload(cause: ChangeCause = 'external'): Promise<void> {
    const writesBefore = this.writeCount;
    let state: StoredState;
    let stamp: string | undefined;
    try {
      ({ state, stamp } = await this.readStore());
    } catch (error) {
      this.options.log.error(`[storage] ${describeError(error)}`);
      state = { ok: false, reason: 'secret storage could not be read' };
    }
    // A write of ours that finished while this read was pending is newer than what it read.
    if (this.writeCount === writesBefore) {
      this.remember(state, stamp);
    }
    this.fire(cause);
  }

  /** `stampOf()` of the value this window last read or wrote: it changes exactly when the stored
   *  value does, so a re-read of an unchanged value (SecretStorage's echo of our own write) can
   *  be told from a change. A digest prefix, kept in memory; never a secret. */
  stamp(): string | undefined {
    return this.viewStamp;
  }

  /** What the last read or write left; undefined when nothing is stored or it is unreadable. */
  cachedCredentials(): Credentials | undefined {
    return this.cached?.ok ? this.cached.credentials : undefined;
  }

  /** Something is stored that cannot be read; storing new credentials replaces it. */
  unreadable(): boolean {
    return this.cached?.ok === false;
  }

  /** Another window's newer write, while this window cannot read it. */
  behind(): LedgerEntry | undefined {
    return this.newerWrite;
  }

  /** The cached credentials, read first if nothing was read yet. Throws when unreadable. */
  async current(): Promise<Credentials | undefined> {
    if (!this.cached) {
      this.loading ??= this.readStore().finally(() => {
        this.loading = undefined;
      });
      const { state, stamp } = await this.loading;
      this.remember(state, stamp);
    }
    return this.usable(this.cached as StoredState);
  }

  /** What the store holds now, read again: another window may have written a moment ago. */
  async readLatest(): Promise<Credentials | undefined> {
    const { state, stamp } = await this.readStore();
    this.remember(state, stamp);
    return state.ok ? state.credentials : undefined;
  }

  /**
   * What the store holds now, without a second round trip to SecretStorage when the ledger shows
   * that no window has written since this one last read or wrote (in a web host one SecretStorage
   * read costs more than a loopback request). Every write records its stamp in the ledger, so an
   * unchanged stamp is an unchanged value; without a ledger, the store is read again.
   */
  async latestUnlessUnchanged(): Promise<Credentials | undefined> {
    if (this.options.ledger && this.cached?.ok && this.viewStamp !== undefined) {
      const entry = await this.options.ledger.read(this.options.key);
      if (entry?.stamp === this.viewStamp) {
        return this.cached.credentials;
      }
    }
    return this.readLatest();
  }

  /** The state of the store, read again; undefined when it cannot be read at all. */
  async readState(): Promise<StoredState | undefined> {
    return this.readStore().then(({ state }) => state, () => undefined);
  }

  /** Runs read-compare-write sequences of this window one at a time. */
  serialized<T>(task: () => Promise<T>): Promise<T> {
    return this.writes.queue(task);
  }

  /**
   * Runs `task` while no other window runs one for this account, waiting at most `waitMs` for
   * it (see WindowLedger.exclusive): one window at a time presents the refresh token.
   */
  turn<T>(waitMs: number, task: () => Promise<T>): Promise<T> {
    return this.options.ledger ? this.options.ledger.exclusive(this.options.key, waitMs, task) : task();
  }

  /**
   * After PandaDoc refused what this window holds: the other window's write that explains it,
   * when this window's store cannot show it and a reload would. The window is then behind.
   */
  async markBehindIfNewerElsewhere(): Promise<boolean> {
    const entry = await this.options.ledger?.read(this.options.key);
    if (entry === undefined || !this.isNewerElsewhere(entry)) {
      return false;
    }
    this.newerWrite = entry;
    this.fire('external');
    return true;
  }

  /** The only place that changes what is stored: one secret value, written in one call. */
  async write(credentials: Credentials | undefined, cause: ChangeCause): Promise<void> {
    this.options.redactor.remember(secretsOf(credentials));
    const text = credentials === undefined ? undefined : serializeCredentials(credentials);
    try {
      if (text === undefined) {
        await this.options.store.delete(this.options.key);
      } else {
        await this.options.store.store(this.options.key, text);
      }
    } catch {
      throw new AuthError('storage', 'VS Code could not write its secret storage.');
    }
    this.writeCount++;
    this.cached = { ok: true, credentials };
    this.viewStamp = stampOf(text);
    this.ownStamps.push(this.viewStamp);
    this.ownStamps.splice(0, this.ownStamps.length - OWN_STAMPS_KEPT);
    this.newerWrite = undefined;
    // Announced before the ledger is written: SecretStorage's own change event for this write
    // may arrive meanwhile, and must find the state it reports already announced.
    this.changed.fire({ cause, written: true });
    await this.options.ledger?.record(this.options.key, { stamp: this.viewStamp, status: statusOf(credentials) }).catch((error: unknown) => {
      // The other windows then learn of it at their next refresh instead.
      this.options.log.warn(`[storage] could not tell other windows of the write: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
  }

  /** Announces a change this window did not write (a reload, or newer credentials adopted). */
  fire(cause: ChangeCause): void {
    this.changed.fire({ cause, written: false });
  }

  dispose(): void {
    this.changed.dispose();
  }

  private usable(state: StoredState): Credentials | undefined {
    if (!state.ok) {
      throw new AuthError('storage', `The stored credentials cannot be read (${state.reason}); set them again.`);
    }
    return state.credentials;
  }

  private remember(state: StoredState, stamp: string | undefined): void {
    this.cached = state;
    this.viewStamp = stamp;
    if (stamp !== undefined && this.newerWrite?.stamp === stamp) {
      this.newerWrite = undefined;
    }
  }

  private async readStore(): Promise<{ state: StoredState; stamp: string }> {
    let text: string | undefined;
    try {
      text = await this.options.store.get(this.options.key);
    } catch {
      throw new AuthError('storage', 'VS Code could not read its secret storage.');
    }
    const state = parseCredentials(text);
    if (state.ok) {
      this.options.redactor.remember(secretsOf(state.credentials));
    } else {
      this.options.log.error(`[storage] the stored credentials cannot be read (${state.reason}); set them again`);
    }
    return { state, stamp: stampOf(text) };
  }

  /** A write this window's store does not show, made after the window loaded (one made before
   *  was lost, and a reload would not bring it). */
  private isNewerElsewhere(entry: LedgerEntry): boolean {
    return entry.stamp !== this.viewStamp && entry.stamp !== this.stampAtLoad;
  }
}
