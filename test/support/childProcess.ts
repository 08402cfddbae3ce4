/** A child process for a unit test: what it printed is returned, never echoed, as it may hold a
 *  test secret the caller checks for before showing any of it. */
import { spawn } from 'node:child_process';

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runQuietly(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProcessRun> {
  return new Promise<ProcessRun>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
