/**
 * The fault matrix: every fault the PandaDoc-compatible server can inject, through every way a
 * token is asked for (the Refresh Token and Copy Access Token commands, `getApi(1).getAccessToken()`
 * and a second extension's `getSession`), in the real extension host. Each cell starts from a fresh
 * sign-in holding a token inside the refresh margin, so every entry must refresh, and checks the
 * message the user reads, the error code, the token requests sent and what became of the stored
 * credentials. The table is printed after the suite and written to the run folder as
 * fault-matrix.md.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { AuthError, type AuthErrorCode, type AuthErrorDetails } from '../../src/core/base/errors';
import { ASSUMED_LIFETIME_MS, BACKOFF_BASE_MS, BODY_STALL_MS, DEFAULT_REFRESH_MARGIN_MS, MAX_ATTEMPTS, TIME } from '../../src/core/base/policy';
import { userMessageFor } from '../../src/core/view/userMessages';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { type Fault, PANDADOC_EXPIRES_IN, type PandaDocServer } from '../support/pandadocServer';
import { markdownTable, type MatrixRow, textTable, timings } from './matrixTable';
import { reset, sandbox, signIn, TIMEOUT_SECONDS, withApiBaseUrl } from './sandbox';

const ENTRIES = ['refresh command', 'getAccessToken', 'getSession', 'copy command'] as const;
type Entry = (typeof ENTRIES)[number];

/** What the caller gets: a token from a refresh, the stored token still valid, or a failure. */
type Result = 'new token' | 'old token' | 'failure';
/** What becomes of the stored credentials. */
type Stored = 'unchanged' | 'replaced' | 'refresh token dropped' | 'refresh token replaced';

interface Failure {
  code: AuthErrorCode;
  /** What the user message is built from (userMessages.ts). */
  details: AuthErrorDetails;
  /** The rejection's message through the API: the developer message of the AuthError. */
  apiMessage: string;
}

interface Expect {
  requests: number;
  result: Result;
  stored: Stored;
  failure?: Failure;
  /** Whether the server still accepts the stored refresh token afterwards; undefined when none is stored. */
  grantLive?: boolean;
  /** The lifetime of a stored new token. */
  lifetimeMs?: number;
  /** A wait the client must honour before it can settle. */
  minMs?: number;
}

interface FaultCase extends Expect {
  fault: string;
  inject(server: PandaDocServer, marker: string): void;
  /** Instead of the sandbox server's address. */
  apiBaseUrl?: string;
  /** Instead of the sandbox's TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
  /** Only these entries, where the others would only repeat the same code path. */
  entries?: readonly Entry[];
  /** Where an entry really behaves differently. */
  perEntry?: Partial<Record<Entry, Partial<Expect>>>;
}

const SERVER_LIFETIME_MS = PANDADOC_EXPIRES_IN * TIME.SECOND;
const TIMEOUT_MS = TIMEOUT_SECONDS * TIME.SECOND;
const REFUSED_URL = 'http://127.0.0.1:9';

function answer(status: number, body: string, extra: { contentType?: string; headers?: Record<string, string> } = {}): Fault {
  return { kind: 'status', status, body, ...extra };
}

/** The same fault for every attempt the retry policy makes. */
function everyAttempt(fault: Fault): Fault[] {
  return Array<Fault>(MAX_ATTEMPTS).fill(fault);
}

const throttled = (marker: string) => JSON.stringify({ type: 'request_error', detail: `Request was throttled. ${marker}` });
const oauthError = (error: string, marker: string) => JSON.stringify({ error, error_description: marker });

