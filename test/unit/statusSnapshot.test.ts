/**
 * The status snapshot (issue 22): what activation answers from before SecretStorage has been
 * read. It is read strictly (anything another version wrote, or wrong in any field, is as good as
 * none), never gives out a secret, and the store's word replaces it as soon as it has been read.
 */
import * as assert from 'node:assert/strict';
import { profileKey } from '../../src/core/token/credentials';
import { PROFILES_KEY, serializeIndex } from '../../src/core/profiles/profileIndex';
import { Profiles, type ProfilesChange } from '../../src/core/profiles/profiles';
import { readSnapshot, sameSnapshot, type StatusSnapshot, stateOfSnapshot, takeSnapshot } from '../../src/core/profiles/statusSnapshot';
import { DEFAULT_SETTINGS } from '../../src/core/base/settings';
import { CapturingLogger, GatedStore, ManualClock } from '../support/doubles';
import { exchangeOptions } from '../support/harness';

const VERSION = '0.3.0';
const EXPIRES = Date.UTC(2027, 10, 25);
const API_KEY = 'sandbox-api-key-0123456789';

function snapshot(fields: Partial<StatusSnapshot> = {}): StatusSnapshot {
  const made = { format: 1 as const, version: VERSION, profile: 'Sandbox', profiles: 2, kind: 'oauth' as const, expiresAt: EXPIRES, canRefresh: true, ...fields };
  // `expiresAt: undefined` given means no expiry at all, as a snapshot read back has none.
  return made.expiresAt === undefined ? (({ expiresAt: _none, ...rest }) => rest)(made) : made;
}

