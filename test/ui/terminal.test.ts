/**
 * Credentials in terminals, as a user meets them: turned on through the command palette, then a
 * Node script in a new integrated terminal asks who-am-I with PandaDoc's official SDK
 * (`pandadoc-node-client`) against the test server, using only the variables the terminal got.
 * The script prints the member's email and a short digest of the header, never the token; the
 * server's log shows what was sent. Off, signed out, or in a workspace in Restricted Mode, the
 * variables are absent. The file ends with every profile signed out and the route off.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { workbenchUrl } from '../host/browser';
import { type CodeServer, startCodeServer } from '../host/codeServer';
import { ensureHost } from '../host/provision';
import {
  answerDialog,
  answerRegionIfAsked,
  clearNotifications,
  fillInput,
  newProfile,
  paletteOffers,
  readOutputChannelLog,
  runCommand,
  terminalText,
  waitFor,
  waitForNotification,
  waitForStatusBar,
  waitForTerminalLine,
  waitForWorkbench,
} from '../host/workbench';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { assertSameSecret } from '../support/assertions';
import type { PandaDocServer, RecordedRequest } from '../support/pandadocServer';
import { readySession, session, type UiSession } from './session';

const TURN_ON = 'PandaDoc: Turn On Credentials in Terminals for This Workspace...';
const TURN_OFF = 'PandaDoc: Turn Off Credentials in Terminals for This Workspace';
const SCRIPT = 'pandadoc-whoami.js';
const MARK = 'PANDADOC-TERMINAL';

/**
 * The script a user would write: the SDK configured from the terminal's variables alone. It
 * prints short lines (a terminal narrower than one line wraps it): the member's email, 12 hex
 * digits of the header's SHA-256, whether PANDADOC_ACCESS_TOKEN is the header's token, the base
 * URL; or `absent`; or the HTTP status of a failure; then `end`. The SDK is required by its
 * resolved path: the workspace has no node_modules.
 */
function whoAmIScript(): string {
  const sdk = JSON.stringify(require.resolve('pandadoc-node-client'));
  return `const { createHash } = require('node:crypto');
const sdk = require(${sdk});
const say = (line) => console.log('${MARK} ' + process.argv[2] + ' ' + line);
const auth = process.env.PANDADOC_AUTHORIZATION;
const token = process.env.PANDADOC_ACCESS_TOKEN;
const base = process.env.PANDADOC_API_BASE_URL;
if (auth === undefined) {
  say(token === undefined && base === undefined ? 'absent' : 'partly absent');
  say('end');
} else {
  const config = sdk.createConfiguration({ baseServer: new sdk.ServerConfiguration(base, {}), authMethods: { apiKey: auth } });
  new sdk.MembersApi(config).detailsCurrentMember().then(
    (member) => {
      say('email=' + member.email);
      say('header=' + createHash('sha256').update(auth).digest('hex').slice(0, 12));
      say('token=' + (token === undefined ? 'none' : auth === 'Bearer ' + token ? 'header' : 'other'));
      say('base=' + base);
      say('end');
    },
    (error) => {
      say('failed ' + (error && error.code));
      say('end');
    },
  );
}
`;
}

/** What one run of the script printed. */
interface WhoAmI {
  absent: boolean;
  email?: string;
  header?: string;
  token?: string;
  base?: string;
}

/** 12 hex digits of the SHA-256 of a header: what the script prints of it. */
const headerDigest = (header: string | undefined) => createHash('sha256').update(header ?? '').digest('hex').slice(0, 12);

let runs = 0;

/** The who-am-I requests the server received while `task` ran. */
async function membersAsked<T>(server: PandaDocServer, task: () => Promise<T>): Promise<{ result: T; sent: RecordedRequest[] }> {
  const before = server.memberRequests().length;
  const result = await task();
  return { result, sent: server.memberRequests().slice(before) };
}

/**
 * Opens a new integrated terminal through the palette, as a user does, runs the script in it
 * and resolves with what it printed.
 */
async function runInNewTerminal(page: Page): Promise<WhoAmI> {
  await runCommand(page, 'Terminal: Create New Terminal');
  return runInTerminal(page);
}

