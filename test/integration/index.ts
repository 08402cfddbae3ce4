/**
 * The integration suite's entry inside the extension host: the `run()` VS Code calls for
 * `extensionTestsPath` (code-server's workbench payload here, @vscode/test-electron on desktop
 * through its own runner). `PANDADOC_TEST_PHASE=afterReload` runs only the checks made after a
 * window reload. When `PANDADOC_TEST_STATE_DIR` is set, the counts are written there for the
 * harness that sums the tiers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import SummaryReporter from '../support/summaryReporter';

export function run(): Promise<void> {
  const phase = process.env.PANDADOC_TEST_PHASE === 'afterReload' ? 'afterReload' : 'main';
  const dir = phase === 'afterReload' ? path.join(__dirname, 'afterReload') : __dirname;
  // Marks the reporter's lines, so the harness can tell them from the workbench's own logging
  // (TEST_OUTPUT_MARK in test/host/browser.ts, which code running in the extension host should not import: it loads Playwright).
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`[pandadoc-test] ${format(...args)}`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: SummaryReporter });
  // While working on some files: PANDADOC_INTEGRATION_ONLY=commands,faults runs only the files whose
  // names start so (CI always runs them all).
  const only = (process.env.PANDADOC_INTEGRATION_ONLY ?? '').split(',').filter((prefix) => prefix !== '');
  const chosen = (name: string) => only.length === 0 || only.some((prefix) => name.startsWith(prefix));
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.test.js') && chosen(name)).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
      if (stateDir) {
        const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
        fs.writeFileSync(path.join(stateDir, `results-${phase}.json`), JSON.stringify({ passed: passes, failed, pending }));
      }
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
