/** Keeps the context keys of the palette's `when` clauses current (see core/view/actions.ts). */
import * as vscode from 'vscode';
import type { Profiles } from '../../core/profiles/profiles';
import { type ActionContext, contextKeys } from '../../core/view/actions';

/** What decides which commands can act, for the palette and the status bar menu alike. */
export function actionContext(profiles: Profiles): ActionContext {
  return { state: profiles.state(), active: profiles.activeName(), profileCount: profiles.names().length };
}

export function trackCredentialKind(profiles: Profiles): vscode.Disposable {
  const last = new Map<string, unknown>();
  const update = () => {
    for (const [key, value] of Object.entries(contextKeys(actionContext(profiles)))) {
      if (last.get(key) !== value) {
        last.set(key, value);
        void vscode.commands.executeCommand('setContext', key, value);
      }
    }
  };
  update();
  return profiles.onDidChange(update);
}
