/**
 * `npm test` anywhere but Linux x64 stops at its first step (test/host/platformCheck.mjs), before
 * lint, with a message that names what does run there. PANDADOC_TEST_PLATFORM stands in for the
 * machine's platform and arch.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../host/paths';

const CHECK = path.join(PROJECT_ROOT, 'test', 'host', 'platformCheck.mjs');

function check(platform: string) {
  const result = spawnSync(process.execPath, [CHECK], { encoding: 'utf8', env: { ...process.env, PANDADOC_TEST_PLATFORM: platform } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm test on another platform', () => {
  it('is the first step of npm test', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(manifest.scripts.test!, /^node test\/host\/platformCheck\.mjs && npm run lint && /);
  });

  it('lets Linux x64 through, silently', () => {
    assert.deepEqual(check('linux-x64'), { status: 0, stdout: '', stderr: '' });
  });

  for (const [platform, named] of [
    ['darwin-arm64', 'darwin arm64'],
    ['darwin-x64', 'darwin x64'],
    ['win32-x64', 'win32 x64'],
    ['linux-arm64', 'linux arm64'],
  ]) {
    it(`stops on ${platform} and names what runs there`, () => {
      const result = check(platform);
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^npm test runs only on Linux x64, not on ${named}:`));
      assert.match(result.stderr, /\n {2}npm run test:unit {6}the unit tier \(mocha in Node\)\n/);
      assert.match(result.stderr, /\n {2}npm run test:desktop {3}the integration suite in desktop VS Code/);
      assert.match(result.stderr, /\n {2}npm run lint {11}ESLint and the workflow lint\n/);
    });
  }

  it('stops npm test itself at once, before lint', function () {
    this.timeout(20_000);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const started = Date.now();
    const result = spawnSync(npm, ['test'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      env: { ...process.env, PANDADOC_TEST_PLATFORM: 'darwin-arm64' },
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /npm test runs only on Linux x64, not on darwin arm64/);
    assert.doesNotMatch(`${result.stdout}${result.stderr}`, /eslint|actionlint/);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});
