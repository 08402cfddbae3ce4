/**
 * What a new user ran into in 0.2.0 (issue 20) before the extension itself: what `npm start`
 * prints, serves and writes, and what CONTRIBUTING says a clone needs.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprint } from '../../src/core/base/redact';
import { PROJECT_ROOT } from '../host/paths';
import { CODE_SERVER_INSTALL_TIME } from '../host/provision';
import { DEMO, sandboxWorkspace, startSandboxServer } from '../host/start';

const readDoc = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('trying it from a clone (issue 20)', () => {
  it('item 2: npm inside the sandbox workspace stops at the workspace’s own package.json, not the repository’s', function () {
    this.timeout(30_000);
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-clone-'));
    try {
      fs.writeFileSync(path.join(clone, 'package.json'), '{ "name": "the-repository", "dependencies": { "pandadoc-node-client": "6.2.0" } }\n');
      const workspace = sandboxWorkspace(path.join(clone, '.vscode-test', 'sandbox'));
      const folder = path.join(workspace, 'sdk');
      fs.mkdirSync(folder, { recursive: true });
      const prefix = spawnSync('npm', ['prefix'], { cwd: folder, encoding: 'utf8', env: { ...process.env, npm_config_prefix: '' } });
      assert.equal(prefix.status, 0, prefix.stderr);
      assert.equal(fs.realpathSync(prefix.stdout.trim()), fs.realpathSync(workspace), 'npm install there changes the workspace, never the clone');
      const manifest = JSON.parse(fs.readFileSync(path.join(workspace, 'package.json'), 'utf8')) as { private?: boolean };
      assert.equal(manifest.private, true);
      // A second start keeps what the user installed.
      fs.writeFileSync(path.join(workspace, 'package.json'), '{ "private": true, "dependencies": { "pandadoc-node-client": "^6.2.0" } }\n');
      sandboxWorkspace(path.join(clone, '.vscode-test', 'sandbox'));
      assert.match(fs.readFileSync(path.join(workspace, 'package.json'), 'utf8'), /pandadoc-node-client/);
      assert.match(readDoc('package.json'), /"pandadoc-node-client": "6\.2\.0"/, 'the repository’s own pin');
    } finally {
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });

  it('item 9: the demo values end differently, so their fingerprints tell them apart', () => {
    const secrets = [DEMO.clientSecret, DEMO.refreshToken, DEMO.apiKey];
    const prints = secrets.map(fingerprint);
    assert.equal(new Set(prints).size, secrets.length, prints.join(' '));
    for (const doc of ['README.md', 'docs/development.md']) {
      for (const value of [DEMO.clientId, ...secrets]) {
        assert.ok(readDoc(doc).includes(value), `${doc} gives ${value}`);
      }
    }
  });

  describe('item 11: npm start', () => {
    it('packages without vsce’s file tree or the Marketplace hint', function () {
      this.timeout(180_000);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-package-'));
      try {
        const vsix = path.join(dir, 'sandbox.vsix');
        const script = `require(${JSON.stringify(path.join(PROJECT_ROOT, 'out', 'test', 'host', 'start.js'))}).packageExtension(${JSON.stringify(vsix)}).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })`;
        const run = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.ok(fs.existsSync(vsix), 'the .vsix is written');
        const printed = run.stdout + run.stderr;
        assert.doesNotMatch(printed, /[├└]─/, 'no file tree');
        assert.doesNotMatch(printed, /Marketplace/, 'no publishing hint');
        assert.match(printed, /packaged .*sandbox\.vsix/, 'one line says what was built');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says the code-server install takes what the README says', () => {
      assert.equal(CODE_SERVER_INSTALL_TIME, 'about 1.5 minutes');
      assert.ok(readDoc('README.md').includes(CODE_SERVER_INSTALL_TIME));
      assert.ok(readDoc('docs/development.md').includes(CODE_SERVER_INSTALL_TIME));
    });

    it('the sandbox server’s address answers a page saying what it is and which values to use', async () => {
      const server = await startSandboxServer(() => undefined);
      try {
        const response = await fetch(`${server.url}/`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        const page = await response.text();
        assert.match(page, /PandaDoc Auth sandbox/);
        for (const value of [DEMO.clientId, DEMO.clientSecret, DEMO.refreshToken, DEMO.apiKey]) {
          assert.ok(page.includes(value), `the page gives ${value}`);
        }
        assert.match(page, /not PandaDoc/i, 'it says it is not the real PandaDoc');
      } finally {
        await server.close();
      }
    });
  });

  it('item 12: CONTRIBUTING says that ../shared must sit beside the clone', () => {
    const contributing = readDoc('CONTRIBUTING.md');
    assert.match(contributing, /`\.\.\/shared\/?`/);
    assert.match(contributing, /beside the clone/);
    assert.match(contributing, /pandadoc-openapi-auth\.json/);
  });

});
