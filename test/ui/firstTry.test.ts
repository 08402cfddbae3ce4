/**
 * What a new user ran into in 0.2.0 (issue 20), where only the workbench shows it: Sign Out in
 * the palette while the active profile is empty, a profile name in the status bar, declining
 * VS Code's "Open external website?" question at sign-in, a region change of an empty profile,
 * and Copy Access Token's notification in a browser window. The words themselves are unit-tested
 * in test/unit/newUser.test.ts. Sets up the state it needs (`PANDADOC_UI_ONLY=firstTry` runs it
 * alone) and ends with one empty profile, as signIn.test.ts does.
 */
import * as assert from 'node:assert/strict';
import {
  answerDialog,
  clearNotifications,
  enterOAuthCredentials,
  escapeInput,
  fillInput,
  newProfile,
  paletteOffers,
  pickQuickItem,
  quickPickRows,
  readClipboard,
  runCommand,
  waitFor,
  waitForNotification,
  waitForStatusBar,
  writeClipboard,
} from '../host/workbench';
import { SELECTOR } from '../host/browser';
import { emptySession, signOutOfEverything, type UiSession } from './session';

const SIGN_IN = 'PandaDoc: Sign In with Browser...';
const PASTE_BOX = 'Sign In with PandaDoc';
/** Named as a Postman environment often is; the status bar says PandaDoc once. */
const PROFILE = 'PandaDoc Sandbox';
/** Not a loopback address, so VS Code asks before opening it; never reached (the test declines). */
const SIGN_IN_HOST = 'signin.example.invalid';

