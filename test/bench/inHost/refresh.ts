/**
 * A forced refresh through the public API against its floor, everything to the same local server
 * from this extension host, interleaved.
 *
 * - `getApi(1).getAccessToken()`: the server issues tokens with `expires_in` of 60 s, inside the
 *   default refresh margin (5 minutes, `pandadoc.refreshMarginMinutes`), so every call finds the
 *   stored token due and refreshes. That is the whole path a caller waits for: the refresh turn
 *   shared with other windows, reading the credentials back from SecretStorage, the POST, parsing
 *   the answer, reading SecretStorage again and writing the new tokens to it, the ledger note for
 *   the other windows, the log line, and the change events.
 * - the floor no refresh can beat: one raw POST (same form, headers, client credentials, with
 *   node-fetch as the extension uses, and `JSON.parse` of the answer; it keeps its own refresh
 *   token chain of the same client, so the server does the same work, rotation included) + one
 *   SecretStorage get (has another window refreshed already?) + one SecretStorage store (the
 *   rotated token is stored before anyone hears of success), the last two of a value the size
 *   of the stored credentials under a key of the bench's own.
 *
 * Each round takes one sample of each of the four, the order rotating from round to round, so
 * none always follows another's socket teardown or SecretStorage save. Then, to say where the
 * refresh's time goes: more forced refreshes with the extension's SecretStorage and ledger calls
 * timed (the phases of RefreshBreakdown), and the core alone (coreAlone.ts).
 */
import fetch from 'node-fetch';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { DEFAULT_SCOPE } from '../../../src/core/base/settings';
import type { RefreshBreakdown, RefreshFigures } from '../handOver';
import { coreRefreshTimes } from './coreAlone';
import type { BenchServer } from './localServer';
import { type FsCall, recordLedgerCalls } from './ledgerTiming';
import { recordSecretCalls, type SecretCall, timedGet, timedStore } from './secretTiming';

/** Inside the 5-minute default refresh margin: every stored token is due at once. */
export const DUE_EXPIRES_IN_SECONDS = 60;
export const REFRESH_SAMPLES = 50;
const WARM_UP = 5;
const BREAKDOWN_SAMPLES = 20;
/** A PandaDoc round trip from a developer's machine is in the order of 100-300 ms. */
const REALISTIC_LATENCY_MS = 150;
const LATENCY_SAMPLES = 10;
/** A key of the bench's own in the extension's SecretStorage, for the bare round trips. */
const PROBE_KEY = 'pandadoc-bench.probe';
/** The ledger's file calls a refresh waits for (windowLedger.ts exclusive() and record()). */
const ON_PATH_FS = new Set(['mkdir', 'writeFile', 'rename', 'rm']);

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

