import * as assert from 'node:assert/strict';
import { AccountLookup } from '../../src/core/profiles/accountLookup';
import { isAuthError } from '../../src/core/base/errors';
import { assertNoSecrets } from '../support/assertions';
import { exchangeOptions, type ProfilesHarness, startProfilesHarness } from '../support/harness';

describe('who am I (AccountLookup)', () => {
  let h: ProfilesHarness;
  let lookup: AccountLookup;
  beforeEach(async () => {
    h = await startProfilesHarness();
    lookup = new AccountLookup(h.profiles, exchangeOptions(h.settings, h.clock, h.log));
  });
  afterEach(async () => {
    h.profiles.dispose();
    await h.server.close();
  });

  it('asks with the stored token, logs who it is, and remembers it with the credentials', async () => {
    const client = h.server.addClient();
    h.server.setMember(client.clientId, { email: 'ann@example.test', first_name: 'Ann', last_name: 'Lee', workspace_name: 'Acme', role: 'Admin' });
    await h.profiles.activeManager().setOAuthCredentials(client);
    const member = await lookup.lookup();
    assert.equal(member.email, 'ann@example.test');
    assert.deepEqual(
      { ...h.profiles.state().account, userId: undefined },
      { email: 'ann@example.test', name: 'Ann Lee', workspaceName: 'Acme', role: 'Admin', userId: undefined },
    );
    assert.equal(h.server.memberRequests().length, 1);
    assert.match(h.server.memberRequests()[0].headers.authorization ?? '', /^Bearer /);
    assert.match(h.log.text(), /\[account\] GET .*\/public\/v1\/members\/current -> 200 in \d+ ms: Ann Lee <ann@example\.test>, workspace Acme, role Admin/);
    assertNoSecrets(h.log.text(), h.server.issued, 'the log');
  });

  it('after a 401 refreshes once and asks again; a second 401 is the answer', async () => {
    const client = h.server.addClient();
    await h.profiles.activeManager().setOAuthCredentials(client);
    const token = await h.profiles.getAccessToken();
    h.server.expireAccessToken(token ?? '');
    const member = await lookup.lookup();
    assert.equal(member.email, `${client.clientId}@example.test`);
    assert.deepEqual(
      h.server.requests.map((r) => r.path),
      ['/oauth2/access_token', '/public/v1/members/current', '/oauth2/access_token', '/public/v1/members/current'],
    );

    // Refused, refreshed (a `delay` passes through to the real answer), refused again.
    const refused = { kind: 'status', status: 401, body: '{"type":"request_error","detail":"Invalid token."}' } as const;
    h.server.failNext(refused, { kind: 'delay', ms: 0 }, refused);
    const before = h.server.requests.length;
    await assert.rejects(lookup.lookup(), (error) => isAuthError(error) && error.code === 'unauthorized');
    assert.deepEqual(
      h.server.requests.slice(before).map((r) => r.path),
      ['/public/v1/members/current', '/oauth2/access_token', '/public/v1/members/current'],
    );
  });

  it('an API key is not refreshed: one request, and the 401 is the answer', async () => {
    await h.profiles.activeManager().setApiKey('an-api-key-the-server-does-not-know');
    await assert.rejects(lookup.lookup(), (error) => isAuthError(error) && error.code === 'unauthorized');
    assert.equal(h.server.requests.length, 1);
    assert.equal(h.server.tokenRequests().length, 0);
  });

  it('drops an answer about credentials that were replaced while it was on its way', async () => {
    const key = h.server.addApiKey(undefined, { email: 'old@example.test' });
    await h.profiles.activeManager().setApiKey(key);
    h.server.failNext({ kind: 'delay', ms: 150 });
    const asking = lookup.lookup();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await h.profiles.activeManager().setApiKey('a-newer-api-key-0123456789');
    assert.equal((await asking).email, 'old@example.test');
    assert.equal(h.profiles.state().account, undefined, 'not attached to the newer key');
  });

  it('checkApiKey(): one who-am-I call with the key before it is stored; a refused key is named as a new one', async () => {
    const key = h.server.addApiKey(undefined, { email: 'key@example.test' });
    const checked = await lookup.checkApiKey(`API-Key ${key}`);
    assert.equal(checked.apiKey, key, 'the key as it will be stored');
    assert.equal(checked.member.email, 'key@example.test');
    assert.equal(h.server.memberRequests().length, 1);
    assert.equal(h.server.tokenRequests().length, 0, 'an API key is never refreshed');
    assert.equal(h.profiles.status().kind, 'none', 'nothing stored');

    await assert.rejects(
      lookup.checkApiKey('an-api-key-the-server-does-not-know'),
      (error) => isAuthError(error) && error.code === 'unauthorized' && error.details.flow === 'new-api-key',
    );
    assert.equal(h.server.requests.length, 2, 'one request each');
    assertNoSecrets(h.log.text(), [key, 'an-api-key-the-server-does-not-know'], 'the log');
  });

  it('verify(): OAuth by a refresh then who-am-I, an API key by one who-am-I call', async () => {
    const client = h.server.addClient();
    await h.profiles.activeManager().setOAuthCredentials(client);
    const verified = await lookup.verify();
    assert.ok(verified.expiresAt !== undefined && verified.member?.email === `${client.clientId}@example.test`);
    assert.deepEqual(h.server.requests.map((r) => r.path), ['/oauth2/access_token', '/public/v1/members/current']);
    await h.profiles.activeManager().setApiKey('an-api-key-the-server-does-not-know');
    await assert.rejects(lookup.verify(), (error) => isAuthError(error) && error.code === 'unauthorized' && error.details.flow === 'api-key');
    assert.equal(h.server.requests.length, 3);
  });

  it('says so when nothing is stored, without a request', async () => {
    await assert.rejects(lookup.lookup(), (error) => isAuthError(error) && error.code === 'no_credentials');
    assert.equal(h.server.requests.length, 0);
  });
});
