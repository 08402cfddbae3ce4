/** Every command in the contract, run with argument objects as other extensions and keybindings do. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { profileKey } from '../../src/core/token/credentials';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { currentWorkspace } from '../../src/vscode/base/workspaceIdentity';
import { assertDifferentSecret, assertNoSecrets, assertSameSecret, assertSameStored } from '../support/assertions';
import { answerConsent, eventually, nextStatus, reset, sandbox, signIn } from './sandbox';

const HOUR = 3_600_000;

describe('commands', () => {
  beforeEach(reset);

  it('setCredentials with an argument object stores without a request', async () => {
    const { api, server, storedJson } = await sandbox();
    const before = server.tokenRequests().length;
    const changed = nextStatus(api);
    const client = await signIn();
    assert.deepEqual(await changed, { kind: 'oauth', profile: 'Default' });
    assert.equal(server.tokenRequests().length, before);
    const stored = await storedJson();
    assert.equal(stored?.kind, 'oauth');
    assert.equal(stored?.clientId, client.clientId);
    assertSameSecret(stored?.refreshToken as string, client.refreshToken, 'stored refresh token');
  });

  it('a mistyped refresh token over working credentials: PandaDoc refuses it, and Put Back restores what worked', async () => {
    const { api, extension, storedJson } = await sandbox();
    const { answerModal, shownMessages, pressButton } = extension.exports.testing;
    const client = await signIn();
    const token = await api.getAccessToken();
    const before = await storedJson();
    answerModal('Store');
    await vscode.commands.executeCommand(COMMAND.setCredentials, { ...client, refreshToken: 'mistyped-refresh-token-0123456789' });
    assert.match(
      shownMessages().at(-1) ?? '',
      /^PandaDoc refused the credentials just saved in the profile "Default": refresh token rejected \(invalid_grant\)\. Put Back restores what it held before;/,
    );
    assert.equal(pressButton('Put Back'), true);
    await eventually(() => shownMessages().at(-1) === 'Put back what the PandaDoc profile "Default" held before.', 'the put-back message');
    const after = await storedJson();
    assertSameSecret(after?.refreshToken as string, before?.refreshToken as string, 'the refresh token that worked');
    assertSameSecret(await api.getAccessToken(), token, 'the token that worked');
  });

  it('setCredentials rejects invalid input with bad_input and keeps what was stored', async () => {
    const { stored } = await sandbox();
    await signIn();
    const before = await stored();
    const bad = [{ clientId: '', clientSecret: 'x'.repeat(20), refreshToken: 'y'.repeat(20) }, { clientId: 'id', refreshToken: 'y'.repeat(20) }, 'not an object'];
    for (const argument of bad) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMAND.setCredentials, argument)), (error: { code?: string }) => {
        assert.equal(error.code, 'bad_input');
        return true;
      });
    }
    assertSameStored(await stored(), before, 'stored credentials');
  });

  it('refreshToken refreshes now, and the rotated refresh token is persisted in SecretStorage', async () => {
    const { server, storedJson, api } = await sandbox();
    const client = await signIn();
    const requestsBefore = server.tokenRequests().length;
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
    assert.equal(server.tokenRequests().length, requestsBefore + 1);
    const first = await storedJson();
    assert.equal(server.isLive(client.refreshToken), false, 'the server rotated the old refresh token away');
    assert.equal(server.isLive(first?.refreshToken as string), true, 'the stored refresh token is the live one');
    assertSameSecret(first?.accessToken as string, server.issued.at(-1), 'stored access token');
    assert.ok((first?.expiresAt as number) > Date.now() + 300 * 24 * HOUR, 'about a year left');

    // Forced again: another rotation, again persisted, and the API hands out the new token.
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
    const second = await storedJson();
    assertDifferentSecret(second?.refreshToken as string, first?.refreshToken as string, 'refresh token after the second refresh');
    assert.equal(server.isLive(second?.refreshToken as string), true);
    assertSameSecret(await api.getAccessToken(), second?.accessToken as string, 'getAccessToken after refresh');
  });

  it('copyAccessToken puts exactly the current token on the clipboard', async () => {
    const { api } = await sandbox();
    await signIn();
    await vscode.env.clipboard.writeText('before');
    assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), true);
    assertSameSecret(await vscode.env.clipboard.readText(), await api.getAccessToken(), 'clipboard');
    await vscode.env.clipboard.writeText('');
  });

  it('copyAccessToken with nothing stored copies nothing and resolves false', async () => {
    await vscode.env.clipboard.writeText('untouched');
    assert.equal(await vscode.commands.executeCommand(COMMAND.copyAccessToken), false);
    assert.equal(await vscode.env.clipboard.readText(), 'untouched');
  });

  it('setApiKey with a string stores the key in place of OAuth credentials', async () => {
    const { api, server, storedJson } = await sandbox();
    await signIn();
    const key = `${'a1b2c3d4'.repeat(5)}`;
    server.issued.push(key);
    const changed = nextStatus(api);
    await (await sandbox()).api.setApiKey(key);
    assert.deepEqual(await changed, { kind: 'apiKey', profile: 'Default' });
    assert.deepEqual(Object.keys((await storedJson()) ?? {}).sort(), ['apiKey', 'kind', 'version']);
    assertSameSecret(await api.getAccessToken(), key, 'getAccessToken for an API key');
    assertSameSecret(await api.getAuthorizationHeader(), `API-Key ${key}`, 'header for an API key');
    // An API key cannot be refreshed: the command says so and sends nothing.
    const before = server.tokenRequests().length;
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), false);
    assert.equal(server.tokenRequests().length, before);
  });

  it('setApiKey rejects an invalid key with bad_input and keeps what was stored', async () => {
    const { stored } = await sandbox();
    await signIn();
    const before = await stored();
    for (const argument of ['', '   ', 'has spaces in the middle of it 1234567890', 'line\nbreak', 'Bearer abcdef0123456789', 42]) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMAND.setApiKey, argument)), (error: { code?: string }) => {
        assert.equal(error.code, 'bad_input');
        return true;
      });
    }
    assertSameStored(await stored(), before, 'stored credentials');
  });

  it('signOut through the API deletes the secret and announces it', async () => {
    const { api, stored } = await sandbox();
    await signIn();
    const changed = nextStatus(api);
    assert.equal(await api.signOut(), true);
    assert.deepEqual(await changed, { kind: 'none', profile: 'Default' });
    assert.equal(await stored(), undefined);
    assert.equal(await api.getAccessToken(), undefined);
  });

  it('renameProfile moves the credentials to the new name; deleteProfile of the last profile leaves an empty Default', async () => {
    const { api, secrets, storedJson } = await sandbox();
    const client = await signIn();
    assert.equal(await vscode.commands.executeCommand(COMMAND.renameProfile, { to: 'Production' }), 'Production');
    assert.deepEqual(api.getStatus().profile, 'Production');
    assert.equal((await storedJson())?.clientId, client.clientId, 'the credentials went with it');
    assert.equal(await secrets.get(profileKey('Default')), undefined, 'nothing left under the old name');

    const { answerModal, askedModals } = (await sandbox()).extension.exports.testing;
    answerModal('Delete Profile');
    assert.equal(await vscode.commands.executeCommand(COMMAND.deleteProfile), true);
    assert.equal(askedModals().at(-1), 'Delete the PandaDoc profile "Production"?');
    assert.deepEqual(api.getStatus(), { kind: 'none', profile: 'Default' });
    assert.equal(await secrets.get(profileKey('Production')), undefined);
  });

  it('showLog and showActions run (the quick pick closes without choosing)', async () => {
    await vscode.commands.executeCommand(COMMAND.showLog);
    const picked = vscode.commands.executeCommand(COMMAND.showActions);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await picked, undefined);
  });

  /**
   * Until the task input, no command returned a secret. Now exactly one does: the task input,
   * and only once the workspace is allowed. Every command of the contract runs here (the table is
   * keyed by the command names, so a new command does not compile until it has its row), on its
   * way that succeeds where it can, with credentials stored; what each one returns is searched
   * for every secret the run has seen.
   */
  it('only pandadoc.taskCredential returns a secret, and only after consent', async function () {
    this.timeout(60_000);
    const { server, api, extension } = await sandbox();
    const { grants, answerModal } = extension.exports.testing;
    /** A command that asks a modal question, answered `label` as a person would. */
    const answered = (label: string, id: string, arg?: unknown) => {
      answerModal(label);
      return vscode.commands.executeCommand(id, arg);
    };
    const client = await signIn();
    const postman = path.join(process.env.PANDADOC_TEST_STATE_DIR ?? os.tmpdir(), `pandadoc-results-${process.pid}.postman_environment.json`);
    const imported = server.addClient();
    const values = [
      { key: 'client_id', value: imported.clientId, enabled: true, type: 'default' },
      { key: 'client_secret', value: imported.clientSecret, enabled: true, type: 'secret' },
      { key: 'refresh_token', value: imported.refreshToken, enabled: true, type: 'secret' },
    ];
    fs.writeFileSync(postman, JSON.stringify({ id: 'r', name: 'Results', values, _postman_variable_scope: 'environment' }), { mode: 0o600 });
    const apiKey = server.addApiKey();
    /** A command that opens a quick pick: closed again, as a user pressing Escape. */
    const closingPick = async (id: string) => {
      const result = vscode.commands.executeCommand(id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return result;
    };
    const taskInputDenied = async () => {
      await answerConsent('deny');
      return vscode.commands.executeCommand(COMMAND.taskCredential).then(
        (value) => ({ value }),
        (error: Error) => ({ rejected: error.message.startsWith('The task or launch configuration was cancelled') }),
      );
    };
    const calls: Record<keyof typeof COMMAND, () => Thenable<unknown>> = {
      signIn: () => vscode.commands.executeCommand(COMMAND.signIn, { clientId: client.clientId, clientSecret: client.clientSecret }),
      setCredentials: () => answered('Store', COMMAND.setCredentials, server.addClient()),
      refreshToken: () => vscode.commands.executeCommand(COMMAND.refreshToken),
      copyAccessToken: () => vscode.commands.executeCommand(COMMAND.copyAccessToken),
      showAccount: () => vscode.commands.executeCommand(COMMAND.showAccount),
      showLog: () => vscode.commands.executeCommand(COMMAND.showLog),
      showActions: () => closingPick(COMMAND.showActions),
      copyRefreshAsCurl: () => vscode.commands.executeCommand(COMMAND.copyRefreshAsCurl),
      changeRegion: () => answered('Change Region', COMMAND.changeRegion, 'settings'),
      taskCredential: taskInputDenied,
      manageWorkspacePermissions: async () => {
        const workspace = currentWorkspace();
        assert.ok(workspace);
        await grants.grant(workspace, 'terminal');
        return closingPick(COMMAND.manageWorkspacePermissions);
      },
      // After the grant above: Turn Off is then the last word on the terminal route.
      turnOnTerminalCredentials: () => vscode.commands.executeCommand(COMMAND.turnOnTerminalCredentials),
      turnOffTerminalCredentials: () => vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials),
      turnOnMcpServers: () => answered('Turn On', COMMAND.turnOnMcpServers),
      turnOffMcpServers: () => vscode.commands.executeCommand(COMMAND.turnOffMcpServers),
      importPostmanEnvironment: () => answered('Import', COMMAND.importPostmanEnvironment, { path: postman, region: 'settings' }),
      switchProfile: () => vscode.commands.executeCommand(COMMAND.switchProfile, 'Default'),
      renameProfile: () => vscode.commands.executeCommand(COMMAND.renameProfile, { to: 'Renamed' }),
      setApiKey: () => answered('Store', COMMAND.setApiKey, apiKey),
      deleteProfile: () => answered('Delete Profile', COMMAND.deleteProfile, { profile: 'Results' }),
      // One profile is left by now: the one question, answered.
      signOut: () => answered('Sign Out', COMMAND.signOut, { all: true }),
    };
    const results: Record<string, unknown> = {};
    try {
      for (const [name, call] of Object.entries(calls)) {
        results[name] = await call();
      }
    } finally {
      fs.rmSync(postman, { force: true });
      await vscode.env.clipboard.writeText('');
      for (const grant of grants.list()) {
        await grants.revoke(grant.workspace.id, grant.route);
      }
    }
    const secrets = [...server.issued, client.clientSecret, imported.clientSecret];
    assertNoSecrets(JSON.stringify(results), secrets, 'what the commands returned');
    assert.deepEqual(results.taskCredential, { rejected: true }, 'denied: nothing returned');
    // What the successful ones returned, for the record (none of it secret).
    assert.equal(results.signIn, true);
    assert.equal(results.refreshToken, true);
    assert.equal(results.copyAccessToken, true);
    assert.equal(results.importPostmanEnvironment, 'Results');
    assert.equal(results.setApiKey, undefined);
    assert.equal(results.signOut, true);
    assert.equal(results.turnOnTerminalCredentials, true);
    assert.equal(results.turnOffTerminalCredentials, true);
    assert.equal(results.turnOnMcpServers, true);
    assert.equal(results.turnOffMcpServers, true);

    // The one way a secret comes back: the task input, once allowed.
    await signIn();
    await answerConsent('once');
    assertSameSecret(String(await vscode.commands.executeCommand(COMMAND.taskCredential)), await api.getAuthorizationHeader(), 'the allowed task input');
  });
});
