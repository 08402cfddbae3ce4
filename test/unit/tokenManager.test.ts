import * as assert from 'node:assert/strict';
import { parseCredentials, profileKey, type OAuthCredentials } from '../../src/core/token/credentials';
import { type AuthError } from '../../src/core/base/errors';
import type { ChangeCause } from '../../src/core/token/status';
import { TIME } from '../../src/core/base/policy';
import { assertDifferentSecret, assertNoSecrets, assertSameSecret, assertSameStored, digestValues, rejection } from '../support/assertions';
import { startHarness, type Harness } from '../support/harness';
import { PANDADOC_EXPIRES_IN } from '../support/pandadocServer';

function storedOAuth(h: Harness): OAuthCredentials {
  const state = parseCredentials(h.stored());
  assert.ok(state.ok && state.credentials?.kind === 'oauth', 'OAuth credentials are stored');
  return state.credentials;
}

describe('TokenManager against a PandaDoc-compatible server', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async function () {
    // Whatever a test did, no secret reached a log line.
    assertNoSecrets(h.log.text(), h.secrets(), `the log of "${this.currentTest?.title}"`);
    h.manager.dispose();
    await h.server.close();
  });

  async function storeClient(extra: Partial<OAuthCredentials> = {}): Promise<void> {
    const { clientId, clientSecret, refreshToken } = h.client;
    await h.manager.setOAuthCredentials({ clientId, clientSecret, refreshToken, ...extra });
  }

  describe('refresh', () => {
    it('sends exactly the request of PandaDoc reference', async () => {
      await storeClient();
      await h.manager.refresh();
      const [request] = h.server.tokenRequests();
      assert.equal(request.method, 'POST');
      assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(request.headers.accept, 'application/json');
      assert.deepEqual(
        digestValues(request.form),
        digestValues({
          grant_type: 'refresh_token',
          client_id: h.client.clientId,
          client_secret: h.client.clientSecret,
          scope: 'read+write',
          refresh_token: h.client.refreshToken,
        }),
      );
      assert.match(request.rawBody, /scope=read%2Bwrite/, 'the plus is encoded as curl --data-urlencode does');
    });

    it('stores the rotated refresh token with the access token in one write', async () => {
      await storeClient();
      const writesBefore = h.store.writes;
      const result = await h.manager.refresh();
      assert.equal(h.store.writes - writesBefore, 1, 'one write');
      const stored = storedOAuth(h);
      assertDifferentSecret(stored.refreshToken, h.client.refreshToken, 'the stored refresh token was rotated');
      assert.ok(h.server.isLive(stored.refreshToken as string), 'the stored refresh token is the live one');
      assert.equal(h.server.isLive(h.client.refreshToken), false);
      assertSameSecret(stored.accessToken, result.accessToken, 'the stored access token');
      assert.equal(stored.expiresAt, h.clock.now() + PANDADOC_EXPIRES_IN * 1000);
      assertSameSecret(stored.clientSecret, h.client.clientSecret, 'the stored client secret');
    });

    it('keeps the refresh token when PandaDoc does not send a new one', async () => {
      h.server.rotate = false;
      h.server.responseOverrides = { refresh_token: undefined };
      await storeClient();
      await h.manager.refresh();
      assertSameSecret(storedOAuth(h).refreshToken, h.client.refreshToken, 'the stored refresh token');
    });

    it('has stored the new tokens before announcing success', async () => {
      await storeClient();
      const seen: (string | undefined)[] = [];
      h.manager.onDidChange((cause) => cause === 'refresh' && seen.push(storedOAuth(h).accessToken));
      const result = await h.manager.refresh();
      assert.deepEqual(seen, [result.accessToken]);
    });

    it('logs method, URL, status, duration, expiry and a masked body', async () => {
      await storeClient();
      await h.manager.refresh();
      const text = h.log.text();
      assert.match(text, /\[refresh\] POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/access_token -> 200 in \d+ ms, expires 2027-/);
      assert.match(text, /refresh token rotated to …[0-9a-f]{4}/);
      assert.match(text, /response body: \{"access_token":"…[0-9a-f]{4}","token_type":"Bearer","expires_in":31535999/);
    });

    it('names the client by its ID in full (it is not a secret), the secrets by fingerprint', async () => {
      await storeClient();
      await h.manager.refresh();
      const text = h.log.text();
      assert.ok(text.includes(`[store] OAuth credentials saved (client ${h.client.clientId}, refresh token …`), 'the store line');
      assert.ok(text.includes(`/oauth2/access_token (client ${h.client.clientId}, refresh token …`), 'the request line');
    });

    it('assumes one hour when expires_in is missing, negative or junk, and keeps the token', async () => {
      for (const expiresIn of [undefined, -5, 0, 'soon', null]) {
        h.server.responseOverrides = { expires_in: expiresIn };
        await storeClient();
        const result = await h.manager.refresh();
        assert.equal(result.expiresAt, h.clock.now() + TIME.HOUR, `expires_in ${String(expiresIn)}`);
        assertSameSecret(storedOAuth(h).accessToken, result.accessToken, 'the stored access token');
        h.client.refreshToken = storedOAuth(h).refreshToken as string;
      }
      assert.match(h.log.text(), /no usable expires_in; assuming the token lives one hour/);
    });

    it('accepts expires_in as a numeric string', async () => {
      h.server.responseOverrides = { expires_in: '3600' };
      await storeClient();
      assert.equal((await h.manager.refresh()).expiresAt, h.clock.now() + 3600 * 1000);
    });
  });

  describe('getAccessToken', () => {
    it('is undefined with nothing stored, and sends nothing (activation included)', async () => {
      assert.equal(await h.manager.getAccessToken(), undefined);
      assert.equal(await h.manager.getAuthorizationHeader(), undefined);
      assert.equal(h.server.requests.length, 0);
    });

    it('reads what is stored at activation without sending anything, even for an expired token', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() - TIME.DAY });
      const activated = h.secondWindow();
      await activated.initialize();
      assert.deepEqual(activated.status(), { kind: 'oauth', expiresAt: h.clock.now() - TIME.DAY });
      assert.equal(h.server.requests.length, 0);
      activated.dispose();
    });

    it('returns a stored token that is fresh beyond the margin without a request', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + 6 * TIME.MINUTE });
      assert.equal(await h.manager.getAccessToken(), 'a'.repeat(40));
      assert.equal(await h.manager.getAuthorizationHeader(), `Bearer ${'a'.repeat(40)}`);
      assert.equal(h.server.requests.length, 0);
    });

    it('refreshes a token inside the refresh margin, and one that has expired', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + 4 * TIME.MINUTE });
      const first = await h.manager.getAccessToken();
      assert.notEqual(first, 'a'.repeat(40));
      assert.equal(h.server.tokenRequests().length, 1);
      h.clock.advance(PANDADOC_EXPIRES_IN * 1000 + 1);
      const second = await h.manager.getAccessToken();
      assertDifferentSecret(second, first, 'the token after expiry');
      assert.equal(h.server.tokenRequests().length, 2);
    });

    it('follows the refresh margin setting', async () => {
      h.settings.refreshMarginMs = 0;
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + 1000 });
      assert.equal(await h.manager.getAccessToken(), 'a'.repeat(40));
      assert.equal(h.server.requests.length, 0);
    });

    it('refreshes first when an access token was stored without an expiry', async () => {
      await storeClient({ accessToken: 'a'.repeat(40) });
      assert.notEqual(await h.manager.getAccessToken(), 'a'.repeat(40));
      assert.equal(h.server.tokenRequests().length, 1);
    });

    it('shares one request among a thousand concurrent callers', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() - 1 });
      const tokens = await Promise.all(Array.from({ length: 1000 }, () => h.manager.getAccessToken()));
      assert.equal(h.server.tokenRequests().length, 1);
      assert.equal(new Set(tokens).size, 1);
      assertSameSecret(tokens[0], storedOAuth(h).accessToken, 'the token handed out');
    });

    it('uses a token another window refreshed instead of sending its own request', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() - 1 });
      const other = h.secondWindow();
      await other.initialize();
      const fromOther = await other.getAccessToken();
      // This window has not heard of the change yet: its cache still holds the expired token.
      assert.equal(h.manager.status().expiresAt, h.clock.now() - 1);
      assertSameSecret(await h.manager.getAccessToken(), fromOther, 'the token from the other window');
      assert.equal(h.server.tokenRequests().length, 1);
      other.dispose();
    });

    it('refreshes on command even when the stored token is fresh', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + TIME.DAY });
      await h.manager.refresh();
      assert.equal(h.server.tokenRequests().length, 1);
    });

    it('hands out an API key as it is, and never sends a request for it', async () => {
      await h.manager.setApiKey('API-Key  ' + 'k'.repeat(40));
      assert.equal(await h.manager.getAccessToken(), 'k'.repeat(40));
      assert.equal(await h.manager.getAuthorizationHeader(), `API-Key ${'k'.repeat(40)}`);
      assert.deepEqual(h.manager.status(), { kind: 'apiKey' });
      assert.equal((await rejection(h.manager.refresh())).code, 'no_credentials');
      assert.equal(h.server.requests.length, 0);
    });
  });

  describe('a 2xx answer without an access token', () => {
    it('still stores the rotated refresh token it carries, so the next refresh succeeds', async () => {
      await storeClient();
      h.server.responseOverrides = { access_token: undefined };
      const error = await rejection(h.manager.refresh());
      assert.equal(error.code, 'bad_response');
      const kept = storedOAuth(h).refreshToken;
      assertDifferentSecret(kept, h.client.refreshToken, 'the stored refresh token');
      assert.ok(kept !== undefined && h.server.isLive(kept), 'the stored refresh token is the one PandaDoc issued, and alive');
      assert.equal(h.server.isLive(h.client.refreshToken), false, 'the one sent was retired');
      assert.equal(h.manager.state().lastError?.code, 'bad_response', 'the failure is still reported');
      h.server.responseOverrides = {};
      await h.manager.refresh();
      assert.equal(h.server.tokenRequests().length, 2, 'the next refresh needs no new sign-in');
      assert.match(h.log.text(), /the answer still held a refresh token \(.+\); it is kept/);
    });

    it('keeps what is stored when the answer holds no refresh token either', async () => {
      await storeClient();
      const before = h.stored();
      h.server.responseOverrides = { access_token: undefined, refresh_token: undefined };
      assert.equal((await rejection(h.manager.refresh())).code, 'bad_response');
      assertSameStored(h.stored(), before, 'the stored value');
    });
  });

  describe('faults: the outcome, the requests made, and stored credentials byte for byte', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const cases: {
      name: string;
      faults: Parameters<Harness['server']['failNext']>;
      code?: AuthError['code'];
      requests: number;
      sleeps?: number[];
    }[] = [
      { name: '500 three times', faults: Array(3).fill({ kind: 'status', status: 500 }), code: 'server', requests: 3, sleeps: [1000, 2000] },
      { name: '502 with an HTML body', faults: Array(3).fill({ kind: 'status', status: 502, body: html, contentType: 'text/html' }), code: 'server', requests: 3 },
      { name: '503 then success', faults: [{ kind: 'status', status: 503 }], requests: 2, sleeps: [1000] },
      {
        name: '429 with Retry-After: 2',
        faults: Array(3).fill({ kind: 'status', status: 429, headers: { 'Retry-After': '2' }, body: '{"type":"request_error","detail":"Request was throttled."}' }),
        code: 'rate_limited',
        requests: 3,
        sleeps: [2000, 2000],
      },
      { name: '429 asking for 120 s (not retried)', faults: [{ kind: 'status', status: 429, headers: { 'Retry-After': '120' } }], code: 'rate_limited', requests: 1, sleeps: [] },
      { name: '429 without Retry-After', faults: Array(3).fill({ kind: 'status', status: 429 }), code: 'rate_limited', requests: 3, sleeps: [1000, 2000] },
      { name: 'broken JSON', faults: [{ kind: 'status', status: 200, body: '{"access_token": "abc' }], code: 'bad_response', requests: 1 },
      { name: 'HTML with 200 from a captive portal', faults: [{ kind: 'status', status: 200, body: html, contentType: 'text/html' }], code: 'bad_response', requests: 1 },
      { name: '200 without access_token', faults: [{ kind: 'status', status: 200, body: '{"token_type":"Bearer","expires_in":3600}' }], code: 'bad_response', requests: 1 },
      { name: 'empty 200', faults: [{ kind: 'status', status: 200, body: '' }], code: 'bad_response', requests: 1 },
      { name: 'socket destroyed mid-body', faults: Array(3).fill({ kind: 'destroyMidBody' }), code: 'network', requests: 3 },
      { name: 'no answer before the timeout', faults: [{ kind: 'hang' }], code: 'timeout', requests: 1, sleeps: [] },
      { name: 'invalid_client (401)', faults: [{ kind: 'status', status: 401, body: '{"error":"invalid_client"}' }], code: 'invalid_client', requests: 1 },
      { name: 'invalid_client (400)', faults: [{ kind: 'status', status: 400, body: '{"error":"invalid_client"}' }], code: 'invalid_client', requests: 1 },
      { name: 'invalid_scope', faults: [{ kind: 'status', status: 400, body: '{"error":"invalid_scope"}' }], code: 'rejected', requests: 1 },
      { name: '404 (wrong base URL)', faults: [{ kind: 'status', status: 404, body: '{"type":"request_error","detail":"Not found."}' }], code: 'rejected', requests: 1 },
      { name: 'a redirect (never followed)', faults: [{ kind: 'status', status: 307, headers: { Location: 'http://127.0.0.1:9/steal' } }], code: 'bad_response', requests: 1 },
    ];

    for (const c of cases) {
      it(c.name, async () => {
        await storeClient();
        const before = h.stored();
        h.server.failNext(...c.faults);
        if (c.code === undefined) {
          await h.manager.refresh();
          assert.notEqual(h.stored(), before, 'the new tokens are stored');
        } else {
          const error = await rejection(h.manager.refresh());
          assert.equal(error.code, c.code);
          assertSameStored(h.stored(), before, 'the stored credentials');
          assert.equal(h.manager.state().lastError?.code, c.code);
          assert.ok(h.server.isLive(h.client.refreshToken), 'the refresh token still works');
        }
        assert.equal(h.server.tokenRequests().length, c.requests, 'requests made');
        if (c.sleeps) {
          assert.deepEqual(h.clock.sleeps, c.sleeps, 'waits between attempts');
        }
      });
    }

    it('connection refused: retried, then network, nothing changed', async () => {
      await storeClient();
      const before = h.stored();
      const closed = h.server.url;
      await h.server.close();
      h.settings.apiBaseUrl = closed;
      const error = await rejection(h.manager.refresh());
      assert.equal(error.code, 'network');
      assert.equal(error.details.detail, 'ECONNREFUSED');
      assert.deepEqual(h.clock.sleeps, [1000, 2000]);
      assertSameStored(h.stored(), before, 'the stored credentials');
    });

    it('a refused base URL sends nothing', async () => {
      await storeClient();
      h.settings.apiBaseUrl = 'http://api.pandadoc.example';
      assert.equal((await rejection(h.manager.refresh())).code, 'bad_config');
      assert.equal(h.server.requests.length, 0);
    });

    it('a failed secret-storage write reports storage and keeps the old value', async () => {
      await storeClient();
      const before = h.stored();
      h.store.failWrites = true;
      assert.equal((await rejection(h.manager.refresh())).code, 'storage');
      assertSameStored(h.stored(), before, 'the stored credentials');
    });

    it('announces the end of a failed refresh with the failure in the state', async () => {
      await storeClient();
      const seen: string[] = [];
      h.manager.onDidChange((cause) => {
        const state = h.manager.state();
        seen.push(`${cause}:${state.refreshing ? 'refreshing' : 'settled'}:${state.lastError?.code ?? 'ok'}`);
      });
      h.server.failNext({ kind: 'status', status: 400, body: '{"error":"invalid_scope"}' });
      await rejection(h.manager.refresh());
      assert.deepEqual(seen, ['busy:refreshing:ok', 'idle:settled:rejected']);
    });

    it('clears the failure on the next success', async () => {
      await storeClient();
      h.server.failNext({ kind: 'status', status: 400, body: '{"error":"invalid_request"}' });
      await rejection(h.manager.refresh());
      await h.manager.refresh();
      assert.equal(h.manager.state().lastError, undefined);
    });
  });

  describe('invalid_grant', () => {
    it('drops the dead refresh token, keeps the client and a still-valid access token', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + TIME.DAY });
      h.server.revoke(h.client.refreshToken);
      const error = await rejection(h.manager.refresh());
      assert.equal(error.code, 'invalid_grant');
      const stored = storedOAuth(h);
      assert.equal(stored.refreshToken, undefined);
      assert.equal(stored.clientId, h.client.clientId);
      assertSameSecret(stored.clientSecret, h.client.clientSecret, 'the kept client secret');
      assert.equal(stored.accessToken, 'a'.repeat(40));
      assert.equal(h.manager.state().canRefresh, false);
      // Still valid: handed out until it expires, without asking PandaDoc again.
      assert.equal(await h.manager.getAccessToken(), 'a'.repeat(40));
      h.clock.advance(TIME.DAY);
      assert.equal((await rejection(h.manager.getAccessToken())).code, 'invalid_grant');
      assert.equal(h.server.tokenRequests().length, 1);
    });

    it('keeps a session alive by the injected clock until the last token of a dead grant expires', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() + TIME.DAY });
      assert.equal(h.manager.hasLiveSession(), true, 'a refresh token serves the session');
      h.server.revoke(h.client.refreshToken);
      await rejection(h.manager.refresh());
      assert.equal(h.manager.hasLiveSession(), true, 'the token that has not expired still serves it');
      h.clock.advance(TIME.DAY);
      assert.equal(h.manager.hasLiveSession(), false, 'the clock the core holds ended it, not the system time');
    });

    it('uses the newer credentials another window stored meanwhile (rotation race)', async () => {
      await storeClient({ accessToken: 'a'.repeat(40), expiresAt: h.clock.now() - 1 });
      const other = h.secondWindow();
      await other.initialize();
      // Both windows send the same refresh token; the first answer rotates it.
      h.server.failNext({ kind: 'delay', ms: 0 }, { kind: 'delay', ms: 150 });
      const [winner, loser] = await Promise.all([h.manager.getAccessToken(), other.getAccessToken()]);
      assertSameSecret(loser, winner, 'the late window adopts the token the first one stored');
      const stored = storedOAuth(h);
      assert.ok(stored.refreshToken && h.server.isLive(stored.refreshToken), 'the live refresh token is kept');
      assert.equal(h.server.tokenRequests().length, 2);
      other.dispose();
    });
  });

  describe('storing and signing out', () => {
    it('validates before storing, and a refused input changes nothing', async () => {
      await storeClient();
      const before = h.stored();
      for (const bad of [
        {},
        { clientId: '', clientSecret: 'x', refreshToken: 'y' },
        { clientId: 'a', clientSecret: 'line\nbreak', refreshToken: 'y' },
        { ...h.client, expiresAt: 1_700_000_000 },
        { ...h.client, client_secret: 'x' },
      ]) {
        assert.equal((await rejection(h.manager.setOAuthCredentials(bad))).code, 'bad_input');
      }
      assert.equal((await rejection(h.manager.setApiKey('  '))).code, 'bad_input');
      assertSameStored(h.stored(), before, 'the stored credentials');
    });

    it('announces store, refresh and sign-out', async () => {
      const causes: ChangeCause[] = [];
      h.manager.onDidChange((cause) => causes.push(cause));
      await storeClient();
      await h.manager.refresh();
      assert.equal(await h.manager.signOut(), true);
      assert.deepEqual(causes, ['store', 'busy', 'refresh', 'idle', 'signOut']);
      assert.equal(h.stored(), undefined);
      assert.deepEqual(h.manager.status(), { kind: 'none' });
      assert.equal(await h.manager.signOut(), false, 'nothing left to delete');
    });

    it('a sign-out during a refresh is not undone by its answer', async () => {
      await storeClient();
      h.server.failNext({ kind: 'delay', ms: 150 });
      const refreshing = h.manager.refresh();
      await h.manager.signOut();
      assert.equal((await rejection(refreshing)).code, 'no_credentials');
      assert.equal(h.stored(), undefined);
      assert.deepEqual(h.manager.status(), { kind: 'none' });
    });

    it('follows a change another window made', async () => {
      const other = h.secondWindow();
      await other.initialize();
      await storeClient();
      await other.reload();
      assert.equal(other.status().kind, 'oauth');
      await other.refresh();
      await h.manager.reload();
      assert.deepEqual(h.manager.status(), other.status());
      other.dispose();
    });

    it('a slow reload that began before a write does not undo it', async () => {
      await storeClient();
      h.store.readDelayMs = 100;
      const reloading = h.manager.reload();
      h.store.readDelayMs = 0;
      await h.manager.setApiKey('k'.repeat(40));
      await reloading;
      assert.deepEqual(h.manager.status(), { kind: 'apiKey' });
    });

    it('offers the stored client secret only for the same client', async () => {
      await storeClient();
      assert.equal(h.manager.storedClientId(), h.client.clientId);
      assertSameSecret(h.manager.storedClientSecret(h.client.clientId), h.client.clientSecret, 'the offered secret');
      assert.equal(h.manager.storedClientSecret('another-client'), undefined);
    });

    it('reports unreadable storage without deleting it, until new credentials replace it', async () => {
      h.store.values.set(profileKey('Default'), '{"version":99}');
      await h.manager.reload();
      assert.equal(h.manager.state().unreadable, true);
      assert.equal((await rejection(h.manager.getAccessToken())).code, 'storage');
      assert.equal(h.stored(), '{"version":99}');
      await h.manager.setApiKey('k'.repeat(40));
      assert.equal(h.manager.state().unreadable, false);
    });

    it('survives a secret storage that cannot be read at activation', async () => {
      h.store.failReads = true;
      await h.manager.initialize();
      assert.equal(h.manager.state().unreadable, true);
      assert.equal((await rejection(h.manager.getAccessToken())).code, 'storage');
    });
  });
});
