// The first step of `npm test`: the test host it ends with runs Node and code-server from npm's
// Linux x64 packages (test/host/versions.ts), so anywhere else `npm test` stops here, at once,
// and names what does run there. Plain JavaScript, so it runs before anything is compiled.
// PANDADOC_TEST_PLATFORM=<platform>-<arch> (as darwin-arm64) stands in for this machine's, for
// the unit test of this message.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Why `npm test` cannot run on `platform`/`arch` (Node's names), or undefined when it can. */
export function platformProblem(platform, arch) {
  if (platform === 'linux' && arch === 'x64') {
    return undefined;
  }
  return [
    `npm test runs only on Linux x64, not on ${platform} ${arch}: its integration and UI tiers`,
    "run in a test host built from npm's Linux x64 packages of Node and code-server.",
    'What runs here:',
    '  npm run lint           ESLint and the workflow lint',
    '  npm run test:unit      the unit tier (mocha in Node)',
    '  npm run test:desktop   the integration suite in desktop VS Code (downloads VS Code)',
    'The whole of npm test runs on Linux x64, and in CI (.github/workflows/ci.yml).',
  ].join('\n');
}

/** The platform and arch to check: this machine's, or PANDADOC_TEST_PLATFORM's. */
export function checkedPlatform(env = process.env) {
  const override = env.PANDADOC_TEST_PLATFORM;
  if (override) {
    const cut = override.lastIndexOf('-');
    return cut > 0 ? [override.slice(0, cut), override.slice(cut + 1)] : [override, ''];
  }
  return [process.platform, process.arch];
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = platformProblem(...checkedPlatform());
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
