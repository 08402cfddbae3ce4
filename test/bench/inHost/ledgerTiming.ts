/**
 * Times the window ledger's file calls (src/core/token/windowLedger.ts: `fs.promises` under the
 * extension's global storage folder `windows/`) by wrapping Node's `fs.promises` methods in this
 * extension host for a while. Only calls on a path inside that folder are recorded; every other
 * caller (VS Code's own) passes straight through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXTENSION_ID } from '../../../src/vscode/base/commandIds';

export interface FsCall {
  name: string;
  start: number;
  end: number;
}

const WRAPPED = ['mkdir', 'rm', 'readFile', 'writeFile', 'rename', 'stat'] as const;
/** The ledger's folder, as src/extension.ts names it, below the global storage of this extension. */
const LEDGER_DIR = `${path.sep}${EXTENSION_ID}${path.sep}windows`;

type Method = (...args: unknown[]) => Promise<unknown>;

/** Wraps the ledger's fs.promises methods; the returned function puts the originals back. */
export function recordLedgerCalls(calls: FsCall[]): () => void {
  const target = fs.promises as unknown as Record<(typeof WRAPPED)[number], Method>;
  const originals = Object.fromEntries(WRAPPED.map((name) => [name, target[name]])) as Record<(typeof WRAPPED)[number], Method>;
  for (const name of WRAPPED) {
    const original = originals[name];
    target[name] = (...args: unknown[]) => {
      const file = String(args[0]);
      if (!file.includes(LEDGER_DIR)) {
        return original.apply(fs.promises, args);
      }
      const start = performance.now();
      const result = original.apply(fs.promises, args);
      result.then(
        () => calls.push({ name, start, end: performance.now() }),
        () => calls.push({ name, start, end: performance.now() }),
      );
      return result;
    };
  }
  return () => Object.assign(target, originals);
}
