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

  it('invalid_grant offers to set credentials again and says the client is kept', () => {
    const { message, actions } = userMessageFor(new AuthError('invalid_grant', 'x'), context);
    assert.match(message, /client ID and secret are kept/);
    assert.deepEqual(actions, ['setCredentials', 'showLog']);
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
