/**
 * `npm run bench`: this extension against VS Code's built-in GitHub authentication, side by side
 * in one run, on the test host (code-server from .vscode-test, headless Chromium):
 *
 * 1. bundle bytes: dist/extension.js (production build) against github-authentication's
 *    dist/extension.js inside the installed code-server;
 * 2. activation: module load + activate() of each, from the extension host's own marks, over
 *    fresh windows (inHost/activation.ts says why not activate() from the bench), half of them
 *    with a signed-in user stored and half with nothing, alternating; median and spread of each;
 * 3. a forced refresh through getApi(1).getAccessToken() against its floor (one raw POST of the
 *    same form to the same local server + one SecretStorage get + one store), all from the same
 *    extension host, medians of 50 interleaved;
 * 4. the hot path: getApi(1).getAccessToken() with a valid token, p50 and p99 of 10,000 calls;
 * 5. 1000 concurrent getAccessToken() calls on an expired token: token requests the server got;
 * 6. the task input (pandadoc.taskCredential) answering a granted workspace, token fresh: p50
 *    and p99 of 2,000 executeCommand calls, beside a command that answers at once (reported);
 * 7. heap growth of the core over 10,000 refreshes, in a plain Node process (heap.ts);
 * 8. from a refresh to the terminal route's updated variables (inHost/terminal.ts), reported.
 *
 * Prints a table, writes the same as JSON to .vscode-test/bench/results.json, and exits non-zero
 * when a target is missed or a figure could not be measured.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { CACHE_ROOT, PROJECT_ROOT } from '../host/paths';
import { ensureHost } from '../host/provision';
import { CODE_SERVER_VERSION, VSCODE_VERSION } from '../host/versions';
import { measureBundles } from './bundle';
import { type Collected, figuresOf, notesOf } from './figures';
import { type BenchTask, REFERENCE_ID, type StoredState } from './handOver';
import type { HeapFigures } from './heap';
import { formatTable, targeted } from './report';
import { runWindows, type WindowPlan } from './windows';

/** Fresh windows whose activations are sampled, for each stored state; the medians are over these.
 *  About 4 s a window on 2 cores: 2 x 10 keeps the whole bench near 2 minutes. */
