/** What each test tier reports to the runner that sums them. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, RUNS_ROOT } from './paths';

export interface TierResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Why the tier could not run at all (counted as one failure). */
  error?: string;
}

/** A tier that could not run or could not report: counted as one failure. */
export function failedTier(name: string, seconds: number, error: string): TierResult {
  return { name, passed: 0, failed: 1, skipped: 0, seconds, error };
}

/** The last summary line the mocha reporter printed: `N passed, M failed[, K skipped]`. */
export function parseSummary(output: string): { passed: number; failed: number; skipped: number } | undefined {
  const last = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) } : undefined;
}

/**
 * Runs mocha in its own Node process (echoed) and reads its summary line. A non-zero exit with
 * no failed test (a crash after the last test, an unhandled rejection) still fails the tier.
 */
export async function runMochaTier(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ result: TierResult; output: string }> {
  const started = Date.now();
  const mocha = path.join(PROJECT_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const { code, output } = await runEchoed(process.execPath, [mocha, ...args], env);
  const seconds = (Date.now() - started) / 1000;
  const counts = parseSummary(output);
  if (!counts) {
    return { result: failedTier(name, seconds, `mocha printed no summary (exit code ${code})`), output };
  }
  const result: TierResult = { name, ...counts, seconds };
  if (code !== 0 && counts.failed === 0) {
    return { result: { ...result, failed: 1, error: `mocha exited with code ${code}` }, output };
  }
  return { result, output };
}

/** Runs a command, echoing its output as it comes and returning all of it (for the leak check). */
export function runEchoed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** A fresh folder for one tier's run, and inside it a private one for the hand-over files. */
export function newRunDir(tier: string): { runDir: string; stateDir: string } {
  fs.mkdirSync(RUNS_ROOT, { recursive: true });
  pruneRuns(tier);
  const runDir = fs.mkdtempSync(path.join(RUNS_ROOT, `${tier}-`));
  const stateDir = path.join(runDir, 'state');
  fs.mkdirSync(stateDir, { mode: 0o700 });
  return { runDir, stateDir };
}

/** Run folders kept per tier for looking into failures (about 15 MB each); older ones go. */
const RUNS_KEPT = 3;

function pruneRuns(tier: string): void {
  const runs = fs
    .readdirSync(RUNS_ROOT)
    .filter((name) => name.startsWith(`${tier}-`))
    .map((name) => ({ dir: path.join(RUNS_ROOT, name), mtime: fs.statSync(path.join(RUNS_ROOT, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of runs.slice(RUNS_KEPT - 1)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
