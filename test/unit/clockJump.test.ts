/**
 * Sleep and clock jumps, with a clock the test moves: no decision waits on a timer. Whether a
 * token is fresh is decided from the clock at the moment it is asked for, and the status bar's
 * text from the clock at the moment it renders (on the next window focus, or by its one timer,
 * which never sleeps longer than STATUS_MAX_SLEEP_MS).
 */
import * as assert from 'node:assert/strict';
import { STATUS_MAX_SLEEP_MS, TIME } from '../../src/core/base/policy';
import { statusView } from '../../src/core/view/statusView';
import { assertDifferentSecret, assertSameSecret } from '../support/assertions';
import { startHarness, type Harness } from '../support/harness';

const { MINUTE, HOUR, DAY } = TIME;

describe('after sleep or a clock jump', () => {
  let h: Harness;
  /** How the status bar renders at `now`: the adapter calls exactly this on window focus. */
  const render = (now: number) => statusView(h.manager.state(), { now, refreshMarginMs: h.settings.refreshMarginMs, formatDate: (ms) => new Date(ms).toISOString() });

  beforeEach(async () => {
    h = await startHarness({ expiresIn: 2 * 3600 });
    await h.manager.setOAuthCredentials(h.client);
    await h.manager.refresh();
  });

  afterEach(() => h.server.close());

  it('the machine sleeps past the expiry: the next getAccessToken refreshes, with one request', async () => {
    const before = await h.manager.getAccessToken();
    const requests = h.server.tokenRequests().length;
    // Asleep for a night: no timer of ours ran, and none needs to.
    h.clock.advance(10 * HOUR);
    const after = await h.manager.getAccessToken();
    assertDifferentSecret(after, before ?? '', 'the token after waking');
    assert.equal(h.server.tokenRequests().length, requests + 1);
    assert.ok(h.server.isLiveAccessToken(after ?? ''));
  });

  it('the clock jumps forward into the refresh margin: refreshed at the next ask, not at a timer', async () => {
    const before = await h.manager.getAccessToken();
    h.clock.advance(2 * HOUR - 4 * MINUTE);
    const after = await h.manager.getAccessToken();
    assertDifferentSecret(after, before ?? '', 'the token inside the margin');
    assert.equal(h.server.tokenRequests().length, 2);
  });

  it('the clock jumps back (a corrected clock): the token is still used, nothing is sent', async () => {
    const before = await h.manager.getAccessToken();
    h.clock.advance(-DAY);
    assertSameSecret(await h.manager.getAccessToken(), before ?? '', 'the token after the jump back');
    assert.equal(h.server.tokenRequests().length, 1);
  });

  it('the status bar catches up at the next render: a missed timer leaves no stale text behind', () => {
    const start = h.clock.now();
    const awake = render(start);
    assert.equal(awake.text, '$(key) PandaDoc: 2h 0m');
    // Its one timer is set for when the text changes, and is bounded whatever happens.
    assert.ok(awake.nextUpdateInMs <= STATUS_MAX_SLEEP_MS);
    // The machine sleeps through that timer and wakes after the expiry: the focus render says so.
    const woke = render(start + 3 * HOUR);
    assert.equal(woke.text, '$(error) PandaDoc: expired');
    assert.equal(woke.severity, 'error');
  });

  it('after waking, one getAccessToken brings the state, and so the status bar, back to fresh', async () => {
    h.clock.advance(3 * HOUR);
    assert.equal(render(h.clock.now()).text, '$(error) PandaDoc: expired');
    await h.manager.getAccessToken();
    assert.equal(render(h.clock.now()).text, '$(key) PandaDoc: 2h 0m');
  });
});
