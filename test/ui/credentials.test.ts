/**
 * Entering credentials as a new user does, in the real workbench, with the unhappy paths: a wrong
 * API key, a wrong client secret fixed without pasting the refresh token again, a Postman export
 * with a wrong secret (and not keeping it), Escape halfway, and the profile commands (only what
 * can act is offered; Rename Profile..., Delete Profile...). Each test makes the profiles it needs
 * and the last one deletes them again, so the files after this one find what they found before.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { sleep } from '../host/codeServer';
import {
  answerDialog,
  answerRegionIfAsked,
  clearNotifications,
  clickNotificationButton,
  escapeInput,
  fillInput,
  newProfile,
  notifications,
  paletteOffers,
  pickFileInDialog,
  pickQuickItem,
  quickPickRows,
  readOutputChannelLog,
  runCommand,
  clickStatusBarItem,
  waitForNotification,
  waitForStatusBar,
} from '../host/workbench';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { readySession, type UiSession } from './session';

const OAUTH_BOX = 'PandaDoc OAuth Credentials';
const KEY_BOX = 'PandaDoc API Key';

describe('entering credentials, and managing profiles, in the workbench', function () {
  let ui: UiSession;
  /** A secret of this file's making that the server never issued: the leak check looks for it too. */
  const madeUp = () => {
    const value = randomBytes(20).toString('hex');
    ui.pandadoc.issued.push(value);
    return value;
  };

  before(async function () {
    this.timeout(180_000);
    ui = await readySession();
  });

  function channelLog(): string {
    return readOutputChannelLog(ui.server.userDataDir, EXTENSION_ID, 'PandaDoc');
  }

  /** Escape halfway leaves no message behind. */
  async function assertNothingShown(what: string): Promise<void> {
    await sleep(500);
    assert.deepEqual((await notifications(ui.page)).map((n) => n.message), [], what);
  }

  it('Set API Key... checks the key with one who-am-I call: a wrong key is named and not saved, a right one is saved with its owner; Escape stores nothing', async function () {
    this.timeout(120_000);
    const offer = await newProfile(ui.page, 'UI Keys');
    assert.deepEqual(offer.buttons, ['Sign In with Browser...', 'Set API Key...'], 'buttons say the command titles');

    // Escape in the box: nothing asked of PandaDoc, nothing stored, nothing shown.
    const before = ui.pandadoc.requests.length;
    await clickNotificationButton(ui.page, 'PandaDoc profile "UI Keys" created', 'Set API Key...');
    await answerRegionIfAsked(ui.page, KEY_BOX);
    await escapeInput(ui.page, KEY_BOX);
    await sleep(500);
    assert.deepEqual(
      (await notifications(ui.page)).map((n) => n.message).filter((message) => !message.startsWith('PandaDoc profile "UI Keys" created')),
      [],
      'nothing shown after Escape',
    );
    assert.equal(ui.pandadoc.requests.length, before, 'nothing sent');
    await clearNotifications(ui.page);

    const wrong = madeUp();
    await runCommand(ui.page, 'PandaDoc: Set API Key...');
    await answerRegionIfAsked(ui.page, KEY_BOX);
    assert.equal((await fillInput(ui.page, KEY_BOX, wrong)).type, 'password');
    const refused = await waitForNotification(ui.page, /^PandaDoc rejected this API key/);
    assert.equal(
      refused.message,
      "PandaDoc rejected this API key (HTTP 401), so it was not saved. Check it in PandaDoc's Developer Dashboard and set it again, or sign in with the browser. Your stored credentials are unchanged.",
    );
    assert.equal(refused.severity, 'error');
    assert.deepEqual(refused.buttons, ['Set API Key...', 'Sign In with Browser...', 'Show Log']);
    const sent = ui.pandadoc.requests.slice(before);
    assert.deepEqual(sent.map((r) => r.path), ['/public/v1/members/current'], 'one who-am-I call, no refresh');
    assertSameSecret(sent[0].headers.authorization, `API-Key ${wrong}`, 'the key asked about');
    assert.equal((await waitForStatusBar(ui.page, /^PandaDoc \(UI Keys\)/)).text, 'PandaDoc (UI Keys): Set Credentials', 'not saved');

    await clearNotifications(ui.page);
    const key = ui.pandadoc.addApiKey(undefined, { first_name: 'Kim', last_name: 'Key', email: 'kim@example.test', workspace_name: 'Keys Inc' });
    await runCommand(ui.page, 'PandaDoc: Set API Key...');
    await answerRegionIfAsked(ui.page, KEY_BOX);
    await fillInput(ui.page, KEY_BOX, key);
    const saved = await waitForNotification(ui.page, /^PandaDoc API key checked and saved/);
    assert.equal(saved.message, 'PandaDoc API key checked and saved: it belongs to Kim Key <kim@example.test>, workspace Keys Inc, role Admin.');
    await waitForStatusBar(ui.page, /^PandaDoc \(UI Keys\): API key$/);
    assertNoSecrets(channelLog(), ui.pandadoc.issued, 'the PandaDoc output channel');
  });

  it('Set OAuth Credentials...: after a wrong secret, box 3 left empty keeps the stored refresh token; Escape halfway changes nothing', async function () {
    this.timeout(120_000);
    await clearNotifications(ui.page);
    await newProfile(ui.page, 'UI OAuth');
    await clearNotifications(ui.page);
    const client = ui.pandadoc.addClient();
    ui.pandadoc.setMember(client.clientId, { email: 'oauth@example.test' });

    await runCommand(ui.page, 'PandaDoc: Set OAuth Credentials...');

    await answerRegionIfAsked(ui.page, `${OAUTH_BOX} (1/3)`);
    await fillInput(ui.page, `${OAUTH_BOX} (1/3)`, client.clientId);
    await fillInput(ui.page, `${OAUTH_BOX} (2/3)`, madeUp());
    const third = await fillInput(ui.page, `${OAUTH_BOX} (3/3)`, client.refreshToken);
    // The workbench adds "(Press 'Enter' to confirm or 'Escape' to cancel)" to every prompt.
    assert.ok(third.prompt.startsWith('Refresh token (the refresh_token of your last token response) ('), `nothing to keep yet: ${third.prompt}`);
    const rejected = await waitForNotification(ui.page, /invalid_client/);
    assert.equal(
      rejected.message,
      'PandaDoc rejected the client ID or client secret (invalid_client). Check them in your PandaDoc app settings and set OAuth credentials again.',
    );
    assert.deepEqual(rejected.buttons, ['Set OAuth Credentials...', 'Show Log']);

    // Escape in box 2 of the fix: nothing sent, nothing shown.
    await clearNotifications(ui.page);
    const before = ui.pandadoc.tokenRequests().length;
    await runCommand(ui.page, 'PandaDoc: Set OAuth Credentials...');
    await answerRegionIfAsked(ui.page, `${OAUTH_BOX} (1/3)`);
    await fillInput(ui.page, `${OAUTH_BOX} (1/3)`, client.clientId);
    await escapeInput(ui.page, `${OAUTH_BOX} (2/3)`);
    await assertNothingShown('after Escape');
    assert.equal(ui.pandadoc.tokenRequests().length, before);

    // The fix: the right secret, and box 3 left empty.
    await runCommand(ui.page, 'PandaDoc: Set OAuth Credentials...');
    await answerRegionIfAsked(ui.page, `${OAUTH_BOX} (1/3)`);
    await fillInput(ui.page, `${OAUTH_BOX} (1/3)`, client.clientId);
    await fillInput(ui.page, `${OAUTH_BOX} (2/3)`, client.clientSecret);
    const keep = await fillInput(ui.page, `${OAUTH_BOX} (3/3)`, '');
    assert.ok(keep.prompt.startsWith('Refresh token (the refresh_token of your last token response; leave empty to keep the stored one) ('), keep.prompt);
    await waitForNotification(ui.page, /^PandaDoc credentials saved and verified\. Valid for 364d/);
    const sent = ui.pandadoc.tokenRequests().slice(before);
    assert.equal(sent.length, 1);
    assertSameSecret(sent[0].form.refresh_token, client.refreshToken, 'the kept refresh token was sent');
    await waitForStatusBar(ui.page, /^PandaDoc \(UI OAuth\): 364d$/);
  });

  it('a Postman import with a wrong client secret says PandaDoc rejected it; Don\'t Keep removes the new profile again', async function () {
    this.timeout(120_000);
    await clearNotifications(ui.page);
    const client = ui.pandadoc.addClient();
    const file = path.join(ui.stateDir, 'ui-wrong-secret.postman_environment.json');
    const values = [
      { key: 'client_id', value: client.clientId, enabled: true, type: 'default' },
      { key: 'client_secret', value: madeUp(), enabled: true, type: 'secret' },
      { key: 'refresh_token', value: client.refreshToken, enabled: true, type: 'secret' },
    ];
    fs.writeFileSync(file, JSON.stringify({ id: 'w', name: 'UI Wrong Secret', values, _postman_variable_scope: 'environment' }), { mode: 0o600 });

    await runCommand(ui.page, 'PandaDoc: Import Credentials from Postman Environment...');
    await pickFileInDialog(ui.page, 'Import Credentials from Postman Environment', file, 'Import');
    const question = await answerDialog(ui.page, /Postman environment "UI Wrong Secret"/, 'Import');
    assert.ok(question.includes(`client_id (${client.clientId})`), 'the client ID is shown whole');
    // A new profile's region: the test settings name the test server, so "As in Settings".
    await pickQuickItem(ui.page, 'As in Settings');

    const shown = await waitForNotification(ui.page, /^Imported OAuth credentials from the Postman environment "UI Wrong Secret"/);
    assert.equal(
      shown.message,
      'Imported OAuth credentials from the Postman environment "UI Wrong Secret" into the new profile "UI Wrong Secret", but PandaDoc rejected them: client ID or secret rejected (invalid_client). Don\'t Keep removes the profile "UI Wrong Secret" again. The file was not changed.',
    );
    assert.equal(shown.severity, 'error');
    assert.deepEqual(shown.buttons, ["Don't Keep", 'Set OAuth Credentials...', 'Show Log']);
    await waitForStatusBar(ui.page, /^PandaDoc \(UI Wrong Secret\)/);

    await clickNotificationButton(ui.page, /^Imported OAuth credentials/, "Don't Keep");
    const undone = await waitForNotification(ui.page, /^Removed the profile/);
    assert.equal(undone.message, 'Removed the profile "UI Wrong Secret" again; "UI OAuth" is active.');
    await waitForStatusBar(ui.page, /^PandaDoc \(UI OAuth\): 364d$/);
    await runCommand(ui.page, 'PandaDoc: Switch Profile...');
    const profiles = await quickPickRows(ui.page, 'PandaDoc Profiles');
    assert.ok(!profiles.some((row) => row.label === 'UI Wrong Secret'), 'the profile is gone');
    await escapeInput(ui.page, 'PandaDoc Profiles');
    assertNoSecrets(question + shown.message + channelLog(), ui.pandadoc.issued, 'what was shown and logged');
  });

  it('offers only what can act, in the palette as in the status bar menu; Rename Profile... and Delete Profile... (confirmed, Escape and Cancel change nothing)', async function () {
    this.timeout(180_000);
    await clearNotifications(ui.page);
    await newProfile(ui.page, 'UI Empty');
    await clearNotifications(ui.page);
    for (const title of ['PandaDoc: Refresh Token', 'PandaDoc: Copy Access Token', 'PandaDoc: Show Account']) {
      assert.equal(await paletteOffers(ui.page, title), false, `${title} is not offered with nothing stored`);
    }
    // Sign Out stays: "UI OAuth" holds credentials, and Sign Out offers Sign Out of All Profiles.
    for (const title of ['PandaDoc: Sign In with Browser...', 'PandaDoc: Rename Profile...', 'PandaDoc: Delete Profile...', 'PandaDoc: Sign Out']) {
      assert.equal(await paletteOffers(ui.page, title), true, `${title} is offered`);
    }
    await clickStatusBarItem(ui.page, /^PandaDoc \(UI Empty\)/);
    const menu = (await quickPickRows(ui.page, 'PandaDoc (profile UI Empty)')).map((row) => row.label);
    assert.deepEqual(menu, [
      'Sign In with Browser...',
      'Switch Profile...',
      'Rename Profile...',
      'Delete Profile...',
      'Change Region...',
      'Set OAuth Credentials...',
      'Set API Key...',
      'Import Credentials from Postman Environment...',
      'Show Log',
      'Sign Out',
    ]);
    await escapeInput(ui.page, 'PandaDoc (profile UI Empty)');

    // Rename: Escape in the name box changes nothing; then a new name, the credentials kept.
    await runCommand(ui.page, 'PandaDoc: Rename Profile...');
    await quickPickRows(ui.page, 'Rename PandaDoc Profile');
    await pickQuickItem(ui.page, 'UI OAuth');
    await escapeInput(ui.page, 'Rename PandaDoc Profile "UI OAuth"');
    await assertNothingShown('after Escape');
    await runCommand(ui.page, 'PandaDoc: Rename Profile...');
    await quickPickRows(ui.page, 'Rename PandaDoc Profile');
    await pickQuickItem(ui.page, 'UI OAuth');
    await fillInput(ui.page, 'Rename PandaDoc Profile "UI OAuth"', 'UI Renamed');
    await waitForNotification(ui.page, 'Renamed the PandaDoc profile "UI OAuth" to "UI Renamed".');
    await runCommand(ui.page, 'PandaDoc: Switch Profile...');
    const renamed = (await quickPickRows(ui.page, 'PandaDoc Profiles')).find((row) => row.label === 'UI Renamed');
    assert.equal(renamed?.description, 'OAuth · oauth@example.test', 'its credentials and account went with it');
    await escapeInput(ui.page, 'PandaDoc Profiles');

    // Delete: Cancel in the confirmation keeps it; confirmed, it goes, and the message says so.
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'PandaDoc: Delete Profile...');
    await quickPickRows(ui.page, 'Delete PandaDoc Profile');
    await pickQuickItem(ui.page, 'UI Keys');
    const asked = await answerDialog(ui.page, 'Delete the PandaDoc profile "UI Keys"?', 'Cancel');
    assert.match(asked, /Its API key is deleted from VS Code's secret storage; PandaDoc itself is not told\./);
    await assertNothingShown('after Cancel');
    for (const profile of ['UI Keys', 'UI Renamed', 'UI Empty']) {
      await runCommand(ui.page, 'PandaDoc: Delete Profile...');
      await quickPickRows(ui.page, 'Delete PandaDoc Profile');
      await pickQuickItem(ui.page, profile);
      await answerDialog(ui.page, `Delete the PandaDoc profile "${profile}"?`, 'Delete Profile');
      const deleted = await waitForNotification(ui.page, `Deleted the PandaDoc profile "${profile}".`);
      assert.match(deleted.message, /^Deleted the PandaDoc profile "[^"]+"\. The profile "[^"]+" is active\.$/);
      await clearNotifications(ui.page);
    }
    await runCommand(ui.page, 'PandaDoc: Switch Profile...');
    const left = (await quickPickRows(ui.page, 'PandaDoc Profiles')).map((row) => row.label);
    assert.ok(!left.some((label) => label.startsWith('UI ')), `this file's profiles are gone (${left.join(', ')})`);
    await escapeInput(ui.page, 'PandaDoc Profiles');
  });
});
