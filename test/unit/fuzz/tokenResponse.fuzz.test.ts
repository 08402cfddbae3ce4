import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { AuthError } from '../../../src/core/base/errors';
import type { HttpResponse } from '../../../src/core/pandadoc/http';
import { ASSUMED_LIFETIME_MS, MAX_LIFETIME_MS, TIME } from '../../../src/core/base/policy';
import { OAUTH_ERRORS as OAUTH_ERROR_SET, parseRetryAfter, readJsonObject, statusError } from '../../../src/core/pandadoc/responses';
import { interpretTokenResponse } from '../../../src/core/pandadoc/tokenEndpoint';
import { assertNoSecrets } from '../../support/assertions';
import { anyText, marker, realisticToken } from './arbitraries';
import { fuzz } from './runs';

const OAUTH_ERRORS = [...OAUTH_ERROR_SET];
/** Every code a reader of token responses may throw. */
const TOKEN_RESPONSE_CODES = ['bad_response', 'rate_limited', 'server', 'invalid_grant', 'invalid_client', 'rejected'];
const UNREADABLE_DETAILS = ['HTML instead of JSON', 'an empty body', 'a body that is not JSON'];

function response(status: number, body: string, headers: Record<string, string | undefined>): HttpResponse {
  const lower = new Map(
    Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), value]])),
  );
  return { status, body, header: (name) => lower.get(name.toLowerCase()) ?? null };
}

/** What a field of the body may hold: the marker as a token, the marker among junk, or anything. */
const fieldValue = (mark: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(mark) },
    { weight: 2, arbitrary: realisticToken.map((token) => `${token}${mark}`) },
    { weight: 2, arbitrary: fc.tuple(anyText(8), anyText(8)).map(([a, b]) => `${a}${mark}${b}`) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '3600', ...OAUTH_ERRORS) },
  );

const digits = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength });
/** Any whole number up to 400 digits, as text: fast-check keeps plain strings short. */
const bigDigits = fc.bigInt({ min: 0n, max: 10n ** 400n }).map(String);

const expiresIn = (mark: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(3600, 31535999, 1, 0, -1, '3600', '1e5', ' 60', '-5', '0'),
    fc.integer(),
    fc.double(),
    bigDigits,
    fieldValue(mark),
  );

/** Number literals JSON.stringify never writes but a server may: JSON.parse reads 1e400 as Infinity. */
const rawNumber = fc.oneof(
  fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '0.0000001', '1e308', '123456789012345678901234567890'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
);

