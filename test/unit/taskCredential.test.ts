/** The task input's answers against a real PandaDoc-compatible server: values, consent, failures. */
import * as assert from 'node:assert/strict';
import { type AuthError, isAuthError } from '../../src/core/base/errors';
import { memoryState } from '../../src/core/base/stateStore';
import type { ConsentAnswer, ConsentQuestion } from '../../src/core/routes/taskConsent';
import { type TaskCredentialHost, type TaskCredentialOutcome, TaskCredentials } from '../../src/core/routes/taskCredential';
import { WorkspaceGrants, type WorkspaceRef } from '../../src/core/routes/workspaceGrants';
import { assertNoSecrets, assertSameSecret } from '../support/assertions';
import { CapturingLogger } from '../support/doubles';
import { type ProfilesHarness, startProfilesHarness } from '../support/harness';
import { PANDADOC_EXPIRES_IN } from '../support/pandadocServer';

const SHOP: WorkspaceRef = { id: 'file:///home/me/shop', name: 'shop', path: '/home/me/shop' };

class Host implements TaskCredentialHost {
  readonly manageTitle = 'Manage Workspace Permissions...';
  readonly questions: ConsentQuestion[] = [];
  answers: (ConsentAnswer | undefined)[] = [];
  folder: WorkspaceRef | undefined = SHOP;
  isTrusted = true;
  workspace = () => this.folder;
  trusted = () => this.isTrusted;
  async ask(question: ConsentQuestion): Promise<ConsentAnswer | undefined> {
    this.questions.push(question);
    // A person takes a moment: a second input waiting meanwhile must not be asked too.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.answers.shift();
  }
}

function value(outcome: TaskCredentialOutcome): string {
  assert.ok(outcome.ok, `a value, not ${outcome.ok ? '' : outcome.refusal ?? (isAuthError(outcome.error) ? outcome.error.code : 'an unexpected error')}`);
  return outcome.value;
}

function failure(outcome: TaskCredentialOutcome): AuthError & { profile?: string } {
  assert.ok(!outcome.ok && outcome.refusal === undefined, 'a failure');
  assert.ok(isAuthError(outcome.error), 'an AuthError');
  return outcome.error;
}

