/**
 * Import Credentials from Postman Environment in the real workbench, after the other UI files in
 * the same session: the palette, VS Code's own file dialog, the preview question (names and
 * fingerprints only), the new profile in the status bar; and Copy Refresh Request as curl to the
 * clipboard. The export holds real test secrets, so it lives in the tier's private folder.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fingerprint } from '../../src/core/base/redact';
import {
  pickQuickItem,
  quickPickRows,
  answerDialog,
  clearNotifications,
  pickFileInDialog,
  readClipboard,
  runCommand,
  waitForNotification,
  waitForStatusBar,
  writeClipboard,
} from '../host/workbench';
import { assertNoSecrets } from '../support/assertions';
import { session, type UiSession } from './session';

const ENVIRONMENT = 'UI Staging';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('arriving from Postman and curl, in the workbench', function () {
  let ui: UiSession;

  before(async function () {
    this.timeout(180_000);
    ui = await session();
  });

  it('imports an environment export picked in the file dialog into a new, active profile; the file is unchanged', async function () {
    this.timeout(90_000);
    await clearNotifications(ui.page);
    const client = ui.pandadoc.addClient();
    ui.pandadoc.setMember(client.clientId, { email: 'postman@example.test' });
    const file = path.join(ui.stateDir, 'ui-staging.postman_environment.json');
    const values = [
      { key: 'client_id', value: client.clientId, enabled: true, type: 'default' },
      { key: 'client_secret', value: client.clientSecret, enabled: true, type: 'secret' },
      { key: 'refresh_token', value: client.refreshToken, enabled: true, type: 'secret' },
      { key: 'base_url', value: 'https://api.pandadoc.com', enabled: true, type: 'default' },
    ];
    fs.writeFileSync(file, JSON.stringify({ id: 'ui', name: ENVIRONMENT, values, _postman_variable_scope: 'environment' }, null, 2), { mode: 0o600 });
    const before = sha256(file);

    await runCommand(ui.page, 'PandaDoc: Import Credentials from Postman Environment...');
    await pickFileInDialog(ui.page, 'Import Credentials from Postman Environment', file, 'Import');
    const question = await answerDialog(ui.page, /Postman environment "UI Staging"/, 'Import');
    assert.match(question, /into a new profile "UI Staging"/);
    assert.ok(question.includes(`client_secret (${fingerprint(client.clientSecret)})`), 'names the secret by fingerprint');
    assert.ok(question.includes(`client_id (${client.clientId})`), 'shows the client ID, which is not secret, whole');
    assertNoSecrets(question, [client.clientSecret, client.refreshToken], 'the preview');
    // The file names api.pandadoc.com, but the settings name the test server, a choice of the
    // user's that a file does not override: the region is asked for, the settings first.
    const rows = await quickPickRows(ui.page, 'PandaDoc Region of "UI Staging"');
    assert.deepEqual(rows.map((row) => row.label), ['As in Settings', 'Global', 'EU', 'Custom...']);
    await pickQuickItem(ui.page, 'As in Settings');

    const shown = await waitForNotification(ui.page, /^Imported and verified OAuth credentials from the Postman environment "UI Staging"/);
    assert.match(
      shown.message,
      /^Imported and verified OAuth credentials from the Postman environment "UI Staging" into the new profile "UI Staging", now active\. Valid for 364d \(until [^)]+\)\. They belong to Test User <postman@example\.test>, workspace Test Workspace, role Admin\. The file was not changed\.$/,
    );
    const entry = await waitForStatusBar(ui.page, /^PandaDoc \(UI Staging\): 364d$/);
    assert.equal(entry.kind, 'normal');
    assert.equal(sha256(file), before, 'the file is byte for byte the same');
    assert.equal(ui.pandadoc.isLive(client.refreshToken), false, 'the imported refresh token was used (and rotated)');
  });

  it('copies the refresh request as curl: the configured URL and scope, placeholders, no secret', async function () {
    this.timeout(60_000);
    await clearNotifications(ui.page);
    await writeClipboard(ui.page, 'something else');
    await runCommand(ui.page, 'PandaDoc: Copy Refresh Request as curl');
    await waitForNotification(ui.page, /Refresh request copied as curl/);
    const text = await readClipboard(ui.page);
    assert.ok(text.startsWith('curl -X POST'), 'a curl command');
    assert.ok(text.includes(`'${ui.pandadoc.url}/oauth2/access_token'`), 'the configured URL');
    for (const placeholder of ['$PANDADOC_CLIENT_ID', '$PANDADOC_CLIENT_SECRET', '$PANDADOC_REFRESH_TOKEN']) {
      assert.ok(text.includes(placeholder), placeholder);
    }
    assertNoSecrets(text, ui.pandadoc.issued, 'the copied command');
  });
});
