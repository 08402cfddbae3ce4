/** What each test tier reports to the runner that sums them. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUNS_ROOT } from './paths';

export interface TierResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Why the tier could not run at all (counted as one failure). */
  error?: string;
}

/** The summary line the mocha reporter prints: `N passed, M failed[, K skipped]`. */
export function parseSummary(output: string): { passed: number; failed: number; skipped: number } | undefined {
  const lines = output.match(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm);
  const last = lines?.at(-1)?.match(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/);
  return last ? { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) } : undefined;
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
