import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import { checkApiBaseUrl, checkBaseUrl, checkScope, DEFAULT_SETTINGS, settingsFrom } from '../../src/core/base/settings';

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

  describe('plain http only to this machine, for both base URLs', () => {
    const loopback: [string, string][] = [
      ['http://127.0.0.1', 'http://127.0.0.1'],
      ['http://localhost', 'http://localhost'],
      ['http://[::1]', 'http://[::1]'],
      ['http://[0:0:0:0:0:0:0:1]:3000', 'http://[::1]:3000'],
      ['HTTP://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['Http://LocalHost:3000/Api', 'http://localhost:3000/Api'],
      // Spellings URL parsing reads as 127.0.0.1: still this machine, and what is used is the
      // normalized form, so nothing else is reached.
      ['http://2130706433:8080', 'http://127.0.0.1:8080'],
      ['http://127.0.0.1.:8080', 'http://127.0.0.1:8080'],
      ['HTTPS://API.PANDADOC.COM/', 'https://api.pandadoc.com'],
    ];
    const elsewhere: [string, RegExp][] = [
      ['http://example.com', /plain http to example\.com/],
      ['HTTP://EXAMPLE.COM', /plain http to example\.com/],
      ['http://127.0.0.1.evil.example', /plain http to 127\.0\.0\.1\.evil\.example/],
      ['http://localhost.evil.example', /plain http to localhost\.evil\.example/],
      ['http://127.0.0.1%2eevil.example', /plain http to 127\.0\.0\.1\.evil\.example/],
      ['http://127.0.0.1\t.evil.example', /plain http to 127\.0\.0\.1\.evil\.example/],
      // User info that looks like a loopback host: the host is what follows the @.
      ['http://127.0.0.1@evil.example', /plain http to evil\.example/],
      ['http://localhost:80@evil.example', /plain http to evil\.example/],
      ['http://evil.example#@127.0.0.1', /plain http to evil\.example/],
      ['http://evil.example\\@127.0.0.1', /plain http to evil\.example/],
      ['http:evil.example', /plain http to evil\.example/],
      ['http://evil.example@127.0.0.1', /user name or password/],
      ['https://127.0.0.1@evil.example', /user name or password/],
      ['http://localhost.', /plain http/],
      ['http://0.0.0.0:8080', /plain http/],
      ['http://[::ffff:127.0.0.1]:8080', /plain http/],
      ['http://[::1].evil.example', /not a valid URL/],
      ['http://localhost:8080.evil.example', /not a valid URL/],
      ['ws://127.0.0.1:8080', /must start with https/],
      ['JavaScript:alert(1)', /must start with https/],
    ];
    for (const setting of ['apiBaseUrl', 'authBaseUrl'] as const) {
      it(`${setting}: the refusal of plain http names 127.0.0.1, not localhost (S8)`, () => {
        assert.throws(
          () => checkBaseUrl('http://example.com', setting),
          (error: unknown) =>
            error instanceof AuthError && /except to this machine \(use 127\.0\.0\.1\)\.$/.test(error.message) && !error.message.includes('localhost'),
        );
      });
      for (const [raw, expected] of loopback) {
        it(`${setting}: accepts ${JSON.stringify(raw)}`, () => assert.equal(checkBaseUrl(raw, setting), expected));
      }
      for (const [raw, reason] of elsewhere) {
        it(`${setting}: refuses ${JSON.stringify(raw)}`, () => {
          assert.throws(
            () => checkBaseUrl(raw, setting),
            (error: unknown) =>
              error instanceof AuthError &&
              error.code === 'bad_config' &&
              error.details.detail === setting &&
              error.message.startsWith(`pandadoc.${setting} `) &&
              reason.test(error.message),
          );
        });
      }
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

  it('pandadoc.clipboardClearSeconds: 60 s by default, 0 to never clear, clamped to an hour, junk ignored', () => {
    assert.equal(DEFAULT_SETTINGS.clipboardClearMs, 60_000);
    const cases: [unknown, number][] = [
      [undefined, 60_000],
      [0, 0],
      [1, 1_000],
      [1.5, 1_500],
      [-5, 0],
      [86_400, 3_600_000],
      ['30', 60_000],
      [null, 60_000],
      [Number.NaN, 60_000],
      [Number.POSITIVE_INFINITY, 60_000],
    ];
    for (const [raw, expected] of cases) {
      assert.equal(settingsFrom({ clipboardClearSeconds: raw }).clipboardClearMs, expected, String(raw));
    }
  });
});
