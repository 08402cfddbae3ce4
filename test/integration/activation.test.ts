/** The real bundle, activated by VS Code with nothing stored. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/commandIds';
import { reset, sandbox } from './sandbox';

describe('activation', () => {
  before(async () => {
    await sandbox();
    await reset();
  });

  it('activates the bundled build and offers API version 1 only', async () => {
    const { extension, api } = await sandbox();
    assert.equal(extension.isActive, true);
    assert.match(extension.packageJSON.main as string, /dist\/extension\.js$/);
    assert.equal(typeof api.getAccessToken, 'function');
    assert.throws(() => extension.exports.getApi(2 as 1), /does not offer API version 2/);
  });

  it('registers every command package.json contributes', async () => {
    const { extension } = await sandbox();
    const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual([...contributed].sort(), Object.values(COMMAND).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('with nothing stored: status none, no token, and no request sent', async () => {
    const { api, server } = await sandbox();
    const before = server.requests.length;
    assert.deepEqual(api.getStatus(), { kind: 'none', profile: 'Default' });
    assert.equal(await api.getAccessToken(), undefined);
    assert.equal(await api.getAuthorizationHeader(), undefined);
    assert.equal(server.requests.length, before);
  });
});
