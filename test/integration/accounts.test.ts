/**
 * Issue 4 in the real extension host: the authentication provider as a second extension sees it,
 * profiles, who-am-I, Postman import and the curl command.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PandaDocAuthStatus } from '../../src/api/pandadoc-auth';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertNoSecrets, assertSameSecret, digest } from '../support/assertions';
import { nextStatus, reset, sandbox, signIn } from './sandbox';

const CONSUMER_ID = 'pandadoc-tests.pandadoc-consumer';

interface Consumer {
  getSession(scopes: readonly string[], options?: vscode.AuthenticationGetSessionOptions): Promise<vscode.AuthenticationSession | undefined>;
  sessionEvents(): number;
}

async function consumer(): Promise<Consumer> {
  const extension = vscode.extensions.getExtension<Consumer>(CONSUMER_ID);
  assert.ok(extension, `${CONSUMER_ID} is loaded beside the extension`);
  return extension.activate();
}

/** Waits until `check` holds, polling; VS Code relays session events between hosts and the
 *  renderer asynchronously. */
async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) {
      assert.fail(`${what} did not happen within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Where a test may write a file holding secrets: the harness's private state folder (excluded
 *  from the leak scan, deleted with the run) or, on desktop, the system's temp folder. */
function privateDir(): string {
  return process.env.PANDADOC_TEST_STATE_DIR ?? os.tmpdir();
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('accounts', () => {
  beforeEach(reset);
  after(reset);

  describe('the pandadoc authentication provider, from a second extension', () => {
    it('gives the active profile’s fresh token, labelled with the member’s email, and nothing for scopes it lacks', async () => {
      const { server, api } = await sandbox();
      const client = await signIn();
      server.setMember(client.clientId, { email: 'ann@example.test', first_name: 'Ann', last_name: 'Lee' });
      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), 'ann@example.test');
      const token = await api.getAccessToken();
      const other = await consumer();

      const session = await other.getSession(['read+write'], { silent: true });
      assert.ok(session, 'a session');
      assertSameSecret(session.accessToken, token, 'the session token');
      assert.equal(session.account.label, 'ann@example.test');
      assert.deepEqual([...session.scopes].sort(), ['read', 'read+write', 'write']);
      assert.ok(await other.getSession(['read'], { silent: true }), 'read is covered by read+write');
      assert.equal(await other.getSession(['admin'], { silent: true }), undefined);
    });

    it('refreshes an expired token before handing it over, like getAccessToken', async () => {
      const { server, api } = await sandbox();
      const client = await signIn();
      server.expiresIn = 60; // within the 5-minute margin: due at once
      try {
        const first = await api.getAccessToken();
        const before = server.tokenRequests().length;
        const session = await (await consumer()).getSession(['read+write'], { silent: true });
        assert.ok(session);
        assert.equal(server.tokenRequests().length, before + 1, 'one refresh');
        assert.notEqual(digest(session.accessToken), digest(first));
        assert.equal(server.isLiveAccessToken(session.accessToken), true);
        assert.ok(client.clientId);
      } finally {
        server.expiresIn = 31535999;
      }
    });

    it('has no session once PandaDoc rejects the refresh token and the last token has expired, so createIfNone would sign in again', async () => {
      const { server, api } = await sandbox();
      const client = await signIn();
      server.expiresIn = 1;
      try {
        await api.getAccessToken();
      } finally {
        server.expiresIn = 31535999;
      }
      await new Promise((resolve) => setTimeout(resolve, 1100));
      for (const token of [client.refreshToken, ...server.issued]) {
        server.revoke(token);
      }
      const other = await consumer();
      assert.equal(await other.getSession(['read+write'], { silent: true }), undefined);
      await assert.rejects(api.getAccessToken(), { code: 'invalid_grant' });
    });

    it('tells the other extension when the session goes, and then has none; an API key is not a session', async () => {
      const { api } = await sandbox();
      await signIn();
      await api.getAccessToken();
      const other = await consumer();
      assert.ok(await other.getSession([], { silent: true }));
      const events = other.sessionEvents();
      await (await sandbox()).api.signOut();
      await eventually(() => other.sessionEvents() > events, 'a session change event');
      assert.equal(await other.getSession([], { silent: true }), undefined);

      await (await sandbox()).api.setApiKey('api-key-for-the-provider-test-0123');
      assert.equal(await other.getSession([], { silent: true }), undefined);
      assert.equal(await api.getAuthorizationHeader(), 'API-Key api-key-for-the-provider-test-0123');
    });
  });

  describe('sign in with the browser', () => {
    it('opens the authorize page, takes the code from the loopback redirect, exchanges it and stores the tokens', async () => {
      const { server, api, storedJson } = await sandbox();
      const client = server.addClient();
      server.setMember(client.clientId, { email: 'cy@example.test' });
      const other = await consumer();
      const events = other.sessionEvents();
      const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, { clientId: client.clientId, clientSecret: client.clientSecret });
      assert.equal(signedIn, true);
      const [authorize] = server.authorizeRequests();
      assert.equal(authorize.query?.client_id, client.clientId);
      assert.equal(authorize.query?.response_type, 'code');
      // PandaDoc's documented `scope=read+write`, which its form decoding reads as "read write".
      assert.equal(authorize.query?.scope, 'read write');
      assert.match(authorize.query?.redirect_uri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const exchange = server.tokenRequests().at(-1);
      assert.equal(exchange?.form.grant_type, 'authorization_code');
      assert.equal(exchange?.form.redirect_uri, authorize.query?.redirect_uri);
      const stored = await storedJson();
      assert.equal(server.isLive(stored?.refreshToken as string), true);
      assert.equal(server.isLiveAccessToken(stored?.accessToken as string), true);
      assert.equal((stored?.account as { email: string }).email, 'cy@example.test');
      assert.equal(api.getStatus().kind, 'oauth');
      await eventually(() => other.sessionEvents() > events, 'a session change event');
      const session = await other.getSession(['read+write'], { silent: true });
      assert.equal(session?.account.label, 'cy@example.test');
    });

    it('when access is declined: a failure, no exchange, and the credentials stored before untouched', async () => {
      const { server, stored } = await sandbox();
      await signIn();
      const before = await stored();
      const client = server.addClient();
      server.denyNextAuthorization();
      const tokenRequests = server.tokenRequests().length;
      const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, { clientId: client.clientId, clientSecret: client.clientSecret });
      assert.equal(signedIn, false);
      assert.equal(server.tokenRequests().length, tokenRequests, 'nothing exchanged');
      assertSameSecret(await stored(), before, 'the stored value');
    });
  });

  describe('sign in with the browser, refused', () => {
    it('a wrong client secret: the code is not exchanged into anything stored, and no session appears', async () => {
      const { server, stored } = await sandbox();
      const client = server.addClient();
      const before = await stored();
      const signedIn = await vscode.commands.executeCommand(COMMAND.signIn, { clientId: client.clientId, clientSecret: 'not-the-secret-0123456789' });
      assert.equal(signedIn, false);
      assert.equal(server.tokenRequests().at(-1)?.form.grant_type, 'authorization_code', 'the exchange was tried');
      assertSameSecret(await stored(), before, 'the stored value');
      assert.equal(await (await consumer()).getSession([], { silent: true }), undefined);
    });
  });

  describe('another window', () => {
    it('a session another window stores reaches this window’s consumers through onDidChangeSessions', async () => {
      const { server, secrets, extension } = await sandbox();
      const other = await consumer();
      const events = other.sessionEvents();
      const client = server.addClient();
      // What another window writes: the profile's value, straight into the shared SecretStorage.
      const accessToken = server.grant(client.clientId);
      await secrets.store(
        extension.exports.testing.storageKey(),
        JSON.stringify({ version: 1, kind: 'oauth', ...client, accessToken, expiresAt: Date.now() + 3_600_000 }),
      );
      await eventually(() => other.sessionEvents() > events, 'a session change event');
      const session = await other.getSession([], { silent: true });
      assertSameSecret(session?.accessToken, accessToken, 'the other window’s token');
    });
  });

  describe('who am I', () => {
    it('asks PandaDoc, and after a 401 refreshes once and asks again', async () => {
      const { server, api, storedJson } = await sandbox();
      const client = await signIn();
      server.setMember(client.clientId, { email: 'bo@example.test', workspace_name: 'Acme', role: 'Admin' });
      const token = await api.getAccessToken();
      server.expireAccessToken(token ?? '');
      const tokensBefore = server.tokenRequests().length;
      const membersBefore = server.memberRequests().length;

      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), 'bo@example.test');
      assert.equal(server.memberRequests().length - membersBefore, 2, '401, then 200');
      assert.equal(server.tokenRequests().length - tokensBefore, 1, 'one refresh between them');
      const stored = await storedJson();
      assert.deepEqual(stored?.account, {
        email: 'bo@example.test',
        name: (stored?.account as { name: string }).name,
        workspaceName: 'Acme',
        role: 'Admin',
        userId: (stored?.account as { userId: string }).userId,
      });
    });

    it('with an API key the server refuses: one request, no refresh, an unauthorized failure, nothing changed', async () => {
      const { server, stored } = await sandbox();
      await (await sandbox()).api.setApiKey('api-key-unknown-to-the-server-0123');
      const before = await stored();
      const membersBefore = server.memberRequests().length;
      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), undefined);
      assert.equal(server.memberRequests().length - membersBefore, 1);
      assertSameSecret(await stored(), before, 'the stored value');
    });

    it('works for an API key PandaDoc knows', async () => {
      const { server } = await sandbox();
      const key = server.addApiKey(undefined, { email: 'sandbox@example.test' });
      await (await sandbox()).api.setApiKey(key);
      assert.equal(await vscode.commands.executeCommand(COMMAND.showAccount), 'sandbox@example.test');
    });
  });

  describe('profiles', () => {
    it('keeps Production (OAuth) and Sandbox (API key) apart; switching announces the profile', async () => {
      const { server, api } = await sandbox();
      await signIn();
      const production = await api.getAccessToken();
      const switched = nextStatus(api);
      assert.equal(await vscode.commands.executeCommand(COMMAND.switchProfile, { profile: 'Sandbox', create: true }), 'Sandbox');
      const status: PandaDocAuthStatus = await switched;
      assert.deepEqual(status, { kind: 'none', profile: 'Sandbox' });
      const key = server.addApiKey();
      await (await sandbox()).api.setApiKey(key);
      assert.equal(await api.getAuthorizationHeader(), `API-Key ${key}`);

      const back = nextStatus(api);
      await vscode.commands.executeCommand(COMMAND.switchProfile, 'default');
      assert.equal((await back).profile, 'Default');
      assertSameSecret(await api.getAccessToken(), production, 'Default still has its token');

      // Signing out of the active profile removes it alone.
      await (await sandbox()).api.signOut();
      assert.deepEqual(api.getStatus(), { kind: 'apiKey', profile: 'Sandbox' });
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(COMMAND.switchProfile, 'Default')), /no PandaDoc profile named/);
    });
  });

  describe('import from a Postman environment', () => {
    it('stores the OAuth credentials into a profile named after the environment, and never changes the file', async () => {
      const { server, api, storedJson } = await sandbox();
      const client = server.addClient();
      const file = path.join(privateDir(), `pandadoc-import-${process.pid}.postman_environment.json`);
      const values = [
        { key: 'client_id', value: client.clientId, enabled: true, type: 'default' },
        { key: 'client_secret', value: client.clientSecret, enabled: true, type: 'secret' },
        { key: 'refresh_token', value: client.refreshToken, enabled: true, type: 'secret' },
        { key: 'access_token', value: 'an-access-token-of-unknown-expiry', enabled: true, type: 'secret' },
      ];
      fs.writeFileSync(file, JSON.stringify({ id: 'x', name: 'PandaDoc Staging', values, _postman_variable_scope: 'environment' }), { mode: 0o600 });
      const before = sha256(file);
      try {
        // The file and the region are arguments; the preview question is answered as a person
        // would (an argument never skips it).
        const { answerModal, askedModals } = (await sandbox()).extension.exports.testing;
        answerModal('Import');
        const profile = await vscode.commands.executeCommand(COMMAND.importPostmanEnvironment, { path: file, region: 'settings' });
        assert.equal(askedModals().at(-1), 'Import from the Postman environment "PandaDoc Staging" into a new profile "PandaDoc Staging"?');
        assert.equal(profile, 'PandaDoc Staging');
        assert.equal(api.getStatus().profile, 'PandaDoc Staging');
        const stored = await storedJson();
        assertSameSecret(stored?.clientSecret as string, client.clientSecret, 'client secret');
        // Verified at once, as Set OAuth Credentials does: the imported refresh token was used.
        assert.equal(server.isLive(client.refreshToken), false, 'the imported refresh token was used (and rotated)');
        assert.equal(server.isLive(stored?.refreshToken as string), true, 'the stored refresh token is the rotated one');
        assert.equal(sha256(file), before, 'the file is unchanged');
        const token = await api.getAccessToken();
        assert.equal(server.isLiveAccessToken(token ?? ''), true, 'the imported credentials work');
      } finally {
        fs.rmSync(file, { force: true });
      }
    });

    for (const broken of [
      'pandadoc-broken.postman_environment.json',
      'pandadoc-missing.postman_environment.json',
      'pandadoc.postman_collection.json',
      'pandadoc-placeholders.postman_environment.json',
    ]) {
      it(`refuses ${broken}, storing nothing and leaving the file as it was`, async () => {
        const { api, stored } = await sandbox();
        await (await sandbox()).api.setApiKey('api-key-kept-through-a-bad-import-01');
        const before = await stored();
        const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'postman', broken);
        const bytes = sha256(file);
        assert.equal(await vscode.commands.executeCommand(COMMAND.importPostmanEnvironment, { path: file }), undefined);
        assertSameSecret(await stored(), before, 'the stored value');
        assert.equal(api.getStatus().profile, 'Default');
        assert.equal(sha256(file), bytes);
      });
    }
  });

  describe('copy the refresh request as curl', () => {
    it('puts the exact request on the clipboard, with placeholders and the configured URL and scope, never a secret', async () => {
      const { server } = await sandbox();
      await signIn();
      const text = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
      assert.equal(await vscode.env.clipboard.readText(), text);
      assert.ok(text.includes(`'${server.url}/oauth2/access_token'`));
      for (const expected of ['grant_type=refresh_token', '$PANDADOC_CLIENT_ID', '$PANDADOC_CLIENT_SECRET', '$PANDADOC_REFRESH_TOKEN', "'scope=read+write'"]) {
        assert.ok(text.includes(expected), expected);
      }
      assertNoSecrets(text, server.issued, 'the curl command');
    });
  });
});
