/**
 * `pandadoc.taskCredential`: the one command that returns a secret, made for an input of type
 * `command` in tasks.json and launch.json, and only behind the consent of taskConsent.ts. The
 * decisions are the core's (core/routes/taskCredential.ts); this file asks the modal question,
 * shows the outcome, and tells VS Code to cancel.
 *
 * Cancelling: VS Code (checked in 1.139's configuration resolver, and in the real host by
 * test/integration/taskInput.test.ts) runs a task or launch whose command input resolved to
 * `undefined`, with the text `${input:...}` left in its place. Only a rejection stops it, and a
 * `CancellationError` stops it without a second message of VS Code's beside ours.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/base/logger';
import type { Profiles } from '../core/profiles/profiles';
import { answerOf, type ConsentAnswer, type ConsentQuestion, failureLead, type Refusal } from '../core/routes/taskConsent';
import { TaskCredentials } from '../core/routes/taskCredential';
import type { WorkspaceGrants } from '../core/routes/workspaceGrants';
import { COMMAND, COMMAND_TITLE } from './commandIds';
import { showChoice, showFailure } from './notifications';
import { currentWorkspace } from './workspaceIdentity';

const MANAGE_TRUST = 'Manage Workspace Trust';

/** For the extension's own integration tests (the `testing` export), which cannot click a
 *  modal dialog: answers queued here are used, in order, instead of showing it. */
export interface ConsentTesting {
  /** `deny` stands for the dialog's Cancel. */
  answerNext(answer: ConsentAnswer | 'deny'): void;
  /** How many questions were asked (shown or answered from the queue). */
  asked(): number;
}

export class TaskInputCommand {
  private readonly credentials: TaskCredentials;
  private readonly queued: (ConsentAnswer | undefined)[] = [];
  private questions = 0;

  readonly testing: ConsentTesting = {
    answerNext: (answer) => this.queued.push(answer === 'deny' ? undefined : answer),
    asked: () => this.questions,
  };

  constructor(profiles: Profiles, grants: WorkspaceGrants, log: Logger) {
    this.credentials = new TaskCredentials(
      profiles,
      grants,
      {
        workspace: currentWorkspace,
        trusted: () => vscode.workspace.isTrusted,
        ask: (question) => this.ask(question),
        manageTitle: COMMAND_TITLE.manageWorkspacePermissions,
      },
      log,
    );
  }

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(COMMAND.taskCredential, (arg?: unknown) => this.run(arg))];
  }

  /** Resolves with the value; otherwise shows why and rejects with a CancellationError. */
  async run(argument: unknown): Promise<string> {
    const outcome = await this.credentials.answer(argument);
    if (outcome.ok) {
      return outcome.value;
    }
    if (outcome.refusal !== undefined) {
      showRefusal(outcome.refusal, outcome.message);
    } else {
      showFailure(outcome.error, undefined, { ...(outcome.profile === undefined ? {} : { profile: outcome.profile }), lead: failureLead(outcome.profile) });
    }
    throw new vscode.CancellationError();
  }

  private async ask(question: ConsentQuestion): Promise<ConsentAnswer | undefined> {
    this.questions++;
    if (this.queued.length > 0) {
      return this.queued.shift();
    }
    const label = await vscode.window.showWarningMessage(
      question.message,
      { modal: true, detail: question.detail },
      ...question.buttons.map((button) => button.label),
    );
    return answerOf(label);
  }
}

/** Not shown as an error: the user (or the workspace's trust) decided, nothing failed. */
function showRefusal(refusal: Refusal, message: string): void {
  if (refusal === 'untrusted') {
    void showChoice('warning', message, MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) {
        void vscode.commands.executeCommand('workbench.trust.manage');
      }
    });
    return;
  }
  void showChoice('info', message);
}
