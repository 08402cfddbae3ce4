/**
 * PandaDoc's official Node SDK, `pandadoc-node-client`, in an extension, as the README tells one
 * to use it: `authMethods.default` set to getApi(1).createSdkAuthMethod(), the SDK's own
 * MembersApi, its own HTTP client, pointed at the test server. The SDK comes from the project's
 * node_modules (a devDependency); the extension's bundle must not carry it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConfiguration, MembersApi, ServerConfiguration } from 'pandadoc-node-client';
import type { PandaDocAuthApiV1 } from '../../src/api/pandadoc-auth';
import type { PandaDocServer, RecordedRequest } from '../support/pandadocServer';
import { assertDifferentSecret, assertSameSecret } from '../support/assertions';
import { reset, sandbox, signIn, withTokenLifetime } from './sandbox';

/** The SDK as an extension would configure it once and keep it. */
function membersApi(server: PandaDocServer, api: PandaDocAuthApiV1): MembersApi {
  return new MembersApi(
    createConfiguration({
      baseServer: new ServerConfiguration(server.url, {}),
      authMethods: { default: api.createSdkAuthMethod() },
    }),
  );
}

/** Runs `call` and returns the requests the server got meanwhile, by endpoint. */
async function during<T>(server: PandaDocServer, call: () => Promise<T>): Promise<{ result: T; members: RecordedRequest[]; tokens: RecordedRequest[] }> {
  const from = server.requests.length;
  const result = await call();
  const sent = server.requests.slice(from);
  return {
    result,
    members: sent.filter((r) => r.path === '/public/v1/members/current'),
    tokens: sent.filter((r) => r.path === '/oauth2/access_token'),
  };
}

describe('PandaDoc SDK with createSdkAuthMethod()', () => {
  beforeEach(reset);

  it('OAuth: the SDK asks who-am-I with a fresh Bearer token and gets the member', async () => {
    const { server, api } = await sandbox();
    const client = await signIn();
    const members = membersApi(server, api);
    const { result: member, members: sent, tokens } = await during(server, () => members.detailsCurrentMember());
    assert.equal(member.email, `${client.clientId}@example.test`);
    assert.equal(member.workspaceName, 'Test Workspace', 'the SDK read the answer');
    assert.equal(tokens.length, 1, 'nothing was stored but the refresh token: one refresh first');
    assert.equal(sent.length, 1);
    assertSameSecret(sent[0].headers.authorization, `Bearer ${server.issued.at(-1)}`, 'the header the SDK sent');
    assertSameSecret(sent[0].headers.authorization, await api.getAuthorizationHeader(), 'what getAuthorizationHeader gives');
  });

  it('API key: the SDK sends API-Key <key> and gets the member, with no token request', async () => {
    const { server, api } = await sandbox();
    const key = server.addApiKey();
    await (await sandbox()).api.setApiKey(key);
    const members = membersApi(server, api);
    const { result: member, members: sent, tokens } = await during(server, () => members.detailsCurrentMember());
    assert.equal(member.email, 'api-key-user@example.test');
    assert.equal(tokens.length, 0);
    assert.equal(sent.length, 1);
    assertSameSecret(sent[0].headers.authorization, `API-Key ${key}`, 'the header the SDK sent');
  });

  it('across a refresh: one configuration, two calls, the token due between them, exactly one token request', async () => {
    const { server, api, storedJson } = await sandbox();
    await signIn();
    const members = membersApi(server, api);
    // The first token lives a minute: inside the 5-minute refresh margin, so it is due by the
    // time of the next call, by the extension's own reckoning.
    const first = await withTokenLifetime(60, () => during(server, () => members.detailsCurrentMember()));
    const firstToken = server.issued.at(-1);
    assertSameSecret(first.members[0]?.headers.authorization, `Bearer ${firstToken}`, 'first call');
    const rotated = (await storedJson())?.refreshToken as string | undefined;

    const second = await during(server, () => members.detailsCurrentMember());
    assert.equal(second.tokens.length, 1, 'exactly one token request between the two calls');
    assertSameSecret(second.tokens[0].form.refresh_token, rotated, 'the refresh sent the rotated refresh token');
    assert.equal(second.members.length, 1);
    const secondToken = server.issued.at(-1);
    assertDifferentSecret(secondToken, firstToken, 'a new token');
    assertSameSecret(second.members[0].headers.authorization, `Bearer ${secondToken}`, 'the second call carries the new token');
    assert.equal(server.isLiveAccessToken(secondToken ?? ''), true);

    // A token good for a year is not refreshed again.
    const third = await during(server, () => members.detailsCurrentMember());
    assert.equal(third.tokens.length, 0);
    assertSameSecret(third.members[0]?.headers.authorization, `Bearer ${secondToken}`, 'third call');
  });

  it('five SDK calls at once on a due token share one refresh', async () => {
    const { server, api } = await sandbox();
    await signIn();
    await withTokenLifetime(60, () => api.getAccessToken());
    const members = membersApi(server, api);
    const { members: sent, tokens } = await during(server, () => Promise.all(Array.from({ length: 5 }, () => members.detailsCurrentMember())));
    assert.equal(tokens.length, 1);
    assert.equal(sent.length, 5);
    assert.equal(new Set(sent.map((r) => r.headers.authorization)).size, 1, 'all with the one new token');
    assertSameSecret(sent[0].headers.authorization, `Bearer ${server.issued.at(-1)}`, 'the new token');
  });

  it('nothing stored: the SDK call rejects with no_credentials and the server gets no request', async () => {
    const { server, api } = await sandbox();
    const members = membersApi(server, api);
    const from = server.requests.length;
    await assert.rejects(members.detailsCurrentMember(), { name: 'PandaDocAuthError', code: 'no_credentials' });
    assert.deepEqual(server.requests.slice(from).map((r) => r.path), [], 'no members request, no token request');
  });

  it("the extension's bundle running in this host does not carry the SDK", async () => {
    const { extension } = await sandbox();
    const bundle = fs.readFileSync(path.join(extension.extensionPath, 'dist', 'extension.js'), 'utf8');
    assert.ok(bundle.includes('applySecurityAuthentication'), 'the bundle read is the one with createSdkAuthMethod');
    for (const marker of ['pandadoc-node-client', 'detailsCurrentMember', 'ServerConfiguration', 'ObjectSerializer']) {
      assert.equal(bundle.includes(marker), false, `${marker} is in the bundle`);
    }
    assert.match(require.resolve('pandadoc-node-client'), /[\\/]node_modules[\\/]pandadoc-node-client[\\/]/, "the tests' SDK is the project's devDependency");
  });
});
