/**
 * What the windows of one VS Code tell each other about the stored credentials, beside
 * SecretStorage: which write is the latest (a stamp, never a secret) and whose turn it is to
 * refresh.
 *
 * Why it exists: VS Code for the Web and code-server keep SecretStorage per window. Each window
 * loads every secret once when it opens and saves all of them at each write, and no other window
 * hears of the change until it reloads. Two windows then cannot see each other's refreshes, and
 * with PandaDoc rotating refresh tokens, the one whose copy is old would take `invalid_grant` for
 * a dead grant and drop a refresh token that another window holds alive. Desktop VS Code shares
 * secrets between windows and announces changes, and the ledger then only confirms what the
 * store already shows.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PublicStatus } from './status';
import type { Disposable } from '../base/emitter';
import { AuthError } from '../base/errors';
import type { Logger } from '../base/logger';

/** Names one stored value without revealing it: 64 bits of its SHA-256, or `none`. */
export function stampOf(storedText: string | undefined): string {
  return storedText === undefined ? 'none' : createHash('sha256').update(storedText).digest('hex').slice(0, 16);
}

/** The latest write of one SecretStorage key, as any window made it. */
export interface LedgerEntry {
  /** `stampOf()` of the value written (`stampOf(undefined)` for a delete). */
  stamp: string;
  /** The status of what was written, so a window that cannot read it can still show it. */
  status: PublicStatus;
}

export interface WindowLedger {
  read(key: string): Promise<LedgerEntry | undefined>;
  record(key: string, entry: LedgerEntry): Promise<void>;
  /**
   * Runs `task` while no other window runs one for the same key, so two windows never present
   * the same refresh token at once. Waits at most `waitMs` for another window, then runs anyway
   * (a window that died holding the turn must not stop the others for long). When the turn
   * cannot be taken for any other reason, rejects with a `storage` error and never runs `task`.
   */
  exclusive<T>(key: string, waitMs: number, task: () => Promise<T>): Promise<T>;
  /** Another window (or this one) recorded a write of `key`. */
  onDidRecord(listener: (key: string) => void): Disposable;
}

// Nothing in the ledger is secret, but it says when you refresh and which profiles you have, and
// another user of the machine must not be able to write it: for this user only.
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;
/** How far in the future a lock's time may be and still count as made now: file systems that
 *  round times up (FAT: 2 s) and a clock corrected by a few seconds. */
const LOCK_CLOCK_SLACK_MS = 5_000;

/** A key's files are named by the key percent-encoded, readable, while that is at most this many
 *  bytes: with `.json`, or a temporary file's suffix, it stays under the 143 bytes an encrypted
 *  home folder (eCryptfs) allows a name, let alone the usual 255. A longer key (a profile name in
 *  CJK is 9 bytes a character) is named by its hash instead; shorter ones keep the names 0.2.0
 *  wrote, so its windows still share their turn with this version's. */
const MAX_READABLE_NAME = 100;
/** Hex digits of the SHA-256 that names a long key: 128 bits, so no two keys share a file. */
const HASHED_NAME_DIGITS = 32;
/** Starts every hashed name: encodeURIComponent always escapes `#`, so no readable name does. */
const HASHED_PREFIX = '#';
/** How long the lock is tried again after a failure other than "another window holds it": long
 *  enough for a passing one (a virus scanner holding the folder, file handles running out). */
const LOCK_FAILURE_RETRY_MS = 1_000;

/** What stampOf() writes. */
const STAMP = /^(none|[0-9a-f]{16})$/;
const KINDS: ReadonlySet<string> = new Set<PublicStatus['kind']>(['none', 'oauth', 'apiKey']);

/**
 * An entry as read from a file any program of this user can write: only the known fields, each
 * of the right type, copied into a new object; anything else is no entry. Other windows and the
 * status bar act on it, and other extensions see its status (getStatus()).
 */
export function ledgerEntryOf(value: unknown): LedgerEntry | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { stamp, status } = value as Record<string, unknown>;
  if (typeof stamp !== 'string' || !STAMP.test(stamp) || typeof status !== 'object' || status === null) {
    return undefined;
  }
  const { kind, expiresAt } = status as Record<string, unknown>;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    return undefined;
  }
  if (kind === 'oauth' && expiresAt !== undefined) {
    return typeof expiresAt === 'number' && Number.isFinite(expiresAt) ? { stamp, status: { kind, expiresAt } } : undefined;
  }
  // Only an OAuth token expires: statusOf never writes expiresAt for the others.
  return { stamp, status: { kind: kind as PublicStatus['kind'] } };
}

/** The name of a key's files, without the extension: the same in every window. */
function fileNameOf(key: string): string {
  let readable: string | undefined;
  try {
    readable = encodeURIComponent(key);
  } catch {
    // A lone surrogate has no percent-encoding: hashed below, as a long key is.
  }
  if (readable !== undefined && readable.length <= MAX_READABLE_NAME) {
    return readable;
  }
  // UTF-16 code units: every string has them, a lone surrogate too, so two keys never hash alike.
  return HASHED_PREFIX + createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex').slice(0, HASHED_NAME_DIGITS);
}

const errorCodeOf = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';

export interface FileWindowLedgerOptions {
  /** How often a window waiting for the refresh turn looks again. */
  pollMs?: number;
  /** Hears why a turn was not taken as it should be (no secret is ever in the ledger). */
  log?: Logger;
}

