import * as assert from 'node:assert/strict';
import { buildAuthorizeUrl, newState, readRedirectQuery } from '../../src/core/signin/authorization';
import { exchangeAuthorizationCode } from '../../src/core/pandadoc/tokenEndpoint';
import { type AuthError } from '../../src/core/base/errors';
import type { ExchangeOptions } from '../../src/core/pandadoc/tokenEndpoint';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/base/settings';
import { userMessageFor } from '../../src/core/view/userMessages';
import { assertNoSecrets, assertSameSecret, digestValues, rejection } from '../support/assertions';
import { CapturingLogger, ManualClock } from '../support/doubles';
import { exchangeOptions } from '../support/harness';
import { type Fault, PANDADOC_EXPIRES_IN, PandaDocServer } from '../support/pandadocServer';
import { redirectQuery } from '../support/rawHttp';

const REDIRECT_URI = 'http://127.0.0.1:27845/callback';

describe('the authorization code exchange', () => {
  let server: PandaDocServer;
  let client: { clientId: string; clientSecret: string };
  let log: CapturingLogger;
  let clock: ManualClock;
  let settings: Settings;
  let options: ExchangeOptions;

  beforeEach(async () => {
    server = await PandaDocServer.start();
    client = server.addClient();
    log = new CapturingLogger();
    clock = new ManualClock();
    settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url, authBaseUrl: server.url, timeoutMs: 1500 };
    options = exchangeOptions(settings, clock, log);
  });

  afterEach(async function () {
    assertNoSecrets(log.text(), server.issued, `the log of "${this.currentTest?.title}"`);
    await server.close();
  });

  /** A code from the server's sign-in page, as the browser would bring it back. */
  async function signInCode(redirectUri = REDIRECT_URI): Promise<string> {
    const state = newState();
    const url = buildAuthorizeUrl({ authBaseUrl: server.url, clientId: client.clientId, redirectUri, scope: settings.scope, state });
    return readRedirectQuery(await redirectQuery(url), state).code;
  }

  const exchange = (code: string, redirectUri = REDIRECT_URI) =>
    exchangeAuthorizationCode(options, { ...client, code, redirectUri });

  it('sends exactly the request of PandaDoc reference', async () => {
    const code = await signInCode();
    await exchange(code);
    const [request] = server.tokenRequests();
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['user-agent'], 'pandadoc-auth-tests');
    assert.deepEqual(
      digestValues(request.form),
      digestValues({
        grant_type: 'authorization_code',
        code,
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: 'read+write',
        redirect_uri: REDIRECT_URI,
      }),
    );
    assert.deepEqual(Object.keys(request.form), ['grant_type', 'code', 'client_id', 'client_secret', 'scope', 'redirect_uri']);
  });

  it('returns the grant with its refresh token, and stores nothing', async () => {
    const grant = await exchange(await signInCode());
    assert.ok(grant.refreshToken && server.isLive(grant.refreshToken), 'a live refresh token');
    assert.ok(server.isLiveAccessToken(grant.accessToken), 'a live access token');
    assert.equal(grant.expiresAt, clock.now() + PANDADOC_EXPIRES_IN * 1000);
    assert.equal(grant.expiryFromServer, true);
    // The exchange has no store to write to; the log names the tokens by fingerprint only.
    assert.match(
      log.text(),
      /\[sign-in\] POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/access_token \(client client-[0-9a-f]+, code …[0-9a-f]{4}, scope read\+write, redirect URI http:\/\/127\.0\.0\.1:27845\/callback\)/,
    );
    assert.match(log.text(), /\[sign-in\] POST \S+ -> 200 in \d+ ms, expires 2027-\S+ \(token …[0-9a-f]{4}, refresh token …[0-9a-f]{4}\)/);
    assert.match(log.text(), /\[sign-in\] response body: \{"access_token":"…[0-9a-f]{4}","token_type":"Bearer"/);
  });

  it('says so when PandaDoc sends no refresh token', async () => {
    server.responseOverrides = { refresh_token: undefined, expires_in: undefined };
    const grant = await exchange(await signInCode());
    assert.equal(grant.refreshToken, undefined);
    assert.match(log.text(), /\(token …[0-9a-f]{4}, no refresh token\)/);
    assert.match(log.text(), /\[sign-in\] the response gave no usable expires_in/);
  });

  it('cannot use a code twice (invalid_grant)', async () => {
    const code = await signInCode();
    const first = await exchange(code);
    const error = await rejection(exchange(code));
    assert.equal(error.code, 'invalid_grant');
    assert.equal(error.details.status, 400);
    // Said as what it is: the sign-in code, not a refresh token, and a sign-in fixes it.
    assert.equal(error.details.flow, 'sign-in');
    assert.match(log.text(), /PandaDoc rejected the sign-in code \(invalid_grant\)/);
    assert.match(userMessageFor(error, { apiBaseUrl: server.url, timeoutMs: 1000 }).message, /already used or has expired\. Sign in again/);
    assert.ok(first.refreshToken && server.isLive(first.refreshToken), 'the first grant is untouched');
  });

  it('refuses a code with another redirect URI than its sign-in (invalid_grant)', async () => {
    const code = await signInCode();
    assert.equal((await rejection(exchange(code, 'http://127.0.0.1:27846/callback'))).code, 'invalid_grant');
  });

  it('refuses a code made up or of another client', async () => {
    assert.equal((await rejection(exchange('not-a-code-of-this-server'))).code, 'invalid_grant');
    const code = await signInCode();
    const other = server.addClient();
    const error = await rejection(exchangeAuthorizationCode(options, { ...other, code, redirectUri: REDIRECT_URI }));
    assert.equal(error.code, 'invalid_grant');
  });

  it('refuses a wrong client secret (invalid_client)', async () => {
    const code = await signInCode();
    const error = await rejection(exchangeAuthorizationCode(options, { ...client, clientSecret: 'wrong', code, redirectUri: REDIRECT_URI }));
    assert.equal(error.code, 'invalid_client');
    // The sign-in's own message: Retry asks for the client again (no refresh token involved).
    assert.equal(error.details.flow, 'sign-in');
    const shown = userMessageFor(error, { apiBaseUrl: server.url, timeoutMs: 1000 });
    assert.match(shown.message, /Retry asks for them again/);
    assert.deepEqual(shown.actions, ['retry', 'showLog']);
  });

  const once: [string, Fault, AuthError['code']][] = [
    ['a 502', { kind: 'status', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' }, 'server'],
    ['a 429', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }, 'rate_limited'],
    ['a dropped answer', { kind: 'destroyMidBody' }, 'network'],
  ];
  for (const [what, fault, code] of once) {
    it(`sends one request only, even after ${what} (a code is single-use)`, async () => {
      const signedIn = await signInCode();
      server.failNext(fault);
      assert.equal((await rejection(exchange(signedIn))).code, code);
      assert.equal(server.tokenRequests().length, 1);
      assert.deepEqual(clock.sleeps, [], 'no wait for a retry');
      assert.doesNotMatch(log.text(), /retrying/);
    });
  }

  it('sends nothing when apiBaseUrl is not allowed', async () => {
    settings.apiBaseUrl = 'http://api.pandadoc.com';
    const error = await rejection(exchange('code-never-sent'));
    assert.equal(error.code, 'bad_config');
    assert.equal(server.requests.length, 0);
  });

  it('keeps the code and client secret out of the log even when a proxy echoes them', async () => {
    const code = await signInCode();
    server.failNext({
      kind: 'status',
      status: 400,
      contentType: 'text/plain',
      body: `bad request: client_secret=${client.clientSecret} code=${code}`,
    });
    await rejection(exchange(code));
    assertNoSecrets(log.text(), [code, client.clientSecret], 'the log');
    assertSameSecret(server.tokenRequests()[0].form.code, code, 'the code sent');
  });
});
