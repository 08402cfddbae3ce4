/** The system clipboard for secrets: copy, then clear later (the rules are in core/clipboardClear.ts). */
import * as vscode from 'vscode';
import { ClipboardClearer, formatClearDelay, systemTimers } from '../core/tools/clipboardClear';
import type { Logger } from '../core/base/logger';
import { readSettings } from './configuration';

export class SecretClipboard implements vscode.Disposable {
  private readonly clearer: ClipboardClearer;

  constructor(log: Logger) {
    this.clearer = new ClipboardClearer({
      clipboard: vscode.env.clipboard,
      timers: systemTimers,
      log,
      delayMs: () => readSettings().clipboardClearMs,
    });
  }

  /** Copies `secret` and schedules its clear. Resolves with the sentence the copy notification
   *  ends with (" It is cleared from the clipboard in 1 min."), or nothing when it is not. */
  async copy(secret: string): Promise<string> {
    await vscode.env.clipboard.writeText(secret);
    const delayMs = this.clearer.copied(secret);
    return delayMs > 0 ? ` It is cleared from the clipboard in ${formatClearDelay(delayMs)}.` : '';
  }

  /** Cancels a pending clear. Not a last-moment clear: a closing window may not get the time, and
   *  the setting's description says a clear dies with the window. */
  dispose(): void {
    this.clearer.dispose();
  }
}
