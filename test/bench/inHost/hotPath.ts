/**
 * The hot path: `getApi(1).getAccessToken()` as a consumer calls it, on stored OAuth credentials
 * whose access token is good for far longer than the refresh margin, so no call refreshes, reads
 * SecretStorage or touches the network. Each call is awaited before the next and timed on its own
 * with performance.now(); p50 and p99 over HOT_PATH_CALLS, after a warm-up (JIT).
 *
 * Beside it, for scale, the same way: `getStatus()` (synchronous), an empty async function
 * awaited (the floor of any promise-returning API), and the VS Code calls the extension makes on
 * every getAccessToken() to read its settings (src/vscode/base/configuration.ts readSettings:
 * `getConfiguration('pandadoc')` and one `inspect()` per setting), repeated here by the bench.
 * Then a CPU profile of more calls (node:inspector, in this extension host), its self time
 * grouped by script: whose code the time is spent in.
 */
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { PANDADOC_EXPIRES_IN } from '../../support/pandadocServer';
import type { HotPathFigures, MicroSeconds } from '../handOver';
import { quantile } from '../stats';
import type { BenchServer } from './localServer';

export const HOT_PATH_CALLS = 10_000;
const WARM_UP = 2_000;
const SCALE_CALLS = 2_000;
const PROFILED_CALLS = 5_000;
/** The settings readSettings() inspects on every call (src/vscode/base/configuration.ts). */
const SETTINGS_READ = ['apiBaseUrl', 'authBaseUrl', 'redirectUri', 'scope', 'requestTimeoutSeconds', 'refreshMarginMinutes', 'clipboardClearSeconds'];

export function percentiles(times: number[]): MicroSeconds {
  const us = times.map((ms) => ms * 1000);
  return { p50: quantile(us, 0.5), p90: quantile(us, 0.9), p99: quantile(us, 0.99), max: quantile(us, 1) };
}

/** Each call awaited before the next and timed on its own, in milliseconds. */
export async function timeEach(count: number, call: () => unknown): Promise<number[]> {
  const times = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times[i] = performance.now() - started;
  }
  return times;
}

function readSettingsAsTheExtensionDoes(): unknown[] {
  const config = vscode.workspace.getConfiguration('pandadoc');
  return SETTINGS_READ.map((key) => {
    const inspected = config.inspect(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  });
}

export async function measureHotPath(api: PandaDocAuthApiV1, { server, client }: BenchServer): Promise<HotPathFigures> {
  server.expiresIn = PANDADOC_EXPIRES_IN;
  // A placeholder access token valid for a day, far outside the 5-minute refresh margin.
  const valid = { ...client, refreshToken: server.grant(client.clientId), accessToken: 'h'.repeat(40), expiresAt: Date.now() + 86_400_000 };
  await api.setOAuthCredentials(valid);
  // Let the change events of that write settle (the extension re-reads what it stored).
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = server.tokenRequests().length;
  const tokens = new Set<string | undefined>();
  const call = async () => tokens.add(await api.getAccessToken());
  await timeEach(WARM_UP, call);
  const started = performance.now();
  const times = await timeEach(HOT_PATH_CALLS, call);
  const totalMs = performance.now() - started;
  const requests = server.tokenRequests().length - before;

  const emptyAsync = async () => undefined;
  const scale = {
    getStatus: percentiles(await timeEach(SCALE_CALLS, () => api.getStatus())),
    emptyAsync: percentiles(await timeEach(SCALE_CALLS, emptyAsync)),
    readSettings: percentiles(await timeEach(SCALE_CALLS, readSettingsAsTheExtensionDoes)),
  };
  const profile = await profiled(PROFILED_CALLS, call).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  return {
    calls: HOT_PATH_CALLS,
    warmUp: WARM_UP,
    us: percentiles(times),
    meanUs: (totalMs * 1000) / HOT_PATH_CALLS,
    requests,
    distinctTokens: tokens.size,
    scale,
    profile,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

/** Self time of `count` calls under the V8 sampling profiler, grouped by script. */
async function profiled(count: number, call: () => Promise<unknown>): Promise<HotPathFigures['profile']> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 50 });
    await post('Profiler.start');
    await timeEach(count, call);
    const { profile } = await post<{ profile: { nodes: ProfileNode[] } }>('Profiler.stop');
    const byScript = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      total += hits;
      const name = scriptOf(node.callFrame);
      byScript.set(name, (byScript.get(name) ?? 0) + hits);
    }
    const shares = [...byScript].sort((a, b) => b[1] - a[1]).map(([script, hits]) => ({ script, share: hits / total }));
    return { samples: total, calls: count, byScript: shares.filter((s) => s.share >= 0.01) };
  } finally {
    session.disconnect();
  }
}

/** A short name for where a sampled function lives (no absolute path of this machine). */
function scriptOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  }
  if (url.includes('/dist/extension.js')) {
    return 'this extension (dist/extension.js)';
  }
  if (url.includes('/out/test/bench/')) {
    return 'the bench loop';
  }
  if (url.startsWith('node:')) {
    return `Node (${url})`;
  }
  const file = url.split('/').pop() ?? url;
  return `VS Code (${file})`;
}
