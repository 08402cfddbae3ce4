/**
 * A forced refresh through the public API against one raw request, both to the same local server
 * from this extension host, interleaved.
 *
 * - `getApi(1).getAccessToken()`: the server issues tokens with `expires_in` of 60 s, inside the
 *   default refresh margin (5 minutes, `pandadoc.refreshMarginMinutes`), so every call finds the
 *   stored token due and refreshes. That is the whole path a caller waits for: reading the
 *   credentials back from SecretStorage, the POST, parsing the answer, reading SecretStorage again
 *   (another window may have rotated the token meanwhile) and writing the new tokens to it, the log
 *   line, and the change events.
 * - raw: the same POST (same form, headers, client credentials, with node-fetch as the extension
 *   uses) and `JSON.parse` of the answer, nothing stored. It keeps its own refresh token chain of
 *   the same client, so the server does the same work (rotation included) for both.
 *
 * Pairs alternate which goes first, so neither always follows the other's socket teardown.
 * Then, to say where the difference goes: a few more forced refreshes with the extension's
 * SecretStorage calls timed, bare SecretStorage round trips, and the core alone (coreAlone.ts).
 */
import fetch from 'node-fetch';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { DEFAULT_SCOPE } from '../../../src/core/base/settings';
import type { RefreshBreakdown, RefreshFigures } from '../handOver';
import { coreRefreshTimes } from './coreAlone';
import type { BenchServer } from './localServer';
import { bareSecretCalls, recordSecretCalls, type SecretCall } from './secretTiming';

/** Inside the 5-minute default refresh margin: every stored token is due at once. */
export const DUE_EXPIRES_IN_SECONDS = 60;
export const REFRESH_SAMPLES = 50;
const WARM_UP = 5;
const BREAKDOWN_SAMPLES = 10;
/** A PandaDoc round trip from a developer's machine is in the order of 100-300 ms. */
const REALISTIC_LATENCY_MS = 150;
const LATENCY_SAMPLES = 10;
/** A key of the bench's own in the extension's SecretStorage, for the bare round trips. */
const PROBE_KEY = 'pandadoc-bench.probe';

/** The one raw refresh request; returns the rotated refresh token, for the next one. */
async function rawRefresh(url: string, client: { clientId: string; clientSecret: string }, refreshToken: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'User-Agent': 'pandadoc-auth-bench' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: DEFAULT_SCOPE,
      refresh_token: refreshToken,
    }).toString(),
    redirect: 'manual',
  });
  const body = (await response.json()) as { refresh_token?: unknown };
  if (response.status !== 200 || typeof body.refresh_token !== 'string') {
    throw new Error(`the raw refresh answered ${response.status}`);
  }
  return body.refresh_token;
}

function margin(): number {
  return vscode.workspace.getConfiguration('pandadoc').get<number>('refreshMarginMinutes', 5) * 60;
}

export async function measureRefresh(api: PandaDocAuthApiV1, secrets: vscode.SecretStorage, { server, client }: BenchServer): Promise<RefreshFigures> {
  if (DUE_EXPIRES_IN_SECONDS >= margin()) {
    throw new Error(`expires_in ${DUE_EXPIRES_IN_SECONDS} s is not inside the refresh margin of ${margin()} s`);
  }
  server.expiresIn = DUE_EXPIRES_IN_SECONDS;
  let rawToken = server.grant(client.clientId);
  const timed = async (task: () => Promise<unknown>) => {
    const started = performance.now();
    await task();
    return performance.now() - started;
  };
  const viaApi = () => timed(() => api.getAccessToken());
  const raw = () => timed(async () => (rawToken = await rawRefresh(server.url, client, rawToken)));
  for (let i = 0; i < WARM_UP; i++) {
    await viaApi();
    await raw();
  }
  const measured: Omit<RefreshFigures, 'breakdown' | 'withLatency'> = { getAccessTokenMs: [], rawMs: [], requests: { getAccessToken: 0, raw: 0 } };
  for (let i = 0; i < REFRESH_SAMPLES; i++) {
    for (const which of i % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const)) {
      const before = server.tokenRequests().length;
      if (which === 'api') {
        measured.getAccessTokenMs.push(await viaApi());
        measured.requests.getAccessToken += server.tokenRequests().length - before;
      } else {
        measured.rawMs.push(await raw());
        measured.requests.raw += server.tokenRequests().length - before;
      }
    }
  }
  const withLatency = { latencyMs: REALISTIC_LATENCY_MS, getAccessTokenMs: [] as number[], rawMs: [] as number[] };
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    server.failNext({ kind: 'delay', ms: REALISTIC_LATENCY_MS });
    withLatency.getAccessTokenMs.push(await viaApi());
    server.failNext({ kind: 'delay', ms: REALISTIC_LATENCY_MS });
    withLatency.rawMs.push(await raw());
  }
  return { ...measured, breakdown: await breakdown(api, secrets, { server, client }), withLatency };
}

async function breakdown(api: PandaDocAuthApiV1, secrets: vscode.SecretStorage, { server, client }: BenchServer): Promise<RefreshBreakdown> {
  const result: RefreshBreakdown = { callMs: [], secretMs: [], secretCalls: [], bareGetMs: [], bareStoreMs: [], coreInMemoryMs: [] };
  const calls: SecretCall[] = [];
  const restore = recordSecretCalls(secrets, calls);
  try {
    for (let i = 0; i < BREAKDOWN_SAMPLES; i++) {
      calls.length = 0;
      const started = performance.now();
      await api.getAccessToken();
      const ended = performance.now();
      const within = calls.filter((call) => call.start >= started && call.end <= ended);
      result.callMs.push(ended - started);
      result.secretMs.push(within.reduce((sum, call) => sum + (call.end - call.start), 0));
      result.secretCalls.push({ get: within.filter((c) => c.name === 'get').length, store: within.filter((c) => c.name === 'store').length });
      // Let the change events of this refresh settle before the next.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    restore();
  }
  const bare = await bareSecretCalls(secrets, PROBE_KEY, 400, BREAKDOWN_SAMPLES * 2);
  const coreInMemoryMs = await coreRefreshTimes(server.url, { ...client, refreshToken: server.grant(client.clientId) }, BREAKDOWN_SAMPLES * 2);
  return { ...result, bareGetMs: bare.getMs, bareStoreMs: bare.storeMs, coreInMemoryMs };
}
