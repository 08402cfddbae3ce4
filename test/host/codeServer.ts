/**
 * One code-server on a free 127.0.0.1 port, with its own scratch HOME, XDG_* and TMPDIR,
 * user-data and extensions folders, so a run touches nothing of the user's and leaves nothing
 * behind. It is started as the leader of its own process group and always stopped by that group.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { HostBinaries } from './provision';

/** The workbench settings every run starts with: quiet, offline, nothing opened by default. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface CodeServerOptions {
  /** A fresh folder for this run; created if missing. */
  runDir: string;
  /** User settings, merged over BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** .vsix files installed as a user would, before the server starts. */
  vsix?: string[];
  /** Fixed port (npm start); default a free one. */
  port?: number;
  /** Let the workbench `payload` run extension tests (also hides notification toasts). */
  testDriver?: boolean;
  /** Workspace trust as users have it: a folder opens in Restricted Mode until trusted, with no
   *  question at the start. Off by default, since the tests' folders are their own. */
  workspaceTrust?: boolean;
}

/** What `workspaceTrust` sets over BASE_SETTINGS. */
const TRUST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export interface CodeServer {
  url: string;
  port: number;
  runDir: string;
  userDataDir: string;
  pid: number;
  /** The environment (scratch HOME etc.) the browser should share. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const live = new Set<number>();
let exitHookInstalled = false;

/** A last resort: whatever happens to this process, its servers die with it. */
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => live.forEach((pgid) => killGroup(pgid, 'SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      live.forEach((pgid) => killGroup(pgid, 'SIGKILL'));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Signals a whole process group; false when it no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** HOME, XDG_* and TMPDIR inside the run folder; nothing inherited that would steer VS Code. */
function scratchEnv(runDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VSCODE_|ELECTRON_|npm_|PANDADOC_)/.test(key)) {
      env[key] = value;
    }
  }
  const home = path.join(runDir, 'home');
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(runDir, 'xdg-runtime'),
    TMPDIR: path.join(runDir, 'tmp'),
    ...extra,
  };
}

function prepareRunDir(runDir: string): void {
  for (const dir of ['home/.config', 'home/.local/share', 'home/.cache', 'home/.local/state', 'xdg-runtime', 'tmp', 'ud/User', 'exts']) {
    fs.mkdirSync(path.join(runDir, dir), { recursive: true });
  }
  fs.chmodSync(path.join(runDir, 'xdg-runtime'), 0o700);
}

export async function startCodeServer(host: HostBinaries, options: CodeServerOptions): Promise<CodeServer> {
  installExitHook();
  const runDir = path.resolve(options.runDir);
  prepareRunDir(runDir);
  const userDataDir = path.join(runDir, 'ud');
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...(options.workspaceTrust ? TRUST_SETTINGS : {}), ...options.settings }, null, 2),
  );
  fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\n');
  // An empty gallery: there is no marketplace to reach, and saying so silences its errors.
  const env = scratchEnv(runDir, { EXTENSIONS_GALLERY: '{}', PATH: `${path.dirname(host.node)}${path.delimiter}${process.env.PATH ?? ''}` });
  const common = ['--config', path.join(runDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', path.join(runDir, 'exts')];

  for (const vsix of options.vsix ?? []) {
    const result = spawnSync(host.node, [host.codeServer, ...common, '--install-extension', path.resolve(vsix), '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    fs.appendFileSync(path.join(runDir, 'install.log'), `${result.stdout}${result.stderr}\n`);
    if (result.status !== 0) {
      throw new Error(`installing ${path.basename(vsix)} failed: ${result.stdout}${result.stderr}`);
    }
  }

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFd = fs.openSync(path.join(runDir, 'server.log'), 'a');
  const args = [
    host.codeServer,
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.testDriver) {
    // Without it, code-server 4.139 loads the page but ignores the `payload` test parameters.
    args.push('--vscode-option', 'enable-smoke-test-driver');
  }
  // detached: the child calls setsid(), so it leads a process group (pgid = pid) that holds the
  // extension hosts and file watchers too; stop() ends the whole group and nothing else.
  const child = spawn(host.node, args, { env, cwd: runDir, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pgid = child.pid as number;
  live.add(pgid);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (killGroup(pgid, 'SIGTERM')) {
        for (let i = 0; i < 50 && groupAlive(pgid); i++) {
          await sleep(100);
        }
        if (groupAlive(pgid)) {
          killGroup(pgid, 'SIGKILL');
        }
      }
      live.delete(pgid);
    })();
    return stopped;
  };

  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; see ${path.join(runDir, 'server.log')}`);
  }
  return { url, port, runDir, userDataDir, pid: pgid, env, stop };
}

async function waitHealthy(url: string, child: { exitCode: number | null; signalCode: string | null }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode) {
      throw new Error(`code-server exited at start (${child.exitCode ?? child.signalCode})`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}
