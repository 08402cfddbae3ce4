/** Where the test host keeps its cache and its runs: `.vscode-test/` (ignored by git). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root: this file compiles to out/test/host/paths.js. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CACHE_ROOT = process.env.PANDADOC_TEST_CACHE ?? path.join(PROJECT_ROOT, '.vscode-test');
export const RUNS_ROOT = path.join(CACHE_ROOT, 'runs');

/** Every file below `dir` (none if it does not exist), skipping the paths in `skip`. */
export function* filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): Generator<string> {
  if (!fs.existsSync(dir)) {
    return;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (skip.has(file)) {
      continue;
    }
    if (entry.isDirectory()) {
      yield* filesUnder(file, skip);
    } else if (entry.isFile()) {
      yield file;
    }
  }
}

/**
 * `npm run package` (scripts/package.mjs, the local build: `vsce package` after the production
 * esbuild), writing `vsix`: the arguments for `node`, run in the extension's folder. Further
 * arguments go to vsce.
 */
export function vscePackageArgs(vsix: string): string[] {
  return [path.join(PROJECT_ROOT, 'scripts', 'package.mjs'), '--out', vsix];
}

/** The browser profile's folder in a run folder (Chromium's history, cookies, storage). */
export const BROWSER_PROFILE = 'chrome-profile';