describe('TaskCredentials: the answer to a task or launch input', () => {
  let h: ProfilesHarness;
  let host: Host;
  let grants: WorkspaceGrants;
  let log: CapturingLogger;
  let tasks: TaskCredentials;
  let client: { clientId: string; clientSecret: string; refreshToken: string };
  const snapshot = () => new Map(h.store.values);

  beforeEach(async () => {
    h = await startProfilesHarness();
    host = new Host();
    grants = new WorkspaceGrants(memoryState(), h.clock);
    log = new CapturingLogger();
    tasks = new TaskCredentials(h.profiles, grants, host, log);
    client = h.server.addClient();
    await h.profiles.activeManager().setOAuthCredentials(client);
  });

  afterEach(async function () {
    assertNoSecrets(log.text() + h.log.text(), h.server.issued, `the log of "${this.currentTest?.title}"`);
    h.profiles.dispose();
    await h.server.close();
  });

  describe('granted', () => {
    beforeEach(() => grants.grant(SHOP, 'tasks', 'Default'));

    it('gives a fresh Authorization header without asking, refreshing when the token is due', async () => {
      const first = value(await tasks.answer(undefined));
      assertSameSecret(first, `Bearer ${h.server.issued.at(-1)}`, 'the header after the first refresh');
      assert.equal(h.server.tokenRequests().length, 1);
      assertSameSecret(value(await tasks.answer('authorization')), first, 'the same fresh token, no request');
      assert.equal(h.server.tokenRequests().length, 1);
      h.clock.advance(PANDADOC_EXPIRES_IN * 1000);
      const renewed = value(await tasks.answer({ value: 'authorization' }));
      assert.equal(h.server.tokenRequests().length, 2, 'a token past its margin is refreshed first');
      assertSameSecret(renewed, `Bearer ${h.server.issued.at(-1)}`, 'the renewed header');
      assert.deepEqual(host.questions, []);
      assert.match(log.text(), /\[tasks\] gave the Authorization header \(Bearer and the access token\) of "Default" \(…[0-9a-f]{4}\) to the workspace "shop" \(allowed always\)/);
    });

    it('gives the token alone, and the base URL of the profile (no secret: no question, even with no folder open)', async () => {
      assertSameSecret(value(await tasks.answer('token')), h.server.issued.at(-1), 'the access token');
      host.folder = undefined;
      assert.equal(value(await tasks.answer('baseUrl')), h.settings.apiBaseUrl);
    });

    it('gives a named profile\'s API key as its header, found whatever the case of its name', async () => {
      await h.profiles.create('Sandbox', { activate: false });
      const key = h.server.addApiKey();
      await (await h.profiles.manager('Sandbox')).setApiKey(key);
      await grants.grant(SHOP, 'tasks', 'Sandbox');
      assertSameSecret(value(await tasks.answer({ profile: 'sandbox' })), `API-Key ${key}`, 'the header of the named profile');
      assert.equal(h.profiles.activeName(), 'Default', 'the active profile stays');
    });
  });

  describe('the bad inputs: a clear error, nothing returned, nothing stored changed, nobody asked', () => {
    beforeEach(() => grants.grant(SHOP, 'tasks', 'Default'));

    async function refused(argument: unknown, code: string, message: RegExp): Promise<void> {
      const before = snapshot();
      const error = failure(await tasks.answer(argument));
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.deepEqual(h.store.values, before, 'the stored values');
      assert.deepEqual(host.questions, []);
    }

    it('a bad argument', () => refused({ value: 'refresh_token' }, 'bad_input', /Its "value" is not one of/));
    it('a profile that does not exist', () => refused({ profile: 'Nope' }, 'bad_input', /^There is no PandaDoc profile named "Nope"\.$/));
    it('a profile with nothing stored', async () => {
      await h.profiles.create('Empty', { activate: false });
      await refused({ profile: 'Empty' }, 'no_credentials', /Nothing is stored in the profile "Empty"/);
    });
    it('an API-key profile asked for an OAuth token', async () => {
      await h.profiles.activeManager().setApiKey(h.server.addApiKey());
      await refused('token', 'bad_input', /holds an API key, which has no OAuth token\. Ask for "authorization" instead/);
    });
    it('a dead grant: PandaDoc refused the refresh token earlier (asked for nothing before the question)', async () => {
      h.server.revoke(client.refreshToken);
      const first = failure(await tasks.answer(undefined));
      assert.equal(first.code, 'invalid_grant');
      // The refresh token PandaDoc refused is dropped, as after any refresh (the client is kept);
      // from then on the grant is known dead, and nothing else changes.
      const requests = h.server.tokenRequests().length;
      await refused(undefined, 'invalid_grant', /rejected the refresh token earlier/);
      assert.equal(h.server.tokenRequests().length, requests, 'no request for a grant known dead');
    });
    it('a refresh that fails (HTTP 500 every time): the stored credentials stay', async () => {
      h.server.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
      await refused(undefined, 'server', /./);
    });
  });

  describe('not granted', () => {
    it('Allow Once gives the value and asks again the next time', async () => {
      host.answers = ['once', 'once'];
      value(await tasks.answer(undefined));
      value(await tasks.answer(undefined));
      assert.equal(host.questions.length, 2);
      assert.equal(grants.has(SHOP.id, 'tasks', 'Default'), false);
      assert.match(host.questions[0].message, /"shop"/);
      assert.match(host.questions[0].detail, /the Authorization header \(Bearer and the access token\) of the PandaDoc profile "Default"/);
    });

    it('Allow Always is kept for the workspace and profile: two inputs waiting at once are asked once', async () => {
      host.answers = ['always'];
      const [a, b] = await Promise.all([tasks.answer(undefined), tasks.answer('token')]);
      value(a);
      value(b);
      assert.equal(host.questions.length, 1);
      assert.equal(grants.has(SHOP.id, 'tasks', 'Default'), true);
      assert.deepEqual(grants.list().map((g) => [g.workspace.name, g.route, g.profile]), [['shop', 'tasks', 'Default']]);
      value(await tasks.answer(undefined));
      assert.equal(host.questions.length, 1);
      assert.match(log.text(), /\[tasks\] the workspace "shop" is allowed always for the profile "Default"/);
    });

    it('Allow Always covers the profile the question named: a task asking for another profile is asked again', async () => {
      await h.profiles.create('Production', { activate: false });
      await (await h.profiles.manager('Production')).setOAuthCredentials(h.server.addClient());
      host.answers = ['always'];
      value(await tasks.answer(undefined));
      const before = snapshot();
      const denied = await tasks.answer({ profile: 'Production' });
      assert.ok(!denied.ok && denied.refusal === 'denied', 'asked, and no answer denies');
      assert.equal(host.questions.length, 2);
      assert.match(host.questions[1].message, /of the profile "Production"/);
      assert.match(host.questions[1].detail, /for the profile "Production" only/);
      assert.deepEqual(h.store.values, before);
      assert.equal(grants.has(SHOP.id, 'tasks', 'Production'), false);
    });

    it('the grants follow the profiles: a rename carries them, the new name inherits none, a removal drops them', async () => {
      h.profiles.followNames(grants);
      await h.profiles.create('Production', { activate: false });
      await (await h.profiles.manager('Production')).setOAuthCredentials(h.server.addClient());
      await h.profiles.create('Sandbox', { activate: false });
      await (await h.profiles.manager('Sandbox')).setApiKey(h.server.addApiKey());
      await grants.grant(SHOP, 'tasks', 'Sandbox');
      // Sandbox becomes Old Sandbox (its grant with it), then Production takes the name Sandbox.
      await h.profiles.rename('Sandbox', 'Old Sandbox');
      await h.profiles.rename('Production', 'Sandbox');
      const before = snapshot();
      const asked = await tasks.answer({ profile: 'Sandbox' });
      assert.ok(!asked.ok && asked.refusal === 'denied', 'the renamed Production is asked for');
      assert.equal(host.questions.length, 1);
      assert.deepEqual(h.store.values, before);
      value(await tasks.answer({ profile: 'Old Sandbox' }));
      assert.equal(host.questions.length, 1, 'the old Sandbox\'s grant moved with it');
      await h.profiles.remove('Old Sandbox');
      assert.deepEqual(grants.list(), []);
    });

    it('names the workspace quoted and where it is, so a name cannot rewrite the question or the log', async () => {
      host.folder = { id: 'file:///home/me/x', name: 'shop" is safe. "Allow Always', path: '/home/me/x\ufffd' };
      await tasks.answer(undefined);
      assert.equal(host.questions[0].message, 'Let the workspace "shop\\" is safe. \\"Allow Always" have your PandaDoc credentials of the profile "Default" in its tasks and launch configurations?');
      assert.match(host.questions[0].detail, /The workspace is at \/home\/me\/x\ufffd/);
      assert.match(log.text(), /gave nothing to the workspace "shop\\" is safe\. \\"Allow Always": denied/);
    });

    it('no answer denies: nothing given, nothing requested, a message that says why', async () => {
      const before = snapshot();
      const outcome = await tasks.answer(undefined);
      assert.ok(!outcome.ok && outcome.refusal === 'denied');
      assert.equal(outcome.message, 'The task or launch configuration was cancelled, and got no PandaDoc credential. You did not allow it for the workspace "shop".');
      assert.equal(h.server.tokenRequests().length, 0);
      assert.deepEqual(h.store.values, before);
      assert.equal(grants.has(SHOP.id, 'tasks', 'Default'), false);
    });

    it('an untrusted workspace and a window with no folder are refused without a question, grant or not', async () => {
      await grants.grant(SHOP, 'tasks', 'Default');
      host.isTrusted = false;
      const untrusted = await tasks.answer(undefined);
      assert.ok(!untrusted.ok && untrusted.refusal === 'untrusted');
      assert.match(untrusted.message, /"shop" is not trusted/);
      host.folder = undefined;
      const noFolder = await tasks.answer(undefined);
      assert.ok(!noFolder.ok && noFolder.refusal === 'no_folder');
      assert.deepEqual(host.questions, []);
      assert.equal(h.server.tokenRequests().length, 0);
    });
  });
});
