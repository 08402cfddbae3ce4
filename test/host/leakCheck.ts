/**
 * The secret-leak check: every secret a run used, searched byte for byte in every file of the
 * run folder (user data: logs, output channel files, extension host logs, state databases;
 * the scratch HOME and TMPDIR; the browser profile) and in everything the run printed.
 * A hit is reported by file and fingerprint, never by value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fingerprint } from '../../src/core/redact';

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
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (skip.has(file)) {
        continue;
      }
      if (entry.isDirectory()) {
        walk(file);
      } else if (entry.isFile()) {
        report.filesScanned++;
        scan(file, fs.readFileSync(file));
      }
    }
  };
  for (const dir of dirs) {
    if (fs.existsSync(dir)) {
      walk(dir);
    }
  }
  for (const [where, text] of Object.entries(texts)) {
    scan(where, Buffer.from(text));
  }
  return report;
}

/** Reads the secrets a tier handed over, then deletes the hand-over file. */
export function takeSecrets(stateDir: string): string[] | undefined {
  const file = path.join(stateDir, 'secrets.json');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } finally {
    fs.rmSync(file, { force: true });
  }
}
