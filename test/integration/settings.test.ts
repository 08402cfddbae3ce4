/** Where tokens go is the user's choice, never a workspace's. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { eventually, reset, sandbox, signIn, withApiBaseUrl, withUserSetting } from './sandbox';

/** The test workspace folder's own settings file, which tries to override the user's. */
function workspaceSettings(): { folder: vscode.WorkspaceFolder; text: string } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  return { folder, text: fs.readFileSync(file.fsPath, 'utf8') };
}

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

  it('a workspace .vscode/settings.json that sets pandadoc.authBaseUrl and redirectUri cannot move the browser sign-in', async () => {
    const { server } = await sandbox();
    const { folder, text } = workspaceSettings();
    assert.match(text, /"pandadoc\.authBaseUrl": "https:\/\/attacker\.invalid"/);
    assert.match(text, /"pandadoc\.redirectUri": "https:\/\/attacker\.invalid\/callback"/);
    // Read for the folder, as a resource-scoped setting would be: still the user's values.
    const config = vscode.workspace.getConfiguration('pandadoc', folder.uri);
    const userRedirect = config.inspect<string>('redirectUri')?.globalValue;
    assert.match(userRedirect ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/, 'the sandbox set a loopback redirect URI');
    assert.equal(config.get('authBaseUrl'), server.url);
    assert.equal(config.get('redirectUri'), userRedirect);

    const client = server.addClient();
    const before = server.authorizeRequests().length;
    const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, { clientId: client.clientId, clientSecret: client.clientSecret });
    assert.equal(signedIn, true, 'signed in through the user-configured server');
    assert.equal(server.authorizeRequests().length, before + 1, 'the browser was sent to the user-configured server');
    const authorize = server.authorizeRequests().at(-1);
    assert.equal(authorize?.query?.redirect_uri, userRedirect, 'with the user-configured redirect URI');
    assert.equal(server.tokenRequests().at(-1)?.form.redirect_uri, userRedirect);
  });

  it('a workspace .vscode/settings.json that sets pandadoc.clipboardClearSeconds to 0 is ignored: the user\'s 1 s decides (a clear on desktop; in a browser window the message says it stays)', async () => {
    const { folder, text } = workspaceSettings();
    assert.match(text, /"pandadoc\.clipboardClearSeconds": 0/);
    await signIn();
    await withUserSetting('clipboardClearSeconds', 1, async () => {
      assert.equal(vscode.workspace.getConfiguration('pandadoc', folder.uri).get('clipboardClearSeconds'), 1);
      // Empty can then only come from the clear: the copy replaced this with the token.
      await vscode.env.clipboard.writeText('before the copy');
      assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
      if (vscode.env.uiKind === vscode.UIKind.Web) {
        // A browser window never clears (clipboardClear.ts); with the workspace's 0 in force the
        // copy message would say nothing about the clipboard at all.
        const { extension } = await sandbox();
        const copied = extension.exports.testing.shownMessages().filter((message) => /^PandaDoc (access token|API key) copied/.test(message)).at(-1);
        assert.match(copied ?? '', /it stays on the clipboard until you copy something else: in a browser window/);
        return;
      }
      await eventually(async () => (await vscode.env.clipboard.readText()) === '', 'clearing the clipboard after 1 s');
    });
  });

  it('a changed setting applies to the next call: the settings kept between calls follow every change', async () => {
    const { server, api } = await sandbox();
    const lifetime = server.expiresIn;
    // An hour: fresh for the default 5-minute margin, due within a day's margin.
    server.expiresIn = 3600;
    try {
      await signIn();
      await api.getAccessToken();
    } finally {
      server.expiresIn = lifetime;
    }
    const before = server.tokenRequests().length;
    assert.ok(await api.getAccessToken());
    assert.equal(server.tokenRequests().length, before, 'a fresh token serves without a request');
    // A margin longer than the token's life makes it due at once; the very next call refreshes.
    await withUserSetting('refreshMarginMinutes', 1440, async () => {
      assert.ok(await api.getAccessToken());
      assert.equal(server.tokenRequests().length, before + 1, 'the new margin applied to the next call');
    });
    const after = server.tokenRequests().length;
    assert.ok(await api.getAccessToken());
    assert.equal(server.tokenRequests().length, after, 'and the default margin again once it was put back');
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