describe('the status snapshot', () => {
  describe('reading it', () => {
    it('keeps what it took: a snapshot read back says the same', () => {
      const taken = takeSnapshot({ status: { kind: 'oauth', expiresAt: EXPIRES }, canRefresh: true, refreshing: true, unreadable: false, profile: { name: 'Sandbox', shown: true } }, 2, VERSION);
      assert.deepEqual(taken, snapshot());
      const read = readSnapshot(JSON.parse(JSON.stringify(taken)), VERSION);
      assert.deepEqual(read, taken);
      assert.equal(sameSnapshot(read, taken), true);
      assert.equal(sameSnapshot(read, snapshot({ expiresAt: EXPIRES + 1 })), false);
      assert.deepEqual(readSnapshot(snapshot({ kind: 'apiKey', expiresAt: undefined, canRefresh: false }), VERSION)?.kind, 'apiKey');
    });

    const ignored: [why: string, raw: unknown][] = [
      ['nothing', undefined],
      ['null', null],
      ['a string', JSON.stringify(snapshot())],
      ['an array', [snapshot()]],
      ['written by an older version', snapshot({ version: '0.2.0' })],
      ['of another format', { ...snapshot(), format: 2 }],
      ['with a field this version does not know', { ...snapshot(), accessToken: 'not-real-token' }],
      ['an unknown kind', snapshot({ kind: 'bearer' as 'oauth' })],
      ['an expiry on an API key', snapshot({ kind: 'apiKey', canRefresh: false })],
      ['a refresh on nothing stored', snapshot({ kind: 'none', expiresAt: undefined })],
      ['an expiry that is not a time', snapshot({ expiresAt: -5 })],
      ['an expiry that is text', { ...snapshot(), expiresAt: String(EXPIRES) }],
      ['no profile name', snapshot({ profile: '' })],
      ['a name with a control character', snapshot({ profile: 'Sand\u0007box' })],
      ['a name longer than any profile', snapshot({ profile: 'x'.repeat(41) })],
      ['no profiles', snapshot({ profiles: 0 })],
      ['a count that is not whole', snapshot({ profiles: 1.5 })],
      ['canRefresh that is not a boolean', { ...snapshot(), canRefresh: 'yes' }],
    ];
    for (const [why, raw] of ignored) {
      it(`ignores one that is ${why}`, () => {
        assert.equal(readSnapshot(raw, VERSION), undefined);
      });
    }

    it('says what the status bar needs and no more: no account, no failure, not refreshing', () => {
      assert.deepEqual(stateOfSnapshot(snapshot({ profiles: 1 })), {
        status: { kind: 'oauth', expiresAt: EXPIRES },
        canRefresh: true,
        refreshing: false,
        unreadable: false,
        profile: { name: 'Sandbox', shown: false },
      });
    });
  });

  describe('activation from it', () => {
    let profiles: Profiles;
    afterEach(() => profiles.dispose());

    /** The store holds an API key in the active profile "Sandbox" of two; every read is held. */
    function start(): { store: GatedStore; changes: ProfilesChange[] } {
      const store = new GatedStore();
      store.values.set(PROFILES_KEY, serializeIndex({ active: 'Sandbox', names: ['Default', 'Sandbox'] }));
      store.values.set(profileKey('Sandbox'), JSON.stringify({ version: 1, kind: 'apiKey', apiKey: API_KEY }));
      profiles = new Profiles({ ...exchangeOptions(DEFAULT_SETTINGS, new ManualClock(), new CapturingLogger()), store });
      const changes: ProfilesChange[] = [];
      profiles.onDidChange((cause) => changes.push(cause));
      return { store, changes };
    }

    it('answers the status from the snapshot at once, before any read of the store has returned', async () => {
      const { store } = start();
      profiles.presume(snapshot({ kind: 'apiKey', expiresAt: undefined, canRefresh: false }));
      const read = profiles.initialize('Sandbox');
      assert.deepEqual(profiles.status(), { kind: 'apiKey', profile: 'Sandbox' });
      assert.equal(profiles.state().profile?.shown, true);
      assert.equal(profiles.presuming(), true);
      store.release();
      await read;
      assert.equal(profiles.presuming(), false);
      assert.deepEqual(profiles.status(), { kind: 'apiKey', profile: 'Sandbox' });
    });

    it('gives out no secret and changes nothing before the store has been read', async () => {
      const { store } = start();
      profiles.presume(snapshot({ profile: 'Default', kind: 'oauth' }));
      const read = profiles.initialize('Default');
      let settled = false;
      const token = profiles.getAccessToken().finally(() => (settled = true));
      const header = profiles.getAuthorizationHeader();
      const switched = profiles.switchTo('Default');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(settled, false, 'getAccessToken() waits for the read');
      assert.equal(store.writes, 0, 'nothing written on the snapshot’s word');
      store.release();
      await read;
      // The store's active profile and its API key, not the snapshot's "Default" with OAuth.
      assert.equal(await token, API_KEY);
      assert.equal(await header, `API-Key ${API_KEY}`);
      assert.equal(await switched, true, 'the switch acted on the stored index');
    });

    it('is corrected when the store says otherwise: the store’s status, with one load change', async () => {
      const { store, changes } = start();
      profiles.presume(snapshot({ profile: 'Default', profiles: 1, kind: 'oauth' }));
      const read = profiles.initialize('Default');
      assert.deepEqual(profiles.status(), { kind: 'oauth', expiresAt: EXPIRES, profile: 'Default' });
      assert.equal(profiles.state().profile?.shown, false);
      store.release();
      await read;
      assert.deepEqual(profiles.status(), { kind: 'apiKey', profile: 'Sandbox' });
      assert.equal(profiles.state().profile?.shown, true);
      assert.deepEqual(changes, ['load']);
      assert.deepEqual(takeSnapshot(profiles.state(), profiles.names().length, VERSION), snapshot({ kind: 'apiKey', expiresAt: undefined, canRefresh: false }));
    });

    it('without a snapshot nothing is presumed: the status is the store’s once initialize() resolves', async () => {
      const { store, changes } = start();
      const read = profiles.initialize();
      assert.equal(profiles.presuming(), false);
      store.release();
      await read;
      assert.deepEqual(profiles.status(), { kind: 'apiKey', profile: 'Sandbox' });
      assert.deepEqual(changes, [], 'nothing to correct');
    });
  });
});
