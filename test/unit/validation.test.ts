import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import { MAX_SECRET_LENGTH } from '../../src/core/base/policy';
import { credentialProblem, normalizeCredential, normalizeOAuthInput } from '../../src/core/token/validation';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

describe('credential validation', () => {
  describe('accepted and cleaned', () => {
    const cases: [string, unknown, Parameters<typeof normalizeCredential>[1], string][] = [
      ['as it is', TOKEN, 'refreshToken', TOKEN],
      ['trimmed', `  ${TOKEN}\n`, 'refreshToken', TOKEN],
      ['a pasted Bearer prefix', `Bearer ${TOKEN}`, 'accessToken', TOKEN],
      ['a lower-case bearer prefix', `bearer ${TOKEN}`, 'refreshToken', TOKEN],
      ['a whole Authorization header', `Authorization: Bearer ${TOKEN}`, 'accessToken', TOKEN],
      ['an API-Key prefix', `API-Key ${TOKEN}`, 'apiKey', TOKEN],
      ['an API key header', `Authorization: API-Key ${TOKEN}`, 'apiKey', TOKEN],
      ['surrounding JSON quotes', `"${TOKEN}"`, 'clientSecret', TOKEN],
      ['a client id with dashes', 'my-client_id.1', 'clientId', 'my-client_id.1'],
      ['the longest allowed', 'x'.repeat(MAX_SECRET_LENGTH), 'clientSecret', 'x'.repeat(MAX_SECRET_LENGTH)],
    ];
    for (const [name, input, field, expected] of cases) {
      it(name, () => assert.equal(normalizeCredential(input, field), expected));
    }
  });

  describe('refused with a reason', () => {
    const cases: [string, unknown, Parameters<typeof normalizeCredential>[1], RegExp][] = [
      ['empty', '', 'clientId', /is empty/],
      ['whitespace only', ' \t ', 'clientSecret', /is empty/],
      ['only a prefix', 'Bearer ', 'accessToken', /is empty/],
      ['a line break inside', 'abc\ndef', 'refreshToken', /line break/],
      ['a NUL', 'abc\u0000def', 'refreshToken', /control character/],
      ['a tab inside', 'abc\tdef', 'refreshToken', /control character/],
      ['a space inside', 'abc def', 'clientSecret', /spaces/],
      // Invisible where they are pasted or shown (S6): refused, never stored.
      ['a zero-width space inside', `${TOKEN.slice(0, 8)}\u200b${TOKEN.slice(8)}`, 'clientSecret', /invisible formatting character/],
      ['a right-to-left override inside', `\u202e${TOKEN}`, 'refreshToken', /invisible formatting character/],
      ['a byte order mark inside', `${TOKEN}\ufeff${TOKEN}`, 'apiKey', /invisible formatting character/],
      ['a word joiner at the end', `${TOKEN}\u2060`, 'accessToken', /invisible formatting character/],
      ['a soft hyphen inside', `client\u00adid`, 'clientId', /invisible formatting character/],
      ['too long', 'x'.repeat(MAX_SECRET_LENGTH + 1), 'apiKey', /too long/],
      ['absurdly long', 'x'.repeat(10 * MAX_SECRET_LENGTH), 'apiKey', /too long/],
      ['not text', 42, 'clientId', /must be text, not number/],
      ['null', null, 'clientId', /not null/],
      ['a Bearer token as an API key', `Bearer ${TOKEN}`, 'apiKey', /OAuth access token/],
      ['an API key as a refresh token', `API-Key ${TOKEN}`, 'refreshToken', /looks like an API key/],
    ];
    for (const [name, input, field, reason] of cases) {
      it(name, () => {
        assert.throws(
          () => normalizeCredential(input, field),
          (error: unknown) => error instanceof AuthError && error.code === 'bad_input' && reason.test(error.message),
        );
      });
    }

    it('never repeats the value in the reason', () => {
      const secret = `${TOKEN}\n${TOKEN}`;
      const problem = credentialProblem(secret, 'clientSecret');
      assert.ok(problem && !problem.includes(TOKEN));
    });
  });

  describe('the setCredentials argument object', () => {
    const base = { clientId: 'client', clientSecret: TOKEN, refreshToken: TOKEN };

    it('keeps optional access token and expiry', () => {
      const expiresAt = Date.UTC(2027, 0, 1);
      assert.deepEqual(normalizeOAuthInput({ ...base, accessToken: `Bearer ${TOKEN}`, expiresAt }), {
        ...base,
        accessToken: TOKEN,
        expiresAt,
      });
    });

    const refused: [string, unknown, RegExp][] = [
      ['not an object', 'client', /Expected an object/],
      ['an array', [base], /Expected an object/],
      ['a missing field', { clientId: 'c', clientSecret: 's' }, /refresh token must be text, not undefined/],
      ['snake_case names', { ...base, client_secret: 'x' }, /Unknown field client_secret/],
      ['expiresAt without accessToken', { ...base, expiresAt: Date.UTC(2027, 0, 1) }, /without an accessToken/],
      ['expiresAt in seconds', { ...base, accessToken: TOKEN, expiresAt: 1_800_000_000 }, /looks like seconds/],
      ['expiresAt not a number', { ...base, accessToken: TOKEN, expiresAt: '2027-01-01' }, /must be a number/],
      ['expiresAt NaN', { ...base, accessToken: TOKEN, expiresAt: Number.NaN }, /must be a number/],
    ];
    for (const [name, input, reason] of refused) {
      it(`refuses ${name}`, () => {
        assert.throws(
          () => normalizeOAuthInput(input),
          (error: unknown) => error instanceof AuthError && error.code === 'bad_input' && reason.test(error.message),
        );
      });
    }
  });
});
