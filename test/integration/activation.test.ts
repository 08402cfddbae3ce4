/** The real bundle, activated by VS Code with nothing stored. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readSnapshot, SNAPSHOT_KEY, takeSnapshot } from '../../src/core/profiles/statusSnapshot';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { reset, sandbox, signIn } from './sandbox';

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

  it('the status snapshot follows every store in the same turn, and a corrupt one is replaced', async () => {
    const { extension, api } = await sandbox();
    const { globalState } = extension.exports.testing;
    const version = String(extension.packageJSON.version);
    const stored = () => readSnapshot(globalState.get(SNAPSHOT_KEY), version);
    // What a broken or older writer could leave: never trusted, and gone at the next change.
    await globalState.update(SNAPSHOT_KEY, { format: 1, version: '0.0.1', profile: 'Default', profiles: 1, kind: 'apiKey', canRefresh: false });
    assert.equal(stored(), undefined, 'another version’s snapshot reads as none');
    await globalState.update(SNAPSHOT_KEY, '{"format":1,');
    assert.equal(stored(), undefined, 'a corrupt one reads as none');
    await signIn();
    // No await between: written in the same turn as the store.
    const status = api.getStatus();
    assert.equal(status.kind, 'oauth');
    assert.deepEqual(stored(), {
      format: 1,
      version,
      profile: status.profile,
      profiles: 1,
      kind: 'oauth',
      ...(status.expiresAt === undefined ? {} : { expiresAt: status.expiresAt }),
      canRefresh: true,
    });
    await api.signOut();
    assert.deepEqual(stored(), takeSnapshot({ status: { kind: 'none' }, canRefresh: false, refreshing: false, unreadable: false, profile: { name: 'Default', shown: false } }, 1, version));
  });
});
