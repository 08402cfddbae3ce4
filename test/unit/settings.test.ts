import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/errors';
import { checkApiBaseUrl, checkScope, DEFAULT_SETTINGS, settingsFrom } from '../../src/core/settings';

describe('settings', () => {
  describe('pandadoc.apiBaseUrl', () => {
    const accepted: [string, string][] = [
      ['https://api.pandadoc.com', 'https://api.pandadoc.com'],
      ['https://api.pandadoc.com/', 'https://api.pandadoc.com'],
      ['  https://proxy.example.com/pandadoc/  ', 'https://proxy.example.com/pandadoc'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://127.1.2.3:9', 'http://127.1.2.3:9'],
      ['http://localhost:3000/', 'http://localhost:3000'],
      ['http://[::1]:3000', 'http://[::1]:3000'],
    ];
    for (const [raw, expected] of accepted) {
      it(`accepts ${raw.trim()}`, () => assert.equal(checkApiBaseUrl(raw), expected));
    }

    const refused: [string, RegExp][] = [
      ['http://api.pandadoc.com', /plain http to api\.pandadoc\.com/],
      ['http://10.0.0.5:8080', /plain http/],
      ['http://localhost.evil.example', /plain http/],
      ['ftp://api.pandadoc.com', /must start with https/],
      ['file:///etc/passwd', /must start with https/],
      ['https://user:pass@api.pandadoc.com', /user name or password/],
      ['https://api.pandadoc.com/?x=1', /query or fragment/],
      ['api.pandadoc.com', /not a valid URL/],
      ['', /not a valid URL/],
    ];
    for (const [raw, reason] of refused) {
      it(`refuses ${JSON.stringify(raw)} before any request`, () => {
        assert.throws(
          () => checkApiBaseUrl(raw),
          (error: unknown) => error instanceof AuthError && error.code === 'bad_config' && reason.test(error.message),
        );
      });
    }
  });

  it('accepts scopes in both spellings and refuses junk', () => {
    assert.equal(checkScope('read+write'), 'read+write');
    assert.equal(checkScope(' read write '), 'read write');
    assert.equal(checkScope('read'), 'read');
    for (const bad of ['', 'read&x=1', 'read\nwrite']) {
      assert.throws(() => checkScope(bad), /pandadoc\.scope/);
    }
  });

  it('builds settings from raw values, clamping numbers and ignoring junk', () => {
    assert.deepEqual(settingsFrom({}), DEFAULT_SETTINGS);
    const settings = settingsFrom({
      apiBaseUrl: 'https://x.example',
      scope: 'read',
      requestTimeoutSeconds: 10_000,
      refreshMarginMinutes: -3,
    });
    assert.deepEqual(settings, {
      ...DEFAULT_SETTINGS,
      apiBaseUrl: 'https://x.example',
      scope: 'read',
      timeoutMs: 300_000,
      refreshMarginMs: 0,
    });
    assert.equal(settingsFrom({ requestTimeoutSeconds: 'fast', apiBaseUrl: 42 }).timeoutMs, DEFAULT_SETTINGS.timeoutMs);
  });
});
