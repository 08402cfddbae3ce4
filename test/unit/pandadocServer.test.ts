/** The test server's sign-in page and members endpoint: the other tiers rely on them too. */
import * as assert from 'node:assert/strict';
import { PandaDocServer } from '../support/pandadocServer';
import { rawRequest } from '../support/rawHttp';

describe('the PandaDoc-compatible server', () => {
  let server: PandaDocServer;
  let clientId: string;

  beforeEach(async () => {
    server = await PandaDocServer.start();
    clientId = server.addClient().clientId;
  });

  afterEach(async () => {
    await server.close();
  });

  const authorize = (params: Record<string, string>) =>
    rawRequest(`${server.url}/oauth2/authorize?${new URLSearchParams(params).toString()}`);

  const location = (headers: { location?: string }) => new URL(headers.location ?? 'missing:');

  it('redirects with a fresh code and the state, recording what it issued', async () => {
    const response = await authorize({ client_id: clientId, redirect_uri: 'http://127.0.0.1:1/cb', scope: 'read', response_type: 'code', state: 's1' });
    assert.equal(response.status, 302);
    const to = location(response.headers);
    assert.equal(`${to.origin}${to.pathname}`, 'http://127.0.0.1:1/cb');
    assert.deepEqual([...to.searchParams.keys()], ['code', 'state']);
    assert.equal(to.searchParams.get('state'), 's1');
    const code = to.searchParams.get('code') ?? '';
    assert.ok(server.isLiveCode(code) && server.issued.includes(code));
    assert.equal(server.authorizeRequests().length, 1);
  });

  it('appends to a redirect URI that has a query', async () => {
    const response = await authorize({ client_id: clientId, redirect_uri: 'https://example.test/cb?app=vscode', response_type: 'code', state: 's' });
    assert.match(response.headers.location ?? '', /^https:\/\/example\.test\/cb\?app=vscode&code=[0-9a-f]+&state=s$/);
  });

  it('shows a page, and redirects nowhere, for an unknown client or a missing redirect URI', async () => {
    const pages: Record<string, string>[] = [
      { client_id: 'nobody', redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code' },
      { client_id: clientId, response_type: 'code' },
    ];
    for (const params of pages) {
      const response = await authorize(params);
      assert.equal(response.status, 400);
      assert.match(response.headers['content-type'] ?? '', /text\/html/);
      assert.equal(response.headers.location, undefined);
    }
  });

  it('redirects with unsupported_response_type, then access_denied once when told to', async () => {
    const base = { client_id: clientId, redirect_uri: 'http://127.0.0.1:1/cb', state: 's' };
    assert.equal(location((await authorize({ ...base, response_type: 'token' })).headers).searchParams.get('error'), 'unsupported_response_type');
    server.denyNextAuthorization();
    const denied = location((await authorize({ ...base, response_type: 'code' })).headers).searchParams;
    assert.deepEqual(Object.fromEntries(denied), { error: 'access_denied', state: 's' });
    assert.ok(location((await authorize({ ...base, response_type: 'code' })).headers).searchParams.get('code'));
  });

  it('answers members/current 401 in PandaDoc\'s shape without a credential', async () => {
    const response = await rawRequest(`${server.url}/public/v1/members/current`);
    assert.equal(response.status, 401);
    assert.deepEqual(JSON.parse(response.body), {
      type: 'request_error',
      detail: { non_field_errors: ['Authentication credentials were not provided.'] },
    });
  });

  it('gives every field of PandaDoc\'s member body', () => {
    assert.deepEqual(Object.keys(server.memberOf(clientId)).sort(), [
      'date_created',
      'date_modified',
      'email',
      'email_verified',
      'first_name',
      'is_active',
      'last_name',
      'membership_id',
      'role',
      'user_id',
      'user_license',
      'workspace',
      'workspace_name',
    ]);
  });

  it('applies faults to the sign-in page too', async () => {
    server.failNext({ kind: 'status', status: 503, contentType: 'text/html', body: '<p>down</p>' });
    assert.equal((await authorize({ client_id: clientId, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code' })).status, 503);
  });
});
