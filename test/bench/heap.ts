/**
 * Heap growth of the core over 10,000 refreshes, in a plain Node process started with
 * `--expose-gc` (no VS Code): `Profiles` (the object the extension's API calls) with an in-memory
 * secret store, the real NodeFetchSender, the redacting logger over a logger that drops every
 * line, and the system clock, against the PandaDoc-compatible server in a child process of its own
 * (serverProcess.ts). The server issues tokens with `expires_in` inside the refresh margin, so every
 * `getAccessToken()` refreshes: reads the store, POSTs, parses, stores, fires its events.
 * After a warm-up (JIT, sockets, caches: see WARM_UP), a full GC, `heapUsed`; then the refreshes, a full GC,
 * `heapUsed` again. Run as a child of the bench runner; it sends its figures over IPC.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Profiles } from '../../src/core/profiles/profiles';
import { MemoryStore } from '../support/doubles';
import type { ServerHello } from './serverProcess';
import { benchExchangeOptions } from './coreOptions';
import { median } from './stats';

export const HEAP_REFRESHES = 10_000;
/**
 * Long enough for V8 to finish compiling the hot path: measured here, code space and old space
 * (bytecode, feedback, optimised code) grow by 0.6-0.9 MB between refresh 500 and 4,000 and stay
 * flat (within a few hundred KB either way) after that, over 30,000. A warm-up of 500 would count
 * that one-off compilation as growth.
 */
const WARM_UP = 5000;

export interface HeapFigures {
  refreshes: number;
  warmUp: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  growthBytes: number;
  /** Token requests the server answered, as counted by the store's writes (one per refresh). */
  storeWrites: number;
  /** Median milliseconds of one refresh in the core, without VS Code's SecretStorage. */
  refreshMedianMs: number;
  node: string;
}


function startServer(): Promise<{ hello: ServerHello; stop(): void }> {
  const child = fork(path.join(__dirname, 'serverProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    child.once('message', (hello: ServerHello) => resolve({ hello, stop: () => child.kill() }));
  });
}

async function fullGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('run with node --expose-gc');
  }
  // Three times, with a turn of the event loop between: sockets closed by the last refreshes and
  // finalizers get to run.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

export async function measureHeap(refreshes = HEAP_REFRESHES): Promise<HeapFigures> {
  const { hello, stop } = await startServer();
  try {
    const store = new MemoryStore();
    const profiles = new Profiles({ store, ...benchExchangeOptions(hello.url) });
    await profiles.initialize();
    await profiles.activeManager().setOAuthCredentials(hello.client);
    const refresh = async () => {
      if ((await profiles.getAccessToken()) === undefined) {
        throw new Error('getAccessToken() resolved with nothing');
      }
    };
    for (let i = 0; i < WARM_UP; i++) {
      await refresh();
    }
    const writesBefore = store.writes;
    const heapBeforeBytes = await fullGc();
    const sampleEvery = 100;
    const samples: number[] = [];
    for (let i = 0; i < refreshes; i++) {
      if (i % sampleEvery === 0) {
        const started = performance.now();
        await refresh();
        samples.push(performance.now() - started);
      } else {
        await refresh();
      }
    }
    const heapAfterBytes = await fullGc();
    profiles.dispose();
    return {
      refreshes,
      warmUp: WARM_UP,
      heapBeforeBytes,
      heapAfterBytes,
      growthBytes: heapAfterBytes - heapBeforeBytes,
      storeWrites: store.writes - writesBefore,
      refreshMedianMs: median(samples),
      node: process.version,
    };
  } finally {
    stop();
  }
}

if (require.main === module) {
  // An optional count, for looking into growth: node --expose-gc out/test/bench/heap.js 20000
  measureHeap(Number(process.argv[2] ?? HEAP_REFRESHES)).then(
    (figures) => {
      if (process.send) {
        process.send(figures);
      } else {
        console.log(JSON.stringify(figures, null, 2));
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
