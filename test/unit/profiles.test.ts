import * as assert from 'node:assert/strict';
import { LEGACY_CREDENTIALS_KEY, parseCredentials, profileKey } from '../../src/core/token/credentials';
import { isAuthError } from '../../src/core/base/errors';
import { migrateLegacyAccount } from '../../src/core/profiles/migration';
import { checkProfileName, parseIndex, PROFILES_KEY, serializeIndex } from '../../src/core/profiles/profileIndex';
import type { ProfilesChange } from '../../src/core/profiles/profiles';
import { assertNoSecrets, assertSameStored } from '../support/assertions';
import { CapturingLogger, ManualClock, MemoryStore } from '../support/doubles';
import { exchangeOptions, type ProfilesHarness, startProfilesHarness } from '../support/harness';
import { Profiles } from '../../src/core/profiles/profiles';

/** A value exactly as version 0.1 wrote it (field order and all). */
function legacyValue(client: { clientId: string; clientSecret: string; refreshToken: string }, accessToken: string): string {
  return JSON.stringify({
    version: 1,
    kind: 'oauth',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken: client.refreshToken,
    accessToken,
    expiresAt: Date.UTC(2027, 10, 25),
  });
}

describe('profiles', () => {
  let h: ProfilesHarness;
  afterEach(async () => {
    h.profiles.dispose();
    await h.server.close();
  });

  describe('activation', () => {
    /** Holds every read until released, and records the keys asked for meanwhile. */
    class GatedStore extends MemoryStore {
      readonly asked: string[] = [];
      private opened!: () => void;
      private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
      override async get(key: string): Promise<string | undefined> {
        this.asked.push(key);
        await this.gate;
        return super.get(key);
      }
      release(): void {
        this.opened();
      }
    }

    async function storedWithSandboxActive(): Promise<GatedStore> {
      const store = new GatedStore();
      store.values.set(PROFILES_KEY, serializeIndex({ active: 'Sandbox', names: ['Default', 'Sandbox'] }));
      store.values.set(profileKey('Sandbox'), JSON.stringify({ version: 1, kind: 'apiKey', apiKey: 'sandbox-api-key-0123456789' }));
      h = await startProfilesHarness();
      return store;
    }

    it('reads the likely active profile beside the index and the 0.1 check: one round trip to SecretStorage', async () => {
      const store = await storedWithSandboxActive();
      const profiles = new Profiles({ ...exchangeOptions(h.settings, new ManualClock(), new CapturingLogger()), store });
      const initialized = profiles.initialize('Sandbox');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual([...store.asked].sort(), [LEGACY_CREDENTIALS_KEY, PROFILES_KEY, profileKey('Sandbox')].sort(), 'all asked before any answer');
      store.release();
      await initialized;
      assert.equal(profiles.activeName(), 'Sandbox');
      assert.equal(profiles.status().kind, 'apiKey', 'the truth once initialize() has resolved');
      profiles.dispose();
    });

    it('a wrong guess still ends with the active profile read before initialize() resolves', async () => {
      const store = await storedWithSandboxActive();
      store.release();
      const profiles = new Profiles({ ...exchangeOptions(h.settings, new ManualClock(), new CapturingLogger()), store });
      await profiles.initialize('Default');
      assert.equal(profiles.activeName(), 'Sandbox');
      assert.equal(profiles.status().kind, 'apiKey');
      profiles.dispose();
    });
  });

  describe('migration from the single-account version (0.1.x)', () => {
    it('moves the old value byte for byte into "Default", deletes the old key, and serves the same token without a request', async () => {
      const store = new MemoryStore();
      h = await startProfilesHarness(store);
      const client = h.server.addClient();
      const old = legacyValue(client, 'old-access-token-aaaaaaaa');
      store.values.delete(PROFILES_KEY);
      store.values.set(LEGACY_CREDENTIALS_KEY, old);
      h.profiles.dispose();
      h.profiles = await h.secondWindow();

      assertSameStored(store.values.get(profileKey('Default')), old, 'the migrated value');
      assert.equal(store.values.has(LEGACY_CREDENTIALS_KEY), false, 'the old key is gone');
      assert.deepEqual(parseIndex(store.values.get(PROFILES_KEY)), { active: 'Default', names: ['Default'] });
      assert.equal(h.profiles.activeName(), 'Default');
      assert.equal(await h.profiles.getAccessToken(), 'old-access-token-aaaaaaaa');
      assert.equal(h.server.tokenRequests().length, 0);
      assert.match(h.log.text(), /moved the stored account of version 0\.1\.x into the profile "Default"/);
      assertNoSecrets(h.log.text(), [...h.server.issued, 'old-access-token-aaaaaaaa'], 'the log');
    });

    it('keeps an old value it cannot read, unread, rather than losing it', async () => {
      const store = new MemoryStore();
      store.values.set(LEGACY_CREDENTIALS_KEY, '{"version":1,"kind":"oauth"');
      h = await startProfilesHarness(store);
      assert.equal(store.values.get(profileKey('Default')), '{"version":1,"kind":"oauth"');
      assert.equal(h.profiles.state().unreadable, true);
    });

    it('leaves the old value in place when the copy cannot be written, and tries again next time', async () => {
      const store = new MemoryStore();
      store.values.set(LEGACY_CREDENTIALS_KEY, '{"version":1,"kind":"apiKey","apiKey":"legacy-key-123456"}');
      store.failWrites = true;
      await assert.rejects(migrateLegacyAccount(store, new CapturingLogger()));
      assert.equal(store.values.get(LEGACY_CREDENTIALS_KEY), '{"version":1,"kind":"apiKey","apiKey":"legacy-key-123456"}');
      store.failWrites = false;
      assert.equal(await migrateLegacyAccount(store, new CapturingLogger()), 'migrated');
      assert.equal(parseCredentials(store.values.get(profileKey('Default'))).ok, true);
    });

    it('finishes a migration cut off after the index was written, keeping the (newer) profile value', async () => {
      const store = new MemoryStore();
      store.values.set(LEGACY_CREDENTIALS_KEY, '{"version":1,"kind":"apiKey","apiKey":"stale-key-1234567"}');
      store.values.set(profileKey('Default'), '{"version":1,"kind":"apiKey","apiKey":"fresh-key-1234567"}');
      store.values.set(PROFILES_KEY, serializeIndex({ active: 'Default', names: ['Default'] }));
      assert.equal(await migrateLegacyAccount(store, new CapturingLogger()), 'finished');
      assert.equal(store.values.has(LEGACY_CREDENTIALS_KEY), false);
      assert.match(store.values.get(profileKey('Default')) ?? '', /fresh-key/);
    });

    it('does nothing on a fresh install', async () => {
      const store = new MemoryStore();
      assert.equal(await migrateLegacyAccount(store, new CapturingLogger()), 'nothing');
      assert.equal(store.writes, 0);
    });
  });

  describe('several profiles', () => {
    beforeEach(async () => {
      h = await startProfilesHarness();
    });

    it('starts with "Default" and writes nothing at activation', () => {
      assert.deepEqual([h.profiles.activeName(), ...h.profiles.names()], ['Default', 'Default']);
      assert.equal(h.store.writes, 0);
      assert.deepEqual(h.profiles.status(), { kind: 'none', profile: 'Default' });
    });

    it('keeps each profile’s credentials apart and switches between them, firing "switch"', async () => {
      const client = h.server.addClient();
      await h.profiles.activeManager().setOAuthCredentials(client);
      await h.profiles.create('Sandbox');
      assert.equal(h.profiles.activeName(), 'Sandbox');
      await h.profiles.activeManager().setApiKey('sandbox-api-key-0123456789');
      const changes: ProfilesChange[] = [];
      h.profiles.onDidChange((cause) => changes.push(cause));

      assert.equal(await h.profiles.getAuthorizationHeader(), 'API-Key sandbox-api-key-0123456789');
      await h.profiles.switchTo('default');
      assert.deepEqual(changes, ['switch']);
      assert.equal(h.profiles.status().kind, 'oauth');
      assert.equal(h.profiles.status().profile, 'Default');
      assert.match((await h.profiles.getAuthorizationHeader()) ?? '', /^Bearer /);
      assert.deepEqual(
        (await h.profiles.summaries()).map(({ name, active, kind }) => ({ name, active, kind })),
        [
          { name: 'Default', active: true, kind: 'oauth' },
          { name: 'Sandbox', active: false, kind: 'apiKey' },
        ],
      );
      assert.equal(await h.profiles.switchTo('Default'), false, 'already active');
    });

    it('runInProfileOrRollBack(): a profile made for a task that fails goes again, and the one before is active again', async () => {
      await h.profiles.create('Work');
      const index = h.store.values.get(PROFILES_KEY);
      await assert.rejects(
        h.profiles.runInProfileOrRollBack('Staging', async () => {
          assert.equal(h.profiles.activeName(), 'Staging', 'the task runs in the new profile');
          throw new Error('cancelled');
        }),
        /cancelled/,
      );
      assert.equal(h.profiles.activeName(), 'Work');
      assert.deepEqual(h.profiles.names(), ['Default', 'Work']);
      assert.equal(h.store.values.get(PROFILES_KEY), index, 'the stored index is as it was');
      // An existing profile is never removed, and one the task filled is kept.
      await assert.rejects(h.profiles.runInProfileOrRollBack('Default', () => Promise.reject(new Error('failed'))));
      assert.deepEqual(h.profiles.names(), ['Default', 'Work']);
      await assert.rejects(
        h.profiles.runInProfileOrRollBack('Filled', async () => {
          await h.profiles.activeManager().setApiKey('filled-api-key-0123456789');
          throw new Error('failed after storing');
        }),
      );
      assert.deepEqual(h.profiles.names(), ['Default', 'Work', 'Filled']);
      assert.equal(await h.profiles.runInProfileOrRollBack('Work', async () => 'done'), 'done');
    });

    it('shows the profile in the status text only when there are several', async () => {
      const region = `as in Settings (${new URL(h.server.url).host})`;
      assert.deepEqual(h.profiles.state().profile, { name: 'Default', shown: false, region });
      await h.profiles.create('Sandbox', { activate: false });
      assert.deepEqual(h.profiles.state().profile, { name: 'Default', shown: true, region });
    });

    it('refuses empty, overlong, duplicate (any case) and unknown names, changing nothing', async () => {
      await h.profiles.create('Production');
      const writes = h.store.writes;
      for (const bad of ['', '   ', 'x'.repeat(41), 'production', 'a\nb', 42]) {
        await assert.rejects(h.profiles.create(bad), (error) => isAuthError(error) && error.code === 'bad_input');
      }
      await assert.rejects(h.profiles.switchTo('Nope'), (error) => isAuthError(error) && error.code === 'bad_input');
      assert.equal(h.store.writes, writes);
      assert.equal(checkProfileName('  Sandbox  ', []), 'Sandbox');
    });

    it('removes one profile with its credentials, making another active; the last one is emptied', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      await h.profiles.create('Sandbox');
      await h.profiles.activeManager().setApiKey('sandbox-api-key-0123456789');
      assert.equal(await h.profiles.remove('Sandbox'), true);
      assert.equal(h.store.values.has(profileKey('Sandbox')), false);
      assert.deepEqual([h.profiles.activeName(), ...h.profiles.names()], ['Default', 'Default']);
      assert.equal(h.profiles.status().kind, 'apiKey');
      assert.equal(await h.profiles.remove('Default'), true);
      assert.equal(h.store.values.has(profileKey('Default')), false);
      assert.equal(h.profiles.status().kind, 'none');
      assert.equal(await h.profiles.remove('Default'), false, 'nothing left to remove');
    });

    it('renames a profile, its credentials moved along, its place and its being active kept', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      await h.profiles.create('Sandbox');
      await h.profiles.activeManager().setApiKey('sandbox-api-key-0123456789');
      await h.profiles.switchTo('Default');
      const changes: ProfilesChange[] = [];
      h.profiles.onDidChange((cause) => changes.push(cause));

      assert.equal(await h.profiles.rename('default', ' Production '), 'Production');
      assert.deepEqual([h.profiles.activeName(), ...h.profiles.names()], ['Production', 'Production', 'Sandbox']);
      assert.equal(h.store.values.has(profileKey('Default')), false, 'the old key is gone');
      assert.equal(await h.profiles.getAuthorizationHeader(), 'API-Key default-api-key-0123456789');
      assert.ok(changes.includes('switch'), 'the active profile is announced under its new name');
      assert.deepEqual(parseIndex(h.store.values.get(PROFILES_KEY)), { active: 'Production', names: ['Production', 'Sandbox'] });

      // A profile that is not active, and a change of case only.
      assert.equal(await h.profiles.rename('Sandbox', 'sandbox'), 'sandbox');
      assert.deepEqual(h.profiles.names(), ['Production', 'sandbox']);
      assert.equal((await h.profiles.manager('sandbox')).status().kind, 'apiKey');
      assert.equal(h.store.values.has(profileKey('Sandbox')), false);
    });

    it('refuses a rename to a name another profile has, or that is no name, changing nothing', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      await h.profiles.create('Sandbox', { activate: false });
      const before = new Map(h.store.values);
      for (const bad of ['SANDBOX', '', 'a\nb']) {
        await assert.rejects(h.profiles.rename('Default', bad), (error) => isAuthError(error) && error.code === 'bad_input');
      }
      await assert.rejects(h.profiles.rename('Nope', 'Other'), (error) => isAuthError(error) && error.code === 'bad_input');
      assert.deepEqual(h.store.values, before);
    });

    it('fillOnTrial() then undoTrial(): a profile made for the trial goes again, an existing one gets back what it held', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      const made = await h.profiles.fillOnTrial('Imported', (manager) => manager.setApiKey('imported-api-key-0123456789'));
      assert.equal(made.created, true);
      assert.equal(h.profiles.activeName(), 'Imported');
      assert.equal(await h.profiles.undoTrial(made), true);
      assert.deepEqual([h.profiles.activeName(), ...h.profiles.names()], ['Default', 'Default']);
      assert.equal(h.store.values.has(profileKey('Imported')), false);

      await h.profiles.create('Sandbox', { activate: false });
      const sandbox = await h.profiles.manager('Sandbox');
      await sandbox.setApiKey('sandbox-api-key-0123456789');
      const held = h.store.values.get(profileKey('Sandbox'));
      const replaced = await h.profiles.fillOnTrial('sandbox', (manager) => manager.setApiKey('imported-api-key-0123456789'));
      assert.equal(replaced.created, false);
      assert.equal(await h.profiles.getAuthorizationHeader(), 'API-Key imported-api-key-0123456789');
      assert.equal(await h.profiles.undoTrial(replaced), true);
      assert.equal(h.store.values.get(profileKey('Sandbox')), held, 'what Sandbox held, byte for byte');
      assert.equal(h.profiles.activeName(), 'Default');

      // Once the profile holds other credentials, the undo leaves it alone.
      const again = await h.profiles.fillOnTrial('Sandbox', (manager) => manager.setApiKey('imported-api-key-0123456789'));
      await h.profiles.activeManager().setApiKey('typed-later-api-key-0123456789');
      assert.equal(await h.profiles.undoTrial(again), false);
      assert.equal(await h.profiles.getAuthorizationHeader(), 'API-Key typed-later-api-key-0123456789');
    });

    it('removes all profiles at once', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      await h.profiles.create('Sandbox');
      await h.profiles.activeManager().setApiKey('sandbox-api-key-0123456789');
      assert.equal(await h.profiles.removeAll(), true);
      assert.deepEqual([...h.store.values.keys()].filter((key) => key.startsWith('pandadoc.profile/')), []);
      assert.deepEqual([h.profiles.activeName(), ...h.profiles.names()], ['Default', 'Default']);
    });

    it('a refresh that started before a switch stores into its own profile', async () => {
      const client = h.server.addClient();
      await h.profiles.activeManager().setOAuthCredentials(client);
      h.server.failNext({ kind: 'delay', ms: 150 });
      const refreshing = h.profiles.activeManager().refresh();
      await h.profiles.create('Sandbox');
      const { accessToken } = await refreshing;
      assert.equal(h.profiles.status().kind, 'none', 'the new profile is untouched');
      assert.equal(
        (parseCredentials(h.store.values.get(profileKey('Default'))) as { credentials: { accessToken: string } }).credentials
          .accessToken,
        accessToken,
      );
    });

    it('another window follows a switch, a new profile and a refresh, through SecretStorage changes', async () => {
      const other = await h.secondWindow();
      const seen: ProfilesChange[] = [];
      other.onDidChange((cause) => seen.push(cause));
      await h.profiles.create('Sandbox', { activate: false });
      await other.onSecretChange(PROFILES_KEY);
      await h.profiles.switchTo('Sandbox');
      await other.onSecretChange(PROFILES_KEY);
      assert.equal(other.activeName(), 'Sandbox');
      await h.profiles.activeManager().setApiKey('sandbox-api-key-0123456789');
      await other.onSecretChange(profileKey('Sandbox'));
      assert.equal(other.status().kind, 'apiKey');
      assert.deepEqual(seen, ['profiles', 'switch', 'external']);
      other.dispose();
    });

    it('remembers whose the credentials are, and forgets it when they are replaced', async () => {
      await h.profiles.activeManager().setApiKey('default-api-key-0123456789');
      const identity = h.profiles.activeManager().identity() ?? '';
      assert.equal(await h.profiles.activeManager().setAccount({ email: 'ann@example.test', name: 'Ann' }, identity), true);
      assert.equal(h.profiles.state().account?.email, 'ann@example.test');
      await h.profiles.activeManager().setApiKey('another-api-key-0123456789');
      assert.equal(h.profiles.state().account, undefined);
      assert.equal(await h.profiles.activeManager().setAccount({ email: 'late@example.test' }, identity), false, 'stale answer dropped');
      assert.equal(h.profiles.state().account, undefined);
    });
  });
});
