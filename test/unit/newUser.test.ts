/**
 * What a new user ran into in 0.2.0 (issue 20), in the extension's own words and choices: the
 * status bar, the notifications and which commands are offered. The workbench side is in
 * test/ui/firstTry.test.ts, the sandbox of `npm start` in test/unit/sandboxFirstTry.test.ts.
 */
import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import { TIME } from '../../src/core/base/policy';
import type { AccountState } from '../../src/core/token/status';
import { copiedMessage } from '../../src/core/tools/clipboardClear';
import { contextKeys, menuActions } from '../../src/core/view/actions';
import { formatLocalDateTime, statusView, tokenValidity } from '../../src/core/view/statusView';
import { userMessageFor } from '../../src/core/view/userMessages';

const NOW = Date.UTC(2026, 11, 6, 10, 30, 0);
const YEAR_LEFT = NOW + 31535999 * 1000;
const MESSAGE_CONTEXT = { apiBaseUrl: 'https://api.pandadoc.com', timeoutMs: 30_000 };
const viewOptions = { now: NOW, refreshMarginMs: 5 * TIME.MINUTE, formatDate: formatLocalDateTime };
/** About what a notification toast shows on its one line before it cuts the text off. */
const TOAST_LINE = 60;

function state(partial: Partial<AccountState> & { status: AccountState['status'] }): AccountState {
  return { canRefresh: partial.status.kind === 'oauth', refreshing: false, unreadable: false, ...partial };
}

describe('what a new user ran into in 0.2.0 (issue 20)', () => {
  it('item 3: in a browser window, the first words of the copy notification say the token stays on the clipboard', () => {
    const browser = copiedMessage('access token', tokenValidity(YEAR_LEFT, NOW), { kind: 'cannotCompare' });
    assert.match(browser.slice(0, TOAST_LINE), /access token copied.*stays on the clipboard/, browser);
    assert.match(browser, /Valid for 364d/, 'the validity is still said');
    const key = copiedMessage('API key', '', { kind: 'cannotCompare' });
    assert.match(key.slice(0, TOAST_LINE), /API key copied.*stays on the clipboard/, key);
    // Desktop: the clear comes last, as before.
    assert.match(copiedMessage('access token', tokenValidity(YEAR_LEFT, NOW), { kind: 'clear', delayMs: 60_000 }), /^PandaDoc access token copied to the clipboard\. Valid for 364d .* It is cleared from the clipboard in 1 min\.$/);
  });

  describe('item 5: after invalid_grant', () => {
    const rejected = [
      state({ status: { kind: 'oauth' }, canRefresh: false }),
      state({ status: { kind: 'oauth', expiresAt: NOW + TIME.HOUR }, canRefresh: false }),
      state({ status: { kind: 'oauth', expiresAt: NOW - TIME.HOUR }, canRefresh: false }),
    ];

    it('the tooltip and the notification recommend the same one thing: Sign In with Browser', () => {
      const toast = userMessageFor(new AuthError('invalid_grant', 'x'), MESSAGE_CONTEXT);
      for (const text of [toast.message, ...rejected.map((s) => statusView(s, viewOptions).tooltip)]) {
        assert.match(text, /Sign in with the browser again/, text);
        assert.doesNotMatch(text, /set OAuth credentials/i, text);
      }
      assert.equal(toast.actions[0], 'signIn');
    });

    it('the status bar menu lists Sign In with Browser first', () => {
      for (const s of rejected) {
        assert.equal(menuActions({ state: s, active: 'Default', profileCount: 1 })[0], 'signIn');
      }
      // While the refresh token works, the token's own actions stay first.
      assert.equal(menuActions({ state: state({ status: { kind: 'oauth', expiresAt: YEAR_LEFT } }), active: 'Default', profileCount: 1 })[0], 'refreshToken');
    });
  });

  it('item 10: Sign Out is offered, in the palette and the menu, while another profile may hold credentials', () => {
    const context = { state: state({ status: { kind: 'none' } }), active: 'Empty', profileCount: 2 };
    assert.equal(contextKeys(context)['pandadoc.canSignOut'], true);
    assert.ok(menuActions(context).includes('signOut'));
    const alone = { state: state({ status: { kind: 'none' } }), active: 'Default', profileCount: 1 };
    assert.equal(contextKeys(alone)['pandadoc.canSignOut'], false, 'nothing anywhere: nothing to sign out of');
  });

  describe('small things', () => {
    it('a profile whose name starts with PandaDoc is not named PandaDoc twice in the status bar', () => {
      const view = statusView(state({ status: { kind: 'oauth', expiresAt: YEAR_LEFT }, profile: { name: 'PandaDoc Sandbox', shown: true } }), viewOptions);
      assert.equal(view.text, '$(key) PandaDoc (Sandbox): 364d');
      assert.match(view.tooltip, /^PandaDoc profile: PandaDoc Sandbox$/m, 'the tooltip keeps the full name');
      const other = statusView(state({ status: { kind: 'oauth', expiresAt: YEAR_LEFT }, profile: { name: 'Beta', shown: true } }), viewOptions);
      assert.equal(other.text, '$(key) PandaDoc (Beta): 364d');
    });

    it('notifications give dates as the tooltip does', () => {
      const when = formatLocalDateTime(YEAR_LEFT);
      assert.equal(tokenValidity(YEAR_LEFT, NOW), ` Valid for 364d (until ${when}, local time).`);
      assert.match(statusView(state({ status: { kind: 'oauth', expiresAt: YEAR_LEFT } }), viewOptions).tooltip, new RegExp(`expires ${when} \\(local time\\)`));
    });
  });
});
