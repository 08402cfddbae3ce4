/** The API other extensions get: getApi(1), tokens, header, status and its event. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PandaDocAuthStatus } from '../../src/api/pandadoc-auth';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertSameSecret } from '../support/assertions';
import { nextStatus, reset, sandbox, signIn } from './sandbox';

describe('API v1', () => {
  beforeEach(reset);

  it('getApi(1) returns the same frozen API each time; another version throws', async () => {
    const { extension } = await sandbox();
    const api = extension.exports.getApi(1);
    assert.equal(extension.exports.getApi(1), api);
    assert.ok(Object.isFrozen(api));
    for (const version of [0, 2, '1']) {
      assert.throws(() => extension.exports.getApi(version as 1), /offers version 1/);
    }
  });

  it('getAccessToken refreshes once when there is no access token, then serves it from storage', async () => {
    const { api, server } = await sandbox();
    await signIn();
    const before = server.tokenRequests().length;
    const token = await api.getAccessToken();
    assertSameSecret(token, server.issued.at(-1), 'first token');
    assertSameSecret(await api.getAccessToken(), token, 'second call');
    assertSameSecret(await api.getAuthorizationHeader(), `Bearer ${token}`, 'header');
    assert.equal(server.tokenRequests().length, before + 1);
    const status = api.getStatus();
    assert.equal(status.kind, 'oauth');
    assert.ok(status.expiresAt && status.expiresAt > Date.now());
  });

  it('50 concurrent getAccessToken calls on an expired token share one request', async () => {
    const { api, server } = await sandbox();
    const client = await signIn();
    await (await sandbox()).api.setOAuthCredentials({ ...client, accessToken: 'e'.repeat(40), expiresAt: Date.now() - 1000 });
    server.issued.push('e'.repeat(40));
    const before = server.tokenRequests().length;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => api.getAccessToken()));
    assert.equal(server.tokenRequests().length, before + 1);
    assert.equal(new Set(tokens).size, 1);
    assertSameSecret(tokens[0], server.issued.at(-1), 'shared token');
  });

  it('a token inside the refresh margin is refreshed before it is handed out', async () => {
    const { api, server } = await sandbox();
    const client = await signIn();
    const old = 'm'.repeat(40);
    server.issued.push(old);
    // Two minutes left, margin five: refreshed.
    await (await sandbox()).api.setOAuthCredentials({ ...client, accessToken: old, expiresAt: Date.now() + 120_000 });
    const token = await api.getAccessToken();
    assert.notEqual(token, old);
    assertSameSecret(token, server.issued.at(-1), 'refreshed token');
  });

  it('onDidChangeStatus fires for store, refresh and sign-out, with the status and no secret', async () => {
    const { api } = await sandbox();
    const seen: PandaDocAuthStatus[] = [];
    const subscription = api.onDidChangeStatus((status) => seen.push(status));
    try {
      await signIn();
      const refreshed = nextStatus(api);
      await vscode.commands.executeCommand(COMMAND.refreshToken);
      await refreshed;
      await (await sandbox()).api.signOut();
    } finally {
      subscription.dispose();
    }
    assert.deepEqual(
      seen.map((s) => s.kind),
      ['oauth', 'oauth', 'none'],
    );
    assert.equal(seen[0].expiresAt, undefined);
    assert.ok(seen[1].expiresAt && seen[1].expiresAt > Date.now());
    for (const status of seen) {
      assert.deepEqual(Object.keys(status).filter((key) => !['kind', 'expiresAt', 'profile'].includes(key)), []);
    }
  });
});
