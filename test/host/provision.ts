/**
 * Installs the test host on first use and reuses it afterwards: Node 24 and code-server from the
 * npm registry into `.vscode-test/`, and checks that Chromium is there.
 * Run on its own with `node out/test/host/provision.js` to warm the cache.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_ROOT } from './paths';
import { CHROMIUM_CANDIDATES, CODE_SERVER_VERSION, NODE_PACKAGE, NODE_VERSION, TEST_CONSUMER_ID } from './versions';

export interface HostBinaries {
  /** The Node 24 binary code-server runs on. */
  node: string;
  /** code-server's entry script, started with `node` above (its .bin shim would pick the system Node). */
  codeServer: string;
  chromium: string;
}

/** Written last, so a half-finished install (killed, out of disk) is never mistaken for a good one. */
const COMPLETE_MARKER = '.install-complete';
/** How long the code-server install takes, as printed when it starts (docs/development.md and
 *  the README give the same figure). */
export const CODE_SERVER_INSTALL_TIME = 'about 1.5 minutes';

export function nodeHome(): string {
  return path.join(CACHE_ROOT, `node-${NODE_VERSION}`, 'node_modules', NODE_PACKAGE);
}

/** `browser: false` (npm start) skips the Chromium check: only the tests drive a browser. */
export function ensureHost(log: (line: string) => void = console.log, { browser = true } = {}): HostBinaries {
  const chromium = browser ? findChromium() : '';
  const node = ensureNode(log);
  const codeServer = ensureCodeServer(node, log);
  return { node, codeServer, chromium };
}

export function findChromium(): string {
  const explicit = process.env.PANDADOC_TEST_CHROMIUM;
  const candidates = explicit ? [explicit] : CHROMIUM_CANDIDATES;
  const found = candidates.find((file) => fs.existsSync(file));
  if (found) {
    return found;
  }
  throw new Error(
    `Chromium was not found (looked for ${candidates.join(', ')}). The UI tier drives it headless.\n` +
      '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Elsewhere: install Chromium or Chrome and set PANDADOC_TEST_CHROMIUM=/path/to/the/binary',
  );
}

function ensureNode(log: (line: string) => void): string {
  const dir = path.join(CACHE_ROOT, `node-${NODE_VERSION}`);
  const binary = path.join(nodeHome(), 'bin', 'node');
  if (!isComplete(dir)) {
    log(`test host: installing Node ${NODE_VERSION} (npm package ${NODE_PACKAGE}) into ${path.relative(process.cwd(), dir)}`);
    freshDir(dir);
    npmInstall(dir, `${NODE_PACKAGE}@${NODE_VERSION}`, {}, process.env);
    markComplete(dir);
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE_VERSION}`) {
    throw new Error(`${binary} reports ${version || 'nothing'}, expected v${NODE_VERSION}: delete ${dir} and run again`);
  }
  return binary;
}

function ensureCodeServer(node: string, log: (line: string) => void): string {
  const dir = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!isComplete(dir)) {
    log(`test host: installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), dir)} (${CODE_SERVER_INSTALL_TIME})`);
    freshDir(dir);
    const env = {
      ...withoutNpmRunVariables(process.env),
      // npm, node-gyp and code-server's postinstall must all see Node 24, not the system Node.
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      // Build native modules against Node 24's headers (shipped in the package), not the system's.
      npm_config_nodedir: nodeHome(),
    };
    // code-server's postinstall installs VS Code's own dependencies and compiles them;
    // argon2 builds its password hasher. Both are needed, so they are allowed by name.
    npmInstall(dir, `code-server@${CODE_SERVER_VERSION}`, { 'code-server': true, argon2: true }, env);
    if (!fs.existsSync(entry)) {
      throw new Error(`code-server installed but ${entry} is missing`);
    }
    markComplete(dir);
  }
  trustTestConsumer(dir);
  return entry;
}

/**
 * Adds TEST_CONSUMER_ID to the test host's `trustedExtensionAuthAccess` (idempotent). The web
 * workbench, which decides access, carries its product configuration built in, so the list is
 * extended there as well as in product.json.
 */
function trustTestConsumer(codeServerDir: string): void {
  const vscodeDir = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode');
  const productJson = path.join(vscodeDir, 'product.json');
  const product = JSON.parse(fs.readFileSync(productJson, 'utf8')) as { trustedExtensionAuthAccess?: unknown };
  const trusted = Array.isArray(product.trustedExtensionAuthAccess) ? (product.trustedExtensionAuthAccess as string[]) : [];
  if (!trusted.includes(TEST_CONSUMER_ID)) {
    product.trustedExtensionAuthAccess = [...trusted, TEST_CONSUMER_ID];
    fs.writeFileSync(productJson, `${JSON.stringify(product, null, 2)}\n`);
  }
  const workbench = path.join(vscodeDir, 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');
  const source = fs.readFileSync(workbench, 'utf8');
  const anchor = 'trustedExtensionAuthAccess:[';
  if (!source.includes(`${anchor}"${TEST_CONSUMER_ID}",`)) {
    if (!source.includes(anchor)) {
      throw new Error(`${workbench} has no trustedExtensionAuthAccess list to extend: check the pinned code-server version`);
    }
    fs.writeFileSync(workbench, source.replace(anchor, `${anchor}"${TEST_CONSUMER_ID}",`));
  }
}

/**
 * Under `npm test`, npm exports its own settings (npm_config_*, npm_node_execpath, NODE) to the
 * script; a nested npm would inherit them and run code-server's postinstall on the system Node.
 */
function withoutNpmRunVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(key)));
}

function npmInstall(dir: string, spec: string, allowScripts: Record<string, boolean>, env: NodeJS.ProcessEnv): void {
  // A package.json of its own keeps the install out of any enclosing project.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, allowScripts }, null, 2));
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(
      `npm install ${spec} failed (exit ${result.status ?? result.signal}). ` +
        'On Debian, code-server needs: apt-get install -y build-essential python3 libkrb5-dev',
    );
  }
  console.log(`test host: ${spec} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, COMPLETE_MARKER));
}

function markComplete(dir: string): void {
  fs.writeFileSync(path.join(dir, COMPLETE_MARKER), new Date().toISOString());
}

function freshDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

if (require.main === module) {
  try {
    const host = ensureHost();
    console.log(`test host ready: node ${host.node}\n  code-server ${host.codeServer}\n  chromium ${host.chromium}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
