/** Registering the commands that act on what is stored. */
import * as vscode from 'vscode';
import type { Profiles } from '../../core/profiles/profiles';

/**
 * Registers each handler under its command ID. A command can be what activates the extension:
 * it acts once the store has been read, never on the status snapshot alone.
 */
export function registerAfterRead(profiles: Profiles, handlers: Record<string, (...args: never[]) => unknown>): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      await profiles.whenRead();
      return handler(...args);
    }),
  );
}
