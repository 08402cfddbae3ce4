// The integration suite in desktop VS Code, with the ecosystem's standard runner:
// `vscode-test` (@vscode/test-cli) downloads VS Code through @vscode/test-electron, so it needs
// internet. It loads the same compiled tests as the code-server tier (test/host/integrationTier.ts):
// build first, `node esbuild.mjs && tsc -p .`, since the extension runs from dist/extension.js.
//
// Two configurations, run in this order; pick one with `vscode-test --label <label>`:
//   integration  the suite; at its end it leaves credentials stored and writes what the next
//                window must find into the state folder
//   afterReload  a new VS Code on the same user data: what was stored must still be there
import { defineConfig } from '@vscode/test-cli';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const cache = join(root, '.vscode-test');

// Shared by both configurations: the main run writes reload-expect.json (digests only) here, the
// afterReload run reads it. It skips itself without it.
const stateDir = join(cache, 'desktop-state');
mkdirSync(stateDir, { recursive: true, mode: 0o700 });

// The same user data for both runs, so the second VS Code finds the first one's SecretStorage.
// On Linux the basic password store keeps those secrets in this folder rather than in the
// developer's login keyring, and needs no keyring daemon on CI.
const launchArgs = [`--user-data-dir=${join(cache, 'desktop-user-data')}`];
if (process.platform === 'linux') {
  launchArgs.push('--password-store=basic');
}

// The test files of one folder in name order, as test/integration/index.ts loads them in
// code-server (a glob returns them in directory order). Before `tsc` has run, the glob itself.
function testFiles(folder) {
  const dir = join(root, folder);
  if (!existsSync(dir)) {
    return `${folder}/*.test.js`;
  }
  return readdirSync(dir).filter((name) => name.endsWith('.test.js')).sort().map((name) => join(dir, name));
}

const common = {
  // The VS Code inside the code-server tier (test/host/versions.ts), so both hosts run the same
  // release; `vscode-test --code-version stable` (or 1.90.0, the engines minimum) tries another.
  version: '1.139.1',
  workspaceFolder: join(root, 'test', 'fixtures', 'workspace'),
  launchArgs: [...launchArgs],
  mocha: {
    ui: 'bdd',
    timeout: 20_000,
    // Spec output plus the `N passed, M failed` line the other tiers end with.
    reporter: join(root, 'out', 'test', 'support', 'summaryReporter.js'),
  },
};

export default defineConfig([
  {
    ...common,
    label: 'integration',
    files: testFiles('out/test/integration'),
    env: { PANDADOC_TEST_STATE_DIR: stateDir },
  },
  {
    ...common,
    label: 'afterReload',
    files: testFiles('out/test/integration/afterReload'),
    env: { PANDADOC_TEST_STATE_DIR: stateDir, PANDADOC_TEST_PHASE: 'afterReload' },
  },
]);
