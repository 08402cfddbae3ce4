/**
 * `npm start`: a local sandbox to try the extension by hand. It packages the .vsix, installs it
 * in code-server (VS Code in the browser, the same host the test tiers use) as a user would,
 * points `pandadoc.apiBaseUrl` at the project's PandaDoc-compatible server on 127.0.0.1 seeded
 * with fake demo credentials, prints what to open and type, and logs each token request.
 * Ctrl+C (or SIGTERM) stops code-server's whole process group and the sandbox server.
 *
 *   npm start [-- --port N]     (or PORT=N; default 8080, a free port if taken)
 *
 * `npm start` runs test/host/start.mjs, which type-checks and compiles first and then calls
 * `startSandbox` with the time it began, so "ready in" counts the whole wait.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { PandaDocServer, type ResponseEntry } from '../support/pandadocServer';
import { freePort, killGroup, startCodeServer, type CodeServer } from './codeServer';
import { CACHE_ROOT, PROJECT_ROOT, vscePackageArgs } from './paths';
import { ensureHost } from './provision';
import { VSCODE_VERSION } from './versions';

/**
 * Obviously fake, and accepted only by the sandbox server this script starts. The secrets end
 * differently, so their fingerprints (the last 4 characters: …cret, …oken, …-key) tell them apart
 * where the extension shows one, as in the Postman import's confirmation.
 */
export const DEMO = {
  clientId: 'demo-client-id',
  clientSecret: 'not-real-demo-client-secret',
  refreshToken: 'not-real-demo-refresh-token',
  apiKey: 'not-real-demo-api-key',
} as const;

const DEFAULT_PORT = 8080;
/**
 * A fixed folder, reused: the installed extension and the workbench state (open editors, layout)
 * survive a restart. The secrets do not live here: the web workbench keeps SecretStorage in the
 * browser's localStorage, so they persist per browser profile.
 */
const RUN_DIR = path.join(CACHE_ROOT, 'sandbox');

let building: ChildProcess | undefined;
let sandbox: PandaDocServer | undefined;
let codeServer: CodeServer | undefined;
let stopping = false;

function usage(): string {
  return [
    'usage: npm start [-- --port N]',
    `  Starts code-server on 127.0.0.1 (port N, env PORT, or ${DEFAULT_PORT}; a free port if that one is taken)`,
    '  with the packaged extension installed and a local PandaDoc sandbox server. Ctrl+C stops both.',
  ].join('\n');
}

function requestedPort(argv: string[]): number {
  const index = argv.indexOf('--port');
  const fromArg = argv.find((arg) => arg.startsWith('--port='))?.slice('--port='.length) ?? (index >= 0 ? argv[index + 1] : undefined);
  const text = fromArg ?? process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`not a port: ${text}\n${usage()}`);
  }
  return port;
}

/** True when nothing listens on 127.0.0.1:port (a bind on 0.0.0.0 by someone else counts too). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * `vsce package` as `npm run package` does it (the production esbuild first), into the run folder.
 * Its own process group, so a SIGTERM to this script alone can still end it and its npm child.
 * What it prints (vsce's file tree, the bundle size, a hint about publishing) is kept back and
 * shown only when it fails: someone trying the sandbox needs one line saying it was built.
 */
