/**
 * Takes a copied token off the clipboard again after `pandadoc.clipboardClearSeconds`. A token
 * valid for a year left on the clipboard ends up in clipboard history, a chat or a screen share;
 * but whatever the user copied since is theirs, so the clipboard is cleared only while it still
 * holds exactly the token that was copied.
 *
 * That needs reading the clipboard, which a browser window (VS Code for the Web, code-server)
 * allows only with the user's permission: VS Code then shows an error toast out of nowhere, and
 * answers "" once it is closed, which looks like "changed". Overwriting unconditionally instead
 * would destroy what the user copied since, and a browser silently drops a clipboard write from a
 * window without focus, so not even "cleared" could be said truthfully. So there nothing is read
 * or cleared, and the copy message says so.
 */
import type { Logger } from '../base/logger';
import { TIME } from '../base/policy';
import { fingerprint } from '../base/redact';

/** The clipboard as VS Code's `env.clipboard` offers it. */
export interface Clipboard {
  readText(): PromiseLike<string>;
  writeText(value: string): PromiseLike<void>;
}

/** One-shot timers, injected so tests fire them instead of waiting. */
export interface Timers {
  /** Calls `callback` once after `ms`; the function returned cancels it. */
  start(ms: number, callback: () => unknown): () => void;
}

export const systemTimers: Timers = {
  start(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export interface ClipboardClearOptions {
  clipboard: Clipboard;
  timers: Timers;
  log: Logger;
  /** The delay in ms, read at every copy so a changed setting applies to the next one; 0 or less
   *  leaves the clipboard alone. */
  delayMs(): number;
  /** False where reading the clipboard needs the user's permission (a browser window): then
   *  nothing is read or cleared. */
  canCompare: boolean;
}

/** What becomes of a copied secret: cleared after `delayMs`, left by the setting (0), or left
 *  because this host cannot compare the clipboard without a permission prompt. */
export type ClearPlan = { kind: 'clear'; delayMs: number } | { kind: 'off' } | { kind: 'cannotCompare' };

/** How the copy notification says when the clipboard is cleared: "45 s", "1 min", "90 s". */
export function formatClearDelay(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / TIME.SECOND));
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** The sentence the copy notification ends with, saying what will happen to the clipboard. */
export function clearNotice(plan: ClearPlan): string {
  switch (plan.kind) {
    case 'clear':
      return ` It is cleared from the clipboard in ${formatClearDelay(plan.delayMs)}.`;
    case 'off':
      return '';
    case 'cannotCompare':
      return ' It stays on the clipboard: in a browser window VS Code cannot check the clipboard without asking for permission, so it does not clear it. Copy something else once you have pasted it.';
  }
}

/**
 * The notification after a copy: what was copied, `validity` (" Valid for 364d (...)." or
 * nothing), and what becomes of the clipboard.
 */
export function copiedMessage(subject: 'access token' | 'API key', validity: string, plan: ClearPlan): string {
  if (plan.kind === 'cannotCompare') {
    // A browser window shows a toast on one line and cuts it off after about 60 characters:
    // that the secret stays on the clipboard is what a person must not miss, so it comes first.
    return `PandaDoc ${subject} copied; it stays on the clipboard until you copy something else: in a browser window VS Code cannot check the clipboard without asking for permission, so it does not clear it.${validity}`;
  }
  return `PandaDoc ${subject} copied to the clipboard.${validity}${clearNotice(plan)}`;
}

/** Schedules at most one clear: a new copy replaces the pending one, dispose cancels it. */
export class ClipboardClearer {
  private cancelPending: (() => void) | undefined;
  /** Counts copies, so a clear that was already reading when a newer copy came does nothing. */
  private copies = 0;
  private disposed = false;

  constructor(private readonly options: ClipboardClearOptions) {}

  /**
   * Call right after `value` was written to the clipboard. Returns what becomes of it. When it is
   * to be cleared, the value is kept in memory until then, only to compare it with what the
   * clipboard holds.
   */
  copied(value: string): ClearPlan {
    this.cancel();
    const copy = ++this.copies;
    const delayMs = this.options.delayMs();
    if (this.disposed || !(delayMs > 0)) {
      return { kind: 'off' };
    }
    if (!this.options.canCompare) {
      this.options.log.info(
        `[clipboard] not cleared (${fingerprint(value)}): in a browser window the clipboard cannot be read without a permission prompt, so it is neither compared nor cleared`,
      );
      return { kind: 'cannotCompare' };
    }
    this.cancelPending = this.options.timers.start(delayMs, () => {
      this.cancelPending = undefined;
      return this.clearIfUnchanged(value, copy);
    });
    return { kind: 'clear', delayMs };
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private cancel(): void {
    this.cancelPending?.();
    this.cancelPending = undefined;
  }

  /** Never rejects: a clipboard that cannot be read is left as it is. */
  private async clearIfUnchanged(value: string, copy: number): Promise<void> {
    const { clipboard, log } = this.options;
    try {
      const current = await clipboard.readText();
      if (copy !== this.copies || this.disposed) {
        return;
      }
      if (current !== value) {
        // Never logged: what the user copied since is none of the log's business.
        log.info('[clipboard] left alone: it changed since the token was copied');
        return;
      }
      await clipboard.writeText('');
      log.info(`[clipboard] cleared the copied token (${fingerprint(value)})`);
    } catch {
      log.warn('[clipboard] could not read or clear the clipboard; the copied token may still be on it');
    }
  }
}
