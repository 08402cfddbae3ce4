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
   * the same refresh token at once. Waits at most `waitMs`, then runs anyway (a window that died
   * holding the turn must not stop the others for long).
   */
  exclusive<T>(key: string, waitMs: number, task: () => Promise<T>): Promise<T>;
  /** Another window (or this one) recorded a write of `key`. */
  onDidRecord(listener: (key: string) => void): Disposable;
}

/** Files of the ledger inside a folder every window of this VS Code shares (the extension's
 *  global storage): `<key>.json` holds the entry, `<key>.lock` exists while a window refreshes. */
export class FileWindowLedger implements WindowLedger, Disposable {
  private watcher: fs.FSWatcher | undefined;
  private readonly listeners = new Set<(key: string) => void>();

  constructor(private readonly dir: string, private readonly pollMs = 25) {}

  async read(key: string): Promise<LedgerEntry | undefined> {
    try {
      const parsed = JSON.parse(await fs.promises.readFile(this.file(key, '.json'), 'utf8')) as Partial<LedgerEntry>;
      return typeof parsed.stamp === 'string' && typeof parsed.status === 'object' ? (parsed as LedgerEntry) : undefined;
    } catch {
      return undefined;
    }
  }

  async record(key: string, entry: LedgerEntry): Promise<void> {
    // Written aside and renamed into place, so a reader never sees half an entry.
    const temporary = `${this.file(key, '.json')}.${process.pid}.${Date.now()}`;
    await this.inFolder(() => fs.promises.writeFile(temporary, JSON.stringify(entry)));
    await fs.promises.rename(temporary, this.file(key, '.json'));
  }

  async exclusive<T>(key: string, waitMs: number, task: () => Promise<T>): Promise<T> {
    const lock = this.file(key, '.lock');
    const deadline = Date.now() + waitMs;
    let held = false;
    // mkdir either creates the folder or fails: one window wins, whatever the timing.
    while (!held) {
      try {
        await this.inFolder(() => fs.promises.mkdir(lock));
        held = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() >= deadline) {
          break;
        }
        if (await this.olderThan(lock, waitMs)) {
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
      if (held) {
        await fs.promises.rm(lock, { recursive: true, force: true });
      }
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
      await fs.promises.mkdir(this.dir, { recursive: true });
      return operation();
    }
  }

  private async olderThan(file: string, ms: number): Promise<boolean> {
    try {
      return Date.now() - (await fs.promises.stat(file)).mtimeMs > ms;
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
      fs.mkdirSync(this.dir, { recursive: true });
      this.watcher = fs.watch(this.dir, { persistent: false }, (_event, name) => {
        const file = name?.toString();
        if (file?.endsWith('.json')) {
          const key = decodeURIComponent(file.slice(0, -'.json'.length));
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
    return path.join(this.dir, `${encodeURIComponent(key)}${extension}`);
  }
}
