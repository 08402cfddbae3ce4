/**
 * Sign In with Browser in the real workbench, after workbench.test.ts in the same session (the
 * UI tier runs that file first; see UI_TEST_ORDER in test/host/uiTier.ts). The browser tab
 * `openExternal` opens is followed to the test server's sign-in page and on to the extension's
 * loopback listener; when the listener's port is taken, the address the tab ended on is pasted
 * into the workbench instead. Then a declined sign-in, and profiles from the status bar.
 *
 * As in workbench.test.ts, every check reads what the workbench or the browser tab shows, the
 * clipboard, the output channel's log file or what the PandaDoc server received. The tab's
 * address holds an authorization code: it is compared, never printed.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { Page } from 'playwright-core';
import { fingerprint } from '../../src/core/base/redact';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import {
  answerRegionIfAsked,
  accountsMenuEntries,
  answerDialog,
  clearNotifications,
  clickStatusBarItem,
  closeTab,
  escapeInput,
  fillInput,
  type InputBoxInfo,
  notifications,
  pickQuickItem,
  quickPickRows,
  readClipboard,
  readOutputChannelLog,
  signOutFromAccountsMenu,
  runCommand,
  tabContent,
  waitFor,
  waitForNewTab,
  waitForNotification,
  waitForStatusBar,
  waitForTabAddress,
  writeClipboard,
} from '../host/workbench';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { PANDADOC_EXPIRES_IN, type RecordedRequest } from '../support/pandadocServer';
import { session, type UiSession } from './session';

const CHANNEL = 'PandaDoc';
const SIGN_IN = 'PandaDoc: Sign In with Browser...';
const PASTE_BOX = 'Sign In with PandaDoc';

interface Counts {
  authorize: number;
  token: number;
}

/** A port-holder on the redirect port: answers every request with an empty page. */
interface PortHolder {
  /** The paths it was asked for (the query, which holds the code, is not kept). */
  paths: string[];
  close(): Promise<void>;
}

function holdPort(port: number): Promise<PortHolder> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
    res.end('<!doctype html><title>127.0.0.1</title>');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        paths,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}

