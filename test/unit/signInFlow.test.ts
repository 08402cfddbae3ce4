/**
 * The whole browser sign-in against the PandaDoc-compatible server, as the extension strings the
 * core pieces together: state, sign-in page, redirect to the loopback listener, code exchange,
 * and "who am I" with the new token.
 */
import * as assert from 'node:assert/strict';
import { buildAuthorizeUrl, newState, parseRedirectUri } from '../../src/core/signin/authorization';
import { exchangeAuthorizationCode } from '../../src/core/pandadoc/tokenEndpoint';
import { AuthError } from '../../src/core/base/errors';
import { listenForRedirect, type LoopbackListener } from '../../src/core/signin/loopbackListener';
import { fetchCurrentMember } from '../../src/core/pandadoc/members';
import { NodeFetchSender } from '../../src/core/pandadoc/nodeFetchSender';
import { RedactingLogger, Redactor } from '../../src/core/base/redact';
import type { ExchangeOptions } from '../../src/core/pandadoc/tokenEndpoint';
import { DEFAULT_SETTINGS } from '../../src/core/base/settings';
import { assertNoSecrets } from '../support/assertions';
import { CapturingLogger, ManualClock } from '../support/doubles';
import { PandaDocServer } from '../support/pandadocServer';
import { browseSignIn } from '../support/rawHttp';

describe('the browser sign-in, end to end', () => {
  let server: PandaDocServer;
  let listener: LoopbackListener | undefined;
  let log: CapturingLogger;
  let options: ExchangeOptions;

  beforeEach(async () => {
    server = await PandaDocServer.start();
    log = new CapturingLogger();
    const redactor = new Redactor();
    const settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url, authBaseUrl: server.url, timeoutMs: 1500 };
    options = {
      http: new NodeFetchSender(200),
      clock: new ManualClock(),
      settings: () => settings,
      log: new RedactingLogger(log, redactor),
      redactor,
      userAgent: 'pandadoc-auth-tests',
    };
  });

  afterEach(async function () {
    await listener?.close();
    listener = undefined;
    assertNoSecrets(log.text(), server.issued, `the log of "${this.currentTest?.title}"`);
    await server.close();
  });

  /** Listens on a free port and returns the redirect URI that names it. */
  async function listen(state: string): Promise<{ redirectUri: string; listener: LoopbackListener }> {
    listener = await listenForRedirect({ port: 0, path: '/callback', state });
    const redirectUri = `http://127.0.0.1:${listener.port}/callback`;
    assert.deepEqual(parseRedirectUri(redirectUri).loopback, { port: listener.port, path: '/callback' });
    return { redirectUri, listener };
  }

  it('signs in and learns who signed in', async () => {
    const client = server.addClient();
    server.setMember(client.clientId, { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.test' });
    const state = newState();
    const { redirectUri, listener: l } = await listen(state);
    const url = buildAuthorizeUrl({ authBaseUrl: server.url, clientId: client.clientId, redirectUri, scope: 'read+write', state });

    const { redirect } = await browseSignIn(url);
    assert.equal(redirect?.status, 200);
    const { code } = await l.answer;
    for (const secret of [code, state]) {
      assert.ok(!redirect?.body.includes(secret), 'the page shows neither code nor state');
    }

    const grant = await exchangeAuthorizationCode(options, { ...client, code, redirectUri });
    const member = await fetchCurrentMember(options.http, {
      baseUrl: server.url,
      authorization: `Bearer ${grant.accessToken}`,
      timeoutMs: 1500,
      userAgent: 'pandadoc-auth-tests',
    });
    assert.equal(member.email, 'grace@example.test');
    assert.equal(server.isLiveCode(code), false, 'the code is spent');
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /oauth2/authorize', 'POST /oauth2/access_token', 'GET /public/v1/members/current'],
    );
  });

  it('ends with access_denied when the user declines, and exchanges nothing', async () => {
    const client = server.addClient();
    server.denyNextAuthorization();
    const state = newState();
    const { redirectUri, listener: l } = await listen(state);
    const { redirect } = await browseSignIn(
      buildAuthorizeUrl({ authBaseUrl: server.url, clientId: client.clientId, redirectUri, scope: 'read', state }),
    );
    assert.match(redirect?.body ?? '', /declined/);
    await assert.rejects(l.answer, (error: unknown) => error instanceof AuthError && error.code === 'access_denied');
    assert.equal(server.tokenRequests().length, 0);
  });

  it('ignores an answer meant for another sign-in', async () => {
    const client = server.addClient();
    const state = newState();
    const { redirectUri, listener: l } = await listen(state);
    // A sign-in VS Code did not start (or an older one) with its own state.
    const stray = await browseSignIn(
      buildAuthorizeUrl({ authBaseUrl: server.url, clientId: client.clientId, redirectUri, scope: 'read', state: newState() }),
    );
    assert.equal(stray.redirect?.status, 400);
    // It did not end this sign-in: the answer with this sign-in's state still comes through.
    const real = await browseSignIn(buildAuthorizeUrl({ authBaseUrl: server.url, clientId: client.clientId, redirectUri, scope: 'read', state }));
    assert.equal(real.redirect?.status, 200);
    const { code } = await l.answer;
    assert.ok(code.length > 0);
  });
});
