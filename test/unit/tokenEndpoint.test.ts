import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import type { HttpResponse } from '../../src/core/pandadoc/http';
import { ASSUMED_LIFETIME_MS, MAX_LIFETIME_MS } from '../../src/core/base/policy';
import {
  buildAuthorizationCodeRequest,
  buildRefreshRequest,
  interpretTokenResponse,
} from '../../src/core/pandadoc/tokenEndpoint';
import { parseRetryAfter } from '../../src/core/pandadoc/responses';

const NOW = Date.UTC(2026, 10, 25);

function response(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, body, header: (name) => lower[name.toLowerCase()] ?? null };
}

function failure(res: HttpResponse): AuthError {
  try {
    interpretTokenResponse(res, NOW);
  } catch (error) {
    assert.ok(error instanceof AuthError);
    return error;
  }
  assert.fail('expected an AuthError');
}

describe('the token endpoint', () => {
  it('builds the refresh request of the PandaDoc reference', () => {
    const request = buildRefreshRequest({
      baseUrl: 'https://api.pandadoc.com',
      clientId: 'id',
      clientSecret: 's&cret',
      refreshToken: 'r',
      scope: 'read+write',
      timeoutMs: 5000,
      userAgent: 'ua',
    });
    assert.equal(request.url, 'https://api.pandadoc.com/oauth2/access_token');
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['Content-Type'], 'application/x-www-form-urlencoded');
    assert.equal(request.headers.Accept, 'application/json');
    assert.equal(
      request.body,
      'grant_type=refresh_token&client_id=id&client_secret=s%26cret&scope=read%2Bwrite&refresh_token=r',
    );
  });

  it('builds the authorization code request with the same headers', () => {
    const common = { baseUrl: 'https://api.pandadoc.com', clientId: 'id', clientSecret: 's&cret', scope: 'read+write', timeoutMs: 5000, userAgent: 'ua' };
    const request = buildAuthorizationCodeRequest({ ...common, code: 'c/1', redirectUri: 'http://127.0.0.1:27845/callback' });
    assert.equal(request.url, 'https://api.pandadoc.com/oauth2/access_token');
    assert.equal(request.method, 'POST');
    assert.equal(request.timeoutMs, 5000);
    assert.deepEqual(request.headers, buildRefreshRequest({ ...common, refreshToken: 'r' }).headers);
    assert.equal(
      request.body,
      'grant_type=authorization_code&code=c%2F1&client_id=id&client_secret=s%26cret&scope=read%2Bwrite&redirect_uri=http%3A%2F%2F127.0.0.1%3A27845%2Fcallback',
    );
  });

  describe('reads a 200', () => {
    const ok = (body: Record<string, unknown>) => interpretTokenResponse(response(200, JSON.stringify(body)), NOW);

    it('with PandaDoc documented fields', () => {
      assert.deepEqual(
        ok({ access_token: 'a', token_type: 'Bearer', expires_in: 31535999, refresh_token: 'r', scope: 'read write read+write' }),
        { accessToken: 'a', refreshToken: 'r', expiresAt: NOW + 31535999 * 1000, expiryFromServer: true },
      );
    });

    it('without a refresh_token (no rotation)', () => {
      assert.equal(ok({ access_token: 'a', expires_in: 60 }).refreshToken, undefined);
    });

    it('ignoring an empty or non-string refresh_token', () => {
      assert.equal(ok({ access_token: 'a', expires_in: 60, refresh_token: '' }).refreshToken, undefined);
      assert.equal(ok({ access_token: 'a', expires_in: 60, refresh_token: 7 }).refreshToken, undefined);
    });

    const lifetimes: [unknown, number, boolean][] = [
      [3600, NOW + 3600_000, true],
      ['3600', NOW + 3600_000, true],
      [undefined, NOW + ASSUMED_LIFETIME_MS, false],
      [-1, NOW + ASSUMED_LIFETIME_MS, false],
      [0, NOW + ASSUMED_LIFETIME_MS, false],
      ['1h', NOW + ASSUMED_LIFETIME_MS, false],
      [1e15, NOW + MAX_LIFETIME_MS, true],
    ];
    for (const [expiresIn, expiresAt, fromServer] of lifetimes) {
      it(`with expires_in ${JSON.stringify(expiresIn)}`, () => {
        const grant = ok({ access_token: 'a', expires_in: expiresIn });
        assert.equal(grant.expiresAt, expiresAt);
        assert.equal(grant.expiryFromServer, fromServer);
      });
    }
  });

  describe('classifies every other answer', () => {
    const cases: [string, HttpResponse, AuthError['code'], string?][] = [
      ['invalid_grant', response(400, '{"error":"invalid_grant"}'), 'invalid_grant'],
      ['invalid_client in a 400', response(400, '{"error":"invalid_client"}'), 'invalid_client'],
      ['a bare 401', response(401, '{"type":"request_error","detail":"Authentication credentials were not provided."}'), 'invalid_client'],
      ['unsupported_grant_type', response(400, '{"error":"unsupported_grant_type"}'), 'rejected'],
      ['an unknown error string', response(400, '{"error":"please_pay"}'), 'rejected'],
      ['a 403 without an error', response(403, '{"type":"request_error","detail":"Forbidden"}'), 'rejected'],
      ['a 500', response(500, ''), 'server'],
      ['a 502 with HTML', response(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' }), 'server'],
      ['a 429', response(429, '{"type":"request_error","detail":"Request was throttled. Expected available in 13 seconds."}'), 'rate_limited'],
      ['a redirect', response(302, '', { Location: 'https://elsewhere.example' }), 'bad_response', 'redirect'],
      ['a 200 with HTML', response(200, '<!doctype html><p>Sign in to the Wi-Fi</p>', { 'Content-Type': 'text/html' }), 'bad_response', 'HTML instead of JSON'],
      ['a 200 with broken JSON', response(200, '{"access_token":'), 'bad_response', 'a body that is not JSON'],
      ['a 200 with an empty body', response(200, ''), 'bad_response', 'an empty body'],
      ['a 200 with a JSON array', response(200, '[]'), 'bad_response'],
      ['a 200 without access_token', response(200, '{"token_type":"Bearer"}'), 'bad_response', 'no access_token'],
      ['a 200 with an access_token holding spaces', response(200, '{"access_token":"a b"}'), 'bad_response', 'no access_token'],
    ];
    for (const [name, res, code, detail] of cases) {
      it(name, () => {
        const error = failure(res);
        assert.equal(error.code, code);
        if (detail) {
          assert.equal(error.details.detail, detail);
        }
        assert.equal(error.details.status, res.status);
      });
    }

    it('never copies server text into the error message', () => {
      const error = failure(response(400, '{"error":"invalid_request","error_description":"client_secret=hunter2 is wrong"}'));
      assert.doesNotMatch(error.message, /hunter2/);
      assert.equal(error.details.oauthError, 'invalid_request');
    });
  });

  describe('Retry-After', () => {
    it('reads seconds and HTTP dates', () => {
      assert.equal(parseRetryAfter('13', NOW), 13_000);
      assert.equal(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW), 5000);
      assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
    });
    it('ignores absent or junk values', () => {
      for (const value of [null, '', 'soon', '-3']) {
        assert.equal(parseRetryAfter(value, NOW), undefined);
      }
    });
    it('is carried on a 429', () => {
      assert.equal(failure(response(429, '', { 'Retry-After': '7' })).details.retryAfterMs, 7000);
    });
  });
});