/** Runs the script in the terminal that has the focus and resolves with what it printed. */
async function runInTerminal(page: Page): Promise<WhoAmI> {
  const label = `run${++runs}`;
  const prefix = `${MARK} ${label} `;
  await page.locator('.terminal-wrapper .xterm-helper-textarea:focus').waitFor({ state: 'attached', timeout: 30_000 });
  // The shell reads what is typed once it has started; typing meanwhile is kept for it.
  await page.keyboard.type(`node ${SCRIPT} ${label}`);
  await page.keyboard.press('Enter');
  await waitForTerminalLine(page, new RegExp(`^${prefix}end$`), 60_000);
  const printed = (await terminalText(page)).split('\n').filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
  const failed = printed.find((line) => line.startsWith('failed'));
  if (failed) {
    assert.fail(`the script's who-am-I ${failed}`);
  }
  if (printed.includes('absent') || printed.includes('partly absent')) {
    assert.deepEqual(printed, ['absent', 'end'], 'all three variables absent');
    return { absent: true };
  }
  const fields = Object.fromEntries(printed.filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return { absent: false, email: fields.email, header: fields.header, token: fields.token, base: fields.base };
}

describe('credentials in terminals, in the workbench', function () {
  let ui: UiSession;
  const email = 'terminal@example.test';
  /** The header of the last run, to tell a new token from it. */
  let lastHeader = '';

  const membersDuring = <T>(task: () => Promise<T>) => membersAsked(ui.pandadoc, task);

  /** The one who-am-I request the script made, checked against what it printed. */
  function checkSent(sent: RecordedRequest[], printed: WhoAmI): string {
    assert.equal(sent.length, 1, 'one who-am-I request, from the script');
    const header = sent[0].headers.authorization;
    assert.ok(header, 'an Authorization header');
    assert.equal(printed.header, headerDigest(header), 'the script printed the digest of the header the server received');
    assert.doesNotMatch(String(sent[0].headers['user-agent']), /pandadoc-auth-vscode/, 'sent by the SDK, not by the extension');
    assert.equal(printed.base, ui.pandadoc.url);
    return header;
  }

  before(async function () {
    this.timeout(180_000);
    ui = await readySession();
    fs.writeFileSync(path.join(ui.runDir, 'workspace', SCRIPT), whoAmIScript());
    const client = ui.pandadoc.addClient();
    ui.pandadoc.setMember(client.clientId, { email });
    await runCommand(ui.page, 'PandaDoc: Set OAuth Credentials...');
    await answerRegionIfAsked(ui.page, 'PandaDoc OAuth Credentials (1/3)');
    await fillInput(ui.page, 'PandaDoc OAuth Credentials (1/3)', client.clientId);
    await fillInput(ui.page, 'PandaDoc OAuth Credentials (2/3)', client.clientSecret);
    await fillInput(ui.page, 'PandaDoc OAuth Credentials (3/3)', client.refreshToken);
    await waitForStatusBar(ui.page, /^PandaDoc( \([^)]*\))?: 364d$/);
    await clearNotifications(ui.page);
  });

  after(async function () {
    this.timeout(60_000);
    await runCommand(ui.page, 'Terminal: Kill All Terminals').catch(() => undefined);
    await clearNotifications(ui.page).catch(() => undefined);
  });

  it('off by default: the palette offers Turn On, not Turn Off, and a new terminal has no PandaDoc variables', async function () {
    this.timeout(120_000);
    assert.equal(await paletteOffers(ui.page, TURN_ON), true);
    assert.equal(await paletteOffers(ui.page, TURN_OFF), false);
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    assert.deepEqual(result, { absent: true });
    assert.equal(sent.length, 0);
  });

  it('in a window with no folder open, Turn On says it needs a folder or a workspace', async function () {
    this.timeout(120_000);
    const empty = await ui.browser.context.newPage();
    try {
      await empty.goto(workbenchUrl(ui.server, {}));
      await waitForWorkbench(empty);
      await waitForStatusBar(empty, /^PandaDoc/, 60_000);
      await runCommand(empty, TURN_ON);
      const said = await waitForNotification(empty, /open a folder or a workspace first/);
      assert.equal(said.message, 'PandaDoc credentials in terminals are turned on for one workspace at a time: open a folder or a workspace first.');
      assert.deepEqual(said.buttons, ['Open Folder...']);
    } finally {
      await empty.close();
      await ui.page.bringToFront();
    }
  });

  it('turned on in the palette (the dialog names the workspace): the SDK in a new terminal asks who-am-I with the Bearer token', async function () {
    this.timeout(120_000);
    await runCommand(ui.page, TURN_ON);
    const question = await answerDialog(ui.page, /Give new terminals of "workspace" your PandaDoc credentials\?/, 'Turn On');
    assert.match(question, /Every program started there can read them and send them anywhere/);
    assert.match(question, /never while it is in Restricted Mode/);
    await waitForNotification(ui.page, /^New terminals of "workspace" now get your PandaDoc credentials \(profile "[^"]+", OAuth\), kept current\./);
    assert.equal(await paletteOffers(ui.page, TURN_OFF), true, 'now the palette offers Turn Off');
    assert.equal(await paletteOffers(ui.page, TURN_ON), false);
    const tokensBefore = ui.pandadoc.tokenRequests().length;
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    assert.equal(ui.pandadoc.tokenRequests().length, tokensBefore, 'the terminal waited for no refresh');
    assert.equal(result.email, email, 'the member of the stored client');
    assert.equal(result.token, 'header', 'PANDADOC_ACCESS_TOKEN is the header’s token');
    const header = checkSent(sent, result);
    assert.match(header, /^Bearer /);
    assert.ok(ui.pandadoc.isLiveAccessToken(header.slice('Bearer '.length)), 'a token the server issued to this client and still honours');
    lastHeader = header;
  });

  it('a refresh reaches new terminals: the next one asks with the new token, and the one before is marked for a relaunch', async function () {
    this.timeout(120_000);
    const tokens = ui.pandadoc.tokenRequests().length;
    await runCommand(ui.page, 'PandaDoc: Refresh Token');
    await waitFor('the refresh', async () => (ui.pandadoc.tokenRequests().length > tokens ? true : undefined));
    await waitForNotification(ui.page, /^PandaDoc token refreshed\./);
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    const header = checkSent(sent, result);
    // VS Code marks the terminal opened before the refresh (a warning badge on its tab), not the new one.
    const badges = () =>
      ui.page.locator('.tabs-list .monaco-list-row .monaco-icon-label').evaluateAll((labels: { className: string }[]) =>
        labels.map((label) => /\bmonaco-decoration-iconBadge\b/.test(label.className)),
      );
    await waitFor('the terminal opened before the refresh to be marked for a relaunch', async () => {
      const marked = await badges();
      return marked.at(-2) === true && marked.at(-1) === false ? true : undefined;
    }, 15_000, badges);
    assert.notEqual(header, lastHeader, 'a new token');
    assert.ok(ui.pandadoc.isLiveAccessToken(header.slice('Bearer '.length)));
    assert.equal(result.email, email);
  });

  it('switched to a profile with an API key: `API-Key <key>`, and no access token', async function () {
    this.timeout(120_000);
    await clearNotifications(ui.page);
    const key = ui.pandadoc.addApiKey(undefined, { email: 'terminal-key@example.test' });
    await newProfile(ui.page, 'UI Terminal Key');
    await runCommand(ui.page, 'PandaDoc: Set API Key...');
    await answerRegionIfAsked(ui.page, 'PandaDoc API Key');
    await fillInput(ui.page, 'PandaDoc API Key', key);
    await waitForStatusBar(ui.page, /^PandaDoc \(UI Terminal Key\): API key$/);
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    assertSameSecret(checkSent(sent, result), `API-Key ${key}`, 'the header the SDK sent');
    assert.equal(result.token, 'none', 'no PANDADOC_ACCESS_TOKEN for an API key');
    assert.equal(result.email, 'terminal-key@example.test');
  });

  it('turned off in the palette: a new terminal has nothing', async function () {
    this.timeout(120_000);
    await clearNotifications(ui.page);
    await runCommand(ui.page, TURN_OFF);
    await waitForNotification(ui.page, /^New terminals of "workspace" no longer get your PandaDoc credentials\./);
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    assert.deepEqual(result, { absent: true });
    assert.equal(sent.length, 0);
  });

  it('turned on but signed out of every profile: a new terminal has nothing', async function () {
    this.timeout(120_000);
    await clearNotifications(ui.page);
    await runCommand(ui.page, TURN_ON);
    await answerDialog(ui.page, /Give new terminals of "workspace" your PandaDoc credentials\?/, 'Turn On');
    await waitForNotification(ui.page, /^New terminals of "workspace" now get your PandaDoc credentials/);
    await runCommand(ui.page, 'PandaDoc: Sign Out');
    await answerDialog(ui.page, /Sign out of the PandaDoc profile/, 'Sign Out of All Profiles');
    await answerDialog(ui.page, /Sign out of all \d+ PandaDoc profiles\?/, /^Sign Out of All \d+ Profiles$/);
    await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
    const { result, sent } = await membersDuring(() => runInNewTerminal(ui.page));
    assert.deepEqual(result, { absent: true });
    assert.equal(sent.length, 0);
    await runCommand(ui.page, TURN_OFF);
    await waitForNotification(ui.page, /no longer get your PandaDoc credentials/);
  });
});

describe('credentials in terminals, in a workspace in Restricted Mode (a second code-server, workspace trust on)', function () {
  let ui: UiSession;
  let trusting: CodeServer;
  let page: Page;

  before(async function () {
    this.timeout(180_000);
    ui = await session();
    const runDir = path.join(ui.runDir, 'trust');
    trusting = await startCodeServer(ensureHost(() => undefined), {
      runDir,
      vsix: [String(process.env.PANDADOC_UI_VSIX)],
      workspaceTrust: true,
      settings: { 'pandadoc.apiBaseUrl': ui.pandadoc.url, 'pandadoc.authBaseUrl': ui.pandadoc.url, 'terminal.integrated.gpuAcceleration': 'off', 'workbench.colorTheme': 'Default Dark Modern' },
    });
    const folder = path.join(runDir, 'workspace');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, SCRIPT), whoAmIScript());
    // A page of the same browser on another origin: a window with SecretStorage of its own.
    page = await ui.browser.context.newPage();
    await page.bringToFront();
    await page.goto(workbenchUrl(trusting, { folder }));
    await waitForWorkbench(page);
    await waitForStatusBar(page, /^PandaDoc/, 60_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await page.screenshot({ path: path.join(ui.runDir, `failed-restricted-${this.currentTest.title.slice(0, 30).replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(60_000);
    await page?.close();
    await trusting?.stop();
    await ui.page.bringToFront();
  });

  const membersDuring = <T>(task: () => Promise<T>) => membersAsked(ui.pandadoc, task);
  const channelLog = () => readOutputChannelLog(trusting.userDataDir, EXTENSION_ID, 'PandaDoc');
  const restricted = () => page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Restricted Mode' });

  /** Trusts the folder in the Workspace Trust editor, as a user does, and closes the editor (it
   *  opens as a modal, which keeps the palette's key to itself: a click beside it closes it). */
  async function trustFolder(): Promise<void> {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click({ timeout: 30_000 });
    await restricted().waitFor({ state: 'hidden', timeout: 30_000 });
    await page.mouse.click(20, 400);
    await page.locator('.monaco-modal-editor-block').waitFor({ state: 'detached', timeout: 30_000 });
  }

  /** Takes the trust back (Delete Path in the editor's list of trusted folders): VS Code then
   *  reloads the window, whose new extension host finds the workspace untrusted. */
  async function untrustFolder(): Promise<void> {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const row = page.locator('.workspace-trust-editor .trusted-uris-table .monaco-list-row').first();
    await row.hover({ timeout: 30_000 });
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await row.locator('a.action-label[aria-label="Delete Path"]').click({ timeout: 30_000 });
    await reloaded;
    await waitForWorkbench(page);
    await restricted().waitFor({ state: 'visible', timeout: 60_000 });
    await waitForStatusBar(page, /^PandaDoc/, 60_000);
  }

  it('Turn On refuses in Restricted Mode, and stores nothing', async function () {
    this.timeout(120_000);
    await runCommand(page, TURN_ON);
    const refused = await waitForNotification(page, /is in Restricted Mode/);
    assert.equal(
      refused.message,
      '"workspace" is in Restricted Mode: the terminals of a workspace you have not trusted never get your PandaDoc credentials. Trust it first, then turn them on.',
    );
    assert.deepEqual(refused.buttons, ['Manage Workspace Trust']);
    assert.equal(await paletteOffers(page, TURN_OFF), false, 'nothing was granted');
    await clearNotifications(page);
  });

  it('trusted and turned on: the key reaches a new terminal; trust taken back: the grant is kept, nothing is given, and VS Code asks for trust before any terminal starts', async function () {
    this.timeout(180_000);
    const key = ui.pandadoc.addApiKey(undefined, { email: 'restricted@example.test' });
    await runCommand(page, 'PandaDoc: Set API Key...');
    await answerRegionIfAsked(page, 'PandaDoc API Key');
    await fillInput(page, 'PandaDoc API Key', key);
    await waitForStatusBar(page, /^PandaDoc: API key$/);
    await trustFolder();
    await runCommand(page, TURN_ON);
    await answerDialog(page, /Give new terminals of "workspace" your PandaDoc credentials\?/, 'Turn On');
    await waitForNotification(page, /^New terminals of "workspace" now get your PandaDoc credentials \(profile "Default", API key\)/);
    const { result: trusted, sent } = await membersDuring(() => runInNewTerminal(page));
    assert.equal(trusted.email, 'restricted@example.test', 'trusted: the key reaches the terminal');
    assertSameSecret(sent.at(-1)?.headers.authorization, `API-Key ${key}`, 'the header the SDK sent');
    await runCommand(page, 'Terminal: Kill All Terminals');

    await untrustFolder();
    assert.equal(await paletteOffers(page, TURN_OFF), true, 'the grant is still stored for this folder');
    await waitFor('the log to say why nothing is given', async () => (channelLog().includes('[terminal] turned on for this workspace, which is not trusted') ? true : undefined));
    assert.doesNotMatch(channelLog().slice(channelLog().lastIndexOf('which is not trusted')), /new terminals of this workspace get/, 'nothing given since');
    // VS Code 1.139 starts no terminal process in Restricted Mode without asking for trust first.
    await runCommand(page, 'Terminal: Create New Terminal');
    const asked = await answerDialog(page, /Do you trust the authors of the files in this folder\?/, 'Cancel');
    assert.match(asked, /Creating a terminal process requires executing code/);
  });

  it('trusted from the terminal’s own question: onDidGrantWorkspaceTrust brings the variables back to new terminals, until turned off', async function () {
    this.timeout(180_000);
    await runCommand(page, 'Terminal: Create New Terminal');
    await answerDialog(page, /Do you trust the authors of the files in this folder\?/, 'Trust Folder & Continue');
    await restricted().waitFor({ state: 'hidden', timeout: 30_000 });
    const sinceUntrusted = () => channelLog().slice(channelLog().lastIndexOf('which is not trusted'));
    await waitFor('the route to hear of the trust', async () => (sinceUntrusted().includes('[terminal] new terminals of this workspace get the credentials of "Default" (API key') ? true : undefined));
    const first = await runInTerminal(page);
    console.log(`      the terminal the trust question opened: ${first.absent ? 'started before the variables were set (VS Code marks it for a relaunch)' : 'has the variables'}`);
    const next = await runInNewTerminal(page);
    assert.equal(next.email, 'restricted@example.test', 'the next terminal has the key');
    await clearNotifications(page);
    await runCommand(page, TURN_OFF);
    await waitForNotification(page, /no longer get your PandaDoc credentials/);
    assert.deepEqual(await runInNewTerminal(page), { absent: true });
  });
});
