/**
 * Turning the terminal route on and off for the current workspace. Two commands rather than one
 * toggle: the palette shows only the one that applies (context key pandadoc.terminalCredentials),
 * and each title says what it will do, where a toggle's could not. The choice is kept in the
 * workspace grants (global state), never in a setting a repository could write. Turning on asks
 * every time, whoever calls: an argument (a task's `command` input can pass one) is ignored.
 */
import * as vscode from 'vscode';
import { quotedName } from '../../core/base/text';
import { turnOnQuestion } from '../../core/routes/terminalConsent';
import type { WorkspaceGrants, WorkspaceRef } from '../../core/routes/workspaceGrants';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { askToTurnOn } from '../ui/modal';
import { showChoice, showFailure, showInfo, showTrustFirst } from '../ui/notifications';
import type { TerminalRoute } from './terminalCredentials';
import { currentWorkspace } from '../base/workspaceIdentity';

const OPEN_FOLDER = 'Open Folder...';
export class TerminalCommands {
  constructor(
    private readonly grants: WorkspaceGrants,
    private readonly route: TerminalRoute,
    private readonly activeProfile: () => string,
  ) {}

  register(): vscode.Disposable[] {
    return [
      // No argument is passed on: none may skip the question (arguments never widen trust).
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
      showTrustFirst(
        `${quotedName(workspace.name)} is in Restricted Mode: the terminals of a workspace you have not trusted never get your PandaDoc credentials. Trust it first, then turn them on.`,
      );
      return false;
    }
    if (this.grants.has(workspace.id, 'terminal')) {
      showInfo(`New terminals of ${quotedName(workspace.name)} already get your PandaDoc credentials.`);
      return true;
    }
    if (!(await this.confirm(workspace))) {
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
      `New terminals of ${quotedName(workspace.name)} no longer get your PandaDoc credentials. Terminals opened before keep them until they are closed or relaunched (VS Code marks them).`,
    );
    return true;
  }

  /** The modal question (terminalConsent.ts), with VS Code's persistence settings as they are now. */
  private async confirm(workspace: WorkspaceRef): Promise<boolean> {
    const terminal = vscode.workspace.getConfiguration('terminal.integrated');
    const question = turnOnQuestion(
      workspace,
      this.activeProfile(),
      { enabled: terminal.get<boolean>('enablePersistentSessions', true), revive: terminal.get<string>('persistentSessionReviveProcess', 'onExit') },
      COMMAND_TITLE.turnOffTerminalCredentials,
    );
    return askToTurnOn(question);
  }

  private sayTurnedOn(workspace: WorkspaceRef): void {
    const decision = this.route.credentials.current();
    if ('give' in decision) {
      const { profile, kind } = decision.give;
      showInfo(
        `New terminals of ${quotedName(workspace.name)} now get your PandaDoc credentials (profile "${profile}", ${kind === 'oauth' ? 'OAuth' : 'API key'}), kept current. Terminals open already do not: VS Code marks them to be relaunched.`,
      );
      return;
    }
    if (decision.absent === 'signedOut') {
      void showChoice('info', `Turned on for ${quotedName(workspace.name)}: new terminals get your PandaDoc credentials as soon as the active profile holds some.`, COMMAND_TITLE.signIn, COMMAND_TITLE.setApiKey).then(
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
    void showChoice('warning', `Turned on for ${quotedName(workspace.name)}, but new terminals get no PandaDoc credentials for now; the log says why.`, COMMAND_TITLE.showLog).then(
      (choice) => choice === COMMAND_TITLE.showLog && void vscode.commands.executeCommand(COMMAND.showLog),
    );
  }
}
