/** Where the test host keeps its cache and its runs: `.vscode-test/` (ignored by git). */
import * as path from 'node:path';

/** The project root: this file compiles to out/test/host/paths.js. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CACHE_ROOT = process.env.PANDADOC_TEST_CACHE ?? path.join(PROJECT_ROOT, '.vscode-test');
export const RUNS_ROOT = path.join(CACHE_ROOT, 'runs');
