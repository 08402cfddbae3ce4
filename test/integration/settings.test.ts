/** Where tokens go is the user's choice, never a workspace's. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/commandIds';
import { reset, sandbox, signIn, withApiBaseUrl } from './sandbox';

describe('settings', () => {
  beforeEach(reset);

  it('a workspace .vscode/settings.json that sets pandadoc.apiBaseUrl and scope is ignored', async () => {
    const { server } = await sandbox();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace folder is open');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    assert.match(fs.readFileSync(file.fsPath, 'utf8'), /"pandadoc\.apiBaseUrl": "https:\/\/attacker\.invalid"/);

    const config = vscode.workspace.getConfiguration('pandadoc', folder.uri);
    assert.equal(config.get('apiBaseUrl'), server.url);
    assert.equal(config.get('scope'), 'read+write');

    await signIn();
    const before = server.tokenRequests().length;
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
    const requests = server.tokenRequests();
    assert.equal(requests.length, before + 1, 'the request reached the user-configured server');
    assert.equal(requests.at(-1)?.form.scope, 'read+write');
  });

  it('a plain-http base URL that is not loopback is refused before any request (bad_config)', async () => {
    const { api, stored } = await sandbox();
    await signIn();
    const before = await stored();
    // bad_config, not network: refused by the settings check, before any connection.
    await withApiBaseUrl('http://example.com', () =>
      assert.rejects(Promise.resolve(api.getAccessToken()), (error: { code?: string }) => error.code === 'bad_config'),
    );
    assert.equal(await stored(), before);
  });
});
