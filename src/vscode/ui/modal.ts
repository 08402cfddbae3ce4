/**
 * The one way this extension asks a person a modal question: every question that grants a
 * route, points a profile at an address that is not PandaDoc's, or stores, replaces or deletes
 * credentials goes through `askModal`. What Enter presses does nothing: VS Code makes the first
 * button the default and always adds its own Cancel last (an item marked as the close affordance
 * is moved there too), so the first button is `keep`, a named way to leave everything as it is.
 * Escape and Cancel do the same. No keystroke or argument answers for the person: see
 * SECURITY.md, "Command arguments".
 *
 * Each question is also remembered (its message only, never a secret) for the extension's own
 * integration tests: VS Code refuses every modal in a window that runs extension tests, which
 * then reads as Cancel, so the tests check here that the question was asked, and may queue the
 * answer a person would give (the UI tier clicks the real dialog).
 */
import * as vscode from 'vscode';

/** How many questions the ring keeps: enough for a test to read what one command asked. */
const ASKED_KEPT = 20;
const asked: string[] = [];
/** How many questions were asked in all (the ring above forgets the oldest). */
let askedInAll = 0;
/** Answers queued by the extension's own integration tests (the `testing` export only), used in
 *  order instead of showing the dialog, which VS Code refuses there. */
const queued: (string | undefined)[] = [];

export interface ModalQuestion {
  /** The question itself, naming what will happen. */
  message: string;
  /** The details: what goes where, and how to take it back. */
  detail: string;
  /** The default button, which changes nothing: "Keep Profile", "Leave Off". */
  keep: string;
  /** The buttons that act. */
  buttons: readonly string[];
  /** `warning` for what cannot be undone or sends something away. */
  severity?: 'info' | 'warning';
}

/** Resolves with the label of the button that acts; undefined for `keep`, Cancel, Escape, or a
 *  refused dialog. */
export async function askModal({ message, detail, keep, buttons, severity = 'warning' }: ModalQuestion): Promise<string | undefined> {
  askedInAll++;
  asked.push(message);
  if (asked.length > ASKED_KEPT) {
    asked.shift();
  }
  if (queued.length > 0) {
    return queued.shift();
  }
  const show = severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  try {
    const label = await show(message, { modal: true, detail }, keep, ...buttons);
    return label === keep ? undefined : label;
  } catch {
    // A dialog VS Code would not show is a question not answered: nothing happens.
    return undefined;
  }
}

/** Queues the answer to the next question: a button's label, or undefined for Cancel (the
 *  `testing` export only). */
export function answerNextModal(label: string | undefined): void {
  queued.push(label);
}

/** Drops the answers no question took (the `testing` export only), so none reaches a later test. */
export function clearModalAnswers(): void {
  queued.length = 0;
}

/** The last questions asked, oldest first (the `testing` export only). */
export function askedModals(): readonly string[] {
  return [...asked];
}

/** How many questions were asked since the window started (the `testing` export only). */
export function modalsAskedInAll(): number {
  return askedInAll;
}

/** The question of a Turn On command (terminals, chat): **Leave Off** is the default button,
 *  **Turn On** the one that acts. Resolves true for Turn On only. */
export async function askToTurnOn(question: { message: string; detail: string }): Promise<boolean> {
  return (await askModal({ message: question.message, detail: question.detail, keep: 'Leave Off', buttons: [TURN_ON] })) === TURN_ON;
}

const TURN_ON = 'Turn On';
