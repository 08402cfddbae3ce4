/**
 * A user's session in the real workbench, one step after another (each step starts from where
 * the previous one left the account): set credentials through the palette and the masked input
 * boxes, read the status bar and the PandaDoc output channel, refresh, copy the token, a refresh
 * that fails, sign out. Every check reads what the workbench shows (DOM, clipboard, the output
 * channel's log file) or what the PandaDoc server received; nothing reaches into the extension.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fingerprint } from '../../src/core/base/redact';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { SELECTOR } from '../host/browser';
import {
  answerRegionIfAsked,
  answerDialog,
  clearNotifications,
  clickNotificationButton,
  clickStatusBarItem,
  escapeInput,
  fillInput,
  outputPanelText,
  quickPickRows,
  readClipboard,
  readOutputChannelLog,
  runCommand,
  showOutputChannel,
  unwrapped,
  statusBarEntries,
  waitFor,
  waitForNotification,
  waitForOutputPanel,
  waitForStatusBar,
  writeClipboard,
} from '../host/workbench';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { PANDADOC_EXPIRES_IN, type PandaDocServer } from '../support/pandadocServer';
import { session, type UiSession } from './session';

const CHANNEL = 'PandaDoc';
const EXCHANGE_OK = /\/oauth2\/access_token -> 200 in \d+ ms/g;

/**
 * The refresh token and access token of the server's latest successful exchange: it issues the
 * rotated refresh token, then the access token (PandaDocServer.token), so they are the last two.
 */
function latestIssued(server: PandaDocServer): { refreshToken: string; accessToken: string } {
  const [refreshToken, accessToken] = server.issued.slice(-2);
  return { refreshToken, accessToken };
}

function channelLog(ui: UiSession): string {
  return readOutputChannelLog(ui.server.userDataDir, EXTENSION_ID, CHANNEL);
}

/** Waits until the channel's log file has `count` successful exchanges (it is written async). */
function waitForExchanges(ui: UiSession, count: number): Promise<string> {
  return waitFor(`${count} successful exchanges in the PandaDoc log`, async () => {
    const log = channelLog(ui);
    return (log.match(EXCHANGE_OK) ?? []).length === count ? log : undefined;
  });
}

