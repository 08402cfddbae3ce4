/**
 * What `npm start` prints: the sandbox server's log lines say what each request was, the ready
 * text counts from the real start and ends with the address and the demo values, and a one-off
 * esbuild build does not claim to watch.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../host/paths';
import { DEMO, sandboxLogLine, sandboxReadyText } from '../host/start';
import { PandaDocServer, type ResponseEntry } from '../support/pandadocServer';

describe('the sandbox output of npm start', () => {
  describe('the log line of each request', () => {
    let server: PandaDocServer;
    const entries: ResponseEntry[] = [];

    before(async () => {
      server = await PandaDocServer.start({ rotate: false, onResponse: (entry) => entries.push(entry) });
      server.addClient(DEMO.clientId, DEMO.clientSecret, DEMO.refreshToken);
      server.addApiKey(DEMO.apiKey);
    });

    after(() => server.close());

    /** Sends one request and resolves with the line the sandbox prints for it. */
    async function lineFor(pathname: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<string> {
      const before = entries.length;
      const response = await fetch(`${server.url}${pathname}`, {
        method: init.method ?? (init.form ? 'POST' : 'GET'),
        redirect: 'manual',
        headers: { ...init.headers, ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      });
      await response.arrayBuffer();
      for (let wait = 0; entries.length === before && wait < 50; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(entries.length, before + 1, 'one log entry per request');
      return sandboxLogLine(entries[before], '12:00:00');
    }

    const refresh = (extra: Record<string, string>) => ({
      grant_type: 'refresh_token',
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
      refresh_token: DEMO.refreshToken,
      ...extra,
    });

    it('a refresh, and each way one is refused', async () => {
      assert.equal(
        await lineFor('/oauth2/access_token', { form: refresh({}) }),
        `[sandbox 12:00:00] POST /oauth2/access_token -> 200, refresh: token issued (client ${DEMO.clientId})`,
      );
      assert.match(await lineFor('/oauth2/access_token', { form: refresh({ client_secret: 'wrong-secret' }) }), / -> 400, refresh: refused, wrong client secret \(invalid_client\) \(client demo-client-id\)$/);
      assert.match(await lineFor('/oauth2/access_token', { form: refresh({ client_id: 'someone-else' }) }), / -> 400, refresh: refused, unknown client id \(invalid_client\) \(client someone-else\)$/);
      assert.match(await lineFor('/oauth2/access_token', { form: refresh({ refresh_token: 'revoked' }) }), / -> 400, refresh: refused, unknown or revoked refresh token \(invalid_grant\)/);
      assert.match(await lineFor('/oauth2/access_token', { form: refresh({ grant_type: 'authorization_code', code: 'used' }) }), / -> 400, code exchange: refused, unknown or used code \(invalid_grant\)/);
    });

    it('who-am-I: with an API key (never its value), a token, a wrong key; no token is "issued" there', async () => {
      const key = await lineFor('/public/v1/members/current', { headers: { Authorization: `API-Key ${DEMO.apiKey}` } });
      assert.equal(key, '[sandbox 12:00:00] GET /public/v1/members/current -> 200, who-am-I with an API key: answered');
      const wrongKey = await lineFor('/public/v1/members/current', { headers: { Authorization: 'API-Key not-a-known-key' } });
      assert.equal(wrongKey, '[sandbox 12:00:00] GET /public/v1/members/current -> 401, who-am-I with an API key: refused, unknown API key');
      const token = await fetch(`${server.url}/oauth2/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(refresh({})).toString(),
      }).then((response) => response.json() as Promise<{ access_token: string }>);
      const bearer = await lineFor('/public/v1/members/current', { headers: { Authorization: `Bearer ${token.access_token}` } });
      assert.equal(bearer, `[sandbox 12:00:00] GET /public/v1/members/current -> 200, who-am-I with an access token: answered (client ${DEMO.clientId})`);
      for (const line of [key, wrongKey, bearer]) {
        assert.ok(!/token issued|client id or client secret|\(none\)/.test(line), line);
        assert.ok(!line.includes(DEMO.apiKey) && !line.includes(token.access_token), 'no secret in the line');
      }
    });

    it('the sign-in page', async () => {
      const query = new URLSearchParams({ client_id: DEMO.clientId, redirect_uri: 'http://127.0.0.1:1/callback', response_type: 'code', state: 's' });
      assert.match(await lineFor(`/oauth2/authorize?${query.toString()}`), /GET \/oauth2\/authorize -> 302, sign-in page: approved, code sent to the redirect URI \(client demo-client-id\)$/);
      assert.match(await lineFor('/nowhere'), /GET \/nowhere -> 404, no such endpoint$/);
    });
  });

  describe('the ready text', () => {
    const text = sandboxReadyText({
      times: { startedAt: 1_000, checkedAt: 9_100, packagedAt: 19_000, serverStartedAt: 20_000, readyAt: 21_300 },
      url: 'http://127.0.0.1:8080/?folder=%2Fsandbox%2Fworkspace',
      codeServerPort: 8080,
      sandboxUrl: 'http://127.0.0.1:40000',
      redirectPort: 40001,
      runFolder: '.vscode-test/sandbox',
    });
    const lines = text.split('\n').filter((line) => line.trim() !== '');

    it('counts from the start of npm start, the type-check included', () => {
      assert.match(text, /ready in 20\.3 s \(type-check 8\.1 s, package 9\.9 s, code-server 1\.3 s\)/);
    });

    it('says to keep "As in Settings" when asked for the region: Global and EU are not the sandbox', () => {
      assert.match(text, /keep "As in Settings": that is this sandbox/);
    });

    it('ends with the demo values and then the address to open', () => {
      assert.equal(lines.at(-1), '  Open:  http://127.0.0.1:8080/?folder=%2Fsandbox%2Fworkspace');
      const demo = lines.findIndex((line) => line.includes(DEMO.clientSecret));
      const after = lines.slice(demo);
      assert.ok(demo > 0, 'the demo values are printed');
      assert.ok(!after.some((line) => /Run folder|Sandbox PandaDoc server|Token requests/.test(line)), 'nothing but the demo values and the address after them');
    });
  });

  it('a one-off esbuild build prints no [watch] lines (only --watch does)', function () {
    this.timeout(30_000);
    const build = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'esbuild.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    assert.doesNotMatch(build.stdout, /\[watch\]/);
    assert.match(build.stdout, /dist\/extension\.js: [\d.]+ KB/);
  });
});
