/**
 * The status bar item: time left on the token, coloured as expiry nears. It re-renders on every
 * change of state, on window focus (to catch up after sleep or a clock jump) and by one timer set
 * to the next moment its text can change, never on a per-second tick.
 */
import * as vscode from 'vscode';
import { formatLocalDateTime, statusView } from '../../core/view/statusView';
import type { Profiles } from '../../core/profiles/profiles';
import { affectsSettings, readSettings, statusBarEnabled } from '../base/configuration';
import { COMMAND } from '../base/commandIds';

const BACKGROUND = {
  normal: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
} as const;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pandadoc.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly profiles: Profiles) {
    this.item.name = 'PandaDoc Token';
    this.item.command = COMMAND.showActions;
    this.subscriptions = [
      profiles.onDidChange(() => this.render()),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.render()),
      vscode.workspace.onDidChangeConfiguration((event) => affectsSettings(event) && this.render()),
    ];
    this.render();
  }

  render(): void {
    clearTimeout(this.timer);
    if (!statusBarEnabled()) {
      this.item.hide();
      return;
    }
    const view = statusView(this.profiles.state(), {
      now: Date.now(),
      refreshMarginMs: readSettings().refreshMarginMs,
      formatDate: formatLocalDateTime,
    });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = BACKGROUND[view.severity];
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.show();
    this.timer = setTimeout(() => this.render(), view.nextUpdateInMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(this.item, ...this.subscriptions).dispose();
  }
}
