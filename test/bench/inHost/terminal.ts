/**
 * From a refresh to new terminals' variables, with the terminal route turned on for the bench's
 * workspace: each sample runs Refresh Token (the command) and times, inside this extension host,
 * when the refresh was announced (onDidChangeStatus: stored) and when the route's collection held
 * the new header (the route's onDidChange, checked against the collection). VS Code then sends the
 * collection to the workbench in one message, which the extension cannot observe; so a few more
 * samples start a real process in a new terminal right after the refresh and check that it sees
 * the new header (digests only: the process writes no value).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import type { TerminalCredentials } from '../../../src/core/routes/terminalCredentials';
import type { WorkspaceGrants } from '../../../src/core/routes/workspaceGrants';
import { COMMAND } from '../../../src/vscode/base/commandIds';
import { currentWorkspace } from '../../../src/vscode/base/workspaceIdentity';
import { PANDADOC_EXPIRES_IN } from '../../support/pandadocServer';
import type { TerminalFigures } from '../handOver';
import type { BenchServer } from './localServer';

export const TERMINAL_SAMPLES = 20;
const PROCESS_SAMPLES = 5;
const PROCESS_TIMEOUT_MS = 20_000;

/** What the extension exports for its own tests and the bench (ExtensionMode.Test). */
export interface TerminalTesting {
  grants: WorkspaceGrants;
  terminals: TerminalCredentials;
  terminalCollection: vscode.EnvironmentVariableCollection;
}

const digest = (value: string | undefined) => createHash('sha256').update(value ?? '').digest('hex');

/** A process that writes the digest of the header it got, to the file its argument names. */
const PROBE = `require('node:fs').writeFileSync(process.argv[2], require('node:crypto').createHash('sha256').update(process.env.PANDADOC_AUTHORIZATION ?? '').digest('hex'));`;

async function waitForFile(file: string): Promise<string> {
  const until = Date.now() + PROCESS_TIMEOUT_MS;
  while (!(fs.existsSync(file) && fs.statSync(file).size > 0)) {
    if (Date.now() > until) {
      throw new Error('the process in the new terminal wrote nothing');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return fs.readFileSync(file, 'utf8');
}

export async function measureTerminal(api: PandaDocAuthApiV1, testing: TerminalTesting, { server, client }: BenchServer): Promise<TerminalFigures> {
  server.expiresIn = PANDADOC_EXPIRES_IN;
  await api.setOAuthCredentials({ ...client, refreshToken: server.grant(client.clientId) });
  // Granted through the testing export: Turn On always asks, and a test window refuses the dialog.
  const workspace = currentWorkspace();
  if (workspace === undefined) {
    throw new Error('the bench window has no folder open, so no workspace to turn the terminals on for');
  }
  await testing.grants.grant(workspace, 'terminal');
  await testing.terminals.settled();
  const header = () => testing.terminalCollection.get('PANDADOC_AUTHORIZATION')?.value;
  const figures: TerminalFigures = { fromCallMs: [], afterStoredMs: [], process: { samples: 0, sawNewToken: 0, ms: [] } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-bench-terminal-'));
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(probe, PROBE);
  try {
    for (let i = 0; i < TERMINAL_SAMPLES + PROCESS_SAMPLES; i++) {
      const before = header();
      let stored = 0;
      const announced = api.onDidChangeStatus(() => (stored ||= performance.now()));
      const updated = new Promise<number>((resolve) => {
        const subscription = testing.terminals.onDidChange(() => {
          if (header() !== before) {
            subscription.dispose();
            resolve(performance.now());
          }
        });
      });
      const started = performance.now();
      const refreshed = vscode.commands.executeCommand<boolean>(COMMAND.refreshToken);
      const at = await updated;
      announced.dispose();
      if (!(await refreshed) || header() !== (await api.getAuthorizationHeader())) {
        throw new Error('after the refresh, the terminals do not hold the new header');
      }
      if (i < TERMINAL_SAMPLES) {
        figures.fromCallMs.push(at - started);
        figures.afterStoredMs.push(at - (stored || at));
        continue;
      }
      // A real process in a new terminal, started the moment the route has the new header.
      const out = path.join(dir, `out-${i}.txt`);
      const terminal = vscode.window.createTerminal({ name: 'PandaDoc bench', shellPath: process.execPath, shellArgs: [probe, out], hideFromUser: true });
      try {
        const seen = await waitForFile(out);
        figures.process.samples++;
        figures.process.ms.push(performance.now() - started);
        if (seen === digest(header())) {
          figures.process.sawNewToken++;
        }
      } finally {
        terminal.dispose();
      }
    }
  } finally {
    await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
