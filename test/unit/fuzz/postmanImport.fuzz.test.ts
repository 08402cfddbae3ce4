import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { AuthError } from '../../../src/core/base/errors';
import { type PostmanImport, parsePostmanEnvironment } from '../../../src/core/tools/postmanImport';
import { MAX_ENVIRONMENT_NAME_LENGTH } from '../../../src/core/tools/postmanNames';
import { type CredentialField, normalizeCredential } from '../../../src/core/token/validation';
import { assertNoSecrets } from '../../support/assertions';
import { anyText, marker, realisticToken } from './arbitraries';
import { fuzz } from './runs';

// Which variable a key names, matched independently of the code under test.
const VARIABLES = new Map([
  ['clientid', 'client_id'],
  ['clientsecret', 'client_secret'],
  ['refreshtoken', 'refresh_token'],
  ['accesstoken', 'access_token'],
  ['apikey', 'api_key'],
]);
const FIELDS: Record<string, CredentialField> = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  refresh_token: 'refreshToken',
  api_key: 'apiKey',
};
const variableOf = (key: unknown): string | undefined =>
  typeof key === 'string' ? VARIABLES.get(key.toLowerCase().replace(/[_-]/g, '')) : undefined;

const KEYS = ['client_id', 'clientId', 'Client-ID', 'CLIENTID', 'client_secret', 'clientSecret', 'refresh_token', 'refreshToken', 'access_token', 'api_key', 'apiKey', 'API-KEY'];

/** A variable's value; every text form carries the planted marker. */
const value = (mark: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(mark) },
    { weight: 3, arbitrary: realisticToken.map((token) => `${token}${mark}`) },
    { weight: 1, arbitrary: fc.constantFrom(`  ${mark}\n`, `Bearer ${mark}`, `API-Key ${mark}`, `"${mark}"`, `{{client_id}}${mark}`, `${mark} ${mark}`, `${mark}\u0000`) },
    { weight: 1, arbitrary: fc.tuple(anyText(10), anyText(10)).map(([a, b]) => `${a}${mark}${b}`) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', null, 42, true, '{{client_secret}}') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );

const entry = (mark: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record(
        {
          key: fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom(...KEYS) },
            { weight: 1, arbitrary: fc.constantFrom('base_url', 'token', ' client_id', '{{client_id}}', 'constructor', '__proto__') },
            // A key the import does not know is documented as never shown: it may be anything.
            { weight: 1, arbitrary: anyText(8).map((text) => `${text}${mark}`) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) },
          ),
          value: value(mark),
          enabled: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) }),
          type: fc.constantFrom('secret', 'default', 'any'),
        },
        { requiredKeys: ['key'] },
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );

/** The three OAuth variables with plain values, so complete imports are common too. */
const completeOAuth = (mark: string): fc.Arbitrary<unknown[]> =>
  fc
    .tuple(realisticToken, realisticToken, realisticToken)
    .map((tokens) => ['client_id', 'client_secret', 'refresh_token'].map((key, i) => ({ key, value: `${tokens[i]}${mark}`, enabled: true, type: 'secret' })));

const environment = (mark: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.record(
        {
          id: fc.uuid(),
          // The name is shown on purpose (it labels the profile), so it never holds the marker.
          name: fc.oneof(anyText(30), fc.jsonValue({ maxDepth: 0 }), fc.string({ maxLength: 300 })),
          _postman_variable_scope: fc.oneof(
            { weight: 12, arbitrary: fc.constant('environment') },
            { weight: 1, arbitrary: fc.constantFrom('globals', 'global', 'collection', mark) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) },
          ),
          info: fc.record({ schema: fc.constantFrom('https://schema.getpostman.com/json/collection/v2.1.0/') }),
          item: fc.constant([]),
        },
        { requiredKeys: [] },
      ),
      fc.oneof(
        { weight: 8, arbitrary: fc.array(entry(mark), { maxLength: 8 }) },
        { weight: 4, arbitrary: fc.tuple(completeOAuth(mark), fc.array(entry(mark), { maxLength: 5 })).map(([a, b]) => [...b, ...a]) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
      ),
      // A collection's info and item: now and then, or they would hide every other path.
      fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    )
    .map(([record, values, keepsInfo]) => {
      const env: Record<string, unknown> = { ...record, values };
      if (!keepsInfo) {
        delete env.info;
        delete env.item;
      }
      return env;
    });