const FAULTS: FaultCase[] = [
  {
    fault: '500 (every attempt)',
    inject: (server, marker) => server.failNext(...everyAttempt(answer(500, oauthError('server_error', marker)))),
    requests: MAX_ATTEMPTS,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: { code: 'server', details: { status: 500 }, apiMessage: 'PandaDoc answered with a server error (HTTP 500).' },
  },
  {
    fault: '502 HTML (every attempt)',
    inject: (server, marker) =>
      server.failNext(
        ...everyAttempt(answer(502, `<html><body><h1>502 Bad Gateway</h1><p>${marker}</p></body></html>`, { contentType: 'text/html' })),
      ),
    requests: MAX_ATTEMPTS,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: { code: 'server', details: { status: 502 }, apiMessage: 'PandaDoc answered with a server error (HTTP 502).' },
  },
  {
    fault: '503, then 200',
    inject: (server, marker) => server.failNext(answer(503, marker, { contentType: 'text/plain' })),
    requests: 2,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: SERVER_LIFETIME_MS,
    minMs: BACKOFF_BASE_MS,
  },
  {
    fault: '429 Retry-After: 1, then 200',
    inject: (server, marker) => server.failNext(answer(429, throttled(marker), { headers: { 'Retry-After': '1' } })),
    requests: 2,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: SERVER_LIFETIME_MS,
    minMs: 1 * TIME.SECOND,
  },
  {
    // Longer than RETRY_AFTER_CAP_MS: not waited for, the user is told when to try again.
    fault: '429 Retry-After: 120',
    inject: (server, marker) => server.failNext(answer(429, throttled(marker), { headers: { 'Retry-After': '120' } })),
    requests: 1,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: { code: 'rate_limited', details: { status: 429, retryAfterMs: 120 * TIME.SECOND }, apiMessage: 'PandaDoc is throttling requests (HTTP 429).' },
  },
  {
    fault: '429 no Retry-After (every attempt)',
    inject: (server, marker) => server.failNext(...everyAttempt(answer(429, throttled(marker)))),
    requests: MAX_ATTEMPTS,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: { code: 'rate_limited', details: { status: 429 }, apiMessage: 'PandaDoc is throttling requests (HTTP 429).' },
  },
  {
    fault: '200 broken JSON',
    inject: (server, marker) => server.failNext(answer(200, `{"access_token":"${marker}`)),
    requests: 1,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: {
      code: 'bad_response',
      details: { status: 200, detail: 'a body that is not JSON' },
      apiMessage: 'The token endpoint answered with a body that is not JSON.',
    },
  },
  {
    // The server processed the refresh (and rotated the refresh token) but left access_token out.
    // The answer is refused, but the rotated refresh token it carries is stored in place of the
    // one sent, which the server retired: the next refresh still succeeds.
    fault: '200 without access_token',
    inject: (server, marker) => {
      server.responseOverrides = { access_token: undefined, error_description: marker };
    },
    requests: 1,
    result: 'failure',
    stored: 'refresh token replaced',
    grantLive: true,
    failure: {
      code: 'bad_response',
      details: { status: 200, detail: 'no access_token' },
      apiMessage: 'The token response has no usable access_token.',
    },
  },
  {
    // Nonsense lifetimes are accepted with ASSUMED_LIFETIME_MS: the answer may carry a rotated
    // refresh token that must not be dropped.
    fault: 'expires_in -3600',
    inject: (server, marker) => {
      server.responseOverrides = { expires_in: -3600, note: marker };
    },
    requests: 1,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: ASSUMED_LIFETIME_MS,
  },
  {
    fault: 'no expires_in',
    inject: (server, marker) => {
      server.responseOverrides = { expires_in: undefined, note: marker };
    },
    requests: 1,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: ASSUMED_LIFETIME_MS,
  },
  {
    // node-fetch 2 never notices the dropped connection; the body-stall watchdog (3 s) does, as a
    // network error, which is retried.
    fault: 'socket destroyed mid-body, then 200 (8 s timeout)',
    inject: (server) => server.failNext({ kind: 'destroyMidBody' }),
    // Long enough that the watchdog's own 3 s applies, not half the timeout.
    timeoutSeconds: 8,
    requests: 2,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: SERVER_LIFETIME_MS,
    minMs: BODY_STALL_MS + BACKOFF_BASE_MS,
  },
  {
    // With a request timeout shorter than the watchdog (the sandbox's 2 s; the setting allows 1),
    // the watchdog waits half the timeout, so the drop is still a network error, and retried.
    fault: `socket destroyed mid-body, then 200 (${TIMEOUT_SECONDS} s timeout)`,
    inject: (server) => server.failNext({ kind: 'destroyMidBody' }),
    entries: ['refresh command', 'getAccessToken'],
    requests: 2,
    result: 'new token',
    stored: 'replaced',
    grantLive: true,
    lifetimeMs: SERVER_LIFETIME_MS,
    minMs: TIMEOUT_MS / 2 + BACKOFF_BASE_MS,
  },
  {
    // Not retried: the user has already waited the whole timeout once.
    fault: `no answer (${TIMEOUT_SECONDS} s timeout)`,
    inject: (server) => server.failNext({ kind: 'hang' }),
    requests: 1,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    minMs: TIMEOUT_MS,
    failure: { code: 'timeout', details: { detail: `${TIMEOUT_MS} ms` }, apiMessage: `No answer from PandaDoc within ${TIMEOUT_MS} ms.` },
  },
  {
    // Port 9 (discard) on loopback: nothing listens there, so the server sees nothing.
    fault: 'connection refused',
    inject: () => undefined,
    apiBaseUrl: REFUSED_URL,
    requests: 0,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: {
      code: 'network',
      details: { detail: 'ECONNREFUSED' },
      apiMessage: 'Could not complete the request to PandaDoc (ECONNREFUSED).',
    },
  },
  {
    fault: 'invalid_grant',
    inject: (server, marker) => server.failNext(answer(400, oauthError('invalid_grant', marker))),
    requests: 1,
    result: 'failure',
    stored: 'refresh token dropped',
    failure: {
      code: 'invalid_grant',
      details: { status: 400, oauthError: 'invalid_grant' },
      apiMessage: 'PandaDoc rejected the refresh token (invalid_grant).',
    },
    perEntry: {
      // The provider ends the session only once the last token has expired; this one is still
      // valid for about a minute, so the consumer gets it.
      getSession: { result: 'old token', failure: undefined },
    },
  },
  {
    fault: 'invalid_client',
    inject: (server, marker) => server.failNext(answer(401, oauthError('invalid_client', marker))),
    requests: 1,
    result: 'failure',
    stored: 'unchanged',
    grantLive: true,
    failure: {
      code: 'invalid_client',
      details: { status: 401, oauthError: 'invalid_client' },
      apiMessage: 'PandaDoc rejected the client ID or secret (invalid_client).',
    },
  },
];

