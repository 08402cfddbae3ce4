/**
 * Runs in a second extension host after the window reloaded (same browser profile, so the same
 * SecretStorage): what the main phase stored must still be there, and usable without a request.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/vscode/commandIds';
import { digest } from '../../support/assertions';
import type { TestingExports } from '../sandbox';

describe('after a window reload', () => {
  it('the credentials stored before the reload are still stored and give the same token', async function () {
    const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
    if (!stateDir) {
      this.skip();
    }
    const expected = JSON.parse(fs.readFileSync(path.join(stateDir, 'reload-expect.json'), 'utf8')) as {
      stored: string;
      token: string;
      status: { kind: string; expiresAt: number };
    };
    const extension = vscode.extensions.getExtension<TestingExports>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const exported = await extension.activate();
    const api = exported.getApi(1);
    assert.equal(digest(await exported.testing.secrets.get(exported.testing.storageKey)), expected.stored);
    assert.deepEqual(api.getStatus(), expected.status);
    // Valid for about a year: handed out from storage. The old server is gone with the old
    // host, so a request would fail; getting the token proves none was needed.
    assert.equal(digest(await api.getAccessToken()), expected.token);
  });
});
