/**
 * Runs in a second extension host after the window reloaded (same browser profile, so the same
 * SecretStorage). The main phase left the account as version 0.1 stored it, under its one key:
 * activation must have moved it into the profile "Default", byte for byte, and it must give the
 * same token without a request.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LEGACY_CREDENTIALS_KEY, profileKey } from '../../../src/core/token/credentials';
import { DEFAULT_PROFILE, PROFILES_KEY } from '../../../src/core/profiles/profileIndex';
import { COMMAND, EXTENSION_ID } from '../../../src/vscode/base/commandIds';
import { digest } from '../../support/assertions';
import type { TestingExports } from '../sandbox';

describe('after a window reload', () => {
  it('the account stored by version 0.1 is migrated into "Default" with nothing lost, and gives the same token', async function () {
    const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
    if (!stateDir) {
      this.skip();
    }
    const expected = JSON.parse(fs.readFileSync(path.join(stateDir, 'reload-expect.json'), 'utf8')) as {
      legacy: string;
      token: string;
      status: { kind: string; expiresAt: number; profile: string };
    };
    const extension = vscode.extensions.getExtension<TestingExports>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const exported = await extension.activate();
    const api = exported.getApi(1);
    const { secrets, storageKey, startup } = exported.testing;
    // The main phase ended signed in, so its status snapshot was left: activation answered from
    // it without waiting for SecretStorage. It holds the status last stored, unless VS Code's
    // memento lost that write to the echo of an earlier one (seen in 1 of 5 cold CI runs: an
    // expiry 1.3 s older). Then the store's read right after corrects it (docs/api.md).
    assert.equal(startup.fromSnapshot, true, 'activate() returned on the status snapshot');
    assert.equal(startup.statusAtReturn.kind, expected.status.kind, 'what is stored, from the snapshot');
    assert.equal(startup.statusAtReturn.profile, expected.status.profile, 'the active profile, from the snapshot');
    // The token itself only ever comes from the store: wait for its read (the migration with it).
    await api.getAccessToken();
    assert.ok(startup.readAfterReturnMs !== undefined && startup.readAfterReturnMs >= 0, 'the store was read after activate() returned');
    if (JSON.stringify(startup.statusAtReturn) !== JSON.stringify(expected.status)) {
      assert.equal(startup.corrected, true, 'a snapshot that differed from the store was corrected');
    }
    assert.deepEqual(api.getStatus(), expected.status, 'once read, the status is the one stored');
    assert.equal(storageKey(), profileKey(DEFAULT_PROFILE));
    assert.equal(digest(await secrets.get(storageKey())), expected.legacy, 'the old value, byte for byte');
    assert.equal(await secrets.get(LEGACY_CREDENTIALS_KEY), undefined, 'the old key is deleted');
    assert.deepEqual(JSON.parse((await secrets.get(PROFILES_KEY)) ?? '{}'), { version: 1, active: 'Default', names: ['Default'] });
    assert.deepEqual(api.getStatus(), expected.status);
    // Valid for about a year: handed out from storage. The old server is gone with the old
    // host, so a request would fail; getting the token proves none was needed.
    assert.equal(digest(await api.getAccessToken()), expected.token);
  });

  it('a profile made before regions keeps its URLs after the update and the reload: no region stored, the settings’ URLs used', async function () {
    if (!process.env.PANDADOC_TEST_STATE_DIR) {
      this.skip();
    }
    const extension = vscode.extensions.getExtension<TestingExports>(EXTENSION_ID);
    assert.ok(extension);
    const { regions } = (await extension.activate()).testing;
    assert.equal(regions.get(DEFAULT_PROFILE), undefined, 'no region was stored, and none asked for');
    const apiBaseUrl = vscode.workspace.getConfiguration('pandadoc').inspect<string>('apiBaseUrl')?.globalValue;
    assert.ok(apiBaseUrl?.startsWith('http://127.0.0.1:'), 'the user setting of the main phase is still there');
    const curl = await vscode.commands.executeCommand<string>(COMMAND.copyRefreshAsCurl);
    assert.ok(curl.includes(`'${apiBaseUrl}/oauth2/access_token'`), 'the refresh goes where the settings say, as before');
  });
});