/** What an entry gave back. `token` is a secret: compared by digest, never printed. */
interface Seen {
  ok: boolean;
  token?: string;
  message: string;
  code?: string;
  clipboard?: string;
}

interface Consumer {
  getSession(scopes: readonly string[], options?: vscode.AuthenticationGetSessionOptions): Promise<vscode.AuthenticationSession | undefined>;
}

async function consumer(): Promise<Consumer> {
  const extension = vscode.extensions.getExtension<Consumer>('pandadoc-tests.pandadoc-consumer');
  assert.ok(extension, 'the test consumer extension is loaded beside the extension');
  return extension.activate();
}

async function shownMessages(): Promise<readonly string[]> {
  return (await sandbox()).extension.exports.testing.shownMessages();
}

/** The messages in `after` that were not yet in `before` (the ring keeps only the last few). */
function shownSince(before: readonly string[], after: readonly string[]): string[] {
  for (let added = 0; added <= after.length; added++) {
    const kept = after.length - added;
    const offset = before.length - kept;
    if (offset >= 0 && after.slice(0, kept).every((message, i) => message === before[offset + i])) {
      return after.slice(kept);
    }
  }
  return [...after];
}

/** Runs a command and returns what it resolved with and the one notification it showed. */
async function command(id: string): Promise<{ ok: boolean; message: string }> {
  const before = await shownMessages();
  const ok = await vscode.commands.executeCommand<boolean>(id);
  const shown = shownSince(before, await shownMessages());
  assert.equal(shown.length, 1, `${id} showed one notification, not ${shown.length}`);
  return { ok, message: shown[0] };
}

