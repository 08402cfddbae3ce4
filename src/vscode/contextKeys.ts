/** Keeps the `pandadoc.credentialKind` context key current, for the palette's `when` clauses. */
import * as vscode from 'vscode';
import type { Profiles } from '../core/profiles/profiles';

export function trackCredentialKind(profiles: Profiles): vscode.Disposable {
  let last: string | undefined;
  const update = () => {
    const kind = profiles.status().kind;
    if (kind !== last) {
      last = kind;
      void vscode.commands.executeCommand('setContext', 'pandadoc.credentialKind', kind);
    }
  };
  update();
  return profiles.onDidChange(update);
}
