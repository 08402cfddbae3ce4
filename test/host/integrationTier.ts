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
import { findLeaks, takeSecrets } from './leakCheck';
import { PROJECT_ROOT } from './paths';
import type { HostBinaries } from './provision';
import { newRunDir, type TierResult } from './tier';

const PHASE_TIMEOUT_MS = 5 * 60_000;

export async function runIntegrationTier(host: HostBinaries, log: (line: string) => void): Promise<TierResult[]> {
  const started = Date.now();
  const { runDir, stateDir } = newRunDir('integration');
  const server = await startCodeServer(host, { runDir, testDriver: true });
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
        env: { PANDADOC_TEST_STATE_DIR: stateDir, PANDADOC_TEST_PHASE: phase, PANDADOC_TEST_LEAK_CHECK: '1' },
      });
      results.push(readPhase(stateDir, phase, code, (Date.now() - phaseStarted) / 1000));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  fs.writeFileSync(path.join(runDir, 'host-output.log'), browser.lines.join('\n'));
  results.push(leakCheck(stateDir, runDir, browser.lines.join('\n'), started));
  return results;
}

function readPhase(stateDir: string, phase: string, exitCode: number, seconds: number): TierResult {
  const name = `integration (${phase})`;
  const file = path.join(stateDir, `results-${phase}.json`);
  if (!fs.existsSync(file)) {
    const why = exitCode === -1 ? 'timed out' : `ended with exit code ${exitCode}`;
    return { name, passed: 0, failed: 1, skipped: 0, seconds, error: `the suite ${why} before reporting results` };
  }
  const counts = JSON.parse(fs.readFileSync(file, 'utf8')) as { passed: number; failed: number; pending: number };
  const result: TierResult = { name, passed: counts.passed, failed: counts.failed, skipped: counts.pending, seconds };
  if (exitCode !== 0 && counts.failed === 0) {
    return { ...result, failed: 1, error: `the workbench reported exit code ${exitCode}` };
  }
  return result;
}

function leakCheck(stateDir: string, runDir: string, printed: string, started: number): TierResult {
  const name = 'leak check (integration)';
  const secrets = takeSecrets(stateDir);
  if (!secrets) {
    return { name, passed: 0, failed: 1, skipped: 0, seconds: 0, error: 'the suite handed over no secrets to search for' };
  }
  const scanStarted = Date.now();
  const report = findLeaks(secrets, [runDir], { 'integration output': printed }, [stateDir]);
  fs.rmSync(stateDir, { recursive: true, force: true });
  const seconds = (Date.now() - scanStarted) / 1000;
  console.log(
    `leak check: ${secrets.length} secrets, ${report.filesScanned} files + output (${(report.bytesScanned / 1e6).toFixed(1)} MB), ` +
      `${report.leaks.length} hits (tier took ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  report.leaks.forEach((leak) => console.log(`  LEAK: secret ${leak.secret} in ${leak.where}`));
  return report.leaks.length === 0
    ? { name, passed: 1, failed: 0, skipped: 0, seconds }
    : { name, passed: 0, failed: 1, skipped: 0, seconds, error: `${report.leaks.length} secret(s) found` };
}
