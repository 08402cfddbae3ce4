/**
 * PandaDoc's official Node SDK, `pandadoc-node-client`, with this extension's credentials, in
 * plain Node: the auth method behind getApi(1).createSdkAuthMethod() driven by the real SDK, the
 * README's script for the integrated terminal run as a user runs it, and the SDK kept out of
 * what the extension ships. The same auth method in the real extension host is proved by
 * test/integration/sdk.test.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type AuthMethodsConfiguration, createConfiguration, MembersApi, ServerConfiguration } from 'pandadoc-node-client';
import { AuthError } from '../../src/core/base/errors';
import { SDK_AUTH_METHOD_NAME, sdkAuthMethod } from '../../src/core/routes/sdkAuthMethod';
import { assertNoSecrets, digest } from '../support/assertions';
import { type ProcessRun, runQuietly } from '../support/childProcess';
import { PandaDocServer } from '../support/pandadocServer';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'test', 'fixtures', 'sdk-script', 'whoami.mjs');

/** A live access token of a new client, from the server's token endpoint. */
async function accessToken(server: PandaDocServer): Promise<string> {
  const client = server.addClient();
  const response = await fetch(`${server.url}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, scope: 'read+write', refresh_token: client.refreshToken }),
  });
  const body = (await response.json()) as { access_token: string };
  server.issued.push(body.access_token);
  return body.access_token;
}

function sdkFor(server: PandaDocServer, authMethods: AuthMethodsConfiguration): MembersApi {
  return new MembersApi(createConfiguration({ baseServer: new ServerConfiguration(server.url, {}), authMethods }));
}

describe('PandaDoc SDK auth method (createSdkAuthMethod)', () => {
  let server: PandaDocServer;
  before(async () => {
    server = await PandaDocServer.start();
  });
  after(() => server.close());

  it("asks for the header before every request of the SDK, and the SDK sends what it got", async () => {
    const keys = [server.addApiKey(), server.addApiKey()];
    const asked: string[] = [];
    const members = sdkFor(server, {
      default: sdkAuthMethod(() => {
        const header = `API-Key ${keys[asked.length % 2]}`;
        asked.push(header);
        return Promise.resolve(header);
      }),
    });
    const before = server.memberRequests().length;
    for (let call = 0; call < 3; call += 1) {
      assert.equal((await members.detailsCurrentMember()).email, 'api-key-user@example.test');
    }
    const sent = server.memberRequests().slice(before).map((r) => digest(r.headers.authorization));
    assert.deepEqual(sent, asked.map(digest), 'one ask per request, each request with its own answer');
    assert.equal(asked.length, 3);
  });

  it('wins over apiKey and oauth2 set beside it: the SDK applies default last', async () => {
    const token = await accessToken(server);
    const members = sdkFor(server, {
      apiKey: 'API-Key not-a-key',
      oauth2: { accessToken: 'not-a-token' },
      default: sdkAuthMethod(() => Promise.resolve(`Bearer ${token}`)),
    });
    await members.detailsCurrentMember();
    assert.equal(digest(server.memberRequests().at(-1)?.headers.authorization), digest(`Bearer ${token}`));
  });

  it('with nothing stored, rejects with no_credentials and the SDK sends nothing', async () => {
    const members = sdkFor(server, { default: sdkAuthMethod(() => Promise.resolve(undefined)) });
    const before = server.requests.length;
    await assert.rejects(members.detailsCurrentMember(), (error: unknown) => {
      assert.ok(error instanceof AuthError, 'the SDK passes our error on unchanged');
      assert.equal(error.code, 'no_credentials');
      assert.equal(error.name, 'PandaDocAuthError');
      return true;
    });
    assert.equal(server.requests.length, before, 'no request at all');
  });

  it('a failed refresh reaches the caller as it is, and nothing is sent', async () => {
    const failure = new AuthError('invalid_grant', 'PandaDoc no longer accepts the refresh token.');
    const members = sdkFor(server, { default: sdkAuthMethod(() => Promise.reject(failure)) });
    const before = server.requests.length;
    await assert.rejects(members.detailsCurrentMember(), (error: unknown) => error === failure);
    assert.equal(server.requests.length, before);
  });

  it('is named, and frozen', () => {
    const method = sdkAuthMethod(() => Promise.resolve(undefined));
    assert.equal(method.getName(), SDK_AUTH_METHOD_NAME);
    assert.ok(Object.isFrozen(method));
  });
});

/** Runs the README's script with plain node, as the integrated terminal would with the route on:
 *  the two variables set, nothing else of ours. */
function runScript(env: Record<string, string>): Promise<ProcessRun> {
  return runQuietly(process.execPath, [SCRIPT], { ...process.env, ...env }, 15_000);
}

describe("PandaDoc SDK in a script: the README's recipe for the terminal", () => {
  let server: PandaDocServer;
  before(async () => {
    server = await PandaDocServer.start();
  });
  after(() => server.close());

  for (const kind of ['API-Key', 'Bearer'] as const) {
    it(`asks who-am-I with PANDADOC_AUTHORIZATION as ${kind} <...> and prints the member`, async function () {
      this.timeout(20_000);
      const credential = kind === 'API-Key' ? server.addApiKey() : await accessToken(server);
      const authorization = `${kind} ${credential}`;
      const before = server.memberRequests().length;
      const run = await runScript({ PANDADOC_API_BASE_URL: server.url, PANDADOC_AUTHORIZATION: authorization });
      assertNoSecrets(run.stdout + run.stderr, server.issued, 'the script output');
      assert.equal(run.code, 0, `the script failed: ${run.stderr.slice(-500)}`);
      const requests = server.memberRequests().slice(before);
      assert.equal(requests.length, 1);
      assert.equal(digest(requests[0].headers.authorization), digest(authorization), 'the whole header, as the variable holds it');
      assert.match(run.stdout.trim(), /@example\.test$/);
    });
  }

  it('is in the README exactly as the test runs it', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const script = readFileSync(SCRIPT, 'utf8');
    assert.ok(readme.includes('```js\n' + script + '```'), 'the README shows test/fixtures/sdk-script/whoami.mjs verbatim');
  });
});

describe('PandaDoc SDK: a test dependency only', () => {
  it('is a devDependency, not a dependency', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    assert.ok(manifest.devDependencies?.['pandadoc-node-client'], 'in devDependencies');
    assert.equal(manifest.dependencies?.['pandadoc-node-client'], undefined, 'not in dependencies');
  });
});
