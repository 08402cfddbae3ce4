/**
 * A sign-in into a new profile that its settings or arguments refuse changes nothing: the checks
 * that need no network run before the profile is created or switched to. One that fails later
 * (declined in the browser) removes the profile it made.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PROFILES_KEY } from '../../src/core/profiles/profileIndex';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { eventually, reset, sandbox, signIn, withUserSetting } from './sandbox';

const NEW_PROFILE = 'Refused Sign-In';

/** The profile list as stored, and the active profile. */
async function profileState(): Promise<{ index: string | undefined; active: string }> {
  const { secrets, api } = await sandbox();
  return { index: await secrets.get(PROFILES_KEY), active: api.getStatus().profile };
}

describe('sign-in checks before anything changes', () => {
  beforeEach(reset);
  after(reset);

  const badSettings: [string, string, string][] = [
    ['authBaseUrl', 'http://attacker.example', 'bad_config: pandadoc.authBaseUrl'],
    ['apiBaseUrl', 'http://attacker.example', 'bad_config: pandadoc.apiBaseUrl'],
  ];
  for (const [key, value, logged] of badSettings) {
    it(`with a bad pandadoc.${key}, a sign-in into a new profile fails with bad_config and creates no profile`, async () => {
      const { server, channelLog } = await sandbox();
      await signIn();
      const before = await profileState();
      const authorizeBefore = server.authorizeRequests().length;
      const logStart = (await channelLog()).length;
      const client = server.addClient();
      const request = { profile: NEW_PROFILE, clientId: client.clientId, clientSecret: client.clientSecret };

      await withUserSetting(key, value, async () => {
        assert.equal(await vscode.commands.executeCommand(COMMAND.signIn, request), false);
      });
      assert.deepEqual(await profileState(), before, 'the profile list and the active profile are unchanged');
      assert.equal(server.authorizeRequests().length, authorizeBefore, 'no browser was sent anywhere');
      let log = '';
      await eventually(
        async () => (log = (await channelLog()).slice(logStart)).includes(`[sign-in] ended without signing in: ${logged}`),
        'the bad_config failure in the PandaDoc log',
      );
      assert.ok(!log.includes('[profiles] created'), 'no profile was created, even for a moment');

      // The same request with the user's good settings back: it was the setting that refused it.
      assert.equal(await vscode.commands.executeCommand(COMMAND.signIn, request), true);
      assert.equal((await profileState()).active, NEW_PROFILE);
    });
  }

  it('a sign-in into a new profile that is declined in the browser leaves no profile behind', async () => {
    const { server } = await sandbox();
    await signIn();
    const before = await profileState();
    const client = server.addClient();
    server.denyNextAuthorization();
    const request = { profile: NEW_PROFILE, clientId: client.clientId, clientSecret: client.clientSecret };
    assert.equal(await vscode.commands.executeCommand(COMMAND.signIn, request), false);
    assert.equal(server.authorizeRequests().at(-1)?.query.client_id, client.clientId, 'the browser went to the sign-in page');
    assert.deepEqual(await profileState(), before, 'the profile list and the active profile are as before');
  });

  it('with an invalid client secret argument, a sign-in into a new profile fails with bad_input and creates no profile', async () => {
    const { server, channelLog } = await sandbox();
    const before = await profileState();
    const authorizeBefore = server.authorizeRequests().length;
    const logStart = (await channelLog()).length;
    const client = server.addClient();
    const request = { profile: NEW_PROFILE, clientId: client.clientId, clientSecret: 'has spaces in it' };
    assert.equal(await vscode.commands.executeCommand(COMMAND.signIn, request), false);
    assert.deepEqual(await profileState(), before);
    assert.equal(server.authorizeRequests().length, authorizeBefore);
    await eventually(
      async () => (await channelLog()).slice(logStart).includes('[sign-in] ended without signing in: bad_input'),
      'the bad_input failure in the PandaDoc log',
    );
  });
});
