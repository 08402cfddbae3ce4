/** Failures through the real extension: what the API reports and what stays stored. The matrix of
 *  every fault through every entry point is in faultMatrix.test.ts; these are the sequences it
 *  does not cover. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { assertSameSecret, assertSameStored } from '../support/assertions';
import { reset, sandbox, signIn } from './sandbox';

const BAD_GATEWAY = { kind: 'status', status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' } as const;

async function rejectsWith(promise: Thenable<unknown>, code: string): Promise<void> {
  await assert.rejects(Promise.resolve(promise), (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, `code of: ${error.message}`);
    return true;
  });
}

describe('faults', () => {
  beforeEach(reset);

  it('three 502s with HTML: refresh fails after 3 attempts and the stored credentials stay byte for byte', async function () {
    this.timeout(30_000);
    const { api, server, stored } = await sandbox();
    await signIn();
    const token = await api.getAccessToken();
    const before = await stored();
    const requests = server.tokenRequests().length;
    server.failNext(BAD_GATEWAY, BAD_GATEWAY, BAD_GATEWAY);
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), false);
    assert.equal(server.tokenRequests().length, requests + 3);
    assertSameStored(await stored(), before, 'stored credentials');
    // The token still valid is still handed out, without a request.
    assertSameSecret(await api.getAccessToken(), token, 'token after the failed refresh');
    assert.equal(server.tokenRequests().length, requests + 3);
  });

  it('invalid_grant: the refresh token is dropped, the client kept, and the API says invalid_grant', async () => {
    const { api, server, storedJson } = await sandbox();
    const client = await signIn();
    server.revoke(client.refreshToken);
    const requests = server.tokenRequests().length;
    await rejectsWith(api.getAccessToken(), 'invalid_grant');
    assert.equal(server.tokenRequests().length, requests + 1, 'invalid_grant is not retried');
    const stored = await storedJson();
    assert.equal(stored?.clientId, client.clientId);
    assertSameSecret(stored?.clientSecret as string, client.clientSecret, 'kept client secret');
    assert.equal(stored?.refreshToken, undefined);
    // Nothing left to refresh with: the same answer, without another request.
    await rejectsWith(api.getAuthorizationHeader(), 'invalid_grant');
    assert.equal(server.tokenRequests().length, requests + 1);
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), false);
  });

  it('invalid_client: rejected with invalid_client and the stored credentials stay', async () => {
    const { api, server, stored } = await sandbox();
    const client = await signIn();
    await (await sandbox()).api.setOAuthCredentials({ ...client, clientSecret: 'wrong-secret-0123456789' });
    const before = await stored();
    await rejectsWith(api.getAccessToken(), 'invalid_client');
    assertSameStored(await stored(), before, 'stored credentials');
    assert.equal(server.isLive(client.refreshToken), true);
  });
});
