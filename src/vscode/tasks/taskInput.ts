/**
 * `pandadoc.taskCredential`: the one command that returns a secret, made for an input of type
 * `command` in tasks.json and launch.json, and only behind the consent of taskConsent.ts. The
 * decisions are the core's (core/routes/taskCredential.ts); this file asks the modal question
 * and tells VS Code to cancel.
 *
 * Cancelling, as VS Code 1.139 does it (its configuration resolver, task service and debug
 * service; test/integration/taskInput.test.ts and test/ui/tasks.test.ts hold it to that):
 * - an input that resolves to `undefined` does not cancel: the task or launch runs, with the
 *   text `${input:...}` left where the value would be;
 * - a rejection cancels, and VS Code shows the rejection's message itself, whatever it is: a
 *   CancellationError shows as "Canceled" (an error toast for a task, an error dialog for a
 *   launch). So the command rejects with an Error whose message is the one clear message, and
 *   shows nothing of its own beside it.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/base/logger';
import type { Profiles } from '../../core/profiles/profiles';
import { answerOf, CONSENT_KEEP, type ConsentAnswer, type ConsentQuestion, failureLead } from '../../core/routes/taskConsent';
import { TaskCredentials } from '../../core/routes/taskCredential';
import type { WorkspaceGrants } from '../../core/routes/workspaceGrants';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { askModal } from '../ui/modal';
import { failureShownByVsCode, shownByVsCode } from '../ui/notifications';
import { currentWorkspace } from '../base/workspaceIdentity';

export class TaskInputCommand {
  private readonly credentials: TaskCredentials;

  constructor(
    private readonly profiles: Profiles,
    grants: WorkspaceGrants,
    log: Logger,
  ) {
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

  /** Resolves with the value; otherwise rejects with the message VS Code then shows. */
  async run(argument: unknown): Promise<string> {
    // A task run at start-up may activate the extension: the answer waits for the store's read.
    await this.profiles.whenRead();
    const outcome = await this.credentials.answer(argument);
    if (outcome.ok) {
      return outcome.value;
    }
    throw new Error(
      outcome.refusal !== undefined ? shownByVsCode(outcome.message) : failureShownByVsCode(outcome.error, failureLead(outcome.profile), outcome.profile),
    );
  }

  /** The one modal question (modal.ts), which the integration tests answer as they answer any. */
  private async ask(question: ConsentQuestion): Promise<ConsentAnswer | undefined> {
    const label = await askModal({ message: question.message, detail: question.detail, keep: CONSENT_KEEP, buttons: question.buttons.map((button) => button.label) });
    return answerOf(label);
  }
}
