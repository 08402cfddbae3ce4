import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { AuthError } from '../../../src/core/base/errors';
import { MAX_SECRET_LENGTH } from '../../../src/core/base/policy';
import {
  type CredentialField,
  credentialProblem,
  normalizeCredential,
  normalizeOAuthInput,
} from '../../../src/core/token/validation';
import { assertNoSecrets } from '../../support/assertions';
import { anyText, marker, padding, realisticToken } from './arbitraries';
import { fuzz } from './runs';

const FIELDS: CredentialField[] = ['clientId', 'clientSecret', 'refreshToken', 'accessToken', 'apiKey'];
const field = fc.constantFrom(...FIELDS);

// What a stored credential may not contain, as validation.ts defines it.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Text as users paste it, with the marker somewhere inside: prefixes, quotes, padding, junk. */
const pasted = (mark: string): fc.Arbitrary<string> => {
  const core = fc.oneof(
    fc.constant(mark),
    realisticToken.map((token) => `${token}${mark}`),
    fc.tuple(anyText(12), anyText(12)).map(([a, b]) => `${a}${mark}${b}`),
    fc.integer({ min: MAX_SECRET_LENGTH - 24, max: MAX_SECRET_LENGTH + 4 }).map((n) => `${'x'.repeat(n)}${mark}`),
  );
  const prefix = fc.constantFrom('', '', 'Bearer ', 'bearer\t', 'API-Key ', 'api-key', 'Authorization: Bearer ', 'authorization:API-Key ', '"', "'");
  const suffix = fc.constantFrom('', '', '"', "'", ' ', '\n');
  return fc.tuple(padding, prefix, core, suffix, padding).map((parts) => parts.join(''));
};

/** Pasted or arbitrary text; the marker is the one planted (if any). */
const credentialText = marker.chain((mark) =>
  fc.record({
    mark: fc.constant(mark),
    value: fc.oneof({ weight: 4, arbitrary: pasted(mark) }, { weight: 1, arbitrary: anyText(60) }),
  }),
);

/** Any value at all, or text. */
const credentialValue = marker.chain((mark) =>
  fc.record({
    mark: fc.constant(mark),
    value: fc.oneof(
      { weight: 4, arbitrary: pasted(mark) },
      { weight: 1, arbitrary: anyText(60) },
      { weight: 1, arbitrary: fc.anything() },
    ),
  }),
);

/** normalizeCredential's result, or its AuthError; anything else thrown fails the property. */
function normalized(value: unknown, name: CredentialField): string | AuthError {
  try {
    return normalizeCredential(value, name);
  } catch (error) {
    assert.ok(error instanceof AuthError, 'throws only AuthError');
    return error;
  }
}

