/**
 * The workspace of this window, as the grants (core/routes/workspaceGrants.ts) key it: the
 * workspace file when there is one, else the folders, so the same folder opened again, in any
 * window, is the same workspace, and a different folder never inherits a grant.
 */
import * as vscode from 'vscode';
import type { WorkspaceRef } from '../core/routes/workspaceGrants';

/** Undefined when the window has no folder open: there is nothing to grant to. */
export function currentWorkspace(): WorkspaceRef | undefined {
  const file = vscode.workspace.workspaceFile;
  const folders = vscode.workspace.workspaceFolders ?? [];
  // An untitled multi-root workspace's file is a temporary one: its folders identify it better.
  const id = file !== undefined && file.scheme !== 'untitled'
    ? file.toString()
    : folders.map((folder) => folder.uri.toString()).sort().join('\n');
  if (id === '') {
    return undefined;
  }
  return { id, name: vscode.workspace.name ?? folders[0]?.name ?? id };
}
