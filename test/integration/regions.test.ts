/**
 * Issue 14 in the real extension host: a global and an EU profile side by side, each against its
 * own test server (the named regions pointed at them; PandaDoc's real hosts are never contacted),
 * the sign-in at the EU authorize URL, the hint at the other region, and what stays as it was for
 * a profile with no region.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { AuthError } from '../../src/core/base/errors';
import { userMessageFor } from '../../src/core/view/userMessages';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertNoSecrets, assertSameStored } from '../support/assertions';
import type { PandaDocOAuthCredentials } from '../../src/api/pandadoc-auth';
import type { PandaDocServer } from '../support/pandadocServer';
import { eventually, reset, sandbox, signIn, TIMEOUT_SECONDS, withApiBaseUrl, withTestRegions } from './sandbox';

/** How many token and member requests each server has seen. */
function counts(servers: { global: PandaDocServer; eu: PandaDocServer }) {
  const of = (server: PandaDocServer) => ({ token: server.tokenRequests().length, members: server.memberRequests().length, authorize: server.authorizeRequests().length });
  return { global: of(servers.global), eu: of(servers.eu) };
}

function hostOf(server: PandaDocServer): string {
  return new URL(server.url).host;
}

async function setCredentialsIn(profile: string, region: 'global' | 'eu', client: PandaDocOAuthCredentials): Promise<void> {
  const { api } = await sandbox();
  await vscode.commands.executeCommand(COMMAND.switchProfile, { profile, create: true });
  await api.setRegion(profile, region);
  await api.setOAuthCredentials(client);
}