describe('what a new user ran into in 0.2.0 (issue 20), in the workbench', function () {
  let ui: UiSession;

  before(async function () {
    this.timeout(180_000);
    ui = await emptySession();
  });

  after(async function () {
    this.timeout(120_000);
    await ui?.page.keyboard.press('Escape');
    await signOutOfEverything(ui);
    await clearNotifications(ui.page);
  });

  it('items 3 and dates: Copy Access Token in a browser window says first that the token stays on the clipboard; the date reads as in the tooltip', async function () {
    this.timeout(120_000);
    const entry = await waitForStatusBar(ui.page, /^PandaDoc/);
    if (entry.text !== 'PandaDoc: 364d') {
      const client = ui.pandadoc.addClient();
      await enterOAuthCredentials(ui.page, { ...client, refreshToken: ui.pandadoc.grant(client.clientId) });
      await waitForStatusBar(ui.page, 'PandaDoc: 364d');
    }
    await clearNotifications(ui.page);
    await writeClipboard(ui.page, 'before copy');
    await runCommand(ui.page, 'PandaDoc: Copy Access Token');
    const copied = await waitForNotification(ui.page, /^PandaDoc access token copied/);
    assert.match(copied.message.slice(0, 60), /^PandaDoc access token copied; it stays on the clipboard/, copied.message);
    assert.match(copied.message, /Valid for 364d \(until \d{4}-\d{2}-\d{2} \d{2}:\d{2}, local time\)\.$/);
    assert.notEqual(await readClipboard(ui.page), 'before copy');
    await writeClipboard(ui.page, 'after the copy test');
    await clearNotifications(ui.page);
  });

  it('item 10 and the status bar: an empty profile beside a signed-in one offers Sign Out; "PandaDoc Sandbox" reads PandaDoc (Sandbox)', async function () {
    this.timeout(120_000);
    await waitForStatusBar(ui.page, 'PandaDoc: 364d');
    await newProfile(ui.page, PROFILE);
    await waitForStatusBar(ui.page, /^PandaDoc \((PandaDoc )?Sandbox\): Set Credentials$/);
    assert.equal(await paletteOffers(ui.page, 'PandaDoc: Sign Out'), true, 'the palette offers Sign Out');
    assert.equal((await waitForStatusBar(ui.page, /^PandaDoc \(/)).text, 'PandaDoc (Sandbox): Set Credentials');
    await clearNotifications(ui.page);
  });

  it('item 8: declining "Open external website?" says what happened, and Copy Link copies the sign-in address', async function () {
    this.timeout(180_000);
    // Either form of the name, so this test fails only for its own reason.
    await waitForStatusBar(ui.page, /^PandaDoc \((PandaDoc )?Sandbox\): Set Credentials$/);
    const client = ui.pandadoc.addClient();
    await runCommand(ui.page, SIGN_IN);
    await pickQuickItem(ui.page, 'Custom...');
    await fillInput(ui.page, `PandaDoc Region of "${PROFILE}" (1/2)`, ui.pandadoc.url);
    await fillInput(ui.page, `PandaDoc Region of "${PROFILE}" (2/2)`, `https://${SIGN_IN_HOST}`);
    await fillInput(ui.page, `${PASTE_BOX} (1/2)`, client.clientId);
    await fillInput(ui.page, `${PASTE_BOX} (2/2)`, client.clientSecret);
    const asked = await answerDialog(ui.page, /external website/i, 'Cancel');
    assert.match(asked, new RegExp(SIGN_IN_HOST.replace(/\./g, '\\.')));

    const prompt = ui.page.locator('.quick-input-widget .quick-input-message');
    const said = await waitFor('the paste box to say the page was not opened', async () => {
      const text = (await prompt.innerText().catch(() => '')).trim();
      return /not opened/.test(text) ? text : undefined;
    });
    assert.doesNotMatch(said, /could not open a browser/, 'declining is not a failure');
    assert.doesNotMatch(said, /https?:\/\//, 'no address in the text');
    await writeClipboard(ui.page, 'before Copy Link');
    await ui.page.locator('.quick-input-widget [aria-label="Copy Link"]').first().click();
    const link = new URL(await waitFor('the link on the clipboard', async () => {
      const text = await readClipboard(ui.page);
      return text === 'before Copy Link' ? undefined : text;
    }));
    assert.equal(link.host, SIGN_IN_HOST);
    assert.equal(link.pathname, '/oauth2/authorize');
    assert.equal(link.searchParams.get('client_id'), client.clientId);
    await waitFor('the paste box to say the link was copied', async () => (/copied/i.test(await prompt.innerText().catch(() => '')) ? true : undefined));
    await escapeInput(ui.page, PASTE_BOX);
    await writeClipboard(ui.page, 'after Copy Link');
    await clearNotifications(ui.page);
  });

  it('small thing: changing the region of an empty profile does not speak of its credentials', async function () {
    this.timeout(120_000);
    await waitForStatusBar(ui.page, /^PandaDoc \((PandaDoc )?Sandbox\)/);
    await runCommand(ui.page, 'PandaDoc: Change Region...');
    await pickQuickItem(ui.page, 'EU');
    const changed = await waitForNotification(ui.page, new RegExp(`^The PandaDoc profile "${PROFILE}" now uses the region`));
    assert.doesNotMatch(changed.message, /credentials/);
    await clearNotifications(ui.page);
  });

  it('items 7, 4 and 6: the pick marks the region in use; "As in Settings" is named so and kept; a bad address is named as typed', async function () {
    this.timeout(120_000);
    const title = `PandaDoc Region of "${PROFILE}"`;
    const sandboxHost = new URL(ui.pandadoc.url).host;
    // After the test above, the profile is in the EU region: the pick says so.
    await runCommand(ui.page, 'PandaDoc: Change Region...');
    const rows = await quickPickRows(ui.page, title);
    assert.deepEqual(rows.filter((row) => row.description.startsWith('current · ')).map((row) => row.label), ['EU']);
    await pickQuickItem(ui.page, 'As in Settings');
    const changed = await waitForNotification(ui.page, new RegExp(`^The PandaDoc profile "${PROFILE}" now uses the region`));
    assert.match(changed.message, new RegExp(`region as in Settings \\(${sandboxHost.replace(/\./g, '\\.')}\\)`), 'one name: the pick\'s');
    await clearNotifications(ui.page);

    await runCommand(ui.page, 'PandaDoc: Change Region...');
    const again = await quickPickRows(ui.page, title);
    assert.deepEqual(again.filter((row) => row.description.startsWith('current · ')).map((row) => row.label), ['As in Settings']);
    await pickQuickItem(ui.page, 'Custom...');
    const box = `${title} (1/2)`;
    await ui.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: box }).waitFor({ state: 'visible' });
    await ui.page.locator(SELECTOR.quickInput).fill('http://example.com');
    const said = await waitFor('the box to say what is wrong with the address', async () => {
      const text = (await ui.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')).trim();
      return /plain http/.test(text) ? text : undefined;
    });
    assert.match(said, /^This address uses plain http to example\.com/);
    assert.doesNotMatch(said, /pandadoc\.apiBaseUrl/, 'no setting the person never touched');
    await escapeInput(ui.page, box);
  });
});
