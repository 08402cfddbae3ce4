/**
 * Activation of this extension and of the built-in GitHub authentication, in the same extension
 * host, read from the marks VS Code's extension host itself takes around every activation
 * (vs/workbench/api/common/extHostExtensionService.ts, Date.now(), so whole milliseconds):
 *
 * - load: `willLoadExtensionCode` .. `didLoadExtensionCode`, the `require` of the entry file,
 *   which evaluates the whole bundle;
 * - activate: `willActivateExtension` .. `didActivateExtension`, the `activate()` call and the
 *   promise it returns (this extension's awaits its SecretStorage reads; github-authentication's
 *   activate() is synchronous and reads its sessions in the background).
 *
 * The figure compared is load + activate: the extension's own module load + activate(). Left
 * out, and reported beside it: the wait between the two, VS Code building the ExtensionContext
 * (global and workspace state, storage paths) alongside the load, which is the same work for
 * every extension and whose length depends only on how busy the workbench is at that moment.
 *
 * Why not performance.now() around `await extension.activate()` from the bench: in every window
 * observed, neither extension is left to activate. The workbench asks for GitHub sessions as the
 * extension host starts (its default-account service), which activates github-authentication
 * (`onAuthenticationRequest:github`) long before any test code runs; this extension's
 * `onStartupFinished` fires as the eager extensions finish, which is also when the test runner is
 * called, so its activation has always begun when `run()` is entered. Timing `activate()` would
 * time a wait for an activation already under way. The bench records how each window started
 * (isActive, and whether the activation had begun when run() was entered) for the runner to report.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/vscode/base/commandIds';
import type { PandaDocAuthExports } from '../../../src/api/pandadoc-auth';
import { type ActivationTimes, type ActivationWindow, REFERENCE_ID, type StoredState } from '../handOver';

/** What the extension records of its start in ExtensionMode.Test (src/extension.ts). */
interface StartupRecord {
  fromSnapshot: boolean;
  returnedAtMs: number;
  readAfterReturnMs: number | undefined;
  corrected: boolean;
}

interface PerfMark {
  name: string;
  startTime: number;
}

/** The marks of VS Code's `vs/base/common/performance`, kept on globalThis in the extension host. */
function extensionHostMarks(): PerfMark[] {
  const store = (globalThis as { MonacoPerformanceMarks?: { getMarks(): PerfMark[] } }).MonacoPerformanceMarks;
  if (!store) {
    throw new Error('this extension host keeps no performance marks (globalThis.MonacoPerformanceMarks)');
  }
  return store.getMarks();
}

function markTime(marks: PerfMark[], name: string): number | undefined {
  return marks.find((mark) => mark.name === name)?.startTime;
}

function extension(id: string): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(id);
  if (!found) {
    throw new Error(`${id} is not installed in this extension host`);
  }
  return found;
}

/** How things stood when run() was entered: taken first, before any await of the bench. */
export interface RunEntry {
  enteredMs: number;
  active: { ours: boolean; reference: boolean };
  begun: { ours: boolean; reference: boolean };
}

export function atRunEntry(): RunEntry {
  const marks = extensionHostMarks();
  const begun = (id: string) => markTime(marks, `code/extHost/willLoadExtensionCode/${id}`) !== undefined;
  return {
    enteredMs: performance.now(),
    active: { ours: extension(EXTENSION_ID).isActive, reference: extension(REFERENCE_ID).isActive },
    begun: { ours: begun(EXTENSION_ID), reference: begun(REFERENCE_ID) },
  };
}

function timesOf(id: string): ActivationTimes {
  const marks = extensionHostMarks();
  const at = (phase: string) => {
    const time = markTime(marks, `code/extHost/${phase}/${id}`);
    if (time === undefined) {
      throw new Error(`no ${phase} mark for ${id}`);
    }
    return time;
  };
  const willLoad = at('willLoadExtensionCode');
  const didActivate = at('didActivateExtension');
  const loadMs = at('didLoadExtensionCode') - willLoad;
  const activateMs = didActivate - at('willActivateExtension');
  return { loadMs, activateMs, ownMs: loadMs + activateMs, spanMs: didActivate - willLoad, startedAtMs: willLoad - performance.timeOrigin };
}

/** Waits for both activations to finish (starting one only if nothing has), then reads the marks. */
export async function measureActivation(entry: RunEntry, found: StoredState): Promise<ActivationWindow> {
  const exported = (await extension(EXTENSION_ID).activate()) as PandaDocAuthExports;
  // Before any other await: what a consumer sees the moment activate() has resolved.
  const statusAtActivate = exported.getApi(1).getStatus().kind;
  await extension(REFERENCE_ID).activate();
  // The store's read, after activate() returned: awaited through a token, which waits for it.
  await exported.getApi(1).getAccessToken();
  const { startup } = (exported as { testing?: { startup?: StartupRecord } }).testing ?? {};
  const snapshot =
    startup?.readAfterReturnMs === undefined
      ? undefined
      : {
          used: startup.fromSnapshot,
          readAfterReturnMs: startup.readAfterReturnMs,
          corrected: startup.corrected,
          // Made during activate(); it shows the right state then, unless the read corrected it.
          statusBarRightMs: startup.corrected ? startup.returnedAtMs + startup.readAfterReturnMs : startup.returnedAtMs,
        };
  return {
    pid: process.pid,
    found,
    statusAtActivate,
    ...(snapshot ? { snapshot } : {}),
    runEnteredMs: entry.enteredMs,
    activeAtRun: entry.active,
    begunAtRun: entry.begun,
    ours: timesOf(EXTENSION_ID),
    reference: timesOf(REFERENCE_ID),
  };
}
