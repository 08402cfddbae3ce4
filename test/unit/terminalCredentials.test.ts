import * as assert from 'node:assert/strict';
import type { Scheduler } from '../../src/core/base/clock';
import { TERMINAL_MAX_SLEEP_MS, TERMINAL_RENEW_LEAD_MS, TIME } from '../../src/core/base/policy';
import { TerminalCredentials, type TerminalSink } from '../../src/core/routes/terminalCredentials';
import type { TerminalEnvironment, TerminalGate } from '../../src/core/routes/terminalVariables';
import { assertDifferentSecret, assertNoSecrets, assertSameSecret } from '../support/assertions';
import type { ManualClock } from '../support/doubles';
import { type ProfilesHarness, startProfilesHarness } from '../support/harness';

/** Timers on the test's clock: nothing fires until the test says so. */
class FakeScheduler implements Scheduler {
  private readonly pending: { at: number; task: () => unknown; live: boolean }[] = [];

  constructor(private readonly clock: ManualClock) {}

  after(ms: number, task: () => unknown) {
    const entry = { at: this.clock.now() + ms, task, live: true };
    this.pending.push(entry);
    return { dispose: () => (entry.live = false) };
  }

  /** The timer set, in ms from now; the route never keeps more than one. */
  next(): number | undefined {
    const live = this.pending.filter((entry) => entry.live);
    assert.ok(live.length <= 1, `one timer at most, not ${live.length}`);
    return live[0] && live[0].at - this.clock.now();
  }

  /** Moves the clock to the timer and runs it to the end. */
  async fire(): Promise<void> {
    const entry = this.pending.find((candidate) => candidate.live);
    assert.ok(entry, 'a timer is set');
    entry.live = false;
    this.clock.time = Math.max(this.clock.time, entry.at);
    await entry.task();
  }
}

class RecordingSink implements TerminalSink {
  current: TerminalEnvironment | undefined;
  changes = 0;
  give(environment: TerminalEnvironment): void {
    this.current = environment;
    this.changes++;
  }
  withdraw(): void {
    this.current = undefined;
    this.changes++;
  }
}

const MARGIN = 5 * TIME.MINUTE;

