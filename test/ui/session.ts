/**
 * The one workbench the UI tests drive: code-server with the packaged .vsix installed as a user
 * installs it, `pandadoc.apiBaseUrl` and `pandadoc.authBaseUrl` in the user settings pointing at
 * the project's PandaDoc-compatible server (running in this mocha process, so tests can look at
 * what it got), `pandadoc.redirectUri` at a free loopback port, and headless Chromium on the
 * workbench. Started once, on first use; stopped by the root `after` hook whatever happened,
 * which also hands the run's secrets to the leak check.
 *
 * Set by test/host/uiTier.ts: PANDADOC_UI_VSIX (the .vsix), PANDADOC_UI_CONSUMER_VSIX (the test
 * consumer extension's), PANDADOC_UI_RUN_DIR (the run
 * folder), PANDADOC_TEST_STATE_DIR (the private hand-over folder) and, optionally,
 * PANDADOC_SCREENSHOT (a second path for the screenshot).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type Browser, openBrowser, workbenchUrl } from '../host/browser';
import { type CodeServer, startCodeServer } from '../host/codeServer';
import { handOverSecrets } from '../host/leakCheck';
import { ensureHost } from '../host/provision';
import { PGID_FILE } from '../host/uiTier';
import { allowClipboard, answerDialog, clearNotifications, clickStatusBarItem, pickQuickItem, waitForStatusBar, waitForWorkbench } from '../host/workbench';
import { PANDADOC_EXPIRES_IN, PandaDocServer } from '../support/pandadocServer';

export interface UiSession {
  pandadoc: PandaDocServer;
  server: CodeServer;
  browser: Browser;
  page: Page;
  runDir: string;
  /** `pandadoc.redirectUri` as written in the user settings: `http://127.0.0.1:<port>/callback`. */
  redirectUri: string;
  /** Its port, where the extension's one-shot listener waits during a sign-in. */
  redirectPort: number;
  /** The tier's private folder: not searched by the leak check, deleted after it. For files
   *  that must hold secrets, such as a Postman export to import. */
  stateDir: string;
}

/**
 * A free port on 127.0.0.1, held until `release()`: code-server, its extension host and
 * Chromium take ports of their own while they start, and none of them may take this one.
 */
function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const holder = net.createServer();
    holder.unref();
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () =>
      resolve({
        port: (holder.address() as net.AddressInfo).port,
        release: () => new Promise<void>((done) => holder.close(() => done())),
      }),
    );
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the UI tier with \`node out/test/host/runTiers.js ui\``);
  }
  return value;
}

let pandadoc: PandaDocServer | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let started: Promise<UiSession> | undefined;

export function session(): Promise<UiSession> {
  started ??= start();
  return started;
}

/** The session as a test file starts from: no fault queued, the extension's status bar item
 *  shown (it has activated), no notification left by the file before. */
export async function readySession(): Promise<UiSession> {
  const ui = await session();
  ui.pandadoc.clearFaults();
  await waitForStatusBar(ui.page, /^PandaDoc/, 60_000);
  await clearNotifications(ui.page);
  return ui;
}

/** Signs out of every profile from the status bar's menu (the palette hides Sign Out when the
 *  active profile is empty), answering both questions; nothing to do when nothing is stored. */
export async function signOutOfEverything(ui: UiSession): Promise<void> {
  const entry = await waitForStatusBar(ui.page, /^PandaDoc/, 60_000);
  if (entry.text === 'PandaDoc: Set Credentials') {
    return;
  }
  const several = /\(/.test(entry.text);
  await clickStatusBarItem(ui.page, /^PandaDoc/);
  await pickQuickItem(ui.page, 'Sign Out');
  // Not /Sign out of/: the second question matches that too, and would never be "hidden".
  await answerDialog(ui.page, several ? /Sign out of the PandaDoc profile/ : /Sign out of PandaDoc\?/, several ? 'Sign Out of All Profiles' : 'Sign Out');
  if (several) {
    await answerDialog(ui.page, /Sign out of all \d+ PandaDoc profiles\?/, /^Sign Out of All \d+ Profiles$/);
  }
  await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
}

/** The session with nothing stored: a year-long token from the server, no fault queued, every
 *  profile signed out, no notification left. */
export async function emptySession(): Promise<UiSession> {
  const ui = await session();
  ui.pandadoc.expiresIn = PANDADOC_EXPIRES_IN;
  ui.pandadoc.clearFaults();
  await signOutOfEverything(ui);
  await clearNotifications(ui.page);
  return ui;
}

async function start(): Promise<UiSession> {
  const vsix = required('PANDADOC_UI_VSIX');
  const runDir = required('PANDADOC_UI_RUN_DIR');
  const stateDir = required('PANDADOC_TEST_STATE_DIR');
  // Already installed by the tier runner; this only finds it.
  const host = ensureHost(() => undefined);
  pandadoc = await PandaDocServer.start();
  const redirect = await reservePort();
  const redirectPort = redirect.port;
  const redirectUri = `http://127.0.0.1:${redirectPort}/callback`;
  server = await startCodeServer(host, {
    runDir,
    vsix: [vsix, required('PANDADOC_UI_CONSUMER_VSIX')],
    settings: {
      'pandadoc.apiBaseUrl': pandadoc.url,
      // Sign In with Browser: the sign-in page of the same server, the answer back on loopback.
      'pandadoc.authBaseUrl': pandadoc.url,
      'pandadoc.redirectUri': redirectUri,
      // The theme most users see (headless Chromium would otherwise pick the light one).
      'workbench.colorTheme': 'Default Dark Modern',
      // xterm's DOM renderer: its rows are text the tests read (terminal.test.ts), not a canvas.
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });
  // For the tier runner, which ends this group if this process dies before its `after` hook.
  fs.writeFileSync(path.join(stateDir, PGID_FILE), String(server.pid));
  browser = await openBrowser(host, server);
  // Copy Access Token writes through the page's clipboard API; the tests read it back.
  await allowClipboard(browser.context, server.url);
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  await browser.page.goto(workbenchUrl(server, { folder: workspace }));
  await waitForWorkbench(browser.page);
  // Free for the extension's sign-in listener from here on.
  await redirect.release();
  return { pandadoc, server, browser, page: browser.page, runDir, redirectUri, redirectPort, stateDir };
}

/** The page as it was when a test failed, next to the server's logs. */
afterEach(async function () {
  if (browser && this.currentTest?.state === 'failed') {
    const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await browser.page.screenshot({ path: path.join(required('PANDADOC_UI_RUN_DIR'), `failed-${name}.png`) }).catch(() => undefined);
  }
});

after(async function () {
  this.timeout(60_000);
  const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
  if (stateDir && pandadoc) {
    // Every secret the server issued or registered: the leak check searches the run folder and
    // this process's output for each. Private to the harness (0600, deleted after the scan).
    handOverSecrets(stateDir, pandadoc.issued, pandadoc.issuedCodes);
  }
  try {
    if (browser) {
      // The page's console goes to the run folder, where the leak check searches it too.
      fs.writeFileSync(path.join(required('PANDADOC_UI_RUN_DIR'), 'host-output.log'), browser.lines.join('\n'));
      await browser.close();
    }
  } finally {
    await server?.stop();
    await pandadoc?.close();
  }
});