describe('PandaDoc Auth in the workbench, installed from the .vsix', function () {
  let ui: UiSession;
  let client: { clientId: string; clientSecret: string; refreshToken: string };

  before(async function () {
    this.timeout(180_000);
    ui = await session();
  });

  it('activates at startup, sends nothing, and offers to set credentials in the status bar', async () => {
    const entry = await waitForStatusBar(ui.page, /^PandaDoc:/, 60_000);
    assert.deepEqual(entry, { text: 'PandaDoc: Set Credentials', icons: ['key'], kind: 'normal' });
    assert.equal(ui.pandadoc.requests.length, 0);
  });

  it('Set OAuth Credentials...: three boxes, the secrets masked; stores, verifies and shows the time left', async () => {
    // A three-hour token first, so the refresh below visibly changes the status bar and the
    // warning colour (less than a day left) is seen too.
    ui.pandadoc.expiresIn = 3 * 3600;
    client = ui.pandadoc.addClient();
    await runCommand(ui.page, 'PandaDoc: Set OAuth Credentials...');
    // A profile's first credentials: its region first (the settings name the test server).
    assert.equal(await answerRegionIfAsked(ui.page, 'PandaDoc OAuth Credentials (1/3)'), true, 'the region is asked for');
    const boxes = [
      await fillInput(ui.page, 'PandaDoc OAuth Credentials (1/3)', client.clientId),
      await fillInput(ui.page, 'PandaDoc OAuth Credentials (2/3)', client.clientSecret),
      await fillInput(ui.page, 'PandaDoc OAuth Credentials (3/3)', client.refreshToken),
    ];
    assert.deepEqual(boxes.map((box) => box.type), ['text', 'password', 'password']);

    const entry = await waitForStatusBar(ui.page, /^PandaDoc: \d+h \d+m$/);
    assert.match(entry.text, /^PandaDoc: 2h 5\dm$/);
    assert.equal(entry.kind, 'warning');
    await waitForNotification(ui.page, /^PandaDoc credentials saved and verified\. Valid for 2h 5\dm/);

    const requests = ui.pandadoc.tokenRequests();
    assert.equal(requests.length, 1);
    assert.equal(requests[0].form.client_id, client.clientId);
    assertSameSecret(requests[0].form.client_secret, client.clientSecret, 'client secret sent');
    assertSameSecret(requests[0].form.refresh_token, client.refreshToken, 'refresh token sent');
    assert.equal(ui.pandadoc.isLive(client.refreshToken), false, 'the server rotated the refresh token');
  });

  it('the PandaDoc output channel shows the -> 200 exchange, secrets by fingerprint only', async () => {
    await showOutputChannel(ui.page, CHANNEL);
    const panel = await waitForOutputPanel(ui.page, /oauth2\/access_token -> 200 in \d+ ms/);
    const log = await waitForExchanges(ui, 1);
    const { refreshToken, accessToken } = latestIssued(ui.pandadoc);
    assert.ok(log.includes(`refresh token rotated to ${fingerprint(refreshToken)}`), 'the log names the new refresh token by fingerprint');
    assert.ok(log.includes(`token ${fingerprint(accessToken)}`), 'the log names the access token by fingerprint');
    assertNoSecrets(panel, ui.pandadoc.issued, 'the Output panel');
    assertNoSecrets(log, ui.pandadoc.issued, 'the PandaDoc output channel');
  });

  it('Refresh Token: the server rotates the refresh token; status bar and output follow', async () => {
    await clearNotifications(ui.page);
    ui.pandadoc.expiresIn = PANDADOC_EXPIRES_IN;
    const previous = latestIssued(ui.pandadoc);
    assert.equal(ui.pandadoc.isLive(previous.refreshToken), true);
    await runCommand(ui.page, 'PandaDoc: Refresh Token');

    const entry = await waitForStatusBar(ui.page, /^PandaDoc: 364d$/);
    assert.deepEqual(entry, { text: 'PandaDoc: 364d', icons: ['key'], kind: 'normal' });
    await waitForNotification(ui.page, /^PandaDoc token refreshed\. Valid for 364d/);
    const requests = ui.pandadoc.tokenRequests();
    assert.equal(requests.length, 2);
    assertSameSecret(requests[1].form.refresh_token, previous.refreshToken, 'refresh token sent');
    assert.equal(ui.pandadoc.isLive(previous.refreshToken), false, 'the old refresh token was revoked');
    const current = latestIssued(ui.pandadoc);
    assert.equal(ui.pandadoc.isLive(current.refreshToken), true);

    const log = await waitForExchanges(ui, 2);
    assert.ok(log.includes(`refresh token rotated to ${fingerprint(current.refreshToken)}`), 'the log names the rotated refresh token');
    const panel = await waitForOutputPanel(ui.page, `rotated to ${fingerprint(current.refreshToken)}`);
    assertNoSecrets(panel, ui.pandadoc.issued, 'the Output panel');
    assertNoSecrets(log, ui.pandadoc.issued, 'the PandaDoc output channel');
  });

  it('screenshot: the status bar item and the PandaDoc output channel, no input box and no secret on screen', async () => {
    await clearNotifications(ui.page);
    // The panel's text is what the picture shows: checked again right before it is taken.
    assertNoSecrets(unwrapped(await outputPanelText(ui.page)), ui.pandadoc.issued, 'the Output panel');
    // The palette that ran the last command closes with an animation; it must be gone.
    await ui.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    // The output channel across the whole window, so its lines are readable in the picture.
    await runCommand(ui.page, 'View: Close Primary Side Bar');
    await runCommand(ui.page, 'View: Toggle Maximized Panel');
    await ui.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    // The caret below the last line, so no word at it is highlighted throughout the log.
    const editor = await ui.page.locator('.part.panel .monaco-editor').first().boundingBox();
    assert.ok(editor, 'the Output panel has an editor');
    await ui.page.mouse.click(editor.x + editor.width / 2, editor.y + editor.height - 10);
    // Hovering the item shows its tooltip, the token's exact expiry.
    await ui.page.locator(SELECTOR.statusItem, { hasText: 'PandaDoc: 364d' }).hover();
    await ui.page.locator('.monaco-hover', { hasText: 'PandaDoc access token expires' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const picture = await ui.page.screenshot({ type: 'png' });
    fs.writeFileSync(path.join(ui.runDir, 'screenshot.png'), picture);
    if (process.env.PANDADOC_SCREENSHOT) {
      fs.writeFileSync(process.env.PANDADOC_SCREENSHOT, picture);
    }
    await ui.page.mouse.move(640, 300);
  });

  it('Copy Access Token: the clipboard holds exactly the latest access token, no request needed', async () => {
    await writeClipboard(ui.page, 'not a token');
    const requests = ui.pandadoc.tokenRequests().length;
    await runCommand(ui.page, 'PandaDoc: Copy Access Token');
    const shown = await waitForNotification(ui.page, /^PandaDoc access token copied; it stays on the clipboard.* Valid for 364d/);
    assertSameSecret(await readClipboard(ui.page), latestIssued(ui.pandadoc).accessToken, 'clipboard');
    assert.equal(ui.pandadoc.tokenRequests().length, requests, 'a fresh token is copied without a refresh');
    assertNoSecrets(shown.message, ui.pandadoc.issued, 'the notification');
  });

  it('a refresh that meets 502 three times: an error with Show Log, the token kept, the status bar marked', async () => {
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'View: Hide Panel');
    await ui.page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
    const proxyPage = { kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' } as const;
    ui.pandadoc.failNext(proxyPage, proxyPage, proxyPage);
    const requests = ui.pandadoc.tokenRequests().length;
    const kept = latestIssued(ui.pandadoc);
    await runCommand(ui.page, 'PandaDoc: Refresh Token');

    // Two retries wait 1 s and 2 s before the message.
    const shown = await waitForNotification(ui.page, /PandaDoc had a server error \(HTTP 502\)/, 30_000);
    assert.equal(shown.severity, 'error');
    assert.deepEqual(shown.buttons, ['Retry', 'Show Log']);
    assert.match(shown.message, /Your stored credentials are unchanged\./);
    assert.equal(ui.pandadoc.tokenRequests().length - requests, 3);
    assert.equal(ui.pandadoc.isLive(kept.refreshToken), true);
    const entry = await waitForStatusBar(ui.page, /^PandaDoc: 364d$/);
    assert.deepEqual(entry, { text: 'PandaDoc: 364d', icons: ['error'], kind: 'error' });

    await clickNotificationButton(ui.page, /HTTP 502/, 'Show Log');
    const panel = await waitForOutputPanel(ui.page, /oauth2\/access_token -> 502 in \d+ ms/);
    assertNoSecrets(panel, ui.pandadoc.issued, 'the Output panel');
  });

  it('Sign Out: confirmed in the modal dialog, the status bar offers to set credentials again', async () => {
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'PandaDoc: Sign Out');
    const dialog = await answerDialog(ui.page, 'Sign out of PandaDoc?', 'Sign Out');
    assert.match(dialog, /deletes the stored PandaDoc credentials/);
    const entry = await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
    assert.deepEqual(entry.icons, ['key']);
    await waitForNotification(ui.page, 'Signed out of PandaDoc: the stored credentials were deleted.');
    // Nothing stored, so nothing to copy: the status bar menu no longer offers it, and the
    // clipboard keeps what it had.
    await writeClipboard(ui.page, 'after sign out');
    await clearNotifications(ui.page);
    await clickStatusBarItem(ui.page, /^PandaDoc: Set Credentials$/);
    const menu = (await quickPickRows(ui.page, 'PandaDoc (profile Default)')).map((row) => row.label);
    assert.equal(menu[0], 'Sign In with Browser...', 'the recommended path first');
    assert.ok(!menu.includes('Copy Access Token') && !menu.includes('Refresh Token') && !menu.includes('Sign Out'), menu.join(', '));
    await escapeInput(ui.page, 'PandaDoc (profile Default)');
    assert.equal(await readClipboard(ui.page), 'after sign out');
    assert.deepEqual(
      (await statusBarEntries(ui.page)).filter((e) => e.text.startsWith('PandaDoc')).map((e) => e.text),
      ['PandaDoc: Set Credentials'],
    );
  });
});
