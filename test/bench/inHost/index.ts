/**
 * The bench's entry inside the extension host: the `run()` VS Code calls for
 * `extensionTestsPath`. The runner (test/bench/run.ts) names this window's tasks in the
 * environment; the figures go to a file in its private state folder. Nothing here prints or
 * writes a token or a client secret.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1, PandaDocAuthExports } from '../../../src/api/pandadoc-auth';
import type { McpChoices } from '../../../src/core/routes/mcpChoices';
import type { WorkspaceGrants } from '../../../src/core/routes/workspaceGrants';
import type { SerialState } from '../../../src/core/base/stateStore';
import type { McpRoute } from '../../../src/vscode/mcp/mcpServers';
import { EXTENSION_ID } from '../../../src/vscode/base/commandIds';
import { handOverSecrets } from '../../host/leakCheck';
import { BENCH_ENV, type BenchTask, type StoredState, windowFile, type WindowResult } from '../handOver';
import { atRunEntry, measureActivation } from './activation';
import { leaveStored } from './leaveStored';
import type { BenchServer } from './localServer';
import type { TerminalTesting } from './terminal';

/** What the extension exports when VS Code runs it from source with a test runner
 *  (ExtensionMode.Test, see src/extension.ts): its own SecretStorage among others. */
type TestModeExports = PandaDocAuthExports & {
  testing: { secrets: vscode.SecretStorage; storageKey: () => string; grants: WorkspaceGrants; modalsAskedInAll(): number; mcpChoices: McpChoices; mcp: McpRoute | undefined } & TerminalTesting;
};

export async function run(): Promise<void> {
  // First, before any await of ours lets a pending activation move on.
  const entry = atRunEntry();
  const stateDir = process.env[BENCH_ENV.stateDir];
  if (!stateDir) {
    throw new Error(`${BENCH_ENV.stateDir} is not set: the bench runs through npm run bench`);
  }
  const window = Number(process.env[BENCH_ENV.window] ?? '0');
  const tasks = new Set((process.env[BENCH_ENV.tasks] ?? '').split(',') as BenchTask[]);
  const found = (process.env[BENCH_ENV.found] ?? 'nothing') as StoredState;
  const leave = (process.env[BENCH_ENV.leave] ?? 'nothing') as StoredState;
  const result: WindowResult = { window, errors: [] };
  const attempt = async (task: BenchTask, body: () => Promise<void>) => {
    if (!tasks.has(task)) {
      return;
    }
    try {
      await body();
    } catch (error) {
      result.errors.push(`${task}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  await attempt('activation', async () => {
    result.activation = await measureActivation(entry, found);
  });
  let bench: BenchServer | undefined;
  let api: PandaDocAuthApiV1 | undefined;
  try {
    if (tasks.has('refresh') || tasks.has('hotPath') || tasks.has('concurrency') || tasks.has('taskInput') || tasks.has('terminal') || tasks.has('mcp')) {
      const exported = (await vscode.extensions.getExtension<TestModeExports>(EXTENSION_ID)?.activate()) as TestModeExports;
      const v1 = exported.getApi(1);
      api = v1;
      // Loaded only here: in the activation windows the bench loads next to nothing (no HTTP
      // client, no server) while the extensions it watches are activating.
      const [{ startBenchServer }, { measureRefresh }, { measureHotPath }, { measureConcurrency }, { measureTaskInput }, { measureTerminal }, { measureMcpResolve }] = await Promise.all([
        import('./localServer'),
        import('./refresh'),
        import('./hotPath'),
        import('./concurrency'),
        import('./taskInput'),
        import('./terminal'),
        import('./mcpResolve'),
      ]);
      bench = await startBenchServer(api);
      const { server, client } = bench;
      await attempt('refresh', async () => {
        result.refresh = await measureRefresh(v1, exported.testing.secrets, exported.testing.storageKey, { server, client });
      });
      await attempt('hotPath', async () => {
        result.hotPath = await measureHotPath(v1, { server, client });
      });
      await attempt('concurrency', async () => {
        result.concurrency = await measureConcurrency(v1, { server, client });
      });
      await attempt('taskInput', async () => {
        result.taskInput = await measureTaskInput(v1, exported.testing, { server, client });
      });
      await attempt('mcp', async () => {
        result.mcp = await measureMcpResolve(v1, exported.testing, { server, client });
      });
      // Last: the route stays off while the others refresh, so it adds no request to theirs.
      await attempt('terminal', async () => {
        result.terminal = await measureTerminal(v1, exported.testing, { server, client });
      });
    }
  } catch (error) {
    result.errors.push(`setup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (bench) {
      await api?.signOut({ all: true });
      // Every secret the server registered or issued, for the runner's leak check of the run
      // folder and the output (the hand-over file is 0600, read once and deleted).
      handOverSecrets(stateDir, bench.server.issued);
      await bench.server.close();
    }
  }
  try {
    const exported = (await vscode.extensions.getExtension<PandaDocAuthExports>(EXTENSION_ID)?.activate()) as (PandaDocAuthExports & { testing?: { globalState: SerialState } }) | undefined;
    await leaveStored(leave, stateDir, exported?.getApi(1));
    // The page is closed next, abruptly: its extension host is not deactivated, and the
    // workbench does not flush its storage as a closing VS Code window does. So the writes still
    // queued for the global state (the snapshot of what was just stored) land first, as
    // deactivate() lets them; then a second passes, for the workbench to write its storage to
    // IndexedDB. Without the pause, a window closed that soon left the next one an older snapshot
    // in 1 to 4 of 20 windows per run on an idle machine.
    await exported?.testing?.globalState.settled();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } catch (error) {
    result.errors.push(`leaving ${leave} stored: ${error instanceof Error ? error.message : String(error)}`);
  }
  fs.writeFileSync(windowFile(stateDir, window), JSON.stringify(result));
}