describe('TerminalCredentials: what new terminals get, kept current', () => {
  let h: ProfilesHarness;
  let gate: TerminalGate;
  let sink: RecordingSink;
  let timers: FakeScheduler;
  let route: TerminalCredentials;
  let client: { clientId: string; clientSecret: string; refreshToken: string };

  beforeEach(async () => {
    h = await startProfilesHarness();
    gate = 'off';
    sink = new RecordingSink();
    timers = new FakeScheduler(h.clock);
    route = new TerminalCredentials({ source: h.profiles, gate: () => gate, sink, clock: h.clock, scheduler: timers, log: h.log });
    client = h.server.addClient();
  });

  afterEach(async () => {
    route.dispose();
    h.profiles.dispose();
    await h.server.close();
  });

  const manager = () => h.profiles.activeManager();
  const requests = () => h.server.tokenRequests().length;
  const given = (): TerminalEnvironment | undefined => sink.current;
  const header = () => given()?.variables.PANDADOC_AUTHORIZATION;
  const logText = () => h.log.lines.map((line) => `${line.level} ${line.message}`).join('\n');

  /** The refresh token of the last storeToken(). */
  let refreshToken = '';

  /** OAuth credentials holding a token the server issued, valid for `ms` from now, and a live
   *  refresh token of their own (the server rotates them). */
  async function storeToken(ms: number): Promise<string> {
    const token = h.server.grant(client.clientId);
    refreshToken = h.server.grant(client.clientId);
    await manager().setOAuthCredentials({ ...client, refreshToken, accessToken: token, expiresAt: h.clock.now() + ms });
    await route.settled();
    return token;
  }

  async function turn(to: TerminalGate): Promise<void> {
    gate = to;
    await route.update();
  }

  it('gives nothing while off; turned on, the stored token at once, with no request', async () => {
    const token = await storeToken(365 * TIME.DAY);
    assert.equal(sink.current, undefined);
    assert.equal(timers.next(), undefined, 'nothing to watch while off');
    const before = requests();
    await turn('on');
    assertSameSecret(header(), `Bearer ${token}`, 'the header');
    assertSameSecret(given()?.variables.PANDADOC_ACCESS_TOKEN, token, 'the token');
    assert.equal(given()?.variables.PANDADOC_API_BASE_URL, h.server.url);
    assert.equal(requests(), before, 'a fresh token is given as it is');
    assert.equal(timers.next(), TERMINAL_MAX_SLEEP_MS);
    await turn('off');
    assert.equal(sink.current, undefined);
    assert.equal(timers.next(), undefined);
  });

  it('follows the active profile: store, refresh, switch, another profile’s API key, sign-out', async () => {
    await turn('on');
    assert.equal(sink.current, undefined, 'signed out: nothing');
    const first = await storeToken(365 * TIME.DAY);
    assertSameSecret(header(), `Bearer ${first}`, 'after store');

    await manager().refresh();
    await route.settled();
    const refreshed = manager().storedAccessToken();
    assertDifferentSecret(refreshed, first, 'the refresh gave a new token');
    assertSameSecret(header(), `Bearer ${refreshed}`, 'after refresh');

    await h.profiles.create('Sandbox');
    await route.settled();
    assert.equal(sink.current, undefined, 'an empty profile, switched to');
    const key = h.server.addApiKey();
    await manager().setApiKey(key);
    await route.settled();
    assertSameSecret(header(), `API-Key ${key}`, 'the API key');
    assert.equal(given()?.variables.PANDADOC_ACCESS_TOKEN, undefined, 'no access token for an API key');
    assert.equal(given()?.profile, 'Sandbox');

    await h.profiles.switchTo('Default');
    await route.settled();
    assertSameSecret(header(), `Bearer ${refreshed}`, 'switched back');
    await manager().signOut();
    await route.settled();
    assert.equal(sink.current, undefined, 'signed out');
    assert.equal(timers.next(), undefined);
  });

  it('untrusted, or no folder open: nothing, whatever is stored; back once trusted', async () => {
    const token = await storeToken(365 * TIME.DAY);
    await turn('on');
    assert.ok(sink.current);
    await turn('untrusted');
    assert.equal(sink.current, undefined);
    assert.equal(timers.next(), undefined);
    await turn('untrusted');
    assert.equal(h.log.lines.filter((line) => line.message.includes('which is not trusted')).length, 1, 'said once');
    await turn('noWorkspace');
    assert.equal(sink.current, undefined);
    await turn('on');
    assertSameSecret(header(), `Bearer ${token}`, 'trusted');
  });

  it('turning off withdraws before update() returns anything to wait for', async () => {
    await storeToken(365 * TIME.DAY);
    await turn('on');
    gate = 'off';
    void route.update();
    assert.equal(sink.current, undefined, 'withdrawn synchronously');
  });

  it('renews the token the margin plus the lead before expiry, through the TokenManager, with one request', async () => {
    const token = await storeToken(2 * TIME.HOUR);
    await turn('on');
    const before = requests();
    // Due at 2 h - 5 min - 10 min = 1 h 45 min: an hour of sleep, then the rest.
    assert.equal(timers.next(), TIME.HOUR);
    await timers.fire();
    assert.equal(requests(), before, 'not due yet: no request');
    assertSameSecret(header(), `Bearer ${token}`, 'unchanged');
    assert.equal(timers.next(), 2 * TIME.HOUR - MARGIN - TERMINAL_RENEW_LEAD_MS - TIME.HOUR);
    // Anyone else's token request would still be served this token: it holds the margin.
    assertSameSecret(await h.profiles.getAccessToken(), token, 'getAccessToken() before the renewal');
    await timers.fire();
    assert.equal(requests(), before + 1, 'one refresh');
    const renewed = manager().storedAccessToken();
    assertDifferentSecret(renewed, token, 'renewed');
    assertSameSecret(header(), `Bearer ${renewed}`, 'new terminals get the new token');
    assert.equal(given()?.expiresAt, manager().status().expiresAt);
    assert.equal(timers.next(), TERMINAL_MAX_SLEEP_MS, 'a year-long token again');
  });

  it('a token found due when turned on is renewed at once; an expired one is refreshed before it is given', async () => {
    const soon = await storeToken(MARGIN + TIME.MINUTE);
    await turn('on');
    assertSameSecret(header(), `Bearer ${soon}`, 'still holds the margin: given meanwhile');
    assert.equal(timers.next(), 0);
    await timers.fire();
    assertDifferentSecret(header(), `Bearer ${soon}`, 'renewed');

    await storeToken(-TIME.MINUTE);
    assertDifferentSecret(header(), undefined, 'an expired token was refreshed, not given');
    assertSameSecret(header(), `Bearer ${manager().storedAccessToken()}`, 'the refreshed token');
  });

  it('a renewal that fails: logged once, tried again with backoff, the token kept while it holds the margin, withdrawn after, back on success', async () => {
    const token = await storeToken(MARGIN + 8 * TIME.MINUTE);
    await turn('on');
    assert.equal(timers.next(), 0, 'due');
    const failing = () => h.server.failNext({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    failing();
    await timers.fire();
    assertSameSecret(header(), `Bearer ${token}`, 'kept: it still holds the margin');
    assert.equal(h.log.lines.filter((line) => line.level === 'warn' && line.message.startsWith('[terminal]')).length, 1);
    assert.equal(timers.next(), TIME.MINUTE, 'a minute later');
    failing();
    await timers.fire();
    assert.equal(h.log.lines.filter((line) => line.level === 'warn' && line.message.startsWith('[terminal]')).length, 1, 'the same streak: not warned again');
    assert.ok(h.log.lines.some((line) => line.level === 'debug' && line.message.startsWith('[terminal] could not renew')));
    const untilMargin = (manager().status().expiresAt ?? 0) - MARGIN - h.clock.now();
    assert.equal(timers.next(), Math.min(2 * TIME.MINUTE, untilMargin));
    // Failing until the token leaves the margin: new terminals stop getting it.
    for (let i = 0; i < 5 && sink.current; i++) {
      failing();
      await timers.fire();
    }
    assert.equal(sink.current, undefined, 'withdrawn once inside the margin');
    assert.match(logText(), /new terminals no longer get PandaDoc credentials \(expiring\)/);
    assert.ok((timers.next() ?? 0) > 0, 'still tried again later');
    await timers.fire();
    assertSameSecret(header(), `Bearer ${manager().storedAccessToken()}`, 'back after a successful renewal');
    assert.match(logText(), /renewed after earlier failures/);
    assertNoSecrets(logText(), h.server.issued, 'the log');
  });

  it('a dead grant: no more requests; the token given until it leaves the margin, then nothing', async () => {
    const token = await storeToken(MARGIN + 12 * TIME.MINUTE);
    h.server.revoke(refreshToken);
    await turn('on');
    await timers.fire();
    assert.equal(h.server.tokenRequests().at(-1)?.form.grant_type, 'refresh_token');
    const after = requests();
    assertSameSecret(header(), `Bearer ${token}`, 'it still works for 12 minutes');
    for (let i = 0; i < 10 && timers.next() !== undefined; i++) {
      await timers.fire();
    }
    assert.equal(sink.current, undefined, 'withdrawn');
    assert.equal(requests(), after, 'nothing asked of PandaDoc after invalid_grant');
    assert.equal(timers.next(), undefined, 'nothing left to do until the user signs in again');
  });

  it('a token shorter-lived than the margin and the lead: renewed with backoff, not again and again', async () => {
    h.server.expiresIn = 12 * 60; // 12 minutes: due again the moment it is issued
    await storeToken(12 * TIME.MINUTE);
    await turn('on');
    const waits: (number | undefined)[] = [];
    const perRenewal: number[] = [];
    for (let i = 0; i < 4; i++) {
      waits.push(timers.next());
      const before = requests();
      await timers.fire();
      await route.settled();
      perRenewal.push(requests() - before);
    }
    assert.deepEqual(waits, [0, TIME.MINUTE, 2 * TIME.MINUTE, 4 * TIME.MINUTE]);
    assert.deepEqual(perRenewal, [1, 1, 1, 1], 'one refresh per renewal');
    assertSameSecret(header(), `Bearer ${manager().storedAccessToken()}`, 'the latest token, which holds the margin');
  });

  it('the base URL follows the profile’s region', async () => {
    await storeToken(365 * TIME.DAY);
    await turn('on');
    await h.profiles.setRegion('Default', { kind: 'custom', apiBaseUrl: 'https://api.example.test/', authBaseUrl: 'https://app.example.test' });
    await route.settled();
    assert.equal(given()?.variables.PANDADOC_API_BASE_URL, 'https://api.example.test');
    await h.profiles.setRegion('Default', { kind: 'eu' });
    await route.settled();
    assert.equal(given()?.variables.PANDADOC_API_BASE_URL, 'https://api.pandadoc.eu');
  });

  it('tells the sink only what changed, and names tokens by fingerprint in the log', async () => {
    await storeToken(365 * TIME.DAY);
    await turn('on');
    const changes = sink.changes;
    await route.update();
    await route.update();
    assert.equal(sink.changes, changes, 'the same decision is not applied again');
    assert.match(logText(), /\[terminal\] new terminals of this workspace get the credentials of "Default" \(token …\w{4}, valid until /);
    assertNoSecrets(logText(), h.server.issued, 'the log');
  });
});

describe('TokenManager.usableCredential(validForMs)', () => {
  it('refreshes a token that does not hold the time asked for, which the margin alone would still serve', async () => {
    const h = await startProfilesHarness();
    try {
      const client = h.server.addClient();
      const manager = h.profiles.activeManager();
      const token = h.server.grant(client.clientId);
      await manager.setOAuthCredentials({ ...client, accessToken: token, expiresAt: h.clock.now() + 10 * TIME.MINUTE });
      const before = h.server.tokenRequests().length;
      assertSameSecret(await manager.getAuthorizationHeader(), `Bearer ${token}`, 'the margin (5 minutes) is held');
      assertSameSecret((await manager.usableCredential(0))?.value, token, 'valid for 0');
      assert.equal(h.server.tokenRequests().length, before);
      const longer = await manager.usableCredential(15 * TIME.MINUTE);
      assert.equal(h.server.tokenRequests().length, before + 1);
      assert.equal(longer?.kind, 'oauth');
      assertDifferentSecret(longer?.value, token, 'refreshed');
      assert.equal(longer?.kind === 'oauth' ? longer.expiresAt : 0, manager.status().expiresAt);
    } finally {
      h.profiles.dispose();
      await h.server.close();
    }
  });
});
