// `npm start`: the type-check and compile (tsc -p .), then the sandbox of start.ts. Plain
// JavaScript so it runs before anything is compiled, and so "ready in" counts from here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const startedAt = Date.now();
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
console.log('== type-checking and compiling (tsc -p .)');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) {
  process.exit(tsc.status ?? 1);
}
const { runSandbox } = require(`${root}out/test/host/start.js`);
runSandbox(process.argv.slice(2), { startedAt, checkedAt: Date.now() });
