import * as assert from 'node:assert/strict';
import { AuthError, type AuthErrorCode } from '../../src/core/base/errors';
import { shortReason, userMessageFor } from '../../src/core/view/userMessages';

const context = { apiBaseUrl: 'https://api.pandadoc.com', timeoutMs: 20_000 };
const ALL_CODES: AuthErrorCode[] = [
  'invalid_grant',
  'invalid_client',
  'rejected',
  'network',
  'timeout',
  'server',
  'rate_limited',
  'bad_response',
  'bad_config',
  'bad_input',
  'no_credentials',
  'storage',
  'unauthorized',
  'access_denied',
  'state_mismatch',
  'cancelled',
];

describe('user messages', () => {
  for (const code of ALL_CODES) {
    it(`${code}: one clear sentence set, and a way forward`, () => {
      const { message, actions } = userMessageFor(new AuthError(code, 'The client ID is empty.', { status: 500 }), context);
      assert.ok(message.length >= 20);
      assert.ok(shortReason(new AuthError(code, 'x')).length > 0);
      if (code !== 'bad_input' && code !== 'cancelled') {
        assert.ok(actions.length > 0, 'offers at least one button');
      }
    });
  }

  it('says credentials are unchanged for every transient failure', () => {
    for (const code of ['network', 'timeout', 'server', 'rate_limited', 'bad_response'] as const) {
      assert.match(userMessageFor(new AuthError(code, 'x'), context).message, /stored credentials are unchanged/);
    }
  });

  it('invalid_grant leads to Sign In with Browser first, and says the client is kept', () => {
    const { message, actions } = userMessageFor(new AuthError('invalid_grant', 'x'), context);
    assert.equal(
      message,
      'PandaDoc no longer accepts the stored refresh token (invalid_grant): it expired, was revoked or was used elsewhere. Sign in with the browser again: it uses the client ID and secret, which are kept.',
    );
    assert.deepEqual(actions, ['signIn', 'setCredentials', 'showLog']);
  });

  it('with nothing stored, leads to Sign In with Browser, the recommended path, first', () => {
    const { message, actions } = userMessageFor(new AuthError('no_credentials', 'x'), context);
    assert.equal(message, 'No PandaDoc credentials are stored. Sign in with the browser (recommended), or set OAuth credentials or an API key.');
    assert.deepEqual(actions, ['signIn', 'setCredentials', 'setApiKey']);
  });

  it('a refused API key is named as one, and nothing about it mentions a refresh', () => {
    const entered = userMessageFor(new AuthError('unauthorized', 'x', { status: 401, flow: 'new-api-key' }), context);
    assert.equal(
      entered.message,
      "PandaDoc rejected this API key (HTTP 401), so it was not saved. Check it in PandaDoc's Developer Dashboard and set it again, or sign in with the browser. Your stored credentials are unchanged.",
    );
    assert.deepEqual(entered.actions, ['setApiKey', 'signIn', 'showLog']);
    const stored = userMessageFor(new AuthError('unauthorized', 'x', { status: 401, flow: 'api-key' }), context);
    assert.equal(
      stored.message,
      'PandaDoc rejected the stored API key (HTTP 401): it may have been revoked. Set a new one, or sign in with the browser. Your stored credentials are unchanged.',
    );
    assert.deepEqual(stored.actions, ['setApiKey', 'signIn', 'showLog']);
    for (const { message } of [entered, stored]) {
      assert.doesNotMatch(message, /refresh/i);
    }
  });

  it('names the host, the timeout and the wait PandaDoc asked for', () => {
    assert.match(
      userMessageFor(new AuthError('network', 'x', { detail: 'ECONNREFUSED' }), context).message,
      /api\.pandadoc\.com \(ECONNREFUSED\)/,
    );
    assert.match(userMessageFor(new AuthError('timeout', 'x'), context).message, /within 20 s/);
    assert.match(userMessageFor(new AuthError('rate_limited', 'x', { retryAfterMs: 12_500 }), context).message, /try again in 13 s/);
  });

  it('never shows text from the server', () => {
    const error = new AuthError('rejected', 'x', { status: 400, oauthError: undefined, detail: 'ignored' });
    Object.assign(error, { serverBody: 'refresh_token=leaked' });
    assert.doesNotMatch(userMessageFor(error, context).message, /leaked/);
  });

  it('has a generic message for unexpected errors', () => {
    assert.deepEqual(userMessageFor(new TypeError('x is undefined'), context).actions, ['showLog']);
  });
});
