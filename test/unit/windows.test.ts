/**
 * Two windows, one account, a server that rotates refresh tokens: with SecretStorage shared live
 * (desktop) and with SecretStorage kept per window (VS Code for the Web, code-server), through
 * the real ledger on disk and a real PandaDoc-compatible server on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { profileKey } from '../../src/core/token/credentials';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/base/settings';
import { TokenManager } from '../../src/core/token/tokenManager';
import { FileWindowLedger, type LedgerEntry, stampOf } from '../../src/core/token/windowLedger';
import type { SecretStore } from '../../src/core/base/secretStore';
import { assertSameSecret, rejection } from '../support/assertions';
import { CapturingLogger, ManualClock, MemoryStore, PerWindowSecrets } from '../support/doubles';
import { exchangeOptions } from '../support/harness';
import { PandaDocServer } from '../support/pandadocServer';

const KEY = profileKey('Default');
const HOUR = 3600_000;

interface World {
  server: PandaDocServer;
  clock: ManualClock;
  log: CapturingLogger;
  settings: Settings;
  dir: string;
  /** A window: its own TokenManager and ledger over `store`. */
  window(store: SecretStore, withLedger?: boolean): Promise<TokenManager>;
}

async function world(): Promise<World> {
  const server = await PandaDocServer.start({ expiresIn: 3600 });
  const clock = new ManualClock(Date.now());
  const log = new CapturingLogger();
  const settings: Settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url, timeoutMs: 1500 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-ledger-'));
  return {
    server,
    clock,
    log,
    settings,
    dir,
    async window(store, withLedger = true) {
      const ledger = withLedger ? new FileWindowLedger(dir, { log }) : undefined;
      const manager = new TokenManager({ ...exchangeOptions(settings, clock, log), store, key: KEY, ...(ledger ? { ledger } : {}) });
      await manager.initialize();
      return manager;
    },
  };
}

