/** The system clipboard for secrets: copy, then clear later (the rules are in core/clipboardClear.ts). */
import * as vscode from 'vscode';
import { type ClearPlan, ClipboardClearer, systemTimers } from '../../core/tools/clipboardClear';
import type { Logger } from '../../core/base/logger';
import { readSettings } from '../base/configuration';

export class SecretClipboard implements vscode.Disposable {
  private readonly clearer: ClipboardClearer;

  constructor(log: Logger) {
    this.clearer = new ClipboardClearer({
      clipboard: vscode.env.clipboard,
      timers: systemTimers,
      log,
      delayMs: () => readSettings().clipboardClearMs,
      // A browser window asks for permission to read the clipboard (see clipboardClear.ts).
      canCompare: vscode.env.uiKind !== vscode.UIKind.Web,
    });
  }

  /** Copies `secret` and schedules its clear. Resolves with what becomes of it, for the copy
   *  notification (core/tools/clipboardClear.ts words it). */
  async copy(secret: string): Promise<ClearPlan> {
    await vscode.env.clipboard.writeText(secret);
    return this.clearer.copied(secret);
  }

  /** Cancels a pending clear. Not a last-moment clear: a closing window may not get the time, and
   *  the setting's description says a clear dies with the window. */
  dispose(): void {
    this.clearer.dispose();
  }
}
