/**
 * The workspace of this window, as the grants (core/routes/workspaceGrants.ts) key it and the
 * dialogs show it: workspaceRef decides, from what VS Code says here.
 */
import * as vscode from 'vscode';
import { workspaceRef, type WorkspaceRef } from '../../core/routes/workspaceGrants';

/** Where a URI is, for a person: the file system path of a local one, else the URI's path. */
function pathOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}

/** Undefined when the window has no folder open: there is nothing to grant to. */
export function currentWorkspace(): WorkspaceRef | undefined {
  const file = vscode.workspace.workspaceFile;
  const folders = vscode.workspace.workspaceFolders ?? [];
  return workspaceRef({
    // An untitled multi-root workspace's file is a temporary one: its folders identify it better.
    file: file !== undefined && file.scheme !== 'untitled' ? { uri: file.toString(), path: pathOf(file) } : undefined,
    folders: folders.map((folder) => ({ uri: folder.uri.toString(), path: pathOf(folder.uri), name: folder.name })),
    name: vscode.workspace.name,
  });
}