function rejectionOf(error: unknown): Seen {
  const { message, code } = error as { message?: unknown; code?: unknown };
  return { ok: false, message: String(message), code: typeof code === 'string' ? code : undefined };
}

const CLIPBOARD_MARKER = 'fault-matrix: clipboard before the copy';

async function runEntry(entry: Entry): Promise<Seen> {
  const { api } = await sandbox();
  switch (entry) {
    case 'refresh command':
      return command(COMMAND.refreshToken);
    case 'copy command': {
      await vscode.env.clipboard.writeText(CLIPBOARD_MARKER);
      const seen = await command(COMMAND.copyAccessToken);
      const clipboard = await vscode.env.clipboard.readText();
      return { ...seen, clipboard, token: clipboard === CLIPBOARD_MARKER ? undefined : clipboard };
    }
    case 'getAccessToken':
      try {
        return { ok: true, token: await api.getAccessToken(), message: '' };
      } catch (error) {
        return rejectionOf(error);
      }
    case 'getSession':
      try {
        const session = await (await consumer()).getSession(['read+write'], { silent: true });
        return session ? { ok: true, token: session.accessToken, message: '' } : { ok: false, message: '(no session)' };
      } catch (error) {
        return rejectionOf(error);
      }
  }
}

type Json = Record<string, unknown>;

/** Key order does not matter for equality of two stored values. */
function canonical(value: Json): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}