describe('Sign In with Browser in the workbench', function () {
  let ui: UiSession;
  let client: { clientId: string; clientSecret: string };
  const email = 'browser-sign-in@example.test';
  /** The access token of the latest sign-in that completed (the server issues it last). */
  let signedInToken: string | undefined;
  /** Tabs the sign-ins opened, closed after each test. */
  const tabs: Page[] = [];

  const counts = (): Counts => ({ authorize: ui.pandadoc.authorizeRequests().length, token: ui.pandadoc.tokenRequests().length });
  const newSince = (before: Counts) => ({
    authorize: ui.pandadoc.authorizeRequests().slice(before.authorize),
    token: ui.pandadoc.tokenRequests().slice(before.token),
  });
  const channelLog = () => readOutputChannelLog(ui.server.userDataDir, EXTENSION_ID, CHANNEL);
  const isRedirect = (url: URL) => url.origin === new URL(ui.redirectUri).origin && url.pathname === '/callback';

  /** Runs the sign-in from the palette, answering `answers` (title -> value) when asked, and
   *  resolves with the tab it opened and the boxes that were filled. */
  async function signInFromPalette(answers: [string, string][] = []): Promise<{ tab: Page; boxes: InputBoxInfo[] }> {
    const boxes: InputBoxInfo[] = [];
    const tab = await waitForNewTab(ui.browser.context, async () => {
      await runCommand(ui.page, SIGN_IN);
      // Asked only while the profile has no credentials (and no region) yet, which is when the
      // client is asked for too. Not waited for otherwise: a declined sign-in can end, and its
      // paste box close, before a poll for the box would see it.
      if (answers.length > 0) {
        await answerRegionIfAsked(ui.page, PASTE_BOX);
      }
      for (const [title, value] of answers) {
        boxes.push(await fillInput(ui.page, title, value));
      }
    });
    tabs.push(tab);
    return { tab, boxes };
  }

  /** The extension's stored access token, as a user gets it: Copy Access Token, then the clipboard. */
  async function copiedAccessToken(): Promise<string> {
    await writeClipboard(ui.page, 'before copy');
    await runCommand(ui.page, 'PandaDoc: Copy Access Token');
    await waitForNotification(ui.page, /^PandaDoc access token copied; it stays on the clipboard/);
    const copied = await readClipboard(ui.page);
    await clearNotifications(ui.page);
    return copied;
  }

  /** The one authorize request of a sign-in: this client, a code, the configured redirect URI. */
  function checkAuthorize(requests: RecordedRequest[]): RecordedRequest {
    assert.equal(requests.length, 1, 'one visit to the sign-in page');
    const [authorize] = requests;
    assert.equal(authorize.query.client_id, client.clientId);
    assert.equal(authorize.query.response_type, 'code');
    assert.equal(authorize.query.redirect_uri, ui.redirectUri);
    assert.equal(authorize.query.scope, 'read write');
    assert.match(authorize.query.state ?? '', /^[\w-]{20,}$/, 'an unguessable state');
    return authorize;
  }

  /** The one exchange of a sign-in: the code the server issued last, for this client. */
  function checkExchange(requests: RecordedRequest[]): void {
    assert.equal(requests.length, 1, 'one exchange');
    const [exchange] = requests;
    assert.equal(exchange.form.grant_type, 'authorization_code');
    assert.equal(exchange.form.client_id, client.clientId);
    assertSameSecret(exchange.form.client_secret, client.clientSecret, 'client secret sent');
    assertSameSecret(exchange.form.code, ui.pandadoc.issuedCodes.at(-1), 'code exchanged');
    assert.equal(exchange.form.redirect_uri, ui.redirectUri);
    assert.equal(ui.pandadoc.isLiveCode(exchange.form.code), false, 'the code is used up');
  }

  before(async function () {
    this.timeout(180_000);
    ui = await session();
    ui.pandadoc.expiresIn = PANDADOC_EXPIRES_IN;
    ui.pandadoc.clearFaults();
    // Start signed out with one profile, whatever an earlier file left stored.
    const entry = await waitForStatusBar(ui.page, /^PandaDoc/, 60_000);
    if (entry.text !== 'PandaDoc: Set Credentials') {
      await runCommand(ui.page, 'PandaDoc: Sign Out');
      const several = /\(/.test(entry.text);
      await answerDialog(ui.page, /Sign out of/, several ? 'Sign Out of All Profiles' : 'Sign Out');
      if (several) {
        // The second question names how many profiles go (Sign Out of All 2 Profiles).
        await answerDialog(ui.page, /Sign out of all \d+ PandaDoc profiles\?/, /^Sign Out of All \d+ Profiles$/);
      }
      await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
    }
    await clearNotifications(ui.page);
  });

  afterEach(async function () {
    // A test that failed before going back to the workbench leaves its tab open.
    for (const tab of tabs.splice(0)) {
      await tab.close().catch(() => undefined);
    }
    await ui?.page.bringToFront();
  });

  describe('the answer at the loopback listener', function () {
    it('client ID and secret asked; the tab follows the redirect to the listener and says the sign-in was received; one authorize, one code exchange; the account in the Accounts menu', async function () {
      this.timeout(90_000);
      client = ui.pandadoc.addClient();
      ui.pandadoc.setMember(client.clientId, { email, first_name: 'Browser', last_name: 'Sign-In' });
      const before = counts();

      const { tab, boxes } = await signInFromPalette([
        [`${PASTE_BOX} (1/2)`, client.clientId],
        [`${PASTE_BOX} (2/2)`, client.clientSecret],
      ]);
      assert.deepEqual(boxes.map((box) => box.type), ['text', 'password']);

      // The tab goes to the sign-in page, which redirects it to the listener on the redirect port.
      const landed = await waitForTabAddress(tab, isRedirect);
      const page = await tabContent(tab);
      assert.equal(page.title, 'PandaDoc sign-in received');
      assert.match(page.text, /You can close this tab and go back to VS Code\./);
      await closeTab(tab, ui.page);

      const shown = await waitForNotification(ui.page, `Signed in to PandaDoc as ${email}.`);
      assert.equal(shown.severity, 'info');
      const entry = await waitForStatusBar(ui.page, /^PandaDoc: \d+d$/);
      assert.deepEqual(entry, { text: 'PandaDoc: 364d', icons: ['key'], kind: 'normal' });

      const sent = newSince(before);
      const authorize = checkAuthorize(sent.authorize);
      checkExchange(sent.token);
      // The tab brought back what the server sent it: the state of this sign-in and its code.
      assertSameSecret(landed.searchParams.get('state') ?? undefined, authorize.query.state, 'state the tab brought back');
      assertSameSecret(landed.searchParams.get('code') ?? undefined, ui.pandadoc.issuedCodes.at(-1), 'code the tab brought back');

      const log = await waitFor('the sign-in in the PandaDoc log', async () => {
        const text = channelLog();
        return text.includes(`received a code (${fingerprint(ui.pandadoc.issuedCodes.at(-1) ?? '')})`) ? text : undefined;
      });
      assert.ok(log.includes(`[sign-in] listening on 127.0.0.1:${ui.redirectPort}`), 'the log says where it listened');
      assertNoSecrets(log, ui.pandadoc.issued, 'the PandaDoc output channel');
      assertNoSecrets(shown.message, ui.pandadoc.issued, 'the notification');

      const accounts = await waitFor('the account in the Accounts menu', async () => {
        const entries = await accountsMenuEntries(ui.page);
        return entries.some((label) => label === `${email} (PandaDoc)`) ? entries : undefined;
      });
      assertNoSecrets(accounts.join('\n'), ui.pandadoc.issued, 'the Accounts menu');
      signedInToken = ui.pandadoc.issued.at(-1);
      assertSameSecret(await copiedAccessToken(), signedInToken, 'the stored access token');
    });
  });

  describe('the redirect port taken by another program', function () {
    let holder: PortHolder;

    before(async () => {
      // Also proves the first sign-in's listener let go of the port (one-shot).
      holder = await holdPort(ui.redirectPort);
    });

    after(async () => {
      await holder?.close();
    });

    it('no questions for the stored client; the paste box says the port is in use; pasting the address the tab ended on signs in', async function () {
      this.timeout(90_000);
      await clearNotifications(ui.page);
      const before = counts();
      // The client is stored now: no questions, straight to the browser.
      const { tab } = await signInFromPalette();
      const landed = await waitForTabAddress(tab, isRedirect);
      // The user copies the address and goes back to VS Code.
      await closeTab(tab, ui.page);
      // Besides the redirect, the browser asks for /favicon.ico.
      assert.deepEqual(holder.paths.filter((p) => p === '/callback'), ['/callback'], 'the browser brought the answer to the program on the port');

      const progress = await waitForNotification(ui.page, /^Signing in to PandaDoc/);
      assert.ok(progress.buttons.includes('Cancel'), `the progress notification offers Cancel (${progress.buttons.join(', ')})`);
      const boxTitle = (await ui.page.locator('.quick-input-widget .quick-input-title').innerText()).trim();
      assert.equal(boxTitle, PASTE_BOX);
      // Typed as a paste would; the address holds the code, so it is never printed.
      const box = await fillInput(ui.page, PASTE_BOX, landed.toString());
      assert.match(box.prompt, new RegExp(`Port ${ui.redirectPort} on 127\\.0\\.0\\.1 is already in use`));
      assert.equal(box.type, 'text');

      await waitForNotification(ui.page, `Signed in to PandaDoc as ${email}.`);
      const sent = newSince(before);
      checkAuthorize(sent.authorize);
      checkExchange(sent.token);
      signedInToken = ui.pandadoc.issued.at(-1);
      assert.equal((await waitForStatusBar(ui.page, /^PandaDoc/)).text, 'PandaDoc: 364d');
      await clearNotifications(ui.page);
      assertSameSecret(await copiedAccessToken(), signedInToken, 'the stored access token (from the pasted sign-in)');
      const log = channelLog();
      assert.ok(log.includes(`Port ${ui.redirectPort} on 127.0.0.1 is already in use`), 'the log says why it could not listen');
      assertNoSecrets(log, ui.pandadoc.issued, 'the PandaDoc output channel');
    });

    it('pasting the address with another sign-in\'s state: a state mismatch error, no exchange, nothing stored changed', async function () {
      this.timeout(90_000);
      await clearNotifications(ui.page);
      const stored = await copiedAccessToken();
      const status = (await waitForStatusBar(ui.page, /^PandaDoc/)).text;
      const before = counts();
      const { tab } = await signInFromPalette();
      const landed = await waitForTabAddress(tab, isRedirect);
      await closeTab(tab, ui.page);
      const forged = new URL(landed.toString());
      forged.searchParams.set('state', randomBytes(32).toString('base64url'));
      await fillInput(ui.page, PASTE_BOX, forged.toString());

      const shown = await waitForNotification(ui.page, /state did not match/);
      assert.equal(shown.severity, 'error');
      assert.deepEqual(shown.buttons, ['Sign In with Browser...', 'Show Log']);
      assert.match(shown.message, /Your stored credentials are unchanged\./);
      const sent = newSince(before);
      checkAuthorize(sent.authorize);
      assert.equal(sent.token.length, 0, 'nothing exchanged');
      assert.equal(ui.pandadoc.isLiveCode(landed.searchParams.get('code') ?? ''), true, 'the code was never used');
      await waitFor('the failure in the log', async () => (channelLog().includes('[sign-in] ended without signing in: state_mismatch') ? true : undefined));
      assert.equal((await waitForStatusBar(ui.page, /^PandaDoc/)).text, status);
      await clearNotifications(ui.page);
      assertSameSecret(await copiedAccessToken(), stored, 'the stored access token');
    });
  });

  describe('access declined on the sign-in page', function () {
    it('the tab and an error notification say access was declined; no exchange, nothing stored changed', async function () {
      this.timeout(90_000);
      await clearNotifications(ui.page);
      const stored = await copiedAccessToken();
      const status = (await waitForStatusBar(ui.page, /^PandaDoc/)).text;
      const before = counts();
      ui.pandadoc.denyNextAuthorization();
      const { tab } = await signInFromPalette();

      const landed = await waitForTabAddress(tab, isRedirect);
      assert.equal(landed.searchParams.get('error'), 'access_denied');
      const page = await tabContent(tab);
      assert.equal(page.title, 'PandaDoc sign-in failed');
      assert.match(page.text, /Access was declined/);
      await closeTab(tab, ui.page);

      const shown = await waitForNotification(ui.page, /Access was declined/);
      assert.equal(shown.severity, 'error');
      assert.deepEqual(shown.buttons, ['Sign In with Browser...']);
      assert.match(shown.message, /Your stored credentials are unchanged\./);
      const sent = newSince(before);
      checkAuthorize(sent.authorize);
      assert.equal(sent.token.length, 0, 'nothing exchanged');
      await waitFor('the failure in the log', async () => (channelLog().includes('[sign-in] ended without signing in: access_denied') ? true : undefined));
      assert.equal((await waitForStatusBar(ui.page, /^PandaDoc/)).text, status);
      assert.ok(!(await notifications(ui.page)).some((n) => /^Signed in/.test(n.message)), 'no success message');
      await clearNotifications(ui.page);
      assertSameSecret(await copiedAccessToken(), stored, 'the stored access token');
    });
  });

  describe('profiles', function () {
    it('from the status bar: New Profile... "Sandbox" becomes active and empty; Default again from the quick pick', async function () {
      this.timeout(90_000);
      await clearNotifications(ui.page);
      await clickStatusBarItem(ui.page, /^PandaDoc: 364d$/);
      const actions = await quickPickRows(ui.page, 'PandaDoc (profile Default)');
      assert.ok(actions.some((row) => row.label === 'Switch Profile...'), 'the menu offers Switch Profile...');
      await pickQuickItem(ui.page, 'Switch Profile...');
      const profiles = await quickPickRows(ui.page, 'PandaDoc Profiles');
      assert.deepEqual(profiles, [
        { label: 'Default', description: `OAuth · ${email}` },
        { label: 'New Profile...', description: '' },
      ]);
      await pickQuickItem(ui.page, 'New Profile...');
      await fillInput(ui.page, 'New PandaDoc Profile', 'Sandbox');

      const sandbox = await waitForStatusBar(ui.page, /^PandaDoc \(Sandbox\)/);
      assert.equal(sandbox.text, 'PandaDoc (Sandbox): Set Credentials');
      const offer = await waitForNotification(ui.page, 'PandaDoc profile "Sandbox" created and active.');
      assert.deepEqual(offer.buttons, ['Sign In with Browser...', 'Set API Key...']);
      // The Accounts menu shows the active profile's account: Sandbox has none.
      await waitFor('the account to leave the Accounts menu', async () =>
        (await accountsMenuEntries(ui.page)).some((label) => label.includes(email)) ? undefined : true,
      );

      await clearNotifications(ui.page);
      await clickStatusBarItem(ui.page, /^PandaDoc \(Sandbox\)/);
      await quickPickRows(ui.page, 'PandaDoc (profile Sandbox)');
      await pickQuickItem(ui.page, 'Switch Profile...');
      const both = await quickPickRows(ui.page, 'PandaDoc Profiles');
      assert.deepEqual(
        both.map((row) => row.label),
        ['Default', 'Sandbox', 'New Profile...'],
      );
      await pickQuickItem(ui.page, 'Default');
      const back = await waitForStatusBar(ui.page, /^PandaDoc \(Default\)/);
      assert.deepEqual(back, { text: 'PandaDoc (Default): 364d', icons: ['key'], kind: 'normal' });
      await waitFor('the account back in the Accounts menu', async () =>
        (await accountsMenuEntries(ui.page)).includes(`${email} (PandaDoc)`) ? true : undefined,
      );
      assertSameSecret(await copiedAccessToken(), signedInToken, 'the token Default kept');
    });
  });

  describe('the Accounts menu', function () {
    it('Sign Out there removes the session: the profile is signed out and the other profile becomes active', async function () {
      this.timeout(90_000);
      await clearNotifications(ui.page);
      const confirmation = await signOutFromAccountsMenu(ui.page, `${email} (PandaDoc)`);
      assert.match(confirmation, new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const after = await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
      assert.equal(after.text, 'PandaDoc: Set Credentials', 'Default is gone; Sandbox, empty, is the only profile left');
      await waitFor('the account to leave the Accounts menu', async () =>
        (await accountsMenuEntries(ui.page)).some((label) => label.includes(email)) ? undefined : true,
      );
      await waitFor('the sign-out in the log', async () =>
        channelLog().includes('[accounts] sign-out of profile "Default" from the Accounts menu') ? true : undefined,
      );
    });
  });

  describe('an extension asking to sign in', function () {
    it('Escape in the sign-in that getSession(createIfNone) starts reaches that extension as a cancellation, and nothing is shown as a failure', async function () {
      this.timeout(90_000);
      await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
      await clearNotifications(ui.page);
      const before = counts();
      await runCommand(ui.page, 'PandaDoc Consumer: Sign In to PandaDoc');
      await answerDialog(ui.page, /wants to sign in using PandaDoc/, 'Allow');
      // The empty profile's sign-in asks for its region first: Escape there.
      await escapeInput(ui.page, 'PandaDoc Region of "Sandbox"');
      const ended = await waitForNotification(ui.page, /^PandaDoc consumer: no session/);
      assert.equal(ended.message, 'PandaDoc consumer: no session (cancelled).');
      const shown = (await notifications(ui.page)).map((n) => n.message);
      assert.deepEqual(shown.filter((message) => !message.startsWith('PandaDoc consumer:')), [], 'no failure message of ours');
      assert.deepEqual(newSince(before), { authorize: [], token: [] }, 'nothing was sent');
      await waitForStatusBar(ui.page, /^PandaDoc: Set Credentials$/);
      await clearNotifications(ui.page);
    });
  });
});
