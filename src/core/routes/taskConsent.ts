/**
 * Whether a task or launch configuration of this workspace may have a PandaDoc credential:
 * decided from what VS Code says of the workspace (a folder open, trusted), the grant kept for
 * it (workspaceGrants.ts, route `tasks`), and, when neither settles it, the user's answer to one
 * modal question. The question and every refusal are worded here, so the unit tests read them.
 */
import { quotedName } from '../base/text';
import type { WorkspaceRef } from './workspaceGrants';

/** `always`: allowed, and kept for the workspace and that profile; `once`: this input only. No answer (the
 *  dialog's Cancel, Escape) is a denial. */
export type ConsentAnswer = 'always' | 'once';

/** Why nothing was handed out. */
export type Refusal = 'no_folder' | 'untrusted' | 'denied';

export interface ConsentFacts {
  /** The window's workspace; undefined when no folder is open. */
  workspace: WorkspaceRef | undefined;
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
  /** The workspace holds the `tasks` grant of the profile asked for. */
  granted: boolean;
}

export type ConsentStep =
  | { kind: 'allow'; workspace: WorkspaceRef }
  | { kind: 'ask'; workspace: WorkspaceRef }
  | { kind: 'refuse'; reason: Exclude<Refusal, 'denied'> };

/**
 * The order matters: no folder, then trust, then the grant. A grant given while the workspace
 * was trusted does not outlive the trust: an untrusted workspace is refused whatever it holds.
 */
export function consentStep({ workspace, trusted, granted }: ConsentFacts): ConsentStep {
  if (workspace === undefined) {
    return { kind: 'refuse', reason: 'no_folder' };
  }
  if (!trusted) {
    return { kind: 'refuse', reason: 'untrusted' };
  }
  return granted ? { kind: 'allow', workspace } : { kind: 'ask', workspace };
}

export const CONSENT_BUTTON: Record<ConsentAnswer, string> = {
  always: 'Allow Always for This Workspace and Profile',
  once: 'Allow Once',
};

/** The dialog's default button, which Enter presses: it denies, as VS Code's own Cancel does. */
export const CONSENT_KEEP = "Don't Allow";

export interface ConsentQuestion {
  message: string;
  detail: string;
  /** The buttons that allow, in the order shown after CONSENT_KEEP (the default). */
  buttons: { answer: ConsentAnswer; label: string }[];
}

/**
 * The modal question: which workspace and where it is, what it gets (`what`, from
 * describeTaskValue) and of which profile, what that allows, and how an "always" is taken back
 * (`manageTitle`, the manage command's palette title). The workspace's name and path are the
 * repository's to choose: cleaned (WorkspaceRef) and quoted here, they cannot rewrite the question.
 */
export function consentQuestion(workspace: WorkspaceRef, what: string, profile: string, manageTitle: string): ConsentQuestion {
  const name = quotedName(workspace.name);
  const profileName = quotedName(profile);
  return {
    message: `Let the workspace ${name} have your PandaDoc credentials of the profile ${profileName} in its tasks and launch configurations?`,
    detail: [
      `A task or launch configuration of ${name} asks for ${what} of the PandaDoc profile ${profileName}.`,
      `The workspace is at ${workspace.path}`,
      "What it runs can send it anywhere, and the workspace's tasks.json and launch.json are the repository's to write: allow it only for a repository you trust with your PandaDoc account.",
      `Allow Once answers this request only. Allow Always answers every later request of this workspace for the profile ${profileName} only, without asking, until you revoke it with the command "PandaDoc: ${manageTitle}"; a request for another profile asks again. ${CONSENT_KEEP} and Cancel run nothing.`,
    ].join('\n\n'),
    // After Don't Allow, the default: a stray Enter hands the workspace nothing.
    buttons: [
      { answer: 'once', label: CONSENT_BUTTON.once },
      { answer: 'always', label: CONSENT_BUTTON.always },
    ],
  };
}

/** The answer a clicked label stands for; undefined (no answer) denies. */
export function answerOf(label: string | undefined): ConsentAnswer | undefined {
  return label === CONSENT_BUTTON.always ? 'always' : label === CONSENT_BUTTON.once ? 'once' : undefined;
}

const CANCELLED = 'The task or launch configuration was cancelled, and got no PandaDoc credential.';

/** What the user reads when nothing was handed out for `reason`. */
export function refusalMessage(reason: Refusal, workspaceName: string | undefined): string {
  const name = workspaceName === undefined ? '' : ` ${quotedName(workspaceName)}`;
  switch (reason) {
    case 'no_folder':
      return `${CANCELLED} PandaDoc credentials go only to the tasks and launch configurations of an open folder or workspace.`;
    case 'untrusted':
      return `${CANCELLED} The workspace${name} is not trusted, and an untrusted workspace never gets PandaDoc credentials.`;
    case 'denied':
      return `${CANCELLED} You did not allow it for the workspace${name}.`;
  }
}

/** Put before the message of a failure (no credentials, a dead grant, an unknown profile). */
export function failureLead(profile: string | undefined): string {
  return profile === undefined
    ? `${CANCELLED} `
    : `The task or launch configuration was cancelled, and got nothing of the PandaDoc profile ${quotedName(profile)}. `;
}
