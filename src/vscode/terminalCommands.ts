/**
 * Turning the terminal route on and off for the current workspace. Two commands rather than one
 * toggle: the palette shows only the one that applies (context key pandadoc.terminalCredentials),
 * and each title says what it will do, where a toggle's could not. The choice is kept in the
 * workspace grants (global state), never in a setting a repository could write.
 */
import * as vscode from 'vscode';
import type { WorkspaceGrants, WorkspaceRef } from '../core/routes/workspaceGrants';
import { COMMAND, COMMAND_TITLE } from './commandIds';
import { askModal } from './modal';
import { showChoice, showFailure, showInfo } from './notifications';
import type { TerminalRoute } from './terminalCredentials';
import { currentWorkspace } from './workspaceIdentity';


const TURN_ON = 'Turn On';
const OPEN_FOLDER = 'Open Folder...';
const MANAGE_TRUST = 'Manage Workspace Trust';
const NAMES = 'PANDADOC_AUTHORIZATION, PANDADOC_ACCESS_TOKEN (OAuth) and PANDADOC_API_BASE_URL';


export class TerminalCommands {
  constructor(
    private readonly grants: WorkspaceGrants,
    private readonly route: TerminalRoute,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(COMMAND.turnOnTerminalCredentials, () => this.turnOn()),
      vscode.commands.registerCommand(COMMAND.turnOffTerminalCredentials, () => this.turnOff()),
    ];
  }

  /** Resolves true when new terminals of this workspace are to get the credentials. */
  async turnOn(): Promise<boolean> {
    const workspace = currentWorkspace();
    if (workspace === undefined) {
      void showChoice('info', 'PandaDoc credentials in terminals are turned on for one workspace at a time: open a folder or a workspace first.', OPEN_FOLDER).then(
        (choice) => choice === OPEN_FOLDER && void vscode.commands.executeCommand('workbench.action.files.openFolder'),
      );
      return false;
    }
    if (!vscode.workspace.isTrusted) {
      void showChoice(
        'warning',
        `"${workspace.name}" is in Restricted Mode: the terminals of a workspace you have not trusted never get your PandaDoc credentials. Trust it first, then turn them on.`,
        MANAGE_TRUST,
      ).then((choice) => choice === MANAGE_TRUST && void vscode.commands.executeCommand('workbench.trust.manage'));
      return false;
    }
    if (this.grants.has(workspace.id, 'terminal')) {
      showInfo(`New terminals of "${workspace.name}" already get your PandaDoc credentials.`);
      return true;
    }
    // Always asked: an argument never answers it (SECURITY.md, "Command arguments").
    if (!(await confirm(workspace))) {
      return false;
    }
    try {
      await this.grants.grant(workspace, 'terminal');
    } catch (error) {
      showFailure(error);
      return false;
    }
    // The grant has made the route decide again: waited for, so the message says the outcome.
    await this.route.credentials.settled();
    this.sayTurnedOn(workspace);
    return true;
  }

  /** Resolves true when it was on. */
  async turnOff(): Promise<boolean> {
    const workspace = currentWorkspace();
    if (workspace === undefined || !this.grants.has(workspace.id, 'terminal')) {
      showInfo('New terminals of this window do not get PandaDoc credentials: there is nothing to turn off.');
      return false;
    }
    try {
      await this.grants.revoke(workspace.id, 'terminal');
    } catch (error) {
      showFailure(error);
      return false;
    }
    showInfo(
      `New terminals of "${workspace.name}" no longer get your PandaDoc credentials. Terminals opened before keep them until they are closed or relaunched (VS Code marks them).`,
    );
    return true;
  }

  private sayTurnedOn(workspace: WorkspaceRef): void {
    const decision = this.route.credentials.current();
    if ('give' in decision) {
      const { profile, kind } = decision.give;
      showInfo(
        `New terminals of "${workspace.name}" now get your PandaDoc credentials (profile "${profile}", ${kind === 'oauth' ? 'OAuth' : 'API key'}), kept current. Terminals open already do not: VS Code marks them to be relaunched.`,
      );
      return;
    }
    if (decision.absent === 'signedOut') {
      void showChoice('info', `Turned on for "${workspace.name}": new terminals get your PandaDoc credentials as soon as the active profile holds some.`, COMMAND_TITLE.signIn, COMMAND_TITLE.setApiKey).then(
        (choice) => {
          if (choice === COMMAND_TITLE.signIn) {
            void vscode.commands.executeCommand(COMMAND.signIn);
          } else if (choice === COMMAND_TITLE.setApiKey) {
            void vscode.commands.executeCommand(COMMAND.setApiKey);
          }
        },
      );
      return;
    }
    void showChoice('warning', `Turned on for "${workspace.name}", but new terminals get no PandaDoc credentials for now; the log says why.`, COMMAND_TITLE.showLog).then(
      (choice) => choice === COMMAND_TITLE.showLog && void vscode.commands.executeCommand(COMMAND.showLog),
    );
  }
}

/** The modal question: what the terminals will get, and who can read it. */
async function confirm(workspace: WorkspaceRef): Promise<boolean> {
  const detail =
    `New integrated terminals of this workspace get ${NAMES} of the active PandaDoc profile, kept current as the token is refreshed, ` +
    'and so do the tasks and debug sessions that run in a terminal. Every program started there can read them and send them anywhere. ' +
    `Only in this workspace, never while it is in Restricted Mode, and never written to disk by PandaDoc Auth. PandaDoc: ${COMMAND_TITLE.turnOffTerminalCredentials} takes it back.`;
  const choice = await askModal({ message: `Give new terminals of "${workspace.name}" your PandaDoc credentials?`, detail, keep: 'Leave Off', buttons: [TURN_ON] });
  return choice === TURN_ON;
}
