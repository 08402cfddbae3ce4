/**
 * The UI tier: mocha (in its own Node process, on the system Node) runs test/ui, which starts
 * code-server with the packaged .vsix installed as a user installs it and drives the workbench
 * through headless Chromium: palette, input boxes, status bar, output channel, notifications,
 * dialogs, clipboard. Then the leak check: every secret the UI run's PandaDoc server issued,
 * searched in the run folder and in everything mocha printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { groupAlive, killGroup } from './codeServer';
import { packageConsumer } from './consumer';
import { leakCheckResult } from './leakCheck';
import { PROJECT_ROOT } from './paths';
import type { HostBinaries } from './provision';
import { newRunDir, runMochaTier, type TierResult } from './tier';

/** test/ui/session.ts writes its code-server's process group id here, in the state folder. */
export const PGID_FILE = 'code-server.pgid';

/**
 * The UI test files share one workbench and one user session, each picking up where the one
 * before left it, so their order is fixed here (mocha alone would sort them by name): these
 * first, in this order, then any other `*.test.js` by name.
 */
export const UI_TEST_ORDER = ['workbench.test.js', 'signIn.test.js'];

/**
 * The compiled UI test files in the order the session runs them. While working on one of them,
 * `PANDADOC_UI_ONLY=postmanImport,signIn` runs only the files whose names start so (each file
 * must then set up the state it needs; CI always runs them all).
 */
export function uiTestFiles(dir = path.join(PROJECT_ROOT, 'out', 'test', 'ui'), only = process.env.PANDADOC_UI_ONLY): string[] {
  const wanted = only?.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const found = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => wanted === undefined || wanted.length === 0 || wanted.some((prefix) => name.startsWith(prefix)));
  const rank = (name: string) => (UI_TEST_ORDER.includes(name) ? UI_TEST_ORDER.indexOf(name) : UI_TEST_ORDER.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en')).map((name) => path.join(dir, name));
}

export async function runUiTier(_host: HostBinaries, vsix: string, log: (line: string) => void): Promise<TierResult[]> {
  const { runDir, stateDir } = newRunDir('ui');
  log(`ui: code-server with ${path.relative(PROJECT_ROOT, vsix)} installed, run folder ${path.relative(PROJECT_ROOT, runDir)}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PANDADOC_UI_VSIX: vsix,
    // The second window's consumer, which reports the status events it hears (twoWindows.test.ts).
    PANDADOC_UI_CONSUMER_VSIX: packageConsumer(runDir),
    PANDADOC_UI_RUN_DIR: runDir,
    PANDADOC_TEST_STATE_DIR: stateDir,
  };
  let tier: Awaited<ReturnType<typeof runMochaTier>>;
  try {
    tier = await runMochaTier(
      'ui',
      [
        '--no-config',
        '--ui', 'bdd',
        '--reporter', path.join(PROJECT_ROOT, 'out', 'test', 'support', 'summaryReporter.js'),
        '--timeout', '120000',
        '--exit',
        ...uiTestFiles(),
      ],
      env,
    );
  } finally {
    stopLeftoverServer(stateDir, log);
  }
  return [tier.result, leakCheckResult('leak check (ui)', stateDir, runDir, { 'ui output': tier.output })];
}

/**
 * The tests stop code-server in their `after` hook, and its module kills the group on exit; if
 * mocha itself was killed, its server's process group (and only that) is ended here.
 */
function stopLeftoverServer(stateDir: string, log: (line: string) => void): void {
  const file = path.join(stateDir, PGID_FILE);
  if (!fs.existsSync(file)) {
    return;
  }
  const pgid = Number(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file, { force: true });
  if (groupAlive(pgid)) {
    log(`ui: code-server group ${pgid} outlived the tests; killing it`);
    killGroup(pgid, 'SIGKILL');
  }
}