/** The text of a file: an export (pretty or not, with a BOM, cut off, with a trailing comma) or junk. */
const file = marker.chain((mark) =>
  fc.record({
    mark: fc.constant(mark),
    text: fc.oneof(
      { weight: 8, arbitrary: fc.tuple(environment(mark), fc.constantFrom(undefined, 2, '\t')).map(([env, indent]) => JSON.stringify(env, null, indent)) },
      { weight: 1, arbitrary: environment(mark).map((env) => `\ufeff${JSON.stringify(env)}`) },
      {
        weight: 2,
        arbitrary: fc.tuple(environment(mark), fc.nat()).map(([env, cut]) => {
          const text = JSON.stringify(env, null, 2);
          return text.slice(0, cut % (text.length + 1));
        }),
      },
      { weight: 1, arbitrary: environment(mark).map((env) => JSON.stringify(env, null, 2).replace(/\n(\s*)\]/, ',\n$1]')) },
      { weight: 1, arbitrary: fc.tuple(anyText(40), anyText(40)).map(([a, b]) => `${a}${mark}${b}`) },
      { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
    ),
  }),
);

/** The import, or its AuthError; anything else thrown fails the property. */
function imported(text: string): PostmanImport | AuthError {
  try {
    return parsePostmanEnvironment(text);
  } catch (error) {
    assert.ok(error instanceof AuthError, 'throws only AuthError');
    return error;
  }
}

interface Entry {
  key: string;
  variable: string;
  value: unknown;
  enabled: boolean;
}

/** The credential-like entries of a file the import accepted, read independently. */
function entriesOf(text: string): Entry[] {
  const env = JSON.parse(text.replace(/^\ufeff/, '')) as { values: Record<string, unknown>[] };
  return env.values.flatMap((e) => {
    const variable = variableOf(e.key);
    return variable === undefined ? [] : [{ key: e.key as string, variable, value: e.value, enabled: e.enabled !== false }];
  });
}

/** Not a value, as the import reads it: missing, empty, or a Postman `{{placeholder}}`. */
const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && (v.trim() === '' || /\{\{[^{}]*\}\}/.test(v)));

describe('fuzz: Postman environment import', () => {
  it('throws nothing but bad_input, and no message holds a value or an unknown key', () => {
    fuzz(
      fc.property(file, ({ mark, text }) => {
        const result = imported(text);
        if (result instanceof AuthError) {
          assert.equal(result.code, 'bad_input');
          assert.ok(result.details.detail === undefined || [...VARIABLES.values()].includes(result.details.detail));
          assertNoSecrets(result.message, [mark], 'the message');
        }
      }),
    );
  });

  it('returns only credentials that the file holds under the expected keys', () => {
    fuzz(
      fc.property(file, ({ text }) => {
        const result = imported(text);
        if (result instanceof AuthError) {
          return;
        }
        const entries = entriesOf(text);
        const credentials: [string, string][] =
          result.credentials.kind === 'oauth'
            ? [
                ['client_id', result.credentials.clientId],
                ['client_secret', result.credentials.clientSecret],
                ['refresh_token', result.credentials.refreshToken],
              ]
            : [['api_key', result.credentials.apiKey]];
        for (const [variable, credential] of credentials) {
          const under = entries.filter((e) => e.variable === variable && e.enabled && typeof e.value === 'string');
          assert.ok(under.some((e) => (e.value as string).includes(credential)), `${variable} comes from its own key`);
          // The documented choice: the first enabled, non-empty entry, validated as if typed.
          const first = entries.find((e) => e.variable === variable && e.enabled && !isBlank(e.value));
          assert.ok(first);
          assert.equal(credential, normalizeCredential(first.value, FIELDS[variable]));
        }
        const has = (variable: string) => entries.some((e) => e.variable === variable && e.enabled && !isBlank(e.value));
        assert.equal(result.credentials.kind === 'oauth', has('client_id') && has('client_secret') && has('refresh_token'));
      }),
    );
  });

  it('says nothing but the credentials that holds a value: found, names, fingerprints and the client ID only', () => {
    fuzz(
      fc.property(file, ({ mark, text }) => {
        const result = imported(text);
        if (result instanceof AuthError) {
          return;
        }
        // An imported client ID is shown whole: it is not a secret.
        const clientId = result.credentials.kind === 'oauth' ? result.credentials.clientId : undefined;
        const found = result.found.filter((finding) => !(finding.imported && finding.fingerprint === clientId));
        assertNoSecrets(JSON.stringify({ ...result, credentials: undefined, found }), [mark], 'the import besides its credentials');
        assert.deepEqual(
          result.found.map((finding) => finding.key),
          entriesOf(text).map((e) => e.key),
        );
        const name = result.environmentName;
        assert.ok(name.length > 0 && name.length <= MAX_ENVIRONMENT_NAME_LENGTH);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(name, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });
});
