/**
 * Headless Chromium (Debian's, driven by playwright-core; nothing downloaded) on a code-server
 * workbench. One persistent profile per run: its localStorage holds the web workbench's
 * SecretStorage, so a second page or a reload shares the secrets and a new run starts empty.
 */
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { BROWSER_PROFILE } from './paths';
import type { HostBinaries } from './provision';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SELECTOR = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget .quick-input-box input',
  quickRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  statusItem: '#workbench\\.parts\\.statusbar .statusbar-item',
  outputLines: '.part.panel .view-lines',
} as const;

/** Prefix of the lines the in-host test runner prints (see test/integration/index.ts). */
export const TEST_OUTPUT_MARK = '[pandadoc-test] ';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Everything the page and the extension host printed (console, test runner output). */
  lines: string[];
  close(): Promise<void>;
}

export async function openBrowser(host: HostBinaries, server: CodeServer): Promise<Browser> {
  const context = await chromium.launchPersistentContext(path.join(server.runDir, BROWSER_PROFILE), {
    executablePath: host.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    env: server.env as Record<string, string>,
    viewport: { width: 1280, height: 800 },
  });
  const lines: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  watchConsole(page, lines);
  return { context, page, lines, close: () => context.close().catch(() => undefined) };
}

function watchConsole(page: Page, lines: string[]): void {
  page.on('console', (message) => lines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
}

export interface WorkbenchQuery {
  /** Absolute folder to open; omitted = an empty window. */
  folder?: string;
  /** The workbench `payload`: [key, value] pairs, as VS Code's own web test runner passes them. */
  payload?: [string, string][];
}

export function workbenchUrl(server: CodeServer, query: WorkbenchQuery): string {
  const params = new URLSearchParams();
  if (query.folder) {
    params.set('folder', query.folder);
  } else {
    params.set('ew', 'true');
  }
  if (query.payload) {
    params.set('payload', JSON.stringify([...query.payload, ['skipWelcome', 'true']]));
  }
  return `${server.url}/?${params.toString()}`;
}

/**
 * Runs extension tests through the workbench `payload` and resolves with the exit code the
 * workbench reports through `codeAutomationExit` when the in-host runner finishes.
 * `env` becomes the extension host's environment: paths and flags only, never a secret (the URL
 * is kept in the browser's history).
 */
export async function runExtensionTests(
  browser: Browser,
  server: CodeServer,
  options: { extensionPath: string; testsEntry: string; folder: string; env: Record<string, string>; timeoutMs: number; page?: Page },
): Promise<number> {
  const page = options.page ?? browser.page;
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  // Each page gets the two functions the workbench's test driver calls.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const line = format(...([] as unknown[]).concat(args));
    browser.lines.push(`[${type}] ${line}`);
    // The in-host runner marks the test reporter's lines; the workbench's own chatter is kept
    // in the run folder only.
    if (line.startsWith(TEST_OUTPUT_MARK)) {
      console.log(line.slice(TEST_OUTPUT_MARK.length));
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
  const url = workbenchUrl(server, {
    folder: options.folder,
    payload: [
      ['extensionDevelopmentPath', remote(options.extensionPath)],
      ['extensionTestsPath', remote(options.testsEntry)],
      ['extensionEnvironment', JSON.stringify(options.env)],
    ],
  });
  await page.goto(url);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(-1), options.timeoutMs);
  });
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