describe('regions', () => {
  beforeEach(reset);
  after(reset);

  it('a global and an EU profile side by side: each one’s refresh, who-am-I and curl go to its own server only', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const workspace = fs.readFileSync(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json').fsPath, 'utf8');
    for (const setting of ['apiBaseUrl', 'authBaseUrl', 'redirectUri']) {
      assert.match(workspace, new RegExp(`"pandadoc\\.${setting}": "https://attacker\\.invalid`), `the workspace tries to redirect ${setting}`);
    }
    await withTestRegions(async (servers) => {
      const { api } = await sandbox();
      const globalClient = servers.global.addClient();
      const euClient = servers.eu.addClient();
      await setCredentialsIn('Default', 'global', globalClient);
      await setCredentialsIn('Europe', 'eu', euClient);
      const start = counts(servers);

      assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), `${euClient.clientId}@example.test`);
      const curl = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
      assert.ok(curl.includes(`'${servers.eu.url}/oauth2/access_token'`), 'the curl command names the EU server');
      assertNoSecrets(curl, [...servers.eu.issued, ...servers.global.issued], 'the curl command');
      const afterEu = counts(servers);
      assert.deepEqual(afterEu.global, start.global, 'nothing reached the global server');
      assert.equal(afterEu.eu.token - start.eu.token, 1);
      assert.equal(afterEu.eu.members - start.eu.members, 1);
      const last = servers.eu.tokenRequests().at(-1);
      assert.equal(last?.form.client_id, euClient.clientId);

      await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
      assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
      assert.ok(await api.getAuthorizationHeader());
      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), `${globalClient.clientId}@example.test`);
      const afterGlobal = counts(servers);
      assert.deepEqual(afterGlobal.eu, afterEu.eu, 'nothing reached the EU server');
      assert.equal(afterGlobal.global.token - afterEu.global.token, 1);
      assert.equal(afterGlobal.global.members - afterEu.global.members, 1);

      const shown = (await sandbox()).extension.exports.testing.shownMessages();
      assert.ok(
        shown.includes(`PandaDoc profile "Default", region global (${hostOf(servers.global)}): Test User <${globalClient.clientId}@example.test>, workspace Test Workspace, role Admin.`),
        'Show Account names the region',
      );
    });
  });

  it('a sign-in in the EU profile goes to the EU authorize URL, and exchanges the code there', async () => {
    await withTestRegions(async (servers) => {
      const client = servers.eu.addClient();
      const start = counts(servers);
      const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, {
        profile: 'Europe',
        region: 'eu',
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      });
      assert.equal(signedIn, true);
      const now = counts(servers);
      assert.deepEqual(now.global, start.global, 'nothing reached the global server');
      assert.equal(now.eu.authorize - start.eu.authorize, 1, 'the browser went to the EU sign-in page');
      assert.equal(servers.eu.authorizeRequests().at(-1)?.query.client_id, client.clientId);
      assert.equal(servers.eu.tokenRequests().at(-1)?.form.grant_type, 'authorization_code');
      const { extension, api } = await sandbox();
      assert.deepEqual(extension.exports.testing.regions.get('Europe'), { kind: 'eu' });
      assert.equal(api.getStatus().profile, 'Europe');
    });
  });

  it('a region picked for a sign-in that does not complete is not kept (declined on the EU sign-in page)', async () => {
    await withTestRegions(async (servers) => {
      const { extension, stored } = await sandbox();
      const { regions } = extension.exports.testing;
      await signIn();
      const before = await stored();
      const client = servers.eu.addClient();
      servers.eu.denyNextAuthorization();
      const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, { region: 'eu', clientId: client.clientId, clientSecret: client.clientSecret });
      assert.equal(signedIn, false);
      assert.equal(servers.eu.authorizeRequests().at(-1)?.query.client_id, client.clientId, 'the browser went to the EU sign-in page');
      assert.equal(regions.get('Default'), undefined, 'the region goes only with credentials that arrive');
      assertSameStored(await stored(), before, 'the stored credentials');
    });
  });

  it('invalid_client at the global region offers "Try the EU region"; nothing goes there until it is pressed, then the refresh is retried there', async () => {
    await withTestRegions(async (servers) => {
      const { extension } = await sandbox();
      const { shownMessages, pressButton, regions } = extension.exports.testing;
      // An EU account's client, stored in a profile set to the global region.
      const client = servers.eu.addClient();
      await setCredentialsIn('Default', 'global', client);
      const start = counts(servers);

      assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), false);
      const failure = new AuthError('invalid_client', 'x', { status: 401, oauthError: 'invalid_client' });
      const expected = `${userMessageFor(failure, { apiBaseUrl: servers.global.url, timeoutMs: TIMEOUT_SECONDS * 1000 }).message} This profile uses PandaDoc's global region; if your account is in the EU region (you sign in at ${hostOf(servers.eu)}), try that one.`;
      assert.equal(shownMessages().at(-1), expected);
      assert.equal(counts(servers).global.token - start.global.token, 1);
      assert.deepEqual(counts(servers).eu, start.eu, 'nothing sent to the EU before the button');

      assert.equal(pressButton('Try the EU region'), true);
      await eventually(() => shownMessages().at(-1)?.startsWith('PandaDoc token refreshed.') === true, 'the refresh retried in the EU');
      assert.deepEqual(regions.get('Default'), { kind: 'eu' });
      assert.equal(counts(servers).eu.token - start.eu.token, 1, 'one refresh at the EU server');
      assert.equal(counts(servers).global.token - start.global.token, 1, 'and no more at the global one');
    });
  });

  it('a profile with no region follows the settings, as before regions; Change Region back to the settings', async () => {
    const { server, extension } = await sandbox();
    const { regions } = extension.exports.testing;
    const client = server.addClient();
    await (await sandbox()).api.setOAuthCredentials(client);
    assert.equal(regions.get('Default'), undefined, 'stored through the API: no question, no region');
    const curl = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
    assert.ok(curl.includes(`'${server.url}/oauth2/access_token'`));
    await withApiBaseUrl('https://api.example.test', async () => {
      const moved = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
      assert.ok(moved.includes("'https://api.example.test/oauth2/access_token'"), 'the settings still decide');
    });
    await withTestRegions(async (servers) => {
      // An argument fills in the question; the person's answer is queued as a click would give it.
      const { answerModal, askedModals } = extension.exports.testing;
      answerModal('Change Region');
      await vscode.commands.executeCommand(COMMAND.changeRegion, 'eu');
      assert.match(askedModals().at(-1) ?? '', /^Move the PandaDoc profile "Default" to the region EU/);
      const eu = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
      assert.ok(eu.includes(`'${servers.eu.url}/oauth2/access_token'`));
      answerModal('Change Region');
      assert.equal(await vscode.commands.executeCommand(COMMAND.changeRegion, 'settings'), `global (${hostOf(server)})`);
      assert.deepEqual(regions.get('Default'), { kind: 'settings' }, 'kept as chosen: the region is not asked again');
    });
  });
});