export async function measureRefresh(
  api: PandaDocAuthApiV1,
  secrets: vscode.SecretStorage,
  storageKey: () => string,
  { server, client }: BenchServer,
): Promise<RefreshFigures> {
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
  await viaApi();
  // What the extension stores after a refresh, so the floor's get and store carry as much.
  const storedBytes = (await secrets.get(storageKey()))?.length ?? 0;
  if (storedBytes === 0) {
    throw new Error('nothing stored after a refresh');
  }
  const probe = 'x'.repeat(storedBytes);
  for (let i = 0; i < WARM_UP; i++) {
    await viaApi();
    await raw();
    await timedStore(secrets, PROBE_KEY, probe);
    await timedGet(secrets, PROBE_KEY);
  }
  const measured: Omit<RefreshFigures, 'breakdown' | 'withLatency' | 'storedBytes'> = {
    getAccessTokenMs: [],
    rawMs: [],
    secretGetMs: [],
    secretStoreMs: [],
    requests: { getAccessToken: 0, raw: 0 },
  };
  const kinds = ['api', 'raw', 'get', 'store'] as const;
  try {
    for (let i = 0; i < REFRESH_SAMPLES; i++) {
      for (let k = 0; k < kinds.length; k++) {
        const which = kinds[(i + k) % kinds.length];
        const before = server.tokenRequests().length;
        if (which === 'api') {
          measured.getAccessTokenMs.push(await viaApi());
          measured.requests.getAccessToken += server.tokenRequests().length - before;
        } else if (which === 'raw') {
          measured.rawMs.push(await raw());
          measured.requests.raw += server.tokenRequests().length - before;
        } else if (which === 'get') {
          measured.secretGetMs.push(await timedGet(secrets, PROBE_KEY));
        } else {
          measured.secretStoreMs.push(await timedStore(secrets, PROBE_KEY, probe));
        }
      }
    }
  } finally {
    await secrets.delete(PROBE_KEY);
  }
  const withLatency = { latencyMs: REALISTIC_LATENCY_MS, getAccessTokenMs: [] as number[], rawMs: [] as number[] };
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    server.failNext({ kind: 'delay', ms: REALISTIC_LATENCY_MS });
    withLatency.getAccessTokenMs.push(await viaApi());
    server.failNext({ kind: 'delay', ms: REALISTIC_LATENCY_MS });
    withLatency.rawMs.push(await raw());
  }
  return { ...measured, storedBytes, breakdown: await breakdown(api, secrets, { server, client }), withLatency };
}

async function breakdown(api: PandaDocAuthApiV1, secrets: vscode.SecretStorage, { server, client }: BenchServer): Promise<RefreshBreakdown> {
  const result: RefreshBreakdown = {
    callMs: [],
    beforeReadMs: [],
    firstGetMs: [],
    exchangeMs: [],
    recheckGetMs: [],
    storeMs: [],
    afterStoreMs: [],
    ledgerFsMs: [],
    counts: [],
    coreInMemoryMs: [],
  };
  const calls: SecretCall[] = [];
  const fsCalls: FsCall[] = [];
  const restoreSecrets = recordSecretCalls(secrets, calls);
  const restoreFs = recordLedgerCalls(fsCalls);
  try {
    for (let i = 0; i < BREAKDOWN_SAMPLES; i++) {
      calls.length = 0;
      fsCalls.length = 0;
      const started = performance.now();
      await api.getAccessToken();
      const ended = performance.now();
      const inside = <T extends { start: number; end: number }>(list: T[]) => list.filter((call) => call.start >= started && call.end <= ended);
      const secretCalls = inside(calls).sort((a, b) => a.start - b.start);
      // The refresh turn and the note are mkdir, writeFile, rename and rm; a readFile is this
      // window hearing of its own note (fs.watch), beside the path rather than on it.
      const ledgerCalls = inside(fsCalls).filter((call) => ON_PATH_FS.has(call.name));
      const gets = secretCalls.filter((call) => call.name === 'get');
      const store = secretCalls.find((call) => call.name === 'store');
      const recheck = store && [...gets].reverse().find((call) => call.end <= store.start);
      result.counts.push({ get: gets.length, store: secretCalls.filter((c) => c.name === 'store').length, ledgerFs: ledgerCalls.length });
      if (gets.length > 0 && store && recheck && recheck !== gets[0]) {
        result.callMs.push(ended - started);
        result.beforeReadMs.push(gets[0].start - started);
        result.firstGetMs.push(gets[0].end - gets[0].start);
        result.exchangeMs.push(recheck.start - gets[0].end);
        result.recheckGetMs.push(recheck.end - recheck.start);
        result.storeMs.push(store.end - store.start);
        result.afterStoreMs.push(ended - store.end);
        result.ledgerFsMs.push(ledgerCalls.reduce((sum, call) => sum + (call.end - call.start), 0));
      }
      // Let the change events of this refresh settle before the next.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    restoreFs();
    restoreSecrets();
  }
  const coreInMemoryMs = await coreRefreshTimes(server.url, { ...client, refreshToken: server.grant(client.clientId) }, BREAKDOWN_SAMPLES);
  return { ...result, coreInMemoryMs };
}
