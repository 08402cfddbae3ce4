import * as assert from 'node:assert/strict';
import {
  buildAuthorizeUrl,
  checkSignInSettings,
  newState,
  parseRedirectUri,
  readSignInAnswer,
  type RedirectTarget,
} from '../../src/core/signin/authorization';
import { AuthError } from '../../src/core/base/errors';
import { MAX_SECRET_LENGTH } from '../../src/core/base/policy';
import { DEFAULT_SETTINGS } from '../../src/core/base/settings';

function thrown(run: () => unknown): AuthError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AuthError, 'throws an AuthError');
    return error;
  }
  assert.fail('expected an AuthError');
}

const STATE = 'Zm9vYmFyYmF6cXV4LXN0YXRlLW9mLXRoaXMtc2lnbi1pbg';
const CODE = 'c0de0f3b1e9a5d7c2f4e6a8b0d1c3e5f7a9b1d3f';

describe('the browser sign-in', () => {
  describe('newState', () => {
    it('is 32 random bytes, base64url', () => {
      const state = newState();
      assert.match(state, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(state, 'base64url').length, 32);
    });
    it('differs every time', () => {
      assert.equal(new Set(Array.from({ length: 50 }, newState)).size, 50);
    });
  });

  describe('buildAuthorizeUrl', () => {
    const params = {
      authBaseUrl: 'https://app.pandadoc.com',
      clientId: 'my-client',
      redirectUri: 'http://127.0.0.1:27845/callback',
      scope: 'read+write',
      state: 'st-1',
    };

    it('is PandaDoc\'s authorize address with every parameter encoded', () => {
      assert.equal(
        buildAuthorizeUrl(params),
        'https://app.pandadoc.com/oauth2/authorize?client_id=my-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A27845%2Fcallback&scope=read+write&response_type=code&state=st-1',
      );
    });

    it('reads back to exactly the values given', () => {
      const url = new URL(buildAuthorizeUrl({ ...params, authBaseUrl: 'https://app.pandadoc.com/', clientId: 'a&b=c d' }));
      assert.equal(url.origin + url.pathname, 'https://app.pandadoc.com/oauth2/authorize');
      assert.deepEqual(Object.fromEntries(url.searchParams), {
        client_id: 'a&b=c d',
        redirect_uri: 'http://127.0.0.1:27845/callback',
        // The bare `+` of PandaDoc's reference URL, which form decoding reads as a space.
        scope: 'read write',
        response_type: 'code',
        state: 'st-1',
      });
    });

    it('refuses an authBaseUrl secrets must not go to', () => {
      const error = thrown(() => buildAuthorizeUrl({ ...params, authBaseUrl: 'http://app.pandadoc.com' }));
      assert.equal(error.code, 'bad_config');
      assert.equal(error.details.detail, 'authBaseUrl');
      assert.match(error.message, /^pandadoc\.authBaseUrl /);
    });

    it('refuses a bad redirect URI or scope', () => {
      assert.equal(thrown(() => buildAuthorizeUrl({ ...params, redirectUri: 'http://evil.example/cb' })).details.detail, 'redirectUri');
      assert.equal(thrown(() => buildAuthorizeUrl({ ...params, scope: 'read&admin=1' })).details.detail, 'scope');
    });
  });

  describe('parseRedirectUri', () => {
    const accepted: [string, RedirectTarget][] = [
      ['http://127.0.0.1:27845/callback', { uri: 'http://127.0.0.1:27845/callback', loopback: { port: 27845, path: '/callback' } }],
      ['  http://localhost:8080/auth/done \n', { uri: 'http://localhost:8080/auth/done', loopback: { port: 8080, path: '/auth/done' } }],
      // Kept as written (no slash added): PandaDoc compares it with the registered one.
      ['http://127.0.0.1:27845', { uri: 'http://127.0.0.1:27845', loopback: { port: 27845, path: '/' } }],
      ['http://127.0.0.1:1/callback', { uri: 'http://127.0.0.1:1/callback', loopback: { port: 1, path: '/callback' } }],
      ['http://127.0.0.1:65535/callback', { uri: 'http://127.0.0.1:65535/callback', loopback: { port: 65535, path: '/callback' } }],
      ['http://127.0.0.1:27845/cb?app=vscode', { uri: 'http://127.0.0.1:27845/cb?app=vscode', loopback: { port: 27845, path: '/cb' } }],
      // No explicit port, or an address the listener does not bind: the user pastes.
      ['http://127.0.0.1/callback', { uri: 'http://127.0.0.1/callback' }],
      ['http://[::1]:27845/callback', { uri: 'http://[::1]:27845/callback' }],
      ['http://127.0.0.2:27845/callback', { uri: 'http://127.0.0.2:27845/callback' }],
      ['https://127.0.0.1:27845/callback', { uri: 'https://127.0.0.1:27845/callback' }],
      ['https://example.com/pandadoc/callback', { uri: 'https://example.com/pandadoc/callback' }],
      ['vscode://pandadoc-tools.pandadoc-auth/callback', { uri: 'vscode://pandadoc-tools.pandadoc-auth/callback' }],
    ];
    for (const [raw, expected] of accepted) {
      it(`accepts ${JSON.stringify(raw)}`, () => {
        assert.deepEqual(parseRedirectUri(raw), expected);
      });
    }

    const refused: [string, RegExp][] = [
      ['', /is not a valid URI/],
      ['127.0.0.1:27845/callback', /is not a valid URI/],
      ['/callback', /is not a valid URI/],
      ['http://example.com:8080/callback', /plain http to example\.com; only https is allowed, except to this machine \(use 127\.0\.0\.1\)\.$/],
      ['http://192.168.1.10:27845/callback', /plain http/],
      ['javascript:alert(1)', /cannot use javascript:/],
      ['file:///tmp/callback', /cannot use file:/],
      ['https://user:pw@example.com/callback', /user name or password/],
      ['https://example.com/callback#done', /fragment/],
      // Kept as written but checked as parsed: parsing drops these, so they are refused outright.
      ['http://127.0.0.1:27845/call\tback', /spaces or control characters/],
      ['http://127.0.0.1:27845/cb\n.evil.example', /spaces or control characters/],
      ['http://127.0.0.1:27845/my callback', /spaces or control characters/],
      // Port 0 would make the listener bind a random port while PandaDoc is sent port 0 (S9).
      ['http://127.0.0.1:0/callback', /has port 0; a port is a number from 1 to 65535/],
      ['http://localhost:00/callback', /has port 0;/],
      ['https://example.com:0/callback', /has port 0;/],
      ['http://127.0.0.1:65536/callback', /is not a valid URI/],
    ];
    for (const [raw, reason] of refused) {
      it(`refuses ${JSON.stringify(raw)}`, () => {
        const error = thrown(() => parseRedirectUri(raw));
        assert.equal(error.code, 'bad_config');
        assert.equal(error.details.detail, 'redirectUri');
        assert.match(error.message, /^pandadoc\.redirectUri /);
        assert.match(error.message, reason);
      });
    }
  });

  describe('parseRedirectUri: plain http only to this machine', () => {
    const loopback: [string, RedirectTarget][] = [
      ['http://127.0.0.1', { uri: 'http://127.0.0.1' }],
      ['http://localhost', { uri: 'http://localhost' }],
      ['http://[::1]', { uri: 'http://[::1]' }],
      // The scheme and host are matched case-insensitively, and the URI still sent as registered.
      ['HTTP://127.0.0.1:27845/callback', { uri: 'HTTP://127.0.0.1:27845/callback', loopback: { port: 27845, path: '/callback' } }],
      ['http://LOCALHOST:27845/callback', { uri: 'http://LOCALHOST:27845/callback', loopback: { port: 27845, path: '/callback' } }],
    ];
    for (const [raw, expected] of loopback) {
      it(`accepts ${JSON.stringify(raw)}`, () => assert.deepEqual(parseRedirectUri(raw), expected));
    }

    const elsewhere: [string, RegExp][] = [
      ['http://example.com/callback', /plain http to example\.com/],
      ['HTTP://EXAMPLE.COM/callback', /plain http to example\.com/],
      ['http://127.0.0.1.evil.example:27845/callback', /plain http to 127\.0\.0\.1\.evil\.example/],
      ['http://localhost.evil.example:27845/callback', /plain http to localhost\.evil\.example/],
      ['http://127.0.0.1%2eevil.example/callback', /plain http to 127\.0\.0\.1\.evil\.example/],
      ['http://127.0.0.1@evil.example/callback', /plain http to evil\.example/],
      ['http://localhost:27845@evil.example/callback', /plain http to evil\.example/],
      ['http://evil.example#@127.0.0.1:27845/callback', /plain http to evil\.example/],
      ['http://evil.example\\@127.0.0.1:27845/callback', /plain http to evil\.example/],
      ['http:evil.example/callback', /plain http to evil\.example/],
      ['http://evil.example@127.0.0.1:27845/callback', /user name or password/],
      ['https://127.0.0.1@evil.example/callback', /user name or password/],
      ['http://0.0.0.0:27845/callback', /plain http/],
      ['http://localhost.:27845/callback', /plain http/],
      ['JavaScript:alert(1)', /cannot use javascript:/],
      ['DATA:text/html,x', /cannot use data:/],
    ];
    for (const [raw, reason] of elsewhere) {
      it(`refuses ${JSON.stringify(raw)}`, () => {
        const error = thrown(() => parseRedirectUri(raw));
        assert.equal(error.code, 'bad_config');
        assert.equal(error.details.detail, 'redirectUri');
        assert.match(error.message, reason);
      });
    }
  });

  describe('checkSignInSettings', () => {
    it('passes the defaults, and gives the redirect target', () => {
      assert.deepEqual(checkSignInSettings(DEFAULT_SETTINGS), {
        redirect: { uri: 'http://127.0.0.1:27845/callback', loopback: { port: 27845, path: '/callback' } },
      });
    });

    const bad: [string, Partial<typeof DEFAULT_SETTINGS>][] = [
      ['authBaseUrl', { authBaseUrl: 'http://app.pandadoc.example' }],
      ['apiBaseUrl', { apiBaseUrl: 'not a url' }],
      ['scope', { scope: 'read&admin=1' }],
      ['redirectUri', { redirectUri: 'http://evil.example/cb' }],
    ];
    for (const [setting, change] of bad) {
      it(`refuses a bad ${setting} before anything happens (bad_config)`, () => {
        const error = thrown(() => checkSignInSettings({ ...DEFAULT_SETTINGS, ...change }));
        assert.equal(error.code, 'bad_config');
        assert.equal(error.details.detail, setting);
      });
    }
  });

  describe('readSignInAnswer', () => {
    const read = (input: string) => readSignInAnswer(input, STATE);
    const failure = (input: string): AuthError => {
      const error = thrown(() => read(input));
      // Whatever was pasted, the message repeats none of it.
      assert.doesNotMatch(error.message, new RegExp(`${CODE}|${STATE}|evil`));
      return error;
    };

    const accepted: [string, string][] = [
      ['the whole redirected address', `http://127.0.0.1:27845/callback?code=${CODE}&state=${STATE}`],
      ['an address with other parameters and a fragment', `https://example.com/cb?x=1&state=${STATE}&code=${CODE}#top`],
      ['the query string', `code=${CODE}&state=${STATE}`],
      ['the query string with its question mark', `?state=${STATE}&code=${CODE}`],
      ['an address with spaces and a line break around it', `  http://127.0.0.1:27845/callback?code=${CODE}&state=${STATE}\n`],
      ['the bare code', CODE],
      ['the bare code with spaces around it', `\t ${CODE} \r\n`],
    ];
    for (const [what, input] of accepted) {
      it(`reads ${what}`, () => {
        assert.deepEqual(read(input), { code: CODE });
      });
    }

    it('decodes a percent-encoded code', () => {
      assert.deepEqual(read(`code=a%2Fb%2Bc&state=${STATE}`), { code: 'a/b+c' });
    });

    it('reports error=access_denied as access_denied, whatever else is there', () => {
      for (const input of [
        `http://127.0.0.1:27845/callback?error=access_denied&state=${STATE}`,
        'error=access_denied&error_description=evil',
        `?error=access_denied&state=other&code=${CODE}`,
      ]) {
        const error = failure(input);
        assert.equal(error.code, 'access_denied');
        assert.equal(error.details.oauthError, 'access_denied');
      }
    });

    it('reports any other error as rejected, naming only RFC 6749 error strings', () => {
      const known = failure(`error=invalid_scope&state=${STATE}`);
      assert.equal(known.code, 'rejected');
      assert.equal(known.details.oauthError, 'invalid_scope');
      const unknown = failure(`error=evil%3Cscript%3E&state=${STATE}`);
      assert.equal(unknown.code, 'rejected');
      assert.equal(unknown.details.oauthError, undefined);
    });

    const mismatched: [string, string][] = [
      ['another sign-in\'s state', `code=${CODE}&state=${STATE.slice(0, -1)}x`],
      ['a state of another length', `code=${CODE}&state=${STATE}x`],
      ['an empty state', `code=${CODE}&state=`],
      ['no state', `http://127.0.0.1:27845/callback?code=${CODE}`],
      ['no state and no code', 'http://127.0.0.1:27845/callback?'],
    ];
    for (const [what, input] of mismatched) {
      it(`refuses ${what} (state_mismatch)`, () => {
        assert.equal(failure(input).code, 'state_mismatch');
      });
    }

    it('never matches when no state was expected', () => {
      assert.equal(thrown(() => readSignInAnswer(`code=${CODE}&state=`, '')).code, 'state_mismatch');
    });

    const unusable: [string, string][] = [
      ['an answer with the right state but no code', `state=${STATE}`],
      ['an empty code', `code=&state=${STATE}`],
      ['a code with a space inside', `code=abc%20def&state=${STATE}`],
      ['a bare code with a space inside', 'abc def'],
      ['a bare code with a control character', 'abc\u0007def'],
      ['a code longer than 4096 characters', 'c'.repeat(MAX_SECRET_LENGTH + 1)],
      ['nothing', '   '],
      ['an address without a query', 'http://127.0.0.1:27845/callback'],
      ['a whole log file', `code=${'x'.repeat(MAX_SECRET_LENGTH * 5)}&state=${STATE}`],
    ];
    for (const [what, input] of unusable) {
      it(`refuses ${what} (bad_input)`, () => {
        assert.equal(failure(input).code, 'bad_input');
      });
    }

    it('accepts a code of exactly 4096 characters', () => {
      const code = 'c'.repeat(MAX_SECRET_LENGTH);
      assert.deepEqual(read(`code=${code}&state=${STATE}`), { code });
    });
  });
});
