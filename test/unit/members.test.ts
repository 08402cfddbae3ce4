import * as assert from 'node:assert/strict';
import { type AuthError } from '../../src/core/base/errors';
import type { HttpSender } from '../../src/core/pandadoc/http';
import { displayName, fetchCurrentMember, type Member } from '../../src/core/pandadoc/members';
import { NodeFetchSender } from '../../src/core/pandadoc/nodeFetchSender';
import { type Fault, PandaDocServer } from '../support/pandadocServer';
import { rejection } from '../support/assertions';

describe('who am I (members/current)', () => {
  let server: PandaDocServer;
  let http: HttpSender;

  beforeEach(async () => {
    server = await PandaDocServer.start();
    http = new NodeFetchSender(200);
  });

  afterEach(async () => {
    await server.close();
  });

  const ask = (authorization: string, baseUrl = server.url) =>
    fetchCurrentMember(http, { baseUrl, authorization, timeoutMs: 1500, userAgent: 'pandadoc-auth-tests' });

  /** A live access token of a new client, from a real refresh. */
  async function accessTokenOf(clientId?: string): Promise<{ clientId: string; accessToken: string }> {
    const client = server.addClient(clientId);
    const response = await http.send({
      method: 'POST',
      url: `${server.url}/oauth2/access_token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        refresh_token: client.refreshToken,
      }).toString(),
      timeoutMs: 1500,
    });
    return { clientId: client.clientId, accessToken: (JSON.parse(response.body) as { access_token: string }).access_token };
  }

  it('asks with the Authorization header, for JSON', async () => {
    const { accessToken } = await accessTokenOf();
    await ask(`Bearer ${accessToken}`);
    const [request] = server.memberRequests();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/public/v1/members/current');
    assert.ok(request.headers.authorization === `Bearer ${accessToken}`, 'the header as given');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['user-agent'], 'pandadoc-auth-tests');
  });

  it('reads PandaDoc\'s member fields for an OAuth token', async () => {
    const { clientId, accessToken } = await accessTokenOf('client-ada');
    server.setMember(clientId, {
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.test',
      workspace: 'ws-42',
      workspace_name: 'Engines',
      role: 'Manager',
    });
    const member = await ask(`Bearer ${accessToken}`);
    assert.deepEqual(member, {
      userId: 'user-client-ada',
      membershipId: 'membership-client-ada',
      email: 'ada@example.test',
      firstName: 'Ada',
      lastName: 'Lovelace',
      workspaceId: 'ws-42',
      workspaceName: 'Engines',
      role: 'Manager',
    } satisfies Member);
    assert.equal(displayName(member), 'Ada Lovelace');
  });

  it('answers for an API key', async () => {
    const key = server.addApiKey(undefined, { email: 'sandbox@example.test', first_name: '', last_name: '' });
    const member = await ask(`API-Key ${key}`);
    assert.equal(member.email, 'sandbox@example.test');
    assert.equal(member.firstName, undefined, 'an empty name is no name');
    assert.equal(displayName(member), 'sandbox@example.test');
  });

  it('gives the default member <clientId>@example.test', async () => {
    const { clientId, accessToken } = await accessTokenOf();
    assert.equal((await ask(`Bearer ${accessToken}`)).email, `${clientId}@example.test`);
  });

  const refused: [string, () => Promise<string>][] = [
    ['an unknown token', async () => 'Bearer 0123456789abcdef0123456789abcdef01234567'],
    ['an unknown API key', async () => `API-Key ${server.addApiKey().split('').reverse().join('')}`],
    ['a refresh token used as an access token', async () => `Bearer ${server.addClient().refreshToken}`],
    ['a token expired early', async () => {
      const { accessToken } = await accessTokenOf();
      server.expireAccessToken(accessToken);
      return `Bearer ${accessToken}`;
    }],
    ['an API key sent as a Bearer token', async () => `Bearer ${server.addApiKey()}`],
  ];
  for (const [what, authorization] of refused) {
    it(`is unauthorized (401) for ${what}`, async () => {
      const error = await rejection(ask(await authorization()));
      assert.equal(error.code, 'unauthorized');
      assert.equal(error.details.status, 401);
      // Its message must not speak of a refresh an API key cannot have.
      assert.equal(error.details.flow, what === 'an unknown API key' ? 'api-key' : undefined);
    });
  }

  it('is unauthorized for a 403', async () => {
    server.failNext({ kind: 'status', status: 403, body: '{"type":"request_error","detail":"You do not have permission."}' });
    const error = await rejection(ask('API-Key k'));
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.details.status, 403);
  });

  it('works again after a refresh gives a new token', async () => {
    const { accessToken } = await accessTokenOf();
    server.expireAccessTokens();
    assert.equal((await rejection(ask(`Bearer ${accessToken}`))).code, 'unauthorized');
    const fresh = await accessTokenOf();
    assert.ok((await ask(`Bearer ${fresh.accessToken}`)).email);
  });

  const faults: [string, Fault, AuthError['code'], string?][] = [
    ['a 429', { kind: 'status', status: 429, headers: { 'Retry-After': '13' }, body: '{"type":"request_error","detail":"Request was throttled. Expected available in 13 seconds."}' }, 'rate_limited'],
    ['a 502 with HTML', { kind: 'status', status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' }, 'server'],
    ['a redirect (never followed)', { kind: 'status', status: 302, headers: { Location: 'https://elsewhere.example/login' } }, 'bad_response', 'redirect'],
    ['a 200 with HTML', { kind: 'status', status: 200, contentType: 'text/html', body: '<!doctype html><p>Sign in to the Wi-Fi</p>' }, 'bad_response', 'HTML instead of JSON'],
    ['a 200 with broken JSON', { kind: 'status', status: 200, body: '{"email":' }, 'bad_response', 'a body that is not JSON'],
    ['a 200 without email', { kind: 'status', status: 200, body: '{"user_id":"u1","first_name":"Ada"}' }, 'bad_response', 'no email'],
    ['a 200 without user_id', { kind: 'status', status: 200, body: '{"email":"a@example.test"}' }, 'bad_response', 'no user_id'],
    ['a 404', { kind: 'status', status: 404, body: '{"type":"request_error","detail":"Not found."}' }, 'rejected'],
    ['a dropped answer', { kind: 'destroyMidBody' }, 'network'],
  ];
  for (const [what, fault, code, detail] of faults) {
    it(`classifies ${what}`, async () => {
      server.failNext(fault);
      const error = await rejection(ask('API-Key k'));
      assert.equal(error.code, code);
      if (detail) {
        assert.equal(error.details.detail, detail);
      }
      assert.equal(server.memberRequests().length, 1, 'asked once, nothing followed or retried');
    });
  }

  it('carries Retry-After on a 429', async () => {
    server.failNext({ kind: 'status', status: 429, headers: { 'Retry-After': '13' } });
    assert.equal((await rejection(ask('API-Key k'))).details.retryAfterMs, 13_000);
  });

  it('never copies server text into the error message', async () => {
    for (const status of [401, 403, 404, 429, 502]) {
      server.failNext({ kind: 'status', status, body: '{"type":"request_error","detail":"API-Key hunter2 is wrong"}' });
      assert.doesNotMatch((await rejection(ask('API-Key hunter2'))).message, /hunter2|request_error/);
    }
  });

  it('reports an unreachable server as a network error', async () => {
    const { url } = server;
    await server.close();
    server = await PandaDocServer.start();
    const error = await rejection(ask('API-Key k', url));
    assert.equal(error.code, 'network');
  });

  it('sends nothing to an address credentials must not go to', async () => {
    const error = await rejection(ask('API-Key k', 'http://api.pandadoc.com'));
    assert.equal(error.code, 'bad_config');
    assert.equal(server.requests.length, 0);
  });

  describe('member fields', () => {
    it('keep one clean line of text and a sane length', async () => {
      const key = server.addApiKey(undefined, { first_name: 'Ada\nLovelace\u0007', last_name: 'x'.repeat(500), role: '  ' });
      const member = await ask(`API-Key ${key}`);
      assert.equal(member.firstName, 'Ada Lovelace');
      assert.equal(member.lastName?.length, 200);
      assert.equal(member.role, undefined);
    });

    it('accept numeric ids', async () => {
      server.failNext({ kind: 'status', status: 200, body: '{"user_id":17,"membership_id":18,"email":"n@example.test","workspace":19}' });
      assert.deepEqual(await ask('API-Key k'), { userId: '17', membershipId: '18', email: 'n@example.test', workspaceId: '19' });
    });
  });

  describe('displayName', () => {
    const base: Member = { userId: 'u', email: 'e@example.test' };
    it('is the first and last name, either alone, or the email', () => {
      assert.equal(displayName({ ...base, firstName: 'Ada', lastName: 'Lovelace' }), 'Ada Lovelace');
      assert.equal(displayName({ ...base, firstName: 'Ada' }), 'Ada');
      assert.equal(displayName({ ...base, lastName: 'Lovelace' }), 'Lovelace');
      assert.equal(displayName(base), 'e@example.test');
    });
  });
});
