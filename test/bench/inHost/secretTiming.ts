/**
 * Times the extension's own SecretStorage calls (the object VS Code gave it, reachable in
 * ExtensionMode.Test through the `testing` export) by wrapping its methods for a while.
 */
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';

export interface SecretCall {
  name: 'get' | 'store' | 'delete';
  start: number;
  end: number;
}

type Method = (...args: unknown[]) => Thenable<unknown>;

/** Wraps get, store and delete; the returned function puts the originals back. */
export function recordSecretCalls(secrets: vscode.SecretStorage, calls: SecretCall[]): () => void {
  const target = secrets as unknown as Record<SecretCall['name'], Method>;
  const originals = { get: target.get, store: target.store, delete: target.delete };
  for (const name of ['get', 'store', 'delete'] as const) {
    const original = originals[name];
    target[name] = (...args: unknown[]) => {
      const start = performance.now();
      const result = Promise.resolve(original.apply(secrets, args));
      // Registered before the caller's own continuation, so `end` is taken first.
      result.then(
        () => calls.push({ name, start, end: performance.now() }),
        () => undefined,
      );
      return result;
    };
  }
  return () => Object.assign(target, originals);
}

/** Bare get and store round trips under `key` (deleted afterwards), `count` of each. */
export async function bareSecretCalls(secrets: vscode.SecretStorage, key: string, valueLength: number, count: number): Promise<{ getMs: number[]; storeMs: number[] }> {
  const value = 'x'.repeat(valueLength);
  const getMs: number[] = [];
  const storeMs: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      let started = performance.now();
      await secrets.store(key, value);
      storeMs.push(performance.now() - started);
      started = performance.now();
      await secrets.get(key);
      getMs.push(performance.now() - started);
    }
  } finally {
    await secrets.delete(key);
  }
  return { getMs, storeMs };
}
