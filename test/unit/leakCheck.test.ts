/** The harness's leak check must find a planted secret, or a clean result proves nothing. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLeaks, handOverSecrets, takeSecrets } from '../host/leakCheck';

describe('leak check', () => {
  let dir: string;
  const secret = 'f3a9c1e07b5d4a2e9c8b7a6f5e4d3c2b1a0f9e8d';

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-'));
    fs.mkdirSync(path.join(dir, 'logs', 'exthost1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'logs', 'clean.log'), 'token …9e8d refreshed\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a secret in a nested file and in printed text, naming only its fingerprint', () => {
    fs.writeFileSync(path.join(dir, 'logs', 'exthost1', 'PandaDoc.log'), `refresh_token=${secret}&x=1`);
    const report = findLeaks([secret], [dir], { 'test output': `Bearer ${secret}` });
    assert.deepEqual(
      report.leaks.map((leak) => [path.basename(leak.where), leak.secret]),
      [
        ['PandaDoc.log', '…9e8d'],
        ['test output', '…9e8d'],
      ],
    );
    assert.equal(report.filesScanned, 2);
    assert.ok(!JSON.stringify(report).includes(secret));
  });

  it("searches where an MCP server's header could land: the user's mcp.json and the workbench's IndexedDB", () => {
    // VS Code writes user MCP servers to User/mcp.json; code-server's workbench keeps its state,
    // the cached MCP server definitions included, in the browser profile's IndexedDB.
    const mcpJson = path.join(dir, 'ud', 'User', 'mcp.json');
    const indexedDb = path.join(dir, 'chrome-profile', 'Default', 'IndexedDB', 'http_127.0.0.1_1.indexeddb.leveldb', '000003.log');
    for (const file of [mcpJson, indexedDb]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    }
    fs.writeFileSync(mcpJson, JSON.stringify({ servers: { pandadoc: { type: 'http', headers: { Authorization: `Bearer ${secret}` } } } }));
    fs.writeFileSync(indexedDb, Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`{"label":"PandaDoc Docs and API","headers":{"Authorization":"API-Key ${secret}"}}`)]));
    assert.deepEqual(findLeaks([secret], [dir], {}).leaks.map((leak) => path.basename(leak.where)).sort(), ['000003.log', 'mcp.json']);
  });

  it('reports nothing when only fingerprints were written, and skips excluded paths', () => {
    const handOver = path.join(dir, 'state');
    fs.mkdirSync(handOver);
    fs.writeFileSync(path.join(handOver, 'secrets.json'), JSON.stringify([secret]));
    assert.deepEqual(findLeaks([secret], [dir], { out: 'token …9e8d' }, [handOver]).leaks, []);
  });

  it('takeSecrets reads the hand-over file once and deletes it', () => {
    handOverSecrets(dir, [secret, 'an-authorization-code-1'], ['an-authorization-code-1']);
    assert.deepEqual(takeSecrets(dir), { secrets: [secret], browserVisible: ['an-authorization-code-1'] });
    assert.equal(fs.existsSync(path.join(dir, 'secrets.json')), false);
    assert.equal(takeSecrets(dir), undefined);
  });
});