describe('fuzz: credential validation', () => {
  it('normalizeCredential returns text or throws bad_input naming the field, never the value', () => {
    fuzz(
      fc.property(credentialValue, field, ({ mark, value }, name) => {
        const result = normalized(value, name);
        if (result instanceof AuthError) {
          assert.equal(result.code, 'bad_input');
          assert.equal(result.details.detail, name);
          assertNoSecrets(result.message, [mark], 'the message');
        } else {
          assert.equal(typeof result, 'string');
        }
      }),
    );
  });

  it('accepts only a clean part of the trimmed input: one unbroken string, within the length limit', () => {
    fuzz(
      fc.property(credentialValue, field, ({ value }, name) => {
        const result = normalized(value, name);
        if (result instanceof AuthError) {
          return;
        }
        assert.ok(typeof value === 'string' && value.trim().includes(result), 'a part of the trimmed input');
        assert.ok(result.length > 0 && result.length <= MAX_SECRET_LENGTH);
        assert.doesNotMatch(result, /\s/);
        assert.doesNotMatch(result, CONTROL_CHARS);
        assert.doesNotMatch(result, /\p{Cf}/u, 'no invisible formatting character');
        assert.equal(result, result.trim());
      }),
    );
  });

  it('gives back a clean token exactly, whatever padding, quotes or header prefix it was pasted with', () => {
    const wrapping = (name: CredentialField): fc.Arbitrary<[string, string]> => {
      const schemes =
        name === 'apiKey'
          ? ['', 'API-Key ', 'api-key  ', 'Authorization: API-Key ']
          : name === 'accessToken' || name === 'refreshToken'
            ? ['', 'Bearer ', 'BEARER\t', 'Authorization: Bearer ', 'authorization:bearer ']
            : [''];
      return fc.tuple(fc.constantFrom(...schemes), fc.constantFrom('', '"', "'"));
    };
    fuzz(
      fc.property(
        realisticToken,
        field.chain((name) => fc.tuple(fc.constant(name), wrapping(name))),
        padding,
        padding,
        (token, [name, [scheme, quote]], before, after) => {
          const text = `${before}${quote}${scheme}${token}${quote}${after}`;
          assert.equal(normalizeCredential(text, name), token);
        },
      ),
    );
  });

  it('credentialProblem is undefined exactly for accepted text, else the reason without the value', () => {
    fuzz(
      fc.property(credentialText, field, ({ mark, value: text }, name) => {
        const problem = credentialProblem(text, name);
        const result = normalized(text, name);
        if (result instanceof AuthError) {
          assert.equal(problem, result.message);
          assertNoSecrets(problem, [mark], 'the problem');
        } else {
          assert.equal(problem, undefined);
        }
      }),
    );
  });

  it('normalizeOAuthInput accepts exactly the validated fields, and its errors never hold a value', () => {
    const expiresAt = fc.oneof(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2100, 0, 1) }),
      fc.double(),
      fc.integer(),
      anyText(12),
    );
    const input = marker.chain((mark) =>
      fc.record({
        mark: fc.constant(mark),
        input: fc.oneof(
          {
            weight: 6,
            arbitrary: fc
              .tuple(
                fc.record(
                  {
                    clientId: fc.oneof(pasted(mark), fc.anything()),
                    clientSecret: fc.oneof(pasted(mark), fc.anything()),
                    refreshToken: fc.oneof(pasted(mark), fc.anything()),
                    accessToken: fc.oneof(pasted(mark), fc.anything()),
                    expiresAt,
                  },
                  { requiredKeys: [] },
                ),
                fc.option(fc.constantFrom('client_id', 'scope', 'refresh_token'), { nil: undefined }),
              )
              .map(([fields, extra]) => (extra === undefined ? fields : { ...fields, [extra]: mark })),
          },
          { weight: 1, arbitrary: fc.anything() },
        ),
      }),
    );
    fuzz(
      fc.property(input, ({ mark, input: value }) => {
        let result: ReturnType<typeof normalizeOAuthInput>;
        try {
          result = normalizeOAuthInput(value);
        } catch (error) {
          assert.ok(error instanceof AuthError, 'throws only AuthError');
          assert.equal(error.code, 'bad_input');
          assertNoSecrets(error.message, [mark], 'the message');
          return;
        }
        const record = value as Record<string, unknown>;
        assert.equal(result.clientId, normalizeCredential(record.clientId, 'clientId'));
        assert.equal(result.clientSecret, normalizeCredential(record.clientSecret, 'clientSecret'));
        assert.equal(result.refreshToken, normalizeCredential(record.refreshToken, 'refreshToken'));
        if (record.accessToken === undefined) {
          assert.ok(!('accessToken' in result) && !('expiresAt' in result));
        } else {
          assert.equal(result.accessToken, normalizeCredential(record.accessToken, 'accessToken'));
        }
        if (record.expiresAt === undefined) {
          assert.ok(!('expiresAt' in result));
        } else {
          assert.equal(result.expiresAt, Math.round(record.expiresAt as number));
          assert.ok(Number.isFinite(result.expiresAt) && result.expiresAt >= 1e11);
        }
        const allowed = ['clientId', 'clientSecret', 'refreshToken', 'accessToken', 'expiresAt'];
        assert.ok(Object.keys(result).every((key) => allowed.includes(key)));
      }),
    );
  });
});
