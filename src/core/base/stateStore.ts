/**
 * Where the core keeps values that are not secret and must stay out of any workspace's reach:
 * `vscode.Memento` (the extension's global state) fits. Used by the profiles' regions and the
 * workspace grants.
 */
import type { Clock } from './clock';
import { type Disposable, Emitter, type Event } from './emitter';
import { AuthError } from './errors';
import { type NameRecord, nameRecord } from './nameRecord';

export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A state store that lives as long as the object: for tests and a core used without VS Code. */
export function memoryState(): StateStore {
  const values = new Map<string, unknown>();
  return {
    get: (key) => values.get(key),
    update: (key, value) => {
      if (value === undefined) {
        values.delete(key);
      } else {
        values.set(key, value);
      }
      return Promise.resolve();
    },
  };
}

/**
 * `update`, then read back: tried again when what is read is not what was written. VS Code's
 * global state replaces its whole value when the workbench echoes an earlier write, so a write
 * made within that round trip can be lost (read in VS Code 1.139's extension host: the memento's
 * storage listener; seen here as a revoked workspace grant that was back a moment later). A
 * grant taken back must stay taken back, so the store checks.
 */
export async function updateConfirmed(state: StateStore, key: string, value: unknown, attempts = 3): Promise<void> {
  const wanted = JSON.stringify(value);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await state.update(key, value);
    if (JSON.stringify(state.get(key)) === wanted) {
      return;
    }
  }
  throw new Error(`the global state did not keep ${key}`);
}

/**
 * One write at a time, each read back (updateConfirmed) before the next is sent; until then, `get`
 * answers the value written. Why: VS Code's extension-host memento sends its whole value with each
 * write, and replaces its whole value with each echo of a write from the workbench. A write made
 * while an earlier write's echo is on its way is undone by that echo, and the next write of any
 * key then stores the loss for good (read in VS Code 1.139's extension host; seen here as a Turn
 * On of the chat's tools that was gone after two profile switches, once the status snapshot was
 * written at every change). With one write in flight, no echo is on its way when a write is
 * sent. Every writer of the extension's global state goes through the same one.
 */
export class SerialState implements StateStore {
  /** The latest value this window wrote for each key whose write has not landed yet. */
  private readonly pending = new Map<string, { value: unknown }>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly state: StateStore) {}

  get(key: string): unknown {
    const pending = this.pending.get(key);
    return pending === undefined ? this.state.get(key) : pending.value;
  }

  /** Resolves once every write made so far has landed or failed: before a window closes. */
  settled(): Promise<void> {
    return this.tail;
  }

  update(key: string, value: unknown): Promise<void> {
    const entry = { value };
    this.pending.set(key, entry);
    const written = this.tail.then(async () => {
      try {
        await updateConfirmed(this.state, key, value);
      } finally {
        if (this.pending.get(key) === entry) {
          this.pending.delete(key);
        }
      }
    });
    // A failed write fails its caller, not the writes queued after it.
    this.tail = written.catch(() => undefined);
    return written;
  }
}

/**
 * A record kept whole under one key of a state store (the profiles' regions, the workspace
 * grants): parsed again only when the stored value changed, another window's write included, so
 * reading is cheap; written back whole and read back (updateConfirmed), an empty record as
 * nothing at all.
 */
export class StoredRecord<T> implements Disposable {
  private lastRaw: unknown;
  private lastRead: NameRecord<T> = nameRecord();
  private readonly written = new Emitter<void>();
  /** Fires after this window's write is stored (another window's is read on next use). */
  readonly onDidWrite = this.written.event;

  /** `parse` reads leniently: what it cannot read it leaves out. Its keys are names someone
   *  chose, so it returns a NameRecord (readNameRecord), where `__proto__` is a key like any. */
  constructor(
    private readonly state: StateStore,
    private readonly key: string,
    private readonly parse: (raw: unknown) => NameRecord<T>,
  ) {}

  read(): NameRecord<T> {
    const raw = this.state.get(this.key);
    if (raw !== this.lastRaw) {
      this.lastRaw = raw;
      this.lastRead = this.parse(raw);
    }
    return this.lastRead;
  }

  /** Stores `change` of what is read now; a storage failure becomes `failure`, for the user. */
  async write(change: (record: NameRecord<T>) => NameRecord<T>, failure: string): Promise<void> {
    const next = change(this.read());
    try {
      await updateConfirmed(this.state, this.key, Object.keys(next).length === 0 ? undefined : next);
    } catch {
      throw new AuthError('storage', failure);
    }
    this.written.fire();
  }

  dispose(): void {
    this.written.dispose();
  }
}

/**
 * What keeps one StoredRecord of names and stamps its entries with the clock's time (the workspace
 * grants, the chat's choices): its change event is the record's write.
 */
export abstract class RecordKeeper<T> implements Disposable {
  /** Fires when this window writes (another window's change is read on next use). */
  readonly onDidChange: Event<void>;
  protected readonly stored: StoredRecord<T>;

  constructor(
    state: StateStore,
    key: string,
    parse: (raw: unknown) => NameRecord<T>,
    protected readonly clock: Pick<Clock, 'now'>,
  ) {
    this.stored = new StoredRecord(state, key, parse);
    this.onDidChange = this.stored.onDidWrite;
  }

  dispose(): void {
    this.stored.dispose();
  }
}
