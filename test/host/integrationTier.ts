/**
 * The integration tier: the suite in test/integration runs inside code-server's real extension
 * host, loaded through the workbench `payload` (as VS Code's own web tests do), with the
 * extension from the project folder (its esbuild bundle). Then a second page in the same browser
 * profile, which is a window reload with the same SecretStorage, runs the after-reload checks.
 * Last, the leak check over the run folder and everything printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openBrowser, runExtensionTests } from './browser';
import { startCodeServer } from './codeServer';
import { packageConsumer } from './consumer';
import { leakCheckResult } from './leakCheck';
import { PROJECT_ROOT } from './paths';
import type { HostBinaries } from './provision';
import { failedTier, newRunDir, type TierResult } from './tier';

const PHASE_TIMEOUT_MS = 5 * 60_000;

export async function runIntegrationTier(host: HostBinaries, log: (line: string) => void): Promise<TierResult[]> {
  const { runDir, stateDir } = newRunDir('integration');
  const server = await startCodeServer(host, { runDir, testDriver: true, vsix: [packageConsumer(runDir)] });
  const browser = await openBrowser(host, server).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const results: TierResult[] = [];
  try {
    const common = {
      extensionPath: PROJECT_ROOT,
      testsEntry: path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index.js'),
      folder: path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace'),
      timeoutMs: PHASE_TIMEOUT_MS,
    };
    for (const phase of ['main', 'afterReload'] as const) {
      const phaseStarted = Date.now();
      log(`integration (${phase}): code-server ${server.url}, run folder ${path.relative(PROJECT_ROOT, runDir)}`);
      // A new page of the same profile is a reloaded window: a new extension host, same secrets.
      const page = phase === 'main' ? browser.page : await browser.context.newPage();
      if (phase !== 'main') {
        await browser.page.close();
      }
      const code = await runExtensionTests(browser, server, {
        ...common,
        page,
        env: {
          PANDADOC_TEST_STATE_DIR: stateDir,
          PANDADOC_TEST_PHASE: phase,
          PANDADOC_TEST_LEAK_CHECK: '1',
          // test/integration/index.ts: only some files, while working on them.
          PANDADOC_INTEGRATION_ONLY: process.env.PANDADOC_INTEGRATION_ONLY ?? '',
        },
      });
      results.push(readPhase(stateDir, phase, code, (Date.now() - phaseStarted) / 1000));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const printed = browser.lines.join('\n');
  fs.writeFileSync(path.join(runDir, 'host-output.log'), printed);
  results.push(deprecationCheck(printed));
  results.push(leakCheckResult('leak check (integration)', stateDir, runDir, { 'integration output': printed }));
  return results;
}

/**
 * Node 24 (code-server's extension host) prints DEP0169 once per process when url.parse() is
 * called, as node-fetch 2 does unless the bundle hands it nodeFetchUrl.js (see esbuild.mjs). The
 * extension host's stderr reaches the workbench's console, which the run recorded.
 */
function deprecationCheck(printed: string): TierResult {
  const name = 'no DEP0169 (integration)';
  const lines = printed.split('\n').filter((line) => line.includes('[DEP0169]'));
  console.log(`${name}: ${lines.length} line(s) found`);
  return lines.length === 0 ? { name, passed: 1, failed: 0, skipped: 0, seconds: 0 } : failedTier(name, 0, `url.parse() was called: ${lines[0]}`);
}

function readPhase(stateDir: string, phase: string, exitCode: number, seconds: number): TierResult {
  const name = `integration (${phase})`;
  const file = path.join(stateDir, `results-${phase}.json`);
  if (!fs.existsSync(file)) {
    const why = exitCode === -1 ? 'timed out' : `ended with exit code ${exitCode}`;
    return failedTier(name, seconds, `the suite ${why} before reporting results`);
  }
  const counts = JSON.parse(fs.readFileSync(file, 'utf8')) as { passed: number; failed: number; pending: number };
  const result: TierResult = { name, passed: counts.passed, failed: counts.failed, skipped: counts.pending, seconds };
  if (exitCode !== 0 && counts.failed === 0) {
    return { ...result, failed: 1, error: `the workbench reported exit code ${exitCode}` };
  }
  return result;
}
