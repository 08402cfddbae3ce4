/**
 * From what the bench collected to the rows of the table (with their targets) and the notes
 * printed under it. Pure: no I/O.
 */
import type { BundleFigures } from './bundle';
import type { ActivationWindow, ConcurrencyFigures, RefreshFigures } from './handOver';
import type { HeapFigures } from './heap';
import { failedFigure, type Figure, ratioFigure } from './report';
import { median } from './stats';

export const TARGET = {
  /** Our bundle at most half of GitHub authentication's. */
  bundleRatio: 0.5,
  /** Activation no slower than GitHub authentication's. */
  activationRatio: 1.0,
  /** A forced refresh through the API at most 1.5 times one raw request. */
  refreshRatio: 1.5,
  /** Token requests for 1000 concurrent callers on an expired token. */
  concurrentRequests: 1,
  /** Heap growth over the core's 10,000 refreshes. */
  heapGrowthBytes: 1024 * 1024,
} as const;

const NAME = {
  bundle: 'bundle size (dist/extension.js)',
  activation: 'activation: load + activate(), median',
  refresh: 'forced refresh vs 1 raw POST, median of 50',
  concurrency: '1000 concurrent getAccessToken(): requests',
  heap: 'heap growth, 10,000 refreshes (core)',
} as const;

export interface Collected {
  bundle?: BundleFigures | Error;
  /** The windows that recorded both activations, their activation events, and how many were planned. */
  activation: { windows: ActivationWindow[]; events: { ours?: string; reference?: string }[]; planned: number } | Error;
  refresh?: RefreshFigures | Error;
  concurrency?: ConcurrencyFigures | Error;
  heap?: HeapFigures | Error;
}

const missing = (what: string) => new Error(`${what}: not measured`);
const message = (error: Error) => error.message.split('\n')[0];

export function bundleFigure(bundle: BundleFigures | Error = missing('bundle')): Figure {
  if (bundle instanceof Error) {
    return failedFigure(NAME.bundle, 'KB', `ratio <= ${TARGET.bundleRatio.toFixed(2)}`, message(bundle));
  }
  return ratioFigure({ name: NAME.bundle, unit: 'KB', ours: bundle.oursBytes / 1024, reference: bundle.referenceBytes / 1024, maxRatio: TARGET.bundleRatio });
}

export function activationFigure(activation: Collected['activation']): Figure {
  const target = `ratio <= ${TARGET.activationRatio.toFixed(2)}`;
  if (activation instanceof Error) {
    return failedFigure(NAME.activation, 'ms', target, message(activation));
  }
  const { windows } = activation;
  // A median of fewer than most of the planned windows would say little.
  if (windows.length < Math.ceil(activation.planned / 2) + 1) {
    return failedFigure(NAME.activation, 'ms', target, `only ${windows.length} of ${activation.planned} windows gave both activations`);
  }
  return ratioFigure({
    name: `${NAME.activation} of ${windows.length}`,
    unit: 'ms',
    ours: median(windows.map((w) => w.ours.ownMs)),
    reference: median(windows.map((w) => w.reference.ownMs)),
    maxRatio: TARGET.activationRatio,
  });
}

export function refreshFigure(refresh: RefreshFigures | Error = missing('refresh')): Figure {
  const target = `ratio <= ${TARGET.refreshRatio.toFixed(2)}`;
  if (refresh instanceof Error) {
    return failedFigure(NAME.refresh, 'ms', target, message(refresh));
  }
  const figure = ratioFigure({ name: NAME.refresh, unit: 'ms', ours: median(refresh.getAccessTokenMs), reference: median(refresh.rawMs), maxRatio: TARGET.refreshRatio });
  // Every measured call must have refreshed (one request each), or it measured a cache hit.
  const calls = refresh.getAccessTokenMs.length;
  if (refresh.requests.getAccessToken !== calls || refresh.requests.raw !== refresh.rawMs.length) {
    return { ...figure, pass: false, error: `${refresh.requests.getAccessToken} token requests for ${calls} getAccessToken() calls` };
  }
  return figure;
}

export function concurrencyFigure(concurrency: ConcurrencyFigures | Error = missing('concurrency')): Figure {
  const target = `= ${TARGET.concurrentRequests}`;
  if (concurrency instanceof Error) {
    return failedFigure(NAME.concurrency, '', target, message(concurrency));
  }
  const pass = concurrency.requests === TARGET.concurrentRequests && concurrency.rejected === 0 && concurrency.distinctTokens === 1;
  const error = pass ? undefined : `${concurrency.requests} requests, ${concurrency.rejected} rejected, ${concurrency.distinctTokens} distinct tokens`;
  return { name: NAME.concurrency, unit: '', ours: concurrency.requests, target, pass, ...(error ? { error } : {}) };
}

