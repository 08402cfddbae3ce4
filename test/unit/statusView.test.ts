import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import { STATUS_MAX_SLEEP_MS, TIME } from '../../src/core/base/policy';
import { formatLocalDateTime, formatTimeLeft, msUntilDisplayChanges, statusView } from '../../src/core/view/statusView';
import type { AccountState } from '../../src/core/token/status';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const { MINUTE, HOUR, DAY } = TIME;
const options = { now: NOW, refreshMarginMs: 5 * MINUTE, formatDate: (ms: number) => new Date(ms).toISOString() };

function state(partial: Partial<AccountState> & { status: AccountState['status'] }): AccountState {
  return { canRefresh: partial.status.kind === 'oauth', refreshing: false, unreadable: false, ...partial };
}

describe('the status bar view', () => {
  describe('time left', () => {
    const cases: [number, string][] = [
      [31535999 * 1000, '364d'],
      [2 * DAY, '2d'],
      [DAY + 5 * HOUR + 59 * MINUTE, '1d 5h'],
      [3 * HOUR + 12 * MINUTE + 30_000, '3h 12m'],
      [HOUR, '1h 0m'],
      [12 * MINUTE + 59_000, '12m'],
      [59_000, '<1m'],
      [1, '<1m'],
      [0, 'expired'],
      [-DAY, 'expired'],
    ];
    for (const [ms, text] of cases) {
      it(`${ms} ms is ${text}`, () => assert.equal(formatTimeLeft(ms), text));
    }
  });

  describe('when it next changes on its own', () => {
    const warn = DAY;
    const cases: [string, number, number][] = [
      ['days left: at the next whole day', 10 * DAY + 3 * HOUR, STATUS_MAX_SLEEP_MS],
      ['just past a day boundary in days: then hourly at most', 10 * DAY + 10 * MINUTE, 10 * MINUTE + 50],
      ['hours left: at the next minute', 3 * HOUR + 30_000, 30_050],
      ['under a minute: at expiry', 20_000, 20_000],
      ['expired: idle', -1, STATUS_MAX_SLEEP_MS],
      ['never faster than once a second', 10, 1000],
    ];
    for (const [name, remaining, expected] of cases) {
      it(name, () => assert.equal(msUntilDisplayChanges(remaining, warn), expected));
    }
  });

  it('re-renders when the warning threshold is crossed, even between text changes', () => {
    const warnBeforeMs = DAY + 10 * MINUTE;
    assert.equal(msUntilDisplayChanges(warnBeforeMs + 30_000, warnBeforeMs), 30_050);
  });

  describe('text, tooltip and colour per state', () => {
    const cases: [string, AccountState, string, RegExp, 'normal' | 'warning' | 'error'][] = [
      ['nothing stored', state({ status: { kind: 'none' } }), '$(key) PandaDoc: Set Credentials', /Click for the PandaDoc menu: sign in, set/, 'normal'],
      ['an API key', state({ status: { kind: 'apiKey' } }), '$(key) PandaDoc: API key', /do not expire/, 'normal'],
      [
        'a year-long token',
        state({ status: { kind: 'oauth', expiresAt: NOW + 31535999 * 1000 } }),
        '$(key) PandaDoc: 364d',
        /expires 2027-11-25T11:59:59\.000Z \(local time\)/,
        'normal',
      ],
      ['a token expiring in 3 h', state({ status: { kind: 'oauth', expiresAt: NOW + 3 * HOUR + 12 * MINUTE } }), '$(key) PandaDoc: 3h 12m', /expires/, 'warning'],
      ['an expired token', state({ status: { kind: 'oauth', expiresAt: NOW - 1 } }), '$(error) PandaDoc: expired', /next request refreshes it/, 'error'],
      ['credentials without a token yet', state({ status: { kind: 'oauth' } }), '$(key) PandaDoc: not refreshed', /Click for the PandaDoc menu; Refresh Token gets one/, 'normal'],
      [
        'a rejected grant with a token still valid',
        state({ status: { kind: 'oauth', expiresAt: NOW + DAY * 3 }, canRefresh: false }),
        '$(error) PandaDoc: sign in again',
        /still works until/,
        'error',
      ],
      ['a rejected grant without a token', state({ status: { kind: 'oauth' }, canRefresh: false }), '$(error) PandaDoc: sign in again', /Sign in with the browser again/, 'error'],
      [
        'a failed refresh',
        state({ status: { kind: 'oauth', expiresAt: NOW + 30 * DAY }, lastError: new AuthError('server', 'x', { status: 502 }) }),
        '$(error) PandaDoc: 30d',
        /Last refresh failed: PandaDoc server error \(HTTP 502\)/,
        'error',
      ],
      ['a refresh in flight', state({ status: { kind: 'oauth', expiresAt: NOW - 1 }, refreshing: true }), '$(sync~spin) PandaDoc: refreshing…', /Refreshing/, 'normal'],
      ['unreadable storage', state({ status: { kind: 'none' }, unreadable: true }), '$(error) PandaDoc: Set Credentials', /cannot be read/, 'error'],
    ];
    for (const [name, s, text, tooltip, severity] of cases) {
      it(name, () => {
        const view = statusView(s, options);
        assert.equal(view.text, text);
        assert.match(view.tooltip, tooltip);
        assert.equal(view.severity, severity);
        assert.ok(view.text.includes('PandaDoc'));
      });
    }

    it('no tooltip promises that a click does anything but open the menu (a click runs Show Actions)', () => {
      for (const [name, s] of cases) {
        const { tooltip } = statusView(s, options);
        for (const sentence of tooltip.split(/(?<=\.)\s+/).filter((part) => /click/i.test(part))) {
          assert.match(sentence, /menu/, `${name}: "${sentence}"`);
        }
      }
    });
  });

  it('names the profile when there are several, and the account in the tooltip once known', () => {
    const single = statusView(state({ status: { kind: 'apiKey' }, profile: { name: 'Default', shown: false } }), options);
    assert.equal(single.text, '$(key) PandaDoc: API key');
    assert.match(single.tooltip, /^PandaDoc profile: Default\n/);
    const several = statusView(
      state({
        status: { kind: 'oauth', expiresAt: NOW + 30 * DAY },
        profile: { name: 'Sandbox', shown: true },
        account: { email: 'ann@example.test', name: 'Ann Lee', workspaceName: 'Acme', role: 'Admin' },
      }),
      options,
    );
    assert.equal(several.text, '$(key) PandaDoc (Sandbox): 30d');
    assert.match(several.tooltip, /Signed in as Ann Lee <ann@example\.test>, workspace Acme \(Admin\)\./);
  });

  it('moves to warning colour within the refresh margin when it is longer than a day', () => {
    const view = statusView(state({ status: { kind: 'oauth', expiresAt: NOW + 2 * DAY } }), {
      ...options,
      refreshMarginMs: 3 * DAY,
    });
    assert.equal(view.severity, 'warning');
  });
});

describe('formatLocalDateTime', () => {
  it('writes an expiry as year-month-day hours:minutes in local time, without Intl', () => {
    const local = new Date(2027, 10, 5, 9, 7, 59).getTime();
    assert.equal(formatLocalDateTime(local), '2027-11-05 09:07');
    assert.equal(formatLocalDateTime(new Date(2026, 0, 1, 0, 0).getTime()), '2026-01-01 00:00');
    assert.equal(formatLocalDateTime(new Date(2026, 11, 31, 23, 59).getTime()), '2026-12-31 23:59');
  });
});
