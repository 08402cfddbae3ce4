/**
 * `npm test` after lint and type check: the unit, integration and UI tiers, then one line with
 * the totals, `N passed, M failed`, which CI reads. Name tiers to run only those:
 * `node out/test/host/runTiers.js integration ui`.
 */
import * as path from 'node:path';
import { runIntegrationTier } from './integrationTier';
import { CACHE_ROOT, vscePackageArgs } from './paths';
import { ensureHost } from './provision';
import { failedTier, runEchoed, runMochaTier, type TierResult } from './tier';
import { runUiTier } from './uiTier';
import { VSCODE_VERSION } from './versions';

const TIERS = ['unit', 'integration', 'ui'] as const;
type Tier = (typeof TIERS)[number];

/** The .vsix a user would install, built by the same command as `npm run package`. */
async function packageExtension(): Promise<string> {
  const vsix = path.join(CACHE_ROOT, 'pandadoc-auth.vsix');
  const { code, output } = await runEchoed(process.execPath, vscePackageArgs(vsix));
  if (code !== 0) {
    throw new Error(`vsce package failed:\n${output}`);
  }
  return vsix;
}

async function main(): Promise<number> {
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = asked.filter((arg) => !(TIERS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    console.error(`unknown tier(s): ${unknown.join(', ')}; tiers are ${TIERS.join(', ')}`);
    return 2;
  }
  const tiers: Tier[] = asked.length > 0 ? (asked as Tier[]) : [...TIERS];
  const log = (line: string) => console.log(`\n== ${line}`);
  const results: TierResult[] = [];
  const started = Date.now();

  if (tiers.includes('unit')) {
    log('unit tier (mocha, Node ' + process.version + ')');
    // The unit tier's own configuration: .mocharc.json.
    results.push((await runMochaTier('unit', [])).result);
  }
  if (tiers.includes('integration') || tiers.includes('ui')) {
    try {
      const hostStarted = Date.now();
      const host = ensureHost(log);
      // Also builds dist/extension.js (production), which the integration tier loads from source.
      log('packaging the extension');
      const vsix = await packageExtension();
      log(`test host ready: VS Code ${VSCODE_VERSION} (code-server), Chromium; ${((Date.now() - hostStarted) / 1000).toFixed(1)} s`);
      if (tiers.includes('integration')) {
        results.push(...(await runIntegrationTier(host, log)));
      }
      if (tiers.includes('ui')) {
        results.push(...(await runUiTier(host, vsix, log)));
      }
    } catch (error) {
      console.error(error instanceof Error ? error.stack : error);
      results.push(failedTier('host', 0, error instanceof Error ? error.message.split('\n')[0] : String(error)));
    }
  }

  console.log('\n== summary');
  for (const r of results) {
    const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
    console.log(`  ${r.name.padEnd(28)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed${skipped}  ${r.seconds.toFixed(1)} s${r.error ? `  (${r.error})` : ''}`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
