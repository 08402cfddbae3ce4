/** Shows results and failures: one message per outcome, with buttons that lead somewhere. */
import * as vscode from 'vscode';
import type { RegionId } from '../../core/base/regions';
import { type ActionId, userMessageFor } from '../../core/view/userMessages';
import type { RegionHint } from '../../core/view/regionHint';
import { tokenValidity } from '../../core/view/statusView';
import { COMMAND, COMMAND_TITLE, EXTENSION_ID } from '../base/commandIds';
import { readSettings } from '../base/configuration';

/** A button that runs one of our commands bears its title; the others are VS Code's words. */
const ACTION_LABELS: Record<ActionId, string> = {
  signIn: COMMAND_TITLE.signIn,
  setCredentials: COMMAND_TITLE.setCredentials,
  setApiKey: COMMAND_TITLE.setApiKey,
  showLog: COMMAND_TITLE.showLog,
  openSettings: 'Open Settings',
  retry: 'Retry',
  reloadWindow: 'Reload Window',
};

/** How many shown messages the ring keeps: enough for a test to read what one command showed. */
const SHOWN_KEPT = 20;
/** The last messages shown, oldest first. Read only by the extension's own integration tests
 *  (the `testing` export in ExtensionMode.Test); the messages never hold a secret. */
const shown: string[] = [];

function remember(message: string): void {
  shown.push(message);
  if (shown.length > SHOWN_KEPT) {
    shown.shift();
  }
}

/** What a failure needs to know of the profile it concerns: where it sends requests, and the
 *  region hint (regionCommands.ts). */
export interface FailureContext {
  apiBaseUrl(profile: string | undefined): string;
  hint(error: unknown, profile: string | undefined): RegionHint | undefined;
  /** Sets the profile's region to `region`, before the retry. */
  useRegion(profile: string | undefined, region: RegionId): Promise<void>;
}

let failureContext: FailureContext | undefined;

export function useFailureContext(context: FailureContext): vscode.Disposable {
  failureContext = context;
  return new vscode.Disposable(() => {
    failureContext = undefined;
  });
}

export interface FailureOptions {
  /** The profile the failure concerns; the active one by default. */
  profile?: string;
  /** Retries in `region` (which it sets itself), instead of setting it and calling `retry`. */
  retryAt?: (region: RegionId) => unknown;
}

/** The buttons of the last failure shown, by label: pressed by the extension's own integration
 *  tests (the `testing` export), which cannot click a notification. */
let lastButtons = new Map<string, () => void>();

export function pressButton(label: string): boolean {
  const press = lastButtons.get(label);
  press?.();
  return press !== undefined;
}

/** The last messages shown through showFailure and showInfo, oldest first. */
export function shownMessages(): readonly string[] {
  return [...shown];
}

function runAction(action: ActionId, retry: (() => unknown) | undefined): void {
  switch (action) {
    case 'signIn':
      void vscode.commands.executeCommand(COMMAND.signIn);
      return;
    case 'setCredentials':
      void vscode.commands.executeCommand(COMMAND.setCredentials);
      return;
    case 'setApiKey':
      void vscode.commands.executeCommand(COMMAND.setApiKey);
      return;
    case 'showLog':
      void vscode.commands.executeCommand(COMMAND.showLog);
      return;
    case 'openSettings':
      void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
      return;
    case 'reloadWindow':
      void vscode.commands.executeCommand('workbench.action.reloadWindow');
      return;
    case 'retry':
      retry?.();
  }
}

/**
 * Shows the failure without waiting for the user to dismiss it, so the command that failed
 * settles at once. `retry` backs the Retry button where the message offers one.
 */
export function showFailure(error: unknown, retry?: () => unknown, options: FailureOptions = {}): void {
  const { message, actions } = messageFor(error, options.profile);
  const offered = actions.filter((action) => action !== 'retry' || retry !== undefined);
  const hint = retry !== undefined || options.retryAt !== undefined ? failureContext?.hint(error, options.profile) : undefined;
  // The hint first: when it applies, it is the likeliest way out.
  const buttons = new Map<string, () => void>(hint ? [[hint.button, () => void tryRegion(hint.region, retry, options)]] : []);
  for (const action of offered) {
    buttons.set(ACTION_LABELS[action], () => runAction(action, retry));
  }
  const shownMessage = hint ? `${message} ${hint.sentence}` : message;
  remember(shownMessage);
  lastButtons = buttons;
  void vscode.window.showErrorMessage(shownMessage, ...buttons.keys()).then((choice) => choice !== undefined && buttons.get(choice)?.());
}

/**
 * The message of a failure that VS Code shows itself (a task input's rejection becomes VS Code's
 * own error message, see taskInput.ts), after `lead`; recorded as shown. No buttons: VS Code
 * shows the text alone, so it must say the way out in words.
 */
export function failureShownByVsCode(error: unknown, lead: string, profile?: string): string {
  return shownByVsCode(`${lead}${messageFor(error, profile).message}`);
}

/** The user's message for a failure of the profile, naming where its requests go. */
function messageFor(error: unknown, profile: string | undefined): ReturnType<typeof userMessageFor> {
  const settings = readSettings();
  const apiBaseUrl = failureContext?.apiBaseUrl(profile) ?? settings.apiBaseUrl;
  return userMessageFor(error, { apiBaseUrl, timeoutMs: settings.timeoutMs });
}

/** A message VS Code shows itself, recorded as shown. */
export function shownByVsCode(message: string): string {
  remember(message);
  return message;
}

/** The region hint's button: nothing went to `region` before it was pressed. */
async function tryRegion(region: RegionId, retry: (() => unknown) | undefined, options: FailureOptions): Promise<void> {
  if (options.retryAt) {
    options.retryAt(region);
    return;
  }
  try {
    await failureContext?.useRegion(options.profile, region);
  } catch (error) {
    showFailure(error);
    return;
  }
  retry?.();
}

/** An error with buttons of the caller's own (a failure showFailure's codes cannot lead on from);
 *  resolves with the button chosen. */
export function showErrorWithButtons(message: string, ...buttons: string[]): Thenable<string | undefined> {
  remember(message);
  return vscode.window.showErrorMessage(message, ...buttons);
}

export function showInfo(message: string): void {
  remember(message);
  void vscode.window.showInformationMessage(message);
}

/** A message with buttons of the caller's; resolves with the one chosen (a click, or the
 *  integration tests' pressButton). Callers that must settle promptly do not await it. */
export function showChoice(severity: 'info' | 'warning' | 'error', message: string, ...buttons: string[]): Thenable<string | undefined> {
  remember(message);
  const show = { info: vscode.window.showInformationMessage, warning: vscode.window.showWarningMessage, error: vscode.window.showErrorMessage }[severity];
  let press: (label: string) => void = () => undefined;
  const pressed = new Promise<string>((resolve) => {
    press = resolve;
  });
  lastButtons = new Map(buttons.map((label) => [label, () => press(label)]));
  return Promise.race([Promise.resolve(show(message, ...buttons)), pressed]);
}

/** " Valid for 364d (until <date>)." for a token's expiry, now; nothing without one. */
export function validityText(expiresAt: number | undefined): string {
  return tokenValidity(expiresAt, Date.now());
}

const MANAGE_TRUST = 'Manage Workspace Trust';

/** A route refused in Restricted Mode: says why, and offers to manage the workspace's trust. */
export function showTrustFirst(message: string): void {
  void showChoice('warning', message, MANAGE_TRUST).then((choice) => choice === MANAGE_TRUST && void vscode.commands.executeCommand('workbench.trust.manage'));
}
