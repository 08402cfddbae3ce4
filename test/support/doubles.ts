/**
 * Test doubles of the core's own small interfaces (never of `vscode`): an in-memory secret
 * store, a clock the test moves, and a logger that keeps every line.
 */
import type { Clock } from '../../src/core/base/clock';
import type { Logger } from '../../src/core/base/logger';
import type { SecretStore } from '../../src/core/base/secretStore';

export class MemoryStore implements SecretStore {
  readonly values = new Map<string, string>();
  reads = 0;
  writes = 0;
  failReads = false;
  failWrites = false;

  /** Delays reads, returning the value as it was when the read began (a slow keyring). */
  readDelayMs = 0;

  async get(key: string): Promise<string | undefined> {
    if (this.failReads) {
      throw new Error('keyring locked');
    }
    this.reads++;
    const value = this.values.get(key);
    if (this.readDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.readDelayMs));
    }
    return value;
  }

  async store(key: string, value: string): Promise<void> {
    if (this.failWrites) {
      throw new Error('keyring locked');
    }
    this.writes++;
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    if (this.failWrites) {
      throw new Error('keyring locked');
    }
    this.writes++;
    this.values.delete(key);
  }
}

/** Holds every read until released, and records the keys asked for meanwhile. */
export class GatedStore extends MemoryStore {
  readonly asked: string[] = [];
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  override async get(key: string): Promise<string | undefined> {
    this.asked.push(key);
    await this.gate;
    return super.get(key);
  }
  release(): void {
    this.opened();
  }
}

/** Time stands still until a test moves it; `sleep` records the wait and moves time instead. */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2026, 10, 25, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export interface LogLine {
  level: keyof Logger;
  message: string;
}

export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];

  trace(message: string): void {
    this.lines.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  text(): string {
    return this.lines.map((line) => line.message).join('\n');
  }
}

/**
 * SecretStorage as VS Code for the Web and code-server keep it: one saved copy of every secret,
 * which each window loads once when it opens; a window's write saves its whole copy over the
 * saved one, and the other open windows never hear of it.
 */
export class PerWindowSecrets {
  readonly saved = new Map<string, string>();

  /** A window opening now: it sees what was saved up to this moment, and nothing after. */
  openWindow(): SecretStore {
    const view = new Map(this.saved);
    const save = () => {
      this.saved.clear();
      view.forEach((value, key) => this.saved.set(key, value));
    };
    return {
      get: async (key) => view.get(key),
      store: async (key, value) => {
        view.set(key, value);
        save();
      },
      delete: async (key) => {
        view.delete(key);
        save();
      },
    };
  }
}
