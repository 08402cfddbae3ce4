/**
 * The bench windows: one code-server, one browser profile, and a fresh page for every window (a
 * new extension host each), running test/bench/inHost through the workbench payload with this
 * extension loaded from the project folder. Each window is told what the window before it left
 * in SecretStorage and what to leave for the next (see run.ts for the plan).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openBrowser, runExtensionTests } from '../host/browser';
import { startCodeServer } from '../host/codeServer';
import { leakCheckResult } from '../host/leakCheck';
import { filesUnder, PROJECT_ROOT } from '../host/paths';
import type { HostBinaries } from '../host/provision';
import { newRunDir, type TierResult } from '../host/tier';
import { BENCH_ENV, type BenchTask, type StoredState, windowFile, type WindowResult } from './handOver';

const WINDOW_TIMEOUT_MS = 3 * 60_000;

export interface WindowPlan {
  tasks: BenchTask[];
  /** What the window before leaves stored, so what this one's activation reads. */
  found: StoredState;
  leave: StoredState;
}

export interface WindowsRun {
  windows: WindowResult[];
  /** Per window (same order): the activation event of each extension, from its extension host's log. */
  events: { ours?: string; reference?: string }[];
  /** Windows that ended without handing over figures, with why. */
  failures: string[];
  /** The secrets the last window's server issued, searched in the run folder and the output. */
  leakCheck: TierResult;
  runDir: string;
}

export async function runWindows(
  host: HostBinaries,
  plan: WindowPlan[],
  ids: { ours: string; reference: string },
  log: (line: string) => void,
): Promise<WindowsRun> {
  const { runDir, stateDir } = newRunDir('bench');
  const server = await startCodeServer(host, { runDir, testDriver: true });
  const browser = await openBrowser(host, server).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const windows: WindowResult[] = [];
  const failures: string[] = [];
  try {
    let page = browser.page;
    for (const [index, { tasks, found, leave }] of plan.entries()) {
      if (index > 0) {
        // A new page of the same profile is a new window: a new extension host.
        const next = await browser.context.newPage();
        await page.close();
        page = next;
      }
      const started = Date.now();
      const code = await runExtensionTests(browser, server, {
        extensionPath: PROJECT_ROOT,
        testsEntry: path.join(PROJECT_ROOT, 'out', 'test', 'bench', 'inHost', 'index.js'),
        folder: path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace'),
        timeoutMs: WINDOW_TIMEOUT_MS,
        page,
        env: {
          [BENCH_ENV.stateDir]: stateDir,
          [BENCH_ENV.window]: String(index),
          [BENCH_ENV.tasks]: tasks.join(','),
          [BENCH_ENV.found]: found,
          [BENCH_ENV.leave]: leave,
        },
      });
      const file = windowFile(stateDir, index);
      if (fs.existsSync(file)) {
        windows.push(JSON.parse(fs.readFileSync(file, 'utf8')) as WindowResult);
      } else {
        failures.push(`window ${index} (${tasks.join(', ')}) ${code === -1 ? 'timed out' : `ended with exit code ${code}`} before handing over figures`);
      }
      log(`window ${index + 1} of ${plan.length} (${tasks.join(', ')}; ${found === 'signedIn' ? 'signed in' : 'nothing stored'}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const printed = browser.lines.join('\n');
  fs.writeFileSync(path.join(runDir, 'host-output.log'), printed);
  const events = windows.map((window) => (window.activation ? activationEvents(server.userDataDir, window.activation.pid, ids) : {}));
  // Last: it deletes the state folder.
  const leakCheck = leakCheckResult('leak check (bench)', stateDir, runDir, { 'bench windows output': printed });
  return { windows, events, failures, leakCheck, runDir };
}

/**
 * The activation events the extension host with `pid` logged for the two extensions
 * (`ExtensionService#_doActivateExtension <id>, startup: ..., activationEvent: '<event>'`).
 */
function activationEvents(userDataDir: string, pid: number, ids: { ours: string; reference: string }): { ours?: string; reference?: string } {
  const logFile = [...filesUnder(path.join(userDataDir, 'logs'))].find(
    (file) => path.basename(file) === 'remoteexthost.log' && fs.readFileSync(file, 'utf8').includes(`Extension host with pid ${pid} started`),
  );
  if (!logFile) {
    return {};
  }
  const text = fs.readFileSync(logFile, 'utf8');
  const eventOf = (id: string) => new RegExp(`_doActivateExtension ${id.replace(/\./g, '\\.')}, startup: \\w+, activationEvent: '([^']*)'`).exec(text)?.[1];
  return { ours: eventOf(ids.ours), reference: eventOf(ids.reference) };
}
