/**
 * The secret-leak check: every secret a run used, searched byte for byte in every file of the
 * run folder (user data: logs, output channel files, extension host logs, state databases;
 * the scratch HOME and TMPDIR; the browser profile) and in everything the run printed.
 * A hit is reported by file and fingerprint, never by value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fingerprint } from '../../src/core/base/redact';
import { BROWSER_PROFILE, filesUnder } from './paths';
import { failedTier, type TierResult } from './tier';

export interface Leak {
  where: string;
  secret: string;
}

export interface LeakReport {
  filesScanned: number;
  bytesScanned: number;
  leaks: Leak[];
}

export function findLeaks(secrets: readonly string[], dirs: readonly string[], texts: Record<string, string>, exclude: readonly string[] = []): LeakReport {
  const needles = [...new Set(secrets.filter((secret) => secret.length >= 8))].map((secret) => ({ secret, bytes: Buffer.from(secret) }));
  const report: LeakReport = { filesScanned: 0, bytesScanned: 0, leaks: [] };
  const skip = new Set(exclude.map((file) => path.resolve(file)));
  const scan = (where: string, data: Buffer) => {
    report.bytesScanned += data.length;
    for (const { secret, bytes } of needles) {
      if (data.includes(bytes)) {
        report.leaks.push({ where, secret: fingerprint(secret) });
      }
    }
  };
  for (const file of dirs.flatMap((dir) => [...filesUnder(dir, skip)])) {
    report.filesScanned++;
    scan(file, fs.readFileSync(file));
  }
  for (const [where, text] of Object.entries(texts)) {
    scan(where, Buffer.from(text));
  }
  return report;
}

const HANDOVER_FILE = 'secrets.json';

/** What a tier's tests hand over. `browserVisible` are secrets the protocol itself puts in the
 *  browser's address bar (single-use authorization codes): searched everywhere but the browser
 *  profile, which keeps its history. */
export interface HandedOver {
  secrets: string[];
  browserVisible: string[];
}

/** Run by the tests: the secrets of their run, for the harness (0600, read once and deleted). */
export function handOverSecrets(stateDir: string, secrets: readonly string[], browserVisible: readonly string[] = []): void {
  const handedOver: HandedOver = { secrets: secrets.filter((secret) => !browserVisible.includes(secret)), browserVisible: [...browserVisible] };
  fs.writeFileSync(path.join(stateDir, HANDOVER_FILE), JSON.stringify(handedOver), { mode: 0o600 });
}

/** Reads the secrets a tier handed over, then deletes the hand-over file. */
export function takeSecrets(stateDir: string): HandedOver | undefined {
  const file = path.join(stateDir, HANDOVER_FILE);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as HandedOver;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * The leak check of one tier's run, as a result the runner counts: the secrets the tests handed
 * over in `stateDir`, searched in the run folder (minus the hand-over folder) and in `printed`.
 * No secrets handed over means nothing was checked, which is a failure, not a pass.
 */
export function leakCheckResult(name: string, stateDir: string, runDir: string, printed: Record<string, string>): TierResult {
  const handedOver = takeSecrets(stateDir);
  if (!handedOver || handedOver.secrets.length === 0) {
    return failedTier(name, 0, 'the tests handed over no secrets to search for');
  }
  const started = Date.now();
  const everywhere = findLeaks(handedOver.secrets, [runDir], printed, [stateDir]);
  const outsideBrowser = findLeaks(handedOver.browserVisible, [runDir], printed, [stateDir, path.join(runDir, BROWSER_PROFILE)]);
  const report: LeakReport = { ...everywhere, leaks: [...everywhere.leaks, ...outsideBrowser.leaks] };
  const secrets = [...handedOver.secrets, ...handedOver.browserVisible];
  fs.rmSync(stateDir, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${name}: ${secrets.length} secrets searched in ${report.filesScanned} files and the output ` +
      `(${(report.bytesScanned / 1e6).toFixed(1)} MB): ${report.leaks.length} found`,
  );
  report.leaks.forEach((leak) => console.log(`  LEAK: secret ${leak.secret} in ${leak.where}`));
  return report.leaks.length === 0
    ? { name, passed: 1, failed: 0, skipped: 0, seconds }
    : failedTier(name, seconds, `${report.leaks.length} secret(s) found`);
}
