import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildRefreshCurl, REFRESH_CURL_VARIABLES, shellQuote } from '../../src/core/tools/curl';
import { AuthError } from '../../src/core/base/errors';
import { DEFAULT_SETTINGS } from '../../src/core/base/settings';
import { assertNoSecrets, digest } from '../support/assertions';
import { type ProcessRun, runQuietly } from '../support/childProcess';
import { PandaDocServer } from '../support/pandadocServer';

const DEFAULTS = `curl -X POST \\
  --globoff \\
  -H 'Accept: application/json' \\
  --data-urlencode 'grant_type=refresh_token' \\
  --data-urlencode "client_id=$PANDADOC_CLIENT_ID" \\
  --data-urlencode "client_secret=$PANDADOC_CLIENT_SECRET" \\
  --data-urlencode 'scope=read+write' \\
  --data-urlencode "refresh_token=$PANDADOC_REFRESH_TOKEN" \\
  'https://api.pandadoc.com/oauth2/access_token'`;

interface Secrets {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Fake credentials full of what a shell would act on, were they ever parsed as shell text. */
const AWKWARD: Secrets = {
  clientId: `client 'one' "two"`,
  clientSecret: `s3cr&t+=%'"$(exit 1)\`exit 2\`$HOME \\ ;|*?~ end`,
  refreshToken: `rt with  spaces &amp; + = ${'$'}{PATH} !x`,
};

function available(program: string): boolean {
  const result = spawnSync(program, ['--version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/**
 * Runs a script with bash, the three variables set and nothing of the user's setup in the way:
 * no proxy (the server is on 127.0.0.1) and no ~/.curlrc (HOME and friends point at an empty
 * directory). Output is returned, never printed: curl's stdout holds the new tokens.
 */
async function runBash(script: string, secrets: Secrets): Promise<ProcessRun> {
  const home = mkdtempSync(path.join(tmpdir(), 'pandadoc-curl-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'all_proxy']) {
    delete env[name];
  }
  Object.assign(env, {
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    HOME: home,
    CURL_HOME: home,
    XDG_CONFIG_HOME: home,
    [REFRESH_CURL_VARIABLES.clientId]: secrets.clientId,
    [REFRESH_CURL_VARIABLES.clientSecret]: secrets.clientSecret,
    [REFRESH_CURL_VARIABLES.refreshToken]: secrets.refreshToken,
  });
  try {
    return await runQuietly('bash', ['-c', script], env, 8000);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Fails with curl's stderr, secrets masked, when bash did not exit 0. */
function assertRanCleanly(run: ProcessRun, secrets: Secrets): void {
  if (run.code !== 0) {
    let stderr = run.stderr;
    for (const secret of Object.values(secrets)) {
      stderr = stderr.split(secret).join(digest(secret));
    }
    assert.fail(`bash exited with ${run.code}: ${stderr.slice(-500)}`);
  }
}

/** The arguments the command hands to curl, read back through a shell function that stands in for it. */
async function argumentsOf(command: string, secrets: Secrets): Promise<string[]> {
  const run = await runBash(`curl() { printf '%s\\0' "$@"; }\n${command}`, secrets);
  assertRanCleanly(run, secrets);
  return run.stdout.split('\0').slice(0, -1);
}

function expectedArguments(url: string, scope: string, secrets: Secrets): string[] {
  return [
    '-X', 'POST',
    '--globoff',
    '-H', 'Accept: application/json',
    '--data-urlencode', 'grant_type=refresh_token',
    '--data-urlencode', `client_id=${secrets.clientId}`,
    '--data-urlencode', `client_secret=${secrets.clientSecret}`,
    '--data-urlencode', `scope=${scope}`,
    '--data-urlencode', `refresh_token=${secrets.refreshToken}`,
    url,
  ];
}

describe('the refresh request as curl', () => {
  it('is exactly the request of the PandaDoc reference for the default settings', () => {
    assert.equal(buildRefreshCurl(DEFAULT_SETTINGS), DEFAULTS);
  });

  it('uses the configured base URL and scope, checked like a real refresh', () => {
    assert.equal(
      buildRefreshCurl({ apiBaseUrl: ' https://proxy.example.com/pandadoc/ ', scope: ' read ' }),
      DEFAULTS.replace("'scope=read+write'", "'scope=read'").replace(
        "'https://api.pandadoc.com/oauth2/access_token'",
        "'https://proxy.example.com/pandadoc/oauth2/access_token'",
      ),
    );
    assert.match(buildRefreshCurl({ apiBaseUrl: 'http://127.0.0.1:8080', scope: 'read write' }), /'scope=read write'/);
  });

  it('lets a setting that is not allowed throw bad_config', () => {
    for (const settings of [
      { apiBaseUrl: 'http://api.pandadoc.com', scope: 'read+write' },
      { apiBaseUrl: 'https://api.pandadoc.com', scope: "read' ; rm -rf ~ ; '" },
    ]) {
      assert.throws(
        () => buildRefreshCurl(settings),
        (error: unknown) => error instanceof AuthError && error.code === 'bad_config',
      );
    }
  });

  it('holds no secret, only the three variables', () => {
    const command = buildRefreshCurl(DEFAULT_SETTINGS);
    assert.deepEqual(Object.values(REFRESH_CURL_VARIABLES), [
      'PANDADOC_CLIENT_ID',
      'PANDADOC_CLIENT_SECRET',
      'PANDADOC_REFRESH_TOKEN',
    ]);
    const expansions = command.match(/\$\w+/g);
    assert.deepEqual(expansions, ['$PANDADOC_CLIENT_ID', '$PANDADOC_CLIENT_SECRET', '$PANDADOC_REFRESH_TOKEN']);
    assert.ok(!command.endsWith('\n'), 'no trailing newline: pasting it does not run it');
  });

  it('quotes single quotes', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
    // The URL parser keeps a quote in a path, so one can reach the command.
    assert.match(buildRefreshCurl({ apiBaseUrl: "https://example.com/it's", scope: 'read' }), /'https:\/\/example\.com\/it'\\''s\/oauth2\/access_token'$/);
  });

  describe('run by bash', () => {
    before(function () {
      if (!available('bash')) {
        this.skip();
      }
    });

    it('hands curl exactly the intended arguments, whatever the secrets and base URL contain', async () => {
      const cases: [string, string, string][] = [
        ['https://api.pandadoc.com', 'read+write', 'https://api.pandadoc.com/oauth2/access_token'],
        ["https://example.com/it's/$HOME/`x`", 'read write', "https://example.com/it's/$HOME/%60x%60/oauth2/access_token"],
      ];
      for (const [apiBaseUrl, scope, url] of cases) {
        const args = await argumentsOf(buildRefreshCurl({ apiBaseUrl, scope }), AWKWARD);
        // Compared as digests: these arguments include the (fake) secrets.
        assert.deepEqual(args.map(digest), expectedArguments(url, scope, AWKWARD).map(digest), apiBaseUrl);
      }
    });
  });

  describe('run with curl against the test server', () => {
    let server: PandaDocServer;
    const statuses: number[] = [];

    before(async function () {
      if (!available('bash') || !available('curl')) {
        this.skip();
      }
      server = await PandaDocServer.start({ onResponse: (entry) => statuses.push(entry.status) });
    });

    after(async () => {
      await server?.close();
    });

    const clients: [string, (s: PandaDocServer) => Secrets][] = [
      ['with credentials as PandaDoc issues them', (s) => s.addClient()],
      ['with credentials full of shell syntax', (s) => s.addClient(AWKWARD.clientId, AWKWARD.clientSecret, AWKWARD.refreshToken)],
    ];
    it('sends one request to a base URL holding [ ], not one per glob match (S10)', async () => {
      const secrets = server.addClient();
      const paths: string[] = [];
      const recorder = http.createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"invalid_request"}');
      });
      await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
      try {
        const port = (recorder.address() as AddressInfo).port;
        const apiBaseUrl = `http://127.0.0.1:${port}/v[1-2]`;
        const run = await runBash(buildRefreshCurl({ apiBaseUrl, scope: 'read+write' }), secrets);
        assertRanCleanly(run, secrets);
        assert.deepEqual(paths, ['/v[1-2]/oauth2/access_token']);
      } finally {
        await new Promise((resolve) => recorder.close(resolve));
      }
    });

    for (const [name, register] of clients) {
      it(`refreshes ${name}`, async () => {
        const secrets = register(server);
        const before = server.tokenRequests().length;
        statuses.length = 0;

        const command = buildRefreshCurl({ apiBaseUrl: server.url, scope: 'read+write' });
        assertNoSecrets(command, [secrets.clientSecret, secrets.refreshToken, secrets.clientId], 'the command');
        const run = await runBash(command, secrets);
        assertRanCleanly(run, secrets);

        const requests = server.tokenRequests().slice(before);
        assert.equal(requests.length, 1, 'one token request');
        const [request] = requests;
        assert.equal(request.method, 'POST');
        assert.equal(request.headers.accept, 'application/json');
        assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
        assert.deepEqual(Object.keys(request.form).sort(), ['client_id', 'client_secret', 'grant_type', 'refresh_token', 'scope']);
        assert.equal(request.form.grant_type, 'refresh_token');
        assert.equal(request.form.scope, 'read+write');
        assert.ok(request.rawBody.includes('scope=read%2Bwrite'), 'the plus of read+write is sent encoded, as %2B');
        assert.deepEqual(
          [request.form.client_id, request.form.client_secret, request.form.refresh_token].map(digest),
          [secrets.clientId, secrets.clientSecret, secrets.refreshToken].map(digest),
          'the secrets arrive exactly as set in the environment',
        );
        assert.deepEqual(statuses, [200]);

        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(run.stdout) as Record<string, unknown>;
        } catch {
          assert.fail(`curl printed ${run.stdout.length} characters that are not JSON`);
        }
        assert.equal(body.token_type, 'Bearer');
        assert.ok(typeof body.access_token === 'string' && server.issued.includes(body.access_token), 'a token the server issued');
        assert.ok(!server.isLive(secrets.refreshToken), 'the refresh token was used (and rotated)');
      });
    }
  });
});