export function heapFigure(heap: HeapFigures | Error = missing('heap')): Figure {
  const target = `< ${TARGET.heapGrowthBytes / 1024} KB`;
  if (heap instanceof Error) {
    return failedFigure(NAME.heap, 'KB', target, message(heap));
  }
  const complete = heap.storeWrites === heap.refreshes;
  return {
    name: NAME.heap,
    unit: 'KB',
    ours: heap.growthBytes / 1024,
    target,
    pass: complete && heap.growthBytes < TARGET.heapGrowthBytes,
    ...(complete ? {} : { error: `${heap.storeWrites} stored refreshes of ${heap.refreshes}` }),
  };
}

export function figuresOf(collected: Collected): Figure[] {
  return [
    bundleFigure(collected.bundle),
    activationFigure(collected.activation),
    refreshFigure(collected.refresh),
    concurrencyFigure(collected.concurrency),
    heapFigure(collected.heap),
  ];
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

/** `2` or `2-3`: the spread of a small count. */
function range(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}-${high}`;
}

function count<T>(values: T[], test: (value: T) => boolean): string {
  return `${values.filter(test).length}/${values.length}`;
}

/** What the table cannot say: how each figure came about. Never a secret. */
export function notesOf(collected: Collected): string[] {
  const notes: string[] = [];
  if (!(collected.activation instanceof Error)) {
    const { windows, events } = collected.activation;
    const eventSummary = (side: 'ours' | 'reference') => {
      const seen = new Map<string, number>();
      for (const event of events) {
        const name = event[side] ?? 'not in the log';
        seen.set(name, (seen.get(name) ?? 0) + 1);
      }
      return [...seen].map(([name, n]) => `${name} ${n}/${events.length}`).join(', ');
    };
    notes.push(
      `activation events: this extension ${eventSummary('ours')}; reference ${eventSummary('reference')}`,
      `activation already begun when the bench's run() was entered: this extension ${count(windows, (w) => w.begunAtRun.ours)}, ` +
        `reference ${count(windows, (w) => w.begunAtRun.reference)} (isActive at run(): ${count(windows, (w) => w.activeAtRun.ours)}, ` +
        `${count(windows, (w) => w.activeAtRun.reference)})`,
      ...(['ours', 'reference'] as const).map((side) => {
        const label = side === 'ours' ? 'this extension' : 'reference';
        const times = windows.map((w) => w[side]);
        return `activation medians, ${label}: load ${ms(median(times.map((t) => t.loadMs)))}, activate() ${ms(median(times.map((t) => t.activateMs)))}; ` +
          `with VS Code's ExtensionContext setup ${ms(median(times.map((t) => t.spanMs)))}; begun ${ms(median(times.map((t) => t.startedAtMs)))} after the extension host started`;
      }),
    );
  }
  if (collected.refresh && !(collected.refresh instanceof Error)) {
    const { breakdown } = collected.refresh;
    const calls = breakdown.secretCalls;
    notes.push(
      `forced refresh, instrumented (${breakdown.callMs.length} more): median ${ms(median(breakdown.callMs))}, of which SecretStorage ${ms(median(breakdown.secretMs))} ` +
        `in ${range(calls.map((c) => c.get))} get + ${range(calls.map((c) => c.store))} store calls on the caller's path; ` +
        `a bare SecretStorage get ${ms(median(breakdown.bareGetMs))}, store ${ms(median(breakdown.bareStoreMs))}`,
      `forced refresh of the core alone in the same extension host (in-memory store, no VS Code events): median ${ms(median(breakdown.coreInMemoryMs))}`,
    );
    const { withLatency } = collected.refresh;
    const api = median(withLatency.getAccessTokenMs);
    const raw = median(withLatency.rawMs);
    notes.push(
      `forced refresh with ${withLatency.latencyMs} ms of server latency (a real PandaDoc round trip), median of ${withLatency.rawMs.length}: ` +
        `${ms(api)} vs raw ${ms(raw)}, ${(api / raw).toFixed(2)}x (context only; the target is the loopback figure above)`,
    );
  }
  if (collected.concurrency && !(collected.concurrency instanceof Error)) {
    const c = collected.concurrency;
    notes.push(`concurrency: ${c.calls} calls settled in ${ms(c.ms)}, ${c.distinctTokens} distinct token(s), ${c.rejected} rejected`);
  }
  if (collected.heap && !(collected.heap instanceof Error)) {
    const h = collected.heap;
    notes.push(
      `heap: ${(h.heapBeforeBytes / 1024).toFixed(0)} KB -> ${(h.heapAfterBytes / 1024).toFixed(0)} KB after ${h.warmUp} warm-up + ${h.refreshes} refreshes ` +
        `(Node ${h.node}; one core refresh without SecretStorage: median ${ms(h.refreshMedianMs)})`,
    );
  }
  return notes;
}