function without(value: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** What became of the stored value, in the words of the table; values are never printed. */
function storedOutcome(before: string | undefined, after: string | undefined, server: PandaDocServer): string {
  if (after === before) {
    return 'unchanged';
  }
  if (before === undefined || after === undefined) {
    return after === undefined ? 'deleted' : 'created';
  }
  const old = JSON.parse(before) as Json;
  const now = JSON.parse(after) as Json;
  if (now.refreshToken === undefined && canonical(now) === canonical(without(old, 'refreshToken'))) {
    return 'refresh token dropped';
  }
  if (
    now.refreshToken !== old.refreshToken &&
    typeof now.refreshToken === 'string' &&
    server.isLive(now.refreshToken) &&
    canonical(without(now, 'refreshToken')) === canonical(without(old, 'refreshToken'))
  ) {
    return 'refresh token replaced';
  }
  const tokens = ['accessToken', 'refreshToken', 'expiresAt'];
  // The server issues the refresh token first and the access token last.
  if (
    canonical(without(now, ...tokens)) === canonical(without(old, ...tokens)) &&
    now.accessToken === server.issued.at(-1) &&
    now.refreshToken === server.issued.at(-2) &&
    now.accessToken !== old.accessToken
  ) {
    return 'replaced';
  }
  return 'changed otherwise';
}

function expectationFor(fault: FaultCase, entry: Entry): Expect {
  return { ...fault, ...fault.perEntry?.[entry] };
}

/** Runs `task` with `pandadoc.requestTimeoutSeconds` set, then puts the sandbox's back. */
async function withRequestTimeout<T>(seconds: number, task: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('pandadoc');
  await config.update('requestTimeoutSeconds', seconds, vscode.ConfigurationTarget.Global);
  try {
    return await task();
  } finally {
    await config.update('requestTimeoutSeconds', TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
  }
}

/** The entry, with the settings the fault needs around it. */
function runCell(fault: FaultCase, entry: Entry): Promise<Seen> {
  const withTimeout = () => (fault.timeoutSeconds === undefined ? runEntry(entry) : withRequestTimeout(fault.timeoutSeconds, () => runEntry(entry)));
  return fault.apiBaseUrl === undefined ? withTimeout() : withApiBaseUrl(fault.apiBaseUrl, withTimeout);
}

const isCommand = (entry: Entry) => entry === 'refresh command' || entry === 'copy command';

/** Signs in afresh and stores a token valid for a minute: inside the refresh margin, so every
 *  entry refreshes. Resolves with the stored value and its access token. */
async function signInWithDueToken(): Promise<{ before: string | undefined; dueToken: string | undefined }> {
  const { server, api, stored } = await sandbox();
  await reset();
  await signIn();
  server.expiresIn = 60;
  try {
    await api.getAccessToken();
  } finally {
    server.expiresIn = PANDADOC_EXPIRES_IN;
  }
  const before = await stored();
  const primed = JSON.parse(before ?? '{}') as { accessToken?: string; expiresAt?: number };
  assert.ok((primed.expiresAt ?? 0) - Date.now() < DEFAULT_REFRESH_MARGIN_MS, 'the primed token is due');
  return { before, dueToken: primed.accessToken };
}

/** Everything one cell observed. */
interface Observed {
  seen: Seen;
  requests: number;
  stored: string;
  /** Whether the server accepts the stored refresh token; undefined when none is stored. */
  grantLive: boolean | undefined;
  expiresAt: number | undefined;
  dueToken: string | undefined;
  marker: string;
  started: number;
  ended: number;
}

async function observe(fault: FaultCase, entry: Entry): Promise<Observed> {
  const { server, stored } = await sandbox();
  const { before, dueToken } = await signInWithDueToken();
  const marker = `matrix-marker-${randomBytes(6).toString('hex')}`;
  const requestsBefore = server.tokenRequests().length;
  fault.inject(server, marker);
  const started = Date.now();
  let seen: Seen;
  try {
    seen = await runCell(fault, entry);
  } finally {
    server.clearFaults();
  }
  const ended = Date.now();
  const after = await stored();
  const now = after === undefined ? undefined : (JSON.parse(after) as { refreshToken?: string; expiresAt?: number });
  return {
    seen,
    requests: server.tokenRequests().length - requestsBefore,
    stored: storedOutcome(before, after, server),
    grantLive: now?.refreshToken === undefined ? undefined : server.isLive(now.refreshToken),
    expiresAt: now?.expiresAt,
    dueToken,
    marker,
    started,
    ended,
  };
}

/** The notification userMessages.ts defines for the expected failure. */
function expectedNotification(fault: FaultCase, failure: Failure, serverUrl: string): string {
  const context = { apiBaseUrl: fault.apiBaseUrl ?? serverUrl, timeoutMs: (fault.timeoutSeconds ?? TIMEOUT_SECONDS) * TIME.SECOND };
  return userMessageFor(new AuthError(failure.code, failure.apiMessage, failure.details), context).message;
}

function rowOf(fault: FaultCase, entry: Entry, expected: Expect, observed: Observed, serverUrl: string): MatrixRow {
  const { seen } = observed;
  // A command's code is the one whose message it showed; the API's is on the rejection.
  const shownCode = () =>
    expected.failure && seen.message === expectedNotification(fault, expected.failure, serverUrl) ? expected.failure.code : '?';
  return {
    fault: fault.fault,
    entry,
    requests: observed.requests,
    code: seen.ok ? '-' : isCommand(entry) ? shownCode() : (seen.code ?? '(none)'),
    stored: `${observed.stored}${observed.grantLive === false ? ', refresh token dead on server' : ''}`,
    message: seen.message,
    ms: observed.ended - observed.started,
  };
}

async function assertCell(fault: FaultCase, entry: Entry, expected: Expect, observed: Observed): Promise<void> {
  const { server } = await sandbox();
  const { seen } = observed;
  assert.equal(observed.requests, expected.requests, 'token requests');
  assert.equal(observed.stored, expected.stored, 'stored credentials');
  assert.equal(observed.grantLive, expected.grantLive, 'the server still accepts the stored refresh token');
  assert.ok(!seen.message.includes(observed.marker), 'the message does not repeat what the server sent');
  assertNoSecrets(seen.message, server.issued, 'the message');
  if (expected.minMs !== undefined) {
    assert.ok(observed.ended - observed.started >= expected.minMs - 50, `waited at least ${expected.minMs} ms (a wait it must honour)`);
  }
  switch (expected.result) {
    case 'new token': {
      assert.equal(seen.ok, true, `succeeded (${seen.message})`);
      if (entry !== 'refresh command') {
        assertSameSecret(seen.token, server.issued.at(-1), 'the token handed out is the one issued last');
      }
      const life = expected.lifetimeMs ?? 0;
      const expiresAt = observed.expiresAt ?? 0;
      assert.ok(expiresAt >= observed.started + life - 50 && expiresAt <= observed.ended + life + 50, `stored expiry is now + ${life} ms`);
      if (isCommand(entry)) {
        const success = entry === 'refresh command' ? /^PandaDoc token refreshed\. Valid for / : /^PandaDoc access token copied(?: to the clipboard\.|; it stays on the clipboard .*\.) Valid for /;
        assert.match(seen.message, success);
      }
      return;
    }
    case 'old token':
      assert.equal(seen.ok, true, `succeeded (${seen.message})`);
      assertSameSecret(seen.token, observed.dueToken, 'the still-valid stored token');
      return;
    case 'failure': {
      const { failure } = expected;
      assert.ok(failure, 'the table names the failure');
      assert.equal(seen.ok, false, 'failed');
      if (entry === 'copy command') {
        assert.equal(seen.clipboard, CLIPBOARD_MARKER, 'the clipboard is unchanged');
      }
      if (isCommand(entry)) {
        assert.equal(seen.message, expectedNotification(fault, failure, server.url), 'the notification userMessages.ts defines for the code');
        return;
      }
      assert.equal(seen.message, failure.apiMessage, 'the rejection message');
      // vscode.authentication carries the provider's error across VS Code's RPC with its message
      // only: a consumer of getSession cannot branch on the code.
      assert.equal(seen.code, entry === 'getSession' ? undefined : failure.code, 'the rejection code');
    }
  }
}

describe('fault matrix', () => {
  const rows: MatrixRow[] = [];
  const started = Date.now();

  after(async function () {
    this.timeout(20_000);
    await vscode.env.clipboard.writeText('');
    await reset();
    if (rows.length === 0) {
      return;
    }
    const table = textTable(rows);
    const summary = `${timings(rows)}; suite ${((Date.now() - started) / 1000).toFixed(1)} s`;
    // Through the reporter's own output, which the in-host runner marks for the harness.
    Mocha.reporters.Base.consoleLog(`\nfault matrix (VS Code ${vscode.version})\n${table}\n${summary}\n`);
    const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
    if (stateDir) {
      // The run folder outlives the state folder, which the harness deletes after its leak check.
      const markdown = [
        '# Fault matrix',
        '',
        `The integration tier, in the real extension host (VS Code ${vscode.version}), ${new Date().toISOString()}.`,
        'Each cell starts from a fresh sign-in whose token is inside the refresh margin.',
        '',
        markdownTable(rows),
        '',
        summary,
        '',
      ].join('\n');
      fs.writeFileSync(path.join(path.dirname(stateDir), 'fault-matrix.md'), markdown);
    }
  });

  for (const fault of FAULTS) {
    describe(fault.fault, () => {
      for (const entry of fault.entries ?? ENTRIES) {
        it(entry, async function () {
          this.timeout(30_000);
          const { server } = await sandbox();
          const expected = expectationFor(fault, entry);
          const observed = await observe(fault, entry);
          // Recorded before the checks, so the table shows what happened even when a cell fails.
          rows.push(rowOf(fault, entry, expected, observed, server.url));
          await assertCell(fault, entry, expected, observed);
        });
      }
    });
  }
});