describe('two windows, one refresh token', () => {
  let w: World;

  beforeEach(async () => {
    w = await world();
  });

  afterEach(async () => {
    await w.server.close();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  /** Credentials signed in from the first window, with a token that is due by the time asked. */
  async function signedIn(first: TokenManager): Promise<void> {
    await first.setOAuthCredentials(w.server.addClient());
    await first.refresh();
    w.clock.advance(2 * HOUR);
  }

  describe('secrets kept per window (VS Code for the Web, code-server)', () => {
    it('the window that loses the race says "reload", removes nothing, and the saved refresh token stays alive', async () => {
      const secrets = new PerWindowSecrets();
      const a = await w.window(secrets.openWindow());
      await signedIn(a);
      const b = await w.window(secrets.openWindow());
      const requests = w.server.tokenRequests().length;
      const [fromA, fromB] = await Promise.allSettled([a.getAccessToken(), b.getAccessToken()]);
      const outcomes = [fromA, fromB].map((r) => (r.status === 'fulfilled' ? 'token' : (r.reason as { code: string }).code)).sort();
      assert.deepEqual(outcomes, ['stale_window', 'token']);
      assert.equal(w.server.tokenRequests().length - requests, 2, 'the winner refreshed; the loser tried once');
      const loser = fromA.status === 'rejected' ? a : b;
      assert.equal(loser.state().behind, true);
      assert.equal(loser.state().canRefresh, true, 'the loser kept its refresh token');
      // What is saved is the winner's, and PandaDoc still takes its refresh token.
      const saved = JSON.parse(secrets.saved.get(KEY) ?? '{}') as { refreshToken: string; accessToken: string };
      assert.ok(w.server.isLive(saved.refreshToken), 'the saved refresh token is live');
      // Reload Window: the new window reads the winner's credentials and needs no request.
      const reloaded = await w.window(secrets.openWindow());
      assertSameSecret(await reloaded.getAccessToken(), saved.accessToken, 'token after the reload');
      assert.equal(w.server.tokenRequests().length - requests, 2);
      assert.equal(reloaded.state().behind, false);
    });

    it('without the ledger, the loser would drop the refresh token and save over the winner’s: everyone signed out', async () => {
      const secrets = new PerWindowSecrets();
      const a = await w.window(secrets.openWindow(), false);
      await signedIn(a);
      const b = await w.window(secrets.openWindow(), false);
      await a.getAccessToken();
      assert.equal(await rejection(b.getAccessToken()).then((e) => (e as { code: string }).code), 'invalid_grant');
      const saved = JSON.parse(secrets.saved.get(KEY) ?? '{}') as { refreshToken?: string };
      assert.equal(saved.refreshToken, undefined, 'this is the failure the ledger exists to prevent');
    });

    it('the other window hears of a refresh at once, shows its expiry, and stays behind until it reloads', async () => {
      const secrets = new PerWindowSecrets();
      const a = await w.window(secrets.openWindow());
      await signedIn(a);
      const b = await w.window(secrets.openWindow());
      const ledger = new FileWindowLedger(w.dir);
      const heard = new Promise<void>((resolve) => ledger.onDidRecord(() => resolve()));
      await a.refresh();
      await heard;
      ledger.dispose();
      await b.onLedgerRecord();
      assert.equal(b.state().behind, true);
      assert.equal(b.status().expiresAt, a.status().expiresAt, 'the status is what is saved now');
      // Its own write (a new sign-in here) makes it current again, and puts the other behind.
      await b.setOAuthCredentials(w.server.addClient());
      assert.equal(b.state().behind, false);
      await a.onLedgerRecord();
      assert.equal(a.state().behind, true);
    });

    it('a write lost before this window opened is not "behind": invalid_grant then ends the grant as before (no reload loop)', async () => {
      const secrets = new PerWindowSecrets();
      const a = await w.window(secrets.openWindow());
      await signedIn(a);
      const stale = secrets.saved.get(KEY) ?? '';
      await a.refresh();
      // Another extension's write from an old window saved its old copy over the new one.
      secrets.saved.set(KEY, stale);
      const c = await w.window(secrets.openWindow());
      assert.equal(await rejection(c.getAccessToken()).then((e) => (e as { code: string }).code), 'invalid_grant');
      assert.equal(c.state().behind, false);
      assert.equal(c.state().canRefresh, false);
    });
  });

  describe('secrets shared live (desktop)', () => {
    it('a refresh reads SecretStorage once when the ledger shows no write since: the answer is stored without a second read', async () => {
      const store = new MemoryStore();
      const a = await w.window(store);
      await signedIn(a);
      const reads = store.reads;
      const writes = store.writes;
      await a.refresh();
      assert.equal(store.reads - reads, 1, 'one read, to see whether another window refreshed');
      assert.equal(store.writes - writes, 1);
    });

    it('a write by another window during the refresh wins: the answer is not stored over it', async () => {
      const store = new MemoryStore();
      const a = await w.window(store);
      await signedIn(a);
      const b = await w.window(store);
      w.server.failNext({ kind: 'delay', ms: 300 });
      const refreshing = a.refresh();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const other = w.server.addClient();
      await b.setOAuthCredentials(other);
      await rejection(refreshing);
      const saved = JSON.parse(store.values.get(KEY) ?? '{}') as { clientId: string; refreshToken: string };
      assert.equal(saved.clientId, other.clientId, 'the other window’s credentials are kept');
      assertSameSecret(saved.refreshToken, other.refreshToken, 'refresh token');
      assert.ok(w.log.lines.some((line) => /changed during the refresh; keeping the newer ones/.test(line.message)));
    });

    it('both windows asking at once: one request, and the second window uses the first one’s token', async () => {
      const store = new MemoryStore();
      const a = await w.window(store);
      await signedIn(a);
      const b = await w.window(store);
      const requests = w.server.tokenRequests().length;
      const [fromA, fromB] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
      assertSameSecret(fromB, fromA ?? '', 'both windows hand out the same token');
      assert.equal(w.server.tokenRequests().length - requests, 1, 'the refresh turn made the second window read, not send');
      assert.equal(a.state().behind, false);
      assert.equal(b.state().behind, false);
    });

    it('without the turn, the loser re-reads the store after invalid_grant and uses the newer credentials', async () => {
      const store = new MemoryStore();
      const a = await w.window(store, false);
      await signedIn(a);
      const b = await w.window(store, false);
      w.server.failNext({ kind: 'delay', ms: 100 });
      const [fromA, fromB] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
      assertSameSecret(fromA, fromB ?? '', 'both windows hand out the same token');
      assert.ok(w.server.isLive(JSON.parse(store.values.get(KEY) ?? '{}').refreshToken as string));
    });
  });
});

describe('a write, the ledger and SecretStorage\'s own change event', () => {
  it('announces the write before the ledger is written, so the echo of its own change event finds it announced', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-ledger-'));
    const server = await PandaDocServer.start();
    try {
      const store = new MemoryStore();
      // A slow disk: the ledger's write takes a while.
      const slowLedger = new (class extends FileWindowLedger {
        override async record(key: string, entry: LedgerEntry): Promise<void> {
          await new Promise((resolve) => setTimeout(resolve, 50));
          await super.record(key, entry);
        }
      })(dir);
      const settings: Settings = { ...DEFAULT_SETTINGS, apiBaseUrl: server.url };
      const manager = new TokenManager({ ...exchangeOptions(settings, new ManualClock(), new CapturingLogger()), store, key: KEY, ledger: slowLedger });
      await manager.initialize();
      const causes: string[] = [];
      manager.onDidChange((cause) => causes.push(cause));
      // VS Code reports every write to SecretStorage back, soon after it resolves.
      const write = store.store.bind(store);
      store.store = async (key, value) => {
        await write(key, value);
        setTimeout(() => void manager.reload(), 5);
      };
      await manager.setApiKey('an-api-key-for-the-echo-0123456789');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(causes, ['store', 'external']);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FileWindowLedger', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-ledger-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records and reads an entry per key; a stamp names a value without holding it', async () => {
    const ledger = new FileWindowLedger(dir);
    assert.equal(await ledger.read(KEY), undefined);
    const secretValue = JSON.stringify({ refreshToken: 'a-secret-refresh-token-0123456789' });
    await ledger.record(KEY, { stamp: stampOf(secretValue), status: { kind: 'oauth', expiresAt: 5 } });
    assert.deepEqual(await ledger.read(KEY), { stamp: stampOf(secretValue), status: { kind: 'oauth', expiresAt: 5 } });
    assert.match(stampOf(secretValue), /^[0-9a-f]{16}$/);
    assert.equal(stampOf(undefined), 'none');
    for (const file of fs.readdirSync(dir)) {
      assert.ok(!fs.readFileSync(path.join(dir, file), 'utf8').includes('a-secret-refresh-token'), file);
    }
  });

  it('tells every listener of a write made through another instance (another window)', async () => {
    const listening = new FileWindowLedger(dir);
    const heard = new Promise<string>((resolve) => listening.onDidRecord(resolve));
    await new FileWindowLedger(dir).record(KEY, { stamp: 'x', status: { kind: 'none' } });
    assert.equal(await heard, KEY);
    listening.dispose();
  });

  it('gives the refresh turn to one window at a time', async () => {
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push(`${name} end`);
    };
    await Promise.all([new FileWindowLedger(dir, { pollMs: 5 }).exclusive(KEY, 5000, task('a')), new FileWindowLedger(dir, { pollMs: 5 }).exclusive(KEY, 5000, task('b'))]);
    assert.deepEqual(order.map((step) => step.split(' ')[1]), ['start', 'end', 'start', 'end']);
  });

  it('makes its folder when it is missing, also after it was removed', async () => {
    const folder = path.join(dir, 'windows');
    const ledger = new FileWindowLedger(folder, { pollMs: 5 });
    await ledger.record(KEY, { stamp: stampOf('a'), status: { kind: 'none' } });
    assert.equal((await ledger.read(KEY))?.stamp, stampOf('a'));
    fs.rmSync(folder, { recursive: true, force: true });
    assert.equal(await ledger.exclusive(KEY, 1000, async () => 'ran'), 'ran');
    assert.equal(fs.existsSync(path.join(folder, `${encodeURIComponent(KEY)}.lock`)), false, 'the turn was taken and released');
    fs.rmSync(folder, { recursive: true, force: true });
    await ledger.record(KEY, { stamp: stampOf('b'), status: { kind: 'none' } });
    assert.equal((await ledger.read(KEY))?.stamp, stampOf('b'));
  });

  it('takes over a turn left by a window that died holding it, and never waits past the limit', async () => {
    fs.mkdirSync(path.join(dir, `${encodeURIComponent(KEY)}.lock`));
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(path.join(dir, `${encodeURIComponent(KEY)}.lock`), old, old);
    assert.equal(await new FileWindowLedger(dir, { pollMs: 5 }).exclusive(KEY, 1000, async () => 'ran'), 'ran');
    // A fresh lock nobody releases: the task still runs once the wait is over.
    fs.mkdirSync(path.join(dir, `${encodeURIComponent(KEY)}.lock`));
    const log = new CapturingLogger();
    assert.equal(await new FileWindowLedger(dir, { pollMs: 5, log }).exclusive(KEY, 100, async () => 'ran anyway'), 'ran anyway');
    assert.match(log.text(), /another window kept the refresh turn/, 'and says so');
  });

  describe('a key too long for a readable file name (issue 19)', () => {
    // 40 characters, the longest profile name: 9 bytes each once percent-encoded, far past the
    // 255 bytes a file name may have.
    const LONG = profileKey('契約書の自動化と署名のための本番環境プロファイル名前長い長い長い長い長い長い長い');

    it('gives the refresh turn to one window at a time', async () => {
      assert.equal(LONG.length - profileKey('').length, 40);
      let release = (): void => undefined;
      let entered = (): void => undefined;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = new FileWindowLedger(dir, { pollMs: 5 }).exclusive(LONG, 5000, async () => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await inside;
      let secondRan = false;
      const second = new FileWindowLedger(dir, { pollMs: 5 }).exclusive(LONG, 5000, async () => {
        secondRan = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(secondRan, false, 'the second window waits while the first holds the turn');
      release();
      await Promise.all([first, second]);
      assert.equal(secondRan, true, 'and takes it once the first is done');
    });

    it('records and reads its entry, and another window hears the key', async () => {
      const listening = new FileWindowLedger(dir);
      // A window asks about the keys of its own profiles first (every account reads the ledger as it loads).
      assert.equal(await listening.read(LONG), undefined);
      const heard = new Promise<string>((resolve) => listening.onDidRecord(resolve));
      await new FileWindowLedger(dir).record(LONG, { stamp: stampOf('a'), status: { kind: 'none' } });
      assert.equal(await heard, LONG);
      listening.dispose();
      assert.deepEqual(await new FileWindowLedger(dir).read(LONG), { stamp: stampOf('a'), status: { kind: 'none' } });
      await new FileWindowLedger(dir).record(KEY, { stamp: stampOf('b'), status: { kind: 'none' } });
      const files = fs.readdirSync(dir).sort();
      assert.ok(files.includes(`${encodeURIComponent(KEY)}.json`), 'a short key keeps its readable name, as 0.2.0 wrote it');
      assert.ok(files.every((file) => Buffer.byteLength(file) <= 120), files.join(', '));
    });
  });

  it('never skips the refresh turn silently: a failure to take it stops the task and is logged', async () => {
    // A file where the folder should be: mkdir of the lock fails with ENOTDIR, not EEXIST.
    const notAFolder = path.join(dir, 'not-a-folder');
    fs.writeFileSync(notAFolder, '');
    const log = new CapturingLogger();
    let ran = false;
    const error = await rejection(new FileWindowLedger(notAFolder, { pollMs: 5, log }).exclusive(KEY, 1000, async () => {
      ran = true;
    }));
    assert.equal(ran, false, 'the refresh token is not presented without the turn');
    assert.equal(error.code, 'storage');
    assert.deepEqual(log.lines.filter((line) => line.level === 'warn').map((line) => /ENOTDIR/.test(line.message)), [true]);
  });

  describe('trusts nothing it reads from the files (S3)', () => {
    const write = (value: unknown) => fs.writeFileSync(path.join(dir, `${encodeURIComponent(KEY)}.json`), JSON.stringify(value));
    const stamp = stampOf('stored');

    it('copies only the known fields of an entry', async () => {
      write({ stamp, extra: 'x', status: { kind: 'oauth', expiresAt: 5, accessToken: 'not-a-field', email: 'e@example.test' } });
      assert.deepEqual(await new FileWindowLedger(dir).read(KEY), { stamp, status: { kind: 'oauth', expiresAt: 5 } });
      write({ stamp: 'none', status: { kind: 'apiKey', expiresAt: 5 } });
      assert.deepEqual(await new FileWindowLedger(dir).read(KEY), { stamp: 'none', status: { kind: 'apiKey' } });
    });

    const refused: [string, unknown][] = [
      ['an unknown kind', { stamp, status: { kind: 'bogus' } }],
      ['no kind', { stamp, status: {} }],
      ['a status that is not an object', { stamp, status: 'oauth' }],
      ['a status that is null', { stamp, status: null }],
      ['an expiry that is text', { stamp, status: { kind: 'oauth', expiresAt: '5' } }],
      ['an expiry that is null (Infinity written as JSON)', { stamp, status: { kind: 'oauth', expiresAt: Number.POSITIVE_INFINITY } }],
      ['a stamp stampOf() never writes', { stamp: 'x'.repeat(16), status: { kind: 'none' } }],
      ['a stamp that is not text', { stamp: 5, status: { kind: 'none' } }],
      ['a list', [stamp, { kind: 'none' }]],
      ['null', null],
    ];
    for (const [what, value] of refused) {
      it(`reads no entry from a file with ${what}`, async () => {
        write(value);
        assert.equal(await new FileWindowLedger(dir).read(KEY), undefined);
      });
    }

    it('does not wait for a lock dated in the future', async function () {
      this.timeout(5000);
      const lock = path.join(dir, `${encodeURIComponent(KEY)}.lock`);
      fs.mkdirSync(lock);
      const future = new Date(Date.now() + 24 * HOUR);
      fs.utimesSync(lock, future, future);
      const started = Date.now();
      assert.equal(await new FileWindowLedger(dir, { pollMs: 5 }).exclusive(KEY, 3000, async () => 'ran'), 'ran');
      assert.ok(Date.now() - started < 1000, `took the turn at once, not after the limit (${Date.now() - started} ms)`);
      assert.equal(fs.existsSync(lock), false, 'and released it');
    });

    it('survives a file whose name is not valid percent-encoding', async () => {
      const listening = new FileWindowLedger(dir);
      const heard: string[] = [];
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.prependListener('uncaughtException', onUncaught);
      // Mocha's own handler would fail the test before this one sees the error: set it aside.
      const mochaHandlers = process.listeners('uncaughtException').filter((l) => l !== onUncaught);
      mochaHandlers.forEach((l) => process.removeListener('uncaughtException', l));
      try {
        const done = new Promise<void>((resolve) => listening.onDidRecord((key) => (heard.push(key), key === KEY && resolve())));
        fs.writeFileSync(path.join(dir, '%E0%A4%A.json'), '{}');
        await new Promise((resolve) => setTimeout(resolve, 100));
        await new FileWindowLedger(dir).record(KEY, { stamp, status: { kind: 'none' } });
        await done;
      } finally {
        mochaHandlers.forEach((l) => process.on('uncaughtException', l));
        process.removeListener('uncaughtException', onUncaught);
        listening.dispose();
      }
      assert.deepEqual(uncaught.map((error) => (error as Error).name), []);
      assert.ok(heard.every((key) => key === KEY), 'only real keys are reported');
    });

    it('makes its folder and files for this user only', async function () {
      if (process.platform === 'win32') {
        this.skip();
      }
      const folder = path.join(dir, 'windows');
      const ledger = new FileWindowLedger(folder, { pollMs: 5 });
      await ledger.record(KEY, { stamp, status: { kind: 'none' } });
      const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
      assert.equal(modeOf(folder).toString(8), '700');
      assert.equal(modeOf(path.join(folder, `${encodeURIComponent(KEY)}.json`)).toString(8), '600');
      let lockMode = '';
      await ledger.exclusive(KEY, 1000, async () => {
        lockMode = modeOf(path.join(folder, `${encodeURIComponent(KEY)}.lock`)).toString(8);
      });
      assert.equal(lockMode, '700');
      const watched = path.join(dir, 'watched');
      const watching = new FileWindowLedger(watched);
      watching.onDidRecord(() => undefined);
      watching.dispose();
      assert.equal(modeOf(watched).toString(8), '700');
    });
  });
});
