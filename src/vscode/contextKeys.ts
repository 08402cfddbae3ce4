/** Keeps the `pandadoc.credentialKind` context key current, for the palette's `when` clauses. */
import * as vscode from 'vscode';
import type { TokenManager } from '../core/tokenManager';

export function trackCredentialKind(manager: TokenManager): vscode.Disposable {
  let last: string | undefined;
  const update = () => {
    const kind = manager.status().kind;
    if (kind !== last) {
      last = kind;
      void vscode.commands.executeCommand('setContext', 'pandadoc.credentialKind', kind);
    }
  };
  update();
  return manager.onDidChange(update);
}
