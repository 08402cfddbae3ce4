import * as assert from 'node:assert/strict';
import { type Credentials, parseCredentials, secretsOf, serializeCredentials } from '../../src/core/token/credentials';

describe('stored credentials', () => {
  const oauth: Credentials = {
    kind: 'oauth',
    clientId: 'client',
    clientSecret: 'secret-value',
    refreshToken: 'refresh-value',
    accessToken: 'access-value',
    expiresAt: 1_800_000_000_000,
  };

  it('round-trips OAuth credentials and API keys through one JSON value', () => {
    for (const credentials of [oauth, { kind: 'apiKey', apiKey: 'key-value' } as Credentials]) {
      const text = serializeCredentials(credentials);
      assert.equal(JSON.parse(text).version, 1);
      assert.deepEqual(parseCredentials(text), { ok: true, credentials });
    }
  });

  it('round-trips OAuth credentials whose refresh token was dropped', () => {
    const { refreshToken: _dropped, ...kept } = oauth;
    const parsed = parseCredentials(serializeCredentials(kept));
    assert.ok(parsed.ok);
    assert.equal(parsed.ok && parsed.credentials?.kind === 'oauth' && parsed.credentials.refreshToken, undefined);
  });

  it('reads nothing stored as no credentials', () => {
    assert.deepEqual(parseCredentials(undefined), { ok: true, credentials: undefined });
    assert.deepEqual(parseCredentials(''), { ok: true, credentials: undefined });
  });

  const unreadable: [string, string, RegExp][] = [
    ['not JSON', '{oops', /not JSON/],
    ['not an object', '"text"', /not an object/],
    ['null', 'null', /not an object/],
    ['a future version', '{"version":2,"kind":"apiKey","apiKey":"k"}', /unknown storage version 2/],
    ['no version', '{"kind":"apiKey","apiKey":"k"}', /unknown storage version/],
    ['an unknown kind', '{"version":1,"kind":"saml"}', /malformed/],
    ['a missing client secret', '{"version":1,"kind":"oauth","clientId":"c"}', /malformed/],
    ['a non-numeric expiry', '{"version":1,"kind":"oauth","clientId":"c","clientSecret":"s","expiresAt":"soon"}', /malformed/],
  ];
  for (const [name, text, reason] of unreadable) {
    it(`reports ${name} as unreadable, with a reason and without the value`, () => {
      const parsed = parseCredentials(text);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.reason, reason);
    });
  }

  it('lists every secret for the redactor, and not the client id', () => {
    assert.deepEqual(secretsOf(oauth), ['secret-value', 'refresh-value', 'access-value']);
    assert.deepEqual(secretsOf({ kind: 'apiKey', apiKey: 'key-value' }), ['key-value']);
    assert.deepEqual(secretsOf(undefined), []);
  });
});