/** Files of the ledger inside a folder every window of this VS Code shares (the extension's
 *  global storage): `<key>.json` holds the entry, `<key>.lock` exists while a window refreshes
 *  (`<key>` as fileNameOf() writes it). */
export class FileWindowLedger implements WindowLedger, Disposable {
  private watcher: fs.FSWatcher | undefined;
  private readonly listeners = new Set<(key: string) => void>();
  /** The keys behind the hashed file names this window has used: a hash cannot be read back,
   *  and a window only follows keys it has asked about (each account reads the ledger as it
   *  loads). */
  private readonly hashedKeys = new Map<string, string>();
  private readonly pollMs: number;
  private readonly log: Logger | undefined;

  constructor(private readonly dir: string, { pollMs = 25, log }: FileWindowLedgerOptions = {}) {
    this.pollMs = pollMs;
    this.log = log;
  }

  async read(key: string): Promise<LedgerEntry | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.promises.readFile(this.file(key, '.json'), 'utf8'));
    } catch {
      return undefined;
    }
    return ledgerEntryOf(parsed);
  }

  async record(key: string, entry: LedgerEntry): Promise<void> {
    // Written aside and renamed into place, so a reader never sees half an entry.
    const temporary = `${this.file(key, '.json')}.${process.pid}.${Date.now()}`;
    await this.inFolder(() => fs.promises.writeFile(temporary, JSON.stringify(entry), { mode: FILE_MODE }));
    await fs.promises.rename(temporary, this.file(key, '.json'));
  }

  async exclusive<T>(key: string, waitMs: number, task: () => Promise<T>): Promise<T> {
    const lock = this.file(key, '.lock');
    const deadline = Date.now() + waitMs;
    let failingSince: number | undefined;
    // mkdir either creates the folder or fails: one window wins, whatever the timing.
    for (;;) {
      try {
        await this.inFolder(() => fs.promises.mkdir(lock, { mode: FOLDER_MODE }));
        break;
      } catch (error) {
        const code = errorCodeOf(error);
        if (code !== 'EEXIST') {
          // Not another window's turn but a failure: going on without the turn could present the
          // refresh token twice, and PandaDoc rotates it, so the refresh stops here instead.
          failingSince ??= Date.now();
          if (Date.now() - failingSince >= LOCK_FAILURE_RETRY_MS || Date.now() >= deadline) {
            this.log?.warn(`[windows] could not take the refresh turn (${code}), so the refresh token was not sent`);
            throw new AuthError('storage', `VS Code could not take the refresh turn its windows share (${code}).`, { detail: code });
          }
        } else if (Date.now() >= deadline) {
          this.log?.warn(`[windows] another window kept the refresh turn longer than ${waitMs / 1000} s; refreshing without it`);
          return task();
        } else if (await this.olderThan(lock, waitMs)) {
          // Left by a window that closed or crashed while refreshing.
          await fs.promises.rm(lock, { recursive: true, force: true });
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      }
    }
    try {
      return await task();
    } finally {
      await fs.promises.rm(lock, { recursive: true, force: true });
    }
  }

  /**
   * Runs a file operation in the ledger's folder, creating the folder only when it is missing:
   * on the refresh path, where a mkdir before every operation would cost a system call each, and
   * the ledger still heals if the folder is removed.
   */
  private async inFolder<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      await fs.promises.mkdir(this.dir, { recursive: true, mode: FOLDER_MODE });
      return operation();
    }
  }

  /**
   * Whether the lock is stale: older than `ms`, or dated later than now. A window of this machine
   * makes its lock now, so a future time (a clock set back, a copied folder, a touched file) is
   * no refresh in progress; taken as it is, that lock would look young until its date came, and
   * make every refresh wait the whole limit.
   */
  private async olderThan(file: string, ms: number): Promise<boolean> {
    try {
      const age = Date.now() - (await fs.promises.stat(file)).mtimeMs;
      return age > ms || age < -LOCK_CLOCK_SLACK_MS;
    } catch {
      return false;
    }
  }

  onDidRecord(listener: (key: string) => void): Disposable {
    this.listeners.add(listener);
    this.watch();
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.listeners.clear();
  }

  private watch(): void {
    if (this.watcher) {
      return;
    }
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: FOLDER_MODE });
      this.watcher = fs.watch(this.dir, { persistent: false }, (_event, name) => {
        const key = this.keyOfFile(name?.toString());
        if (key !== undefined) {
          this.listeners.forEach((listener) => listener(key));
        }
      });
      // A watcher that fails later (folder removed) leaves the pull path: reads at each refresh.
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No watching here: windows still agree at every refresh, through read() and exclusive().
    }
  }

  private file(key: string, extension: string): string {
    const name = fileNameOf(key);
    if (name.startsWith(HASHED_PREFIX)) {
      this.hashedKeys.set(name, key);
    }
    return path.join(this.dir, `${name}${extension}`);
  }

  /** The key a ledger file name stands for, or undefined for any other file (a lock, a temporary
   *  file, a hashed name of a key this window never asked about, a name this ledger did not
   *  write, which need not even be valid percent-encoding). */
  private keyOfFile(file: string | undefined): string | undefined {
    if (!file?.endsWith('.json')) {
      return undefined;
    }
    const name = file.slice(0, -'.json'.length);
    if (name.startsWith(HASHED_PREFIX)) {
      return this.hashedKeys.get(name);
    }
    try {
      return decodeURIComponent(name);
    } catch {
      return undefined;
    }
  }
}