export function packageExtension(vsix: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, vscePackageArgs(vsix), { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    building = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      building = undefined;
      if (code === 0) {
        const size = fs.statSync(vsix).size / 1024;
        console.log(`== packaged ${path.relative(process.cwd(), vsix) || vsix} (${size.toFixed(1)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        process.stderr.write(output);
        reject(new Error(`vsce package failed (${code ?? signal}); its output is above`));
      }
    });
  });
}

/** Keeps log lines to one short, printable line: the client id is whatever the user typed. */
function printable(text: string | undefined): string {
  if (!text) {
    return '(none)';
  }
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}...` : clean;
}

/** One line of the sandbox's log: the request, its status, and what the server made of it, in
 *  its own words (`refresh: token issued`, `who-am-I with an API key: refused, unknown API key`). */
export function sandboxLogLine(entry: ResponseEntry, time: string): string {
  const client = entry.clientId === undefined ? '' : ` (client ${printable(entry.clientId)})`;
  return `[sandbox ${time}] ${entry.method} ${printable(entry.path)} -> ${entry.status}, ${entry.outcome}${client}`;
}

function logResponse(entry: ResponseEntry): void {
  console.log(sandboxLogLine(entry, new Date().toTimeString().slice(0, 8)));
}

/**
 * Stops everything and exits at once: the exit hook of codeServer.ts then kills code-server's
 * process group, and the sandbox server lives in this process. Installed before anything starts,
 * so it runs before that module's own signal hook.
 */
function stop(reason: string, exitCode: number): void {
  if (stopping) {
    return;
  }
  stopping = true;
  const what = [codeServer && `code-server (process group ${codeServer.pid})`, sandbox && 'the sandbox server'].filter(Boolean);
  console.log(`\n${reason}: stopping${what.length > 0 ? ` ${what.join(' and ')}` : ''}.`);
  if (building?.pid) {
    killGroup(building.pid, 'SIGTERM');
  }
  void sandbox?.close();
  process.exit(exitCode);
}

/**
 * The folder the sandbox window opens: a Postman environment export with the demo values, so
 * Import Credentials from Postman Environment has something to find (its dialog opens there).
 * It lies inside the clone (in .vscode-test/), so it gets a package.json of its own: `npm install`
 * there (the README's SDK example) then stops at it instead of walking up to the repository's
 * and rewriting its pins. Written once: what the user installed is kept across restarts.
 */
export function sandboxWorkspace(runDir: string = RUN_DIR): string {
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const manifest = path.join(workspace, 'package.json');
  if (!fs.existsSync(manifest)) {
    const own = { name: 'pandadoc-sandbox-workspace', private: true, description: 'The npm start sandbox’s workspace: npm installs land here, not in the repository.' };
    fs.writeFileSync(manifest, `${JSON.stringify(own, null, 2)}\n`);
  }
  const values = [
    { key: 'client_id', value: DEMO.clientId, type: 'default', enabled: true },
    { key: 'client_secret', value: DEMO.clientSecret, type: 'secret', enabled: true },
    { key: 'refresh_token', value: DEMO.refreshToken, type: 'secret', enabled: true },
  ];
  const environment = { name: 'PandaDoc Sandbox', values, _postman_variable_scope: 'environment' };
  fs.writeFileSync(path.join(workspace, 'sandbox.postman_environment.json'), `${JSON.stringify(environment, null, 2)}\n`);
  return workspace;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Every 2 s: if code-server died on its own, say so and end rather than leave a sandbox nobody
 * can open. If our parent is gone, end too: `kill <npm's pid>` makes npm kill its `sh -c`, which
 * does not pass the signal on, and this process would keep code-server running unseen.
 */
function watch(server: CodeServer): void {
  const parent = process.ppid;
  setInterval(() => {
    if (!alive(server.pid)) {
      console.error(`code-server exited on its own; see ${path.join(server.runDir, 'server.log')}`);
      stop('code-server exited', 1);
    } else if (parent > 1 && !alive(parent)) {
      stop(`parent process ${parent} exited`, 143);
    }
  }, 2000);
}

/** When each step of the start finished, in ms since the epoch. */
export interface StartTimes {
  /** When `npm start` began, before the type-check. */
  startedAt: number;
  /** When the type-check and compile finished (unknown when started without the launcher). */
  checkedAt?: number;
  packagedAt: number;
  serverStartedAt: number;
  readyAt: number;
}

export interface ReadyFacts {
  times: StartTimes;
  /** The workbench address, with the sandbox's workspace folder. */
  url: string;
  codeServerPort: number;
  sandboxUrl: string;
  redirectPort: number;
  runFolder: string;
}

/**
 * What the sandbox prints once it is ready. The address to open and the demo values come last,
 * right above the request log, so they are what the terminal shows.
 */
export function sandboxReadyText({ times, url, codeServerPort, sandboxUrl, redirectPort, runFolder }: ReadyFacts): string {
  const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
  const packageFrom = times.checkedAt ?? times.startedAt;
  const steps = [
    ...(times.checkedAt === undefined ? [] : [`type-check ${seconds(times.startedAt, times.checkedAt)}`]),
    `package ${seconds(packageFrom, times.packagedAt)}`,
    `code-server ${seconds(times.serverStartedAt, times.readyAt)}`,
  ];
  return [
    '',
    `PandaDoc Auth sandbox ready in ${seconds(times.startedAt, times.readyAt)} (${steps.join(', ')}): VS Code ${VSCODE_VERSION} in the browser, extension installed from the .vsix.`,
    `  Sandbox PandaDoc server: ${sandboxUrl} (a page there says what it is; pandadoc.apiBaseUrl and pandadoc.authBaseUrl in the sandbox's user settings;`,
    `  sign-in redirect http://127.0.0.1:${redirectPort}/callback: from another machine, paste the address the browser ends on)`,
    `  Run folder: ${runFolder} (server.log, install.log); secrets stay in the browser's localStorage.`,
    '  Token requests are logged below this. Ctrl+C to stop.',
    '',
    '  In VS Code: F1 > "PandaDoc: Sign In with Browser..." with the demo client (the sandbox approves at once),',
    '  or "PandaDoc: Set OAuth Credentials..." with all three fake demo values:',
    `    client ID      ${DEMO.clientId}`,
    `    client secret  ${DEMO.clientSecret}`,
    `    refresh token  ${DEMO.refreshToken}`,
    '  They work only against this sandbox and stay valid until it stops (refresh tokens are not rotated here).',
    `  Or "PandaDoc: Set API Key..." with ${DEMO.apiKey} (Show Account knows it; any other key is refused).`,
    '  When asked for the region, keep "As in Settings": that is this sandbox. Global and EU are PandaDoc\'s real',
    '  servers, which know none of these values.',
    '',
    `  It listens on 127.0.0.1 only; from another machine: ssh -L ${codeServerPort}:127.0.0.1:${codeServerPort} <this host>, then open the same URL.`,
    `  Open:  ${url}`,
    '',
  ].join('\n');
}

/** What the sandbox server's own address answers in a browser: what it is, and what to type. */
export function sandboxPage(): string {
  const row = (what: string, value: string) => `<tr><th>${what}</th><td><code>${value}</code></td></tr>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>PandaDoc Auth sandbox</title></head><body>',
    '<h1>PandaDoc Auth sandbox</h1>',
    '<p>This is the local server <code>npm start</code> runs on 127.0.0.1 in place of PandaDoc: it is not PandaDoc, and it knows only the fake demo values below. ',
    'The VS Code that <code>npm start</code> opened is set to send its token requests here (<code>pandadoc.apiBaseUrl</code> and <code>pandadoc.authBaseUrl</code> in its user settings). ',
    'Each request it answers is logged in the terminal where <code>npm start</code> runs.</p>',
    '<p>In that VS Code, press F1 and run <b>PandaDoc: Sign In with Browser...</b> with the demo client ID and secret, ',
    '<b>PandaDoc: Set OAuth Credentials...</b> with all three, or <b>PandaDoc: Set API Key...</b> with the demo API key:</p>',
    '<table>',
    row('client ID', DEMO.clientId),
    row('client secret', DEMO.clientSecret),
    row('refresh token', DEMO.refreshToken),
    row('API key', DEMO.apiKey),
    '</table>',
    '<p>They stay valid until <code>npm start</code> stops (refresh tokens are not rotated here).</p>',
    '<p>When VS Code asks for the region, keep <b>As in Settings</b>: that is this sandbox. Global and EU are PandaDoc&#39;s real servers, which know none of these values.</p>',
    '</body></html>',
    '',
  ].join('\n');
}

/** The sandbox's PandaDoc server, knowing the demo client and the demo API key. */
export async function startSandboxServer(onResponse: (entry: ResponseEntry) => void): Promise<PandaDocServer> {
  // rotate: false keeps the printed demo refresh token valid for the whole session, so the same
  // three values work again after Sign Out, in a second browser or a new profile. With rotation
  // (the tests' default) the first refresh would revoke it and the printed help would turn false.
  const server = await PandaDocServer.start({ rotate: false, onResponse, homePage: sandboxPage() });
  server.addClient(DEMO.clientId, DEMO.clientSecret, DEMO.refreshToken);
  server.setMember(DEMO.clientId, { email: 'demo@example.test', first_name: 'Demo', last_name: 'User', workspace_name: 'Sandbox workspace' });
  server.addApiKey(DEMO.apiKey, { email: 'demo-api-key@example.test', workspace_name: 'Sandbox workspace' });
  return server;
}

/** Starts the sandbox; `startedAt` and `checkedAt` come from the launcher (see the top). */
export async function startSandbox(argv: string[], { startedAt, checkedAt }: { startedAt: number; checkedAt?: number }): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return;
  }
  process.on('SIGINT', () => stop('SIGINT', 130));
  process.on('SIGTERM', () => stop('SIGTERM', 143));
  // Closing the terminal: Node's default for SIGHUP would end this process without its exit hook.
  process.on('SIGHUP', () => stop('SIGHUP', 129));
  const port = requestedPort(argv);

  fs.mkdirSync(RUN_DIR, { recursive: true });
  console.log('== packaging the extension');
  const vsix = path.join(RUN_DIR, 'pandadoc-auth.vsix');
  await packageExtension(vsix);
  const packaged = Date.now();

  const host = ensureHost((line) => console.log(`== ${line}`), { browser: false });

  sandbox = await startSandboxServer(logResponse);
  // The browser sign-in comes back to this port (paste the address if your browser cannot reach it).
  const redirectPort = await freePort();

  let codeServerPort = port;
  if (!(await portIsFree(port))) {
    codeServerPort = await freePort();
    console.log(`== port ${port} is taken; using ${codeServerPort}`);
  }
  const serverStarted = Date.now();
  // No test driver: notifications show as they do for a user.
  codeServer = await startCodeServer(host, {
    runDir: RUN_DIR,
    port: codeServerPort,
    vsix: [vsix],
    settings: {
      'pandadoc.apiBaseUrl': sandbox.url,
      'pandadoc.authBaseUrl': sandbox.url,
      'pandadoc.redirectUri': `http://127.0.0.1:${redirectPort}/callback`,
      // The test tiers turn VS Code's AI features off, and MCP: List Servers with them: on here,
      // so Turn On Tools in Chat can be tried to the end.
      'chat.disableAIFeatures': false,
    },
  });
  watch(codeServer);
  const workspace = sandboxWorkspace();

  console.log(
    sandboxReadyText({
      times: { startedAt, checkedAt, packagedAt: packaged, serverStartedAt: serverStarted, readyAt: Date.now() },
      url: `${codeServer.url}/?${new URLSearchParams({ folder: workspace }).toString()}`,
      codeServerPort,
      sandboxUrl: sandbox.url,
      redirectPort,
      runFolder: path.relative(process.cwd(), RUN_DIR) || '.',
    }),
  );
}

/** Runs the sandbox and ends the process on a failure to start. */
export function runSandbox(argv: string[], times: { startedAt: number; checkedAt?: number }): void {
  startSandbox(argv, times).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    void sandbox?.close();
    // The exit hook of codeServer.ts stops a code-server that was already running.
    process.exit(1);
  });
}

// `node out/test/host/start.js` on its own still works; it just cannot count the type-check.
if (require.main === module) {
  runSandbox(process.argv.slice(2), { startedAt: Date.now() });
}
