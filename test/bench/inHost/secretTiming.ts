/**
 * Times the extension's own SecretStorage calls (the object VS Code gave it, reachable in
 * ExtensionMode.Test through the `testing` export) by wrapping its methods for a while, and
 * times bare round trips of the bench's own.
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

/** One bare SecretStorage round trip of each kind, timed: a part of the refresh's floor. */
export async function timedGet(secrets: vscode.SecretStorage, key: string): Promise<number> {
  const started = performance.now();
  await secrets.get(key);
  return performance.now() - started;
}

export async function timedStore(secrets: vscode.SecretStorage, key: string, value: string): Promise<number> {
  const started = performance.now();
  await secrets.store(key, value);
  return performance.now() - started;
}