const ACTIVATION_WINDOWS_PER_STATE = 10;
const HEAP_TIMEOUT_MS = 5 * 60_000;
export const RESULTS_FILE = path.join(CACHE_ROOT, 'bench', 'results.json');

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** heap.ts in a Node process of its own, with `--expose-gc`; its figures come back over IPC. */
function runHeapBench(): Promise<HeapFigures> {
  const child = fork(path.join(__dirname, 'heap.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<HeapFigures>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the heap benchmark took over ${HEAP_TIMEOUT_MS / 60_000} minutes`));
    }, HEAP_TIMEOUT_MS);
    child.once('message', (figures: HeapFigures) => resolve(figures));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the heap benchmark exited with code ${code} without figures`));
    });
  });
}

/** The 1, 5 and 15 minute load averages: other work on the machine shows in every timing. */
function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

/**
 * The windows, in order. First the refresh, hot path and concurrency figures, in a window of their
 * own (it also takes the first start of the workbench and the browser, which no activation should
 * be measured on). Then the activation windows, alternating between a signed-in user and nothing
 * stored, so both states see the same machine over the run: each window leaves stored what the
 * next one is to find, and the last leaves nothing.
 */
function benchPlan(): WindowPlan[] {
  // PANDADOC_BENCH_ONLY=mcp,taskInput: only those tasks, in the one window (no activation
  // windows), to measure a row without the whole run.
  const only = process.env.PANDADOC_BENCH_ONLY?.split(',').filter((task) => task !== '') as BenchTask[] | undefined;
  if (only !== undefined && only.length > 0) {
    return [{ tasks: only, found: 'nothing', leave: 'nothing' }];
  }
  const states: StoredState[] = Array.from({ length: 2 * ACTIVATION_WINDOWS_PER_STATE }, (_, i) => (i % 2 === 0 ? 'signedIn' : 'nothing'));
  const found: StoredState[] = ['nothing', ...states];
  return found.map((state, index) => ({
    tasks: index === 0 ? ['refresh', 'hotPath', 'concurrency', 'taskInput', 'mcp', 'terminal'] : ['activation'],
    found: state,
    leave: found[index + 1] ?? 'nothing',
  }));
}

async function main(): Promise<number> {
  const started = Date.now();
  const loadAtStart = loadAverage();
  const log = (line: string) => console.log(`== ${line}`);
  const host = ensureHost(log);
  const collected: Collected = { activation: new Error('activation: not measured') };

  try {
    collected.bundle = measureBundles(host);
  } catch (error) {
    collected.bundle = asError(error);
  }

  // First and alone, so the code-server and browser do not share the CPU with it.
  log('heap: 10,000 refreshes of the core in a plain Node process');
  collected.heap = await runHeapBench().catch(asError);

  const plan = benchPlan();
  log(`extension host: ${plan.length} fresh windows in code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}); load average ${loadAverage()}`);
  let runDir: string | undefined;
  const failures: string[] = [];
  try {
    const run = await runWindows(host, plan, { ours: EXTENSION_ID, reference: REFERENCE_ID }, log);
    runDir = run.runDir;
    failures.push(...run.failures);
    if (run.leakCheck.failed > 0) {
      failures.push(`${run.leakCheck.name}: ${run.leakCheck.error ?? 'failed'}`);
    }
    const sampled = run.windows.flatMap((window, index) => (window.activation ? [{ window: window.activation, events: run.events[index] }] : []));
    const planned = { signedIn: ACTIVATION_WINDOWS_PER_STATE, nothing: ACTIVATION_WINDOWS_PER_STATE };
    collected.activation = { windows: sampled.map((s) => s.window), events: sampled.map((s) => s.events), planned };
    const load = run.windows.find((window) => plan[window.window]?.tasks.some((task) => task !== 'activation'));
    collected.refresh = load?.refresh;
    collected.hotPath = load?.hotPath;
    collected.concurrency = load?.concurrency;
    collected.taskInput = load?.taskInput;
    collected.terminal = load?.terminal;
    collected.mcp = load?.mcp;
    for (const window of run.windows) {
      failures.push(...window.errors.map((error) => `window ${window.window}: ${error}`));
    }
  } catch (error) {
    collected.activation = asError(error);
    failures.push(asError(error).message);
  }

  const loadAtEnd = loadAverage();
  const figures = figuresOf(collected);
  const notes = notesOf(collected);
  const wallSeconds = (Date.now() - started) / 1000;
  console.log(`\n${formatTable(figures)}\n`);
  for (const line of [...notes, ...failures.map((failure) => `problem: ${failure}`)]) {
    console.log(`  ${line}`);
  }
  for (const figure of figures.filter((f) => f.error)) {
    console.log(`  ${figure.name}: ${figure.error}`);
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const details = Object.fromEntries(Object.entries(collected).map(([key, value]) => [key, value instanceof Error ? { error: value.message } : value]));
  fs.writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        finishedAt: new Date().toISOString(),
        host: { vscode: VSCODE_VERSION, codeServer: CODE_SERVER_VERSION, runner: process.version, cpus: os.cpus().length },
        wallSeconds,
        loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
        figures,
        notes,
        problems: failures,
        details,
        ...(runDir ? { runFolder: path.relative(PROJECT_ROOT, runDir) } : {}),
      },
      null,
      2,
    )}\n`,
  );
  const withTargets = targeted(figures);
  const passed = withTargets.filter((f) => f.pass).length;
  console.log(
    `\n${passed} of ${withTargets.length} targets met; ${wallSeconds.toFixed(0)} s; load average ${loadAtStart} at the start, ${loadAtEnd} at the end; ` +
      `results in ${path.relative(PROJECT_ROOT, RESULTS_FILE)}`,
  );
  return passed === withTargets.length && failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
