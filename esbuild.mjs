// Bundles the extension into dist/extension.js: `--production` minifies, `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outfile = 'dist/extension.js';

/** Bundle budget: the built-in GitHub authentication ships 225 KB. It was 115 KB for 0.1 (88 KB);
 *  the profiles, regions, checks and messages since brought the bundle to about 120 KB, most of it
 *  the text of messages, so it was 130 KB. Handing credentials to terminals and tasks (the
 *  workspace grants, the terminal route and its timer, the consent question, its refusals and the
 *  grants list: about 22 KB, again mostly text) made it 150 KB. 0.3.0's questions before an
 *  argument may store, redirect or grant anything (each names what would happen: about 11 KB of
 *  text with the per-profile grants and the Turn On question's disk facts) make it 160 KB. PandaDoc's
 *  MCP servers for VS Code's chat (the provider, its per-profile choice, the Turn On question and
 *  the grants list's rows: about 11 KB, half of it text) make it 170 KB, still well under GitHub's. */
const MAX_BUNDLE_BYTES = 170 * 1024;

/** Prints the errors, and under `--watch` the lines the VS Code esbuild problem matcher looks for
 *  (a one-off build, as in npm start or vsce package, watches nothing). */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    if (watch) build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/** node-fetch's `require('url')`, and only its, gets nodeFetchUrl.js: see that file for why. */
const nodeFetchUrl = {
  name: 'node-fetch-url',
  setup(build) {
    const shim = fileURLToPath(new URL('./src/core/pandadoc/nodeFetchUrl.js', import.meta.url));
    build.onResolve({ filter: /^url$/ }, (args) => (/[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer) ? { path: shim } : undefined));
  },
};

/** Packages the tests use that the extension must never ship: PandaDoc's SDK is for consumers
 *  of the API (the tests prove createSdkAuthMethod() with it), and it minifies to about 780 KB,
 *  six times this bundle. Any file of theirs among the inputs fails the build, watch included. */
const TEST_ONLY_PACKAGES = ['pandadoc-node-client'];
const testOnly = {
  name: 'test-only-packages',
  setup(build) {
    build.onEnd((result) => {
      const inputs = Object.keys(result.metafile?.inputs ?? {});
      const errors = TEST_ONLY_PACKAGES.flatMap((name) => {
        const found = inputs.find((input) => input.includes(`node_modules/${name}/`));
        return found ? [{ text: `${name} is a test dependency only and must not be bundled (${found})` }] : [];
      });
      return { errors };
    });
  },
};

const context = await esbuild.context({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  outfile,
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  metafile: true,
  alias: {
    // node-fetch 2 uses Node's own URL class and needs whatwg-url only on runtimes without one.
    // Bundling it would add its 290 KB Unicode table to every install for nothing.
    'whatwg-url': fileURLToPath(new URL('./src/core/pandadoc/urlShim.js', import.meta.url)),
  },
  plugins: [nodeFetchUrl, testOnly, problemMatcher],
});

if (watch) {
  await context.watch();
} else {
  const { metafile } = await context.rebuild();
  await context.dispose();
  // Where the bytes come from, for `npm run bench` (its bundle row names the largest); not packaged.
  writeFileSync(`${outfile}.meta.json`, JSON.stringify(metafile));
  const bytes = statSync(outfile).size;
  console.log(`${outfile}: ${(bytes / 1024).toFixed(1)} KB${production ? ' (minified)' : ''}`);
  if (production && bytes > MAX_BUNDLE_BYTES) {
    console.error(`bundle is over its budget of ${MAX_BUNDLE_BYTES / 1024} KB`);
    process.exit(1);
  }
}
