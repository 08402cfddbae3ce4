/**
 * The status bar item's menu: the PandaDoc actions that can act on what is stored, the same the
 * palette offers (core/view/actions.ts decides both).
 */
import * as vscode from 'vscode';
import type { Profiles } from '../../core/profiles/profiles';
import { menuActions, type MenuAction } from '../../core/view/actions';
import { registerAfterRead } from '../base/afterRead';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { actionContext } from './contextKeys';

/** The menu's icons: the manifest's, where a command has one. */
const MENU_ICONS: Record<MenuAction, string> = {
  refreshToken: 'refresh',
  copyAccessToken: 'copy',
  showAccount: 'account',
  signIn: 'sign-in',
  switchProfile: 'arrow-swap',
  renameProfile: 'edit',
  deleteProfile: 'trash',
  changeRegion: 'globe',
  setCredentials: 'key',
  setApiKey: 'key',
  importPostmanEnvironment: 'file-add',
  showLog: 'output',
  signOut: 'sign-out',
};

/** `pandadoc.showActions`, the status bar item's command. */
export function registerActionsMenu(profiles: Profiles): vscode.Disposable[] {
  return registerAfterRead(profiles, { [COMMAND.showActions]: () => showActionsMenu(profiles) });
}

/** The status bar's menu: the actions that make sense for what is stored, the same the
 *  palette offers (core/view/actions.ts). */
async function showActionsMenu(profiles: Profiles): Promise<void> {
  const kind = profiles.activeManager().status().kind;
  const items = menuActions(actionContext(profiles)).map((action) => ({
    label: `$(${MENU_ICONS[action]}) ${action === 'copyAccessToken' && kind === 'apiKey' ? 'Copy API Key' : COMMAND_TITLE[action]}`,
    command: COMMAND[action],
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `PandaDoc (profile ${profiles.activeName()})`,
    placeHolder: 'Choose an action',
  });
  if (picked) {
    await vscode.commands.executeCommand(picked.command);
  }
}