const tokenObject = (mark: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.record(
        {
          access_token: fieldValue(mark),
          refresh_token: fieldValue(mark),
          expires_in: expiresIn(mark),
          token_type: fc.oneof(fc.constant('Bearer'), fieldValue(mark)),
          scope: fc.oneof(fc.constant('read+write'), fieldValue(mark)),
          error: fc.oneof(fc.constantFrom(...OAUTH_ERRORS, 'access_denied', 'server_error'), fieldValue(mark)),
          error_description: fieldValue(mark),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    )
    .map(([fields, extra]) => ({ ...extra, ...fields }));

const body = (mark: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: tokenObject(mark).map((object) => JSON.stringify(object)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(tokenObject(mark), fc.nat())
        .map(([object, cut]) => {
          const text = JSON.stringify(object);
          return text.slice(0, cut % (text.length + 1));
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fieldValue(mark), rawNumber)
        .map(([token, raw]) => `{"access_token":${JSON.stringify(token)},"expires_in":${raw}}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(anyText(60), fc.constantFrom('error_description', 'refresh_token', 'message'))
        .map(([text, field]) => `<html><body><h1>Bad Gateway</h1><p>${field}=${mark} ${text}</p></body></html>`),
    },
    { weight: 1, arbitrary: tokenObject(mark).map((object) => JSON.stringify([object])) },
    { weight: 1, arbitrary: fieldValue(mark).map((value) => JSON.stringify(value) ?? '') },
    { weight: 1, arbitrary: fc.tuple(anyText(30), anyText(30)).map(([a, b]) => `${a}${mark}${b}`) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: anyText(200) },
  );

const httpDate = fc
  .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true })
  .map((date) => date.toUTCString());

const retryAfter = (mark: string): fc.Arbitrary<string | undefined> =>
  fc.option(fc.oneof(digits(4), bigDigits, httpDate, anyText(30), fc.constant(mark), fc.constant(` ${mark} GMT`)), {
    nil: undefined,
  });

const status = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(200, 201, 204) },
  { weight: 4, arbitrary: fc.constantFrom(400, 401, 403, 404, 429, 500, 502, 503, 301, 302, 307) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 599 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 10000 }) },
);

const NOW_MIN = Date.UTC(2000, 0, 1);
const NOW_MAX = Date.UTC(2100, 0, 1);

interface Case {
  mark: string;
  status: number;
  body: string;
  contentType: string | undefined;
  retryAfter: string | undefined;
  grant: 'refresh_token' | 'authorization_code';
  now: number;
}

const cases: fc.Arbitrary<Case> = marker.chain((mark) =>
  fc.record({
    mark: fc.constant(mark),
    status,
    body: body(mark),
    contentType: fc.option(
      fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
        anyText(30),
        fc.constant(`text/plain; note=${mark}`),
      ),
      { nil: undefined },
    ),
    retryAfter: retryAfter(mark),
    grant: fc.constantFrom('refresh_token' as const, 'authorization_code' as const),
    now: fc.integer({ min: NOW_MIN, max: NOW_MAX }),
  }),
);

const toResponse = (c: Case, body = c.body): HttpResponse =>
  response(c.status, body, { 'Content-Type': c.contentType, 'Retry-After': c.retryAfter });

/** The grant, or the AuthError; anything else thrown fails the property. */
function outcome(c: Case, body = c.body): ReturnType<typeof interpretTokenResponse> | AuthError {
  try {
    return interpretTokenResponse(toResponse(c, body), c.now, c.grant);
  } catch (error) {
    assert.ok(error instanceof AuthError, `threw ${error instanceof Error ? error.name : typeof error}, not an AuthError`);
    return error;
  }
}

function parsedBody(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

function assertErrorWithoutServerText(error: AuthError, mark: string): void {
  assertNoSecrets(error.message, [mark], 'the error message');
  assertNoSecrets(JSON.stringify(error.details), [mark], 'the error details');
}

describe('fuzz: token responses', () => {
  describe('regressions found by fuzzing', () => {
    it('reads a Retry-After too large for a number as junk, not an Infinity wait', () => {
      // Shrunk: the 306-digit integer 179769313486231575...20800, just above Number.MAX_VALUE / 1000.
      assert.equal(parseRetryAfter('9'.repeat(306), NOW_MIN), undefined);
      assert.equal(parseRetryAfter(`1${'0'.repeat(300)}`, NOW_MIN), 1e303);
    });

    it('reports the real 2xx status of a success without an access_token', () => {
      // Shrunk: HTTP 204 with the body {} was reported as status 200.
      const error = outcome({ mark: '', status: 204, body: '{}', contentType: undefined, retryAfter: undefined, grant: 'refresh_token', now: NOW_MIN });
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'bad_response');
      assert.equal(error.details.status, 204);
    });
  });

  it('throw nothing but an AuthError with a code of the token reader', () => {
    fuzz(
      fc.property(cases, (c) => {
        const result = outcome(c);
        if (result instanceof AuthError) {
          assert.ok(TOKEN_RESPONSE_CODES.includes(result.code), `unexpected code ${result.code}`);
          assert.ok(result.details.oauthError === undefined || OAUTH_ERRORS.includes(result.details.oauthError));
          assert.equal(result.details.status, c.status);
        } else {
          assert.ok(c.status >= 200 && c.status < 300, 'a grant only from a 2xx');
        }
      }),
    );
  });

  it('never put server text in an error: the planted marker stays out, and swapping it changes nothing', () => {
    fuzz(
      fc.property(cases, marker, (c, other) => {
        const result = outcome(c);
        if (!(result instanceof AuthError)) {
          return;
        }
        assertErrorWithoutServerText(result, c.mark);
        const swapped = outcome({ ...c, mark: other }, c.body.split(c.mark).join(other));
        assert.ok(swapped instanceof AuthError);
        assert.equal(swapped.message, result.message);
        assert.deepEqual(swapped.details, result.details);
        assert.equal(swapped.code, result.code);
      }),
    );
  });

  it('return only tokens the body holds under access_token and refresh_token', () => {
    fuzz(
      fc.property(cases, (c) => {
        const result = outcome(c);
        if (result instanceof AuthError) {
          return;
        }
        const parsed = parsedBody(c.body);
        assert.equal(result.accessToken, parsed.access_token);
        if (result.refreshToken !== undefined) {
          assert.equal(result.refreshToken, parsed.refresh_token);
        }
        for (const token of [result.accessToken, result.refreshToken]) {
          if (token === undefined) {
            continue;
          }
          assert.ok(token.length > 0 && token.length <= 8192);
          // eslint-disable-next-line no-control-regex
          assert.doesNotMatch(token, /[\s\u0000-\u001f]/);
          if (!c.body.includes('\\')) {
            assert.ok(c.body.includes(token), 'the token appears literally in the body');
          }
        }
        const rotated = parsed.refresh_token;
        // eslint-disable-next-line no-control-regex
        if (typeof rotated === 'string' && rotated.length > 0 && rotated.length <= 8192 && !/[\s\u0000-\u001f]/.test(rotated)) {
          assert.equal(result.refreshToken, rotated, 'a usable refresh_token is kept');
        }
      }),
    );
  });

  it('give an expiry that is finite and within policy bounds', () => {
    fuzz(
      fc.property(cases, (c) => {
        const result = outcome(c);
        if (result instanceof AuthError) {
          return;
        }
        assert.ok(Number.isFinite(result.expiresAt));
        assert.ok(result.expiresAt >= c.now, 'not before now');
        assert.ok(result.expiresAt <= c.now + MAX_LIFETIME_MS, 'at most MAX_LIFETIME_MS ahead');
        if (!result.expiryFromServer) {
          assert.equal(result.expiresAt, c.now + ASSUMED_LIFETIME_MS);
        }
        // How the exchange logs it: must not throw.
        new Date(result.expiresAt).toISOString();
      }),
    );
  });

  it('readJsonObject returns exactly the parsed object, or a bad_response naming only the kind of body', () => {
    fuzz(
      fc.property(cases, fc.constantFrom('token endpoint', 'members endpoint'), (c, endpoint) => {
        let expected: unknown;
        try {
          expected = JSON.parse(c.body);
        } catch {
          expected = undefined;
        }
        const isObject = typeof expected === 'object' && expected !== null && !Array.isArray(expected);
        try {
          const object = readJsonObject(toResponse(c), endpoint);
          assert.ok(isObject, 'only a JSON object is returned');
          assert.deepEqual(object, expected);
        } catch (error) {
          if (!(error instanceof AuthError)) {
            throw error;
          }
          assert.ok(!isObject, 'a JSON object is never refused');
          assert.equal(error.code, 'bad_response');
          assert.equal(error.details.status, c.status);
          assert.ok(UNREADABLE_DETAILS.includes(error.details.detail ?? ''));
          assert.equal(error.message, `The ${endpoint} answered with ${error.details.detail}.`);
        }
      }),
    );
  });

  it('statusError answers only 429, 5xx and 3xx, without server text', () => {
    fuzz(
      fc.property(cases, (c) => {
        const error = statusError(toResponse(c), c.now, 'token endpoint');
        const { status: s } = c;
        const expected = s === 429 ? 'rate_limited' : s >= 500 ? 'server' : s >= 300 && s < 400 ? 'bad_response' : undefined;
        if (expected === undefined) {
          assert.equal(error, undefined);
          return;
        }
        assert.ok(error);
        assert.equal(error.code, expected);
        if (s === 429) {
          assert.equal(error.details.retryAfterMs, parseRetryAfter(c.retryAfter ?? null, c.now));
        }
        if (expected === 'bad_response') {
          assert.equal(error.details.detail, 'redirect');
        }
        assert.equal(error.details.status, s);
        assertErrorWithoutServerText(error, c.mark);
      }),
    );
  });

  it('parseRetryAfter gives undefined or a finite, non-negative wait', () => {
    fuzz(
      fc.property(marker.chain(retryAfter), fc.integer({ min: NOW_MIN, max: NOW_MAX }), (value, now) => {
        const waitMs = parseRetryAfter(value ?? null, now);
        if (waitMs === undefined) {
          return;
        }
        assert.ok(Number.isFinite(waitMs) && waitMs >= 0, `a wait of ${waitMs} ms`);
        const text = (value ?? '').trim();
        if (/^\d+$/.test(text)) {
          assert.equal(waitMs, Number(text) * TIME.SECOND);
        } else if (/GMT$/.test(text) && !Number.isNaN(Date.parse(text))) {
          assert.equal(waitMs, Math.max(0, Date.parse(text) - now));
        }
      }),
    );
  });
});
