import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AuthError } from '../../src/core/base/errors';
import { MAX_POSTMAN_FILE_LENGTH } from '../../src/core/tools/postmanExport';
import { type PostmanImport, parsePostmanEnvironment } from '../../src/core/tools/postmanImport';
import { suggestProfileName } from '../../src/core/tools/postmanNames';
import { fingerprint } from '../../src/core/base/redact';
import { assertSameSecret, digestValues } from '../support/assertions';

// Compiled to out/test/unit; the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/postman');

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

// The fake credentials of the fixtures (and of the inline cases below).
const CLIENT_ID = '3f2a9c1e7b5d4e8fa0c6';
const CLIENT_SECRET = '9b1e4f7a2c8d0e3b6a5f1c9d7e2b4a8f0c6d3e1b';
const REFRESH_TOKEN = 'c4e8a1f9b3d7e2a6f0b5c9d1e7a3f8b2d6c0e4a9';
const ACCESS_TOKEN = '7d2f9a4c1e8b6d3f0a5c2e9b7d4a1f8c6e3b0d5a';
const API_KEY = 'e1b7c3a9f5d2e8b4a0c6f3d9b1e7a5c2f8d4b0e6';
// The client ID is not among them: it is not a secret, and the preview shows it whole.
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, API_KEY];

/** Any 8 characters of a secret in a row count as a leak; a fingerprint shows at most 4. */
const LEAK_WINDOW = 8;

function assertNoLeak(text: string, where: string): void {
  for (const secret of SECRETS) {
    for (let i = 0; i + LEAK_WINDOW <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + LEAK_WINDOW))) {
        assert.fail(`part of a secret (${fingerprint(secret)}) appears in ${where}`);
      }
    }
  }
}

/** Imports, and checks before anything else that nothing but `credentials` holds a secret. */
function imported(text: string): PostmanImport {
  const result = parsePostmanEnvironment(text);
  assertNoLeak(JSON.stringify(result.found), 'found');
  assertNoLeak(result.environmentName, 'the environment name');
  return result;
}

/** The AuthError a file is refused with, checked for leaks before the test looks at it. */
function refusal(text: string): AuthError {
  try {
    parsePostmanEnvironment(text);
  } catch (error) {
    if (!(error instanceof AuthError)) {
      // Not its message: an unexpected error might carry a value.
      return assert.fail(`refused with ${(error as Error)?.name ?? typeof error} instead of an AuthError`);
    }
    assert.equal(error.code, 'bad_input');
    assertNoLeak(`${error.message} ${String(error)} ${JSON.stringify(error.details)}`, 'the error');
    return error;
  }
  return assert.fail('expected the file to be refused');
}

function environment(values: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id: 'e0', name: 'Inline', values, _postman_variable_scope: 'environment', ...extra });
}

const variable = (key: string, value: unknown, enabled: unknown = true) => ({ key, value, type: 'default', enabled });

const OAUTH_VALUES = [
  variable('client_id', CLIENT_ID),
  variable('client_secret', CLIENT_SECRET),
  variable('refresh_token', REFRESH_TOKEN),
];

describe('Postman environment import', () => {
  describe('imports', () => {
    it('OAuth credentials from an environment as Postman exports it', () => {
      const result = imported(fixture('pandadoc-oauth.postman_environment.json'));
      assert.equal(result.environmentName, 'PandaDoc Production');
      assert.equal(result.credentials.kind, 'oauth');
      assert.deepEqual(
        digestValues({ ...result.credentials }),
        digestValues({ kind: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN }),
      );
      // base_url and document_id are not credentials: not listed.
      assert.deepEqual(result.found, [
        { key: 'client_id', fingerprint: CLIENT_ID, imported: true },
        { key: 'client_secret', fingerprint: fingerprint(CLIENT_SECRET), imported: true },
        { key: 'refresh_token', fingerprint: fingerprint(REFRESH_TOKEN), imported: true },
        {
          key: 'access_token',
          fingerprint: fingerprint(ACCESS_TOKEN),
          imported: false,
          note: 'not imported: its expiry is unknown, so a fresh access token is fetched on first use',
        },
      ]);
    });

    it('an API key', () => {
      const result = imported(fixture('pandadoc-api-key.postman_environment.json'));
      assert.equal(result.environmentName, 'PandaDoc Sandbox');
      assert.equal(result.credentials.kind, 'apiKey');
      assert.deepEqual(digestValues({ ...result.credentials }), digestValues({ kind: 'apiKey', apiKey: API_KEY }));
      assert.deepEqual(result.found, [{ key: 'api_key', fingerprint: fingerprint(API_KEY), imported: true }]);
    });

    it('OAuth over an API key when both are there (camelCase names), saying why the key is left out', () => {
      const result = imported(fixture('pandadoc-both.postman_environment.json'));
      assert.equal(result.credentials.kind, 'oauth');
      assert.deepEqual(
        result.found.map(({ key, imported: wasImported, note }) => [key, wasImported, note]),
        [
          ['clientId', true, undefined],
          ['clientSecret', true, undefined],
          ['refreshToken', true, undefined],
          ['apiKey', false, 'the OAuth credentials are imported; a profile holds one kind'],
        ],
      );
    });

    it('ignoring a disabled entry, and saying so', () => {
      const result = imported(fixture('pandadoc-disabled.postman_environment.json'));
      assert.equal(result.credentials.kind, 'oauth');
      assert.deepEqual(result.found[3], {
        key: 'api_key',
        fingerprint: fingerprint(API_KEY),
        imported: false,
        note: 'disabled in Postman (enabled: false), so ignored',
      });
    });

    it('the API key when the OAuth set is incomplete', () => {
      const result = imported(environment([variable('client_id', CLIENT_ID), variable('api_key', API_KEY)]));
      assert.equal(result.credentials.kind, 'apiKey');
      assert.deepEqual(result.found[0], {
        key: 'client_id',
        fingerprint: fingerprint(CLIENT_ID),
        imported: false,
        note: 'not imported: the OAuth credentials are incomplete, so the API key is imported',
      });
    });

    it('whatever the spelling of the names', () => {
      const spellings = [
        ['CLIENT_ID', 'Client-Secret', 'refresh-token'],
        ['clientId', 'clientSecret', 'refreshToken'],
        ['ClientID', 'CLIENTSECRET', 'Refresh_Token'],
      ];
      for (const [id, secret, refresh] of spellings) {
        const result = imported(
          environment([variable(id, CLIENT_ID), variable(secret, CLIENT_SECRET), variable(refresh, REFRESH_TOKEN)]),
        );
        assert.equal(result.credentials.kind, 'oauth', `${id}, ${secret}, ${refresh}`);
      }
      for (const key of ['api_key', 'apiKey', 'api-key', 'API_KEY', 'ApiKey']) {
        assert.equal(imported(environment([variable(key, API_KEY)])).credentials.kind, 'apiKey', key);
      }
    });

    it('values cleaned as if typed by hand: trimmed, quotes and a pasted scheme removed', () => {
      const result = imported(
        environment([
          variable('client_id', `  ${CLIENT_ID}\n`),
          variable('client_secret', `"${CLIENT_SECRET}"`),
          variable('refresh_token', `Bearer ${REFRESH_TOKEN}`),
        ]),
      );
      assert.ok(result.credentials.kind === 'oauth');
      assertSameSecret(result.credentials.clientId, CLIENT_ID, 'client id');
      assertSameSecret(result.credentials.clientSecret, CLIENT_SECRET, 'client secret');
      assertSameSecret(result.credentials.refreshToken, REFRESH_TOKEN, 'refresh token');
      assert.equal(result.found[0].fingerprint, CLIENT_ID, 'the client ID, cleaned, shown whole');
    });

    it('an API key pasted with its header scheme', () => {
      const result = imported(environment([variable('api_key', `API-Key ${API_KEY}`)]));
      assert.ok(result.credentials.kind === 'apiKey');
      assertSameSecret(result.credentials.apiKey, API_KEY, 'API key');
    });

    it('a variable given twice with the same value, once', () => {
      const result = imported(environment([...OAUTH_VALUES, variable('clientId', ` ${CLIENT_ID}`)]));
      assert.equal(result.credentials.kind, 'oauth');
      assert.deepEqual(result.found[3], {
        key: 'clientId',
        fingerprint: fingerprint(CLIENT_ID),
        imported: false,
        note: 'not imported: the same variable appears earlier in the file with the same value',
      });
    });

    it('an entry without `enabled` as enabled, and an empty one as absent', () => {
      const result = imported(
        environment([
          { key: 'client_id', value: CLIENT_ID },
          variable('client_secret', ''),
          variable('client_secret', CLIENT_SECRET),
          variable('refresh_token', REFRESH_TOKEN),
        ]),
      );
      assert.equal(result.credentials.kind, 'oauth');
      assert.deepEqual(result.found[1], { key: 'client_secret', fingerprint: 'empty', imported: false, note: 'empty, so ignored' });
    });

    it('an export without _postman_variable_scope, and one with a byte order mark', () => {
      const plain = JSON.stringify({ name: 'Hand made', values: OAUTH_VALUES });
      assert.equal(imported(plain).credentials.kind, 'oauth');
      assert.equal(imported(`\ufeff${fixture('pandadoc-oauth.postman_environment.json')}`).credentials.kind, 'oauth');
    });

    it('a file of exactly the size limit', () => {
      const text = environment(OAUTH_VALUES);
      const padded = text + ' '.repeat(MAX_POSTMAN_FILE_LENGTH - text.length);
      assert.equal(padded.length, MAX_POSTMAN_FILE_LENGTH);
      assert.equal(imported(padded).credentials.kind, 'oauth');
    });
  });

  describe('the environment name', () => {
    it('is trimmed, cleaned of control characters and at most 100 characters', () => {
      assert.equal(imported(environment(OAUTH_VALUES, { name: '  Staging  ' })).environmentName, 'Staging');
      assert.equal(imported(environment(OAUTH_VALUES, { name: 'Two\nlines\u202e' })).environmentName, 'Two lines');
      assert.equal(imported(environment(OAUTH_VALUES, { name: 'n'.repeat(500) })).environmentName, 'n'.repeat(100));
    });

    it("falls back to 'Postman' when empty, missing or not text", () => {
      for (const name of ['', '   ', undefined, 42, null]) {
        assert.equal(imported(environment(OAUTH_VALUES, { name })).environmentName, 'Postman', String(name));
      }
    });
  });

  describe('refuses, saying what is wrong and what to do', () => {
    it('a collection export', () => {
      const error = refusal(fixture('pandadoc.postman_collection.json'));
      assert.match(error.message, /this is a Postman collection, not an environment/i);
      assert.match(error.message, /Environments.*Export/);
    });

    it('a globals export', () => {
      const error = refusal(fixture('workspace.postman_globals.json'));
      assert.match(error.message, /globals export, not an environment/);
      assert.match(error.message, /Export/);
    });

    it('another kind of Postman export', () => {
      assert.match(refusal(environment(OAUTH_VALUES, { _postman_variable_scope: 'collection' })).message, /not an environment \("collection"\)/);
      // A scope that is not a plain word is not repeated.
      const odd = refusal(environment(OAUTH_VALUES, { _postman_variable_scope: `x ${CLIENT_SECRET}` }));
      assert.match(odd.message, /not an environment\./);
    });

    it('a file cut off mid-way', () => {
      assert.match(refusal(fixture('pandadoc-broken.postman_environment.json')).message, /not valid JSON: it ends too early/);
    });

    it('broken JSON, with the line and column but not the text around it', () => {
      const error = refusal(fixture('pandadoc-trailing-comma.postman_environment.json'));
      assert.match(error.message, /not valid JSON \(line 13, column 56\)/);
      // V8's own message for this quotes the start of the unquoted token: it must not come back.
      const text = `{"name":"x","values":[{"key":"refresh_token","value":${REFRESH_TOKEN}}]}`;
      assert.throws(() => JSON.parse(text), (error: Error) => error.message.includes(REFRESH_TOKEN.slice(0, LEAK_WINDOW)));
      assert.match(refusal(text).message, /^The file is not valid JSON\. /);
    });

    it('an empty file', () => {
      assert.match(refusal('').message, /file is empty/);
      assert.match(refusal(' \n\t').message, /file is empty/);
    });

    it('a file over 1 MiB, before parsing it', () => {
      const text = environment(OAUTH_VALUES);
      const error = refusal(text + ' '.repeat(MAX_POSTMAN_FILE_LENGTH - text.length + 1));
      assert.match(error.message, /too large.*1048577 characters; at most 1048576/);
    });

    it('JSON that is not an object', () => {
      const cases: [string, RegExp][] = [
        ['[]', /holds a list \(JSON\), not a Postman environment/],
        ['"text"', /holds a string/],
        ['null', /holds null/],
        ['42', /holds a number/],
      ];
      for (const [text, reason] of cases) {
        assert.match(refusal(text).message, reason, text);
      }
    });

    it('no values list, or values of the wrong type', () => {
      assert.match(refusal(JSON.stringify({ name: 'x' })).message, /no "values" list/);
      const error = refusal(fixture('pandadoc-wrong-types.postman_environment.json'));
      assert.match(error.message, /"values" is an object, not a list of variables/);
    });

    it('an entry that is not a variable, or has no text key', () => {
      assert.match(refusal(environment([...OAUTH_VALUES, 'client_id'])).message, /Entry 4 of "values" is a string/);
      assert.match(refusal(environment([OAUTH_VALUES[0], { value: API_KEY }])).message, /Entry 2 of "values" has no "key"/);
      assert.match(refusal(environment([{ key: 7, value: API_KEY }])).message, /Entry 1 of "values" has no "key"/);
    });

    it('`enabled` that is not true or false', () => {
      const error = refusal(environment([variable('client_id', CLIENT_ID, 'false'), ...OAUTH_VALUES.slice(1)]));
      assert.match(error.message, /"client_id" has "enabled" set to a string; it must be true or false/);
    });

    it('missing keys, listing what was found and what was skipped', () => {
      const error = refusal(fixture('pandadoc-missing.postman_environment.json'));
      assert.match(
        error.message,
        /needs client_id, client_secret and refresh_token, or api_key; found: client_id, access_token \(client_secret is empty; refresh_token is disabled\)/,
      );
      assert.match(refusal(environment([])).message, /found: none of them\./);
      assert.match(refusal(environment([variable('access_token', ACCESS_TOKEN)])).message, /found: access_token\./);
    });

    it('a placeholder instead of a credential, naming the key', () => {
      const error = refusal(fixture('pandadoc-placeholders.postman_environment.json'));
      assert.match(error.message, /"client_secret" holds a reference to another variable \(\{\{\.\.\.\}\}\), not a credential/);
      assert.equal(error.details.detail, 'client_secret');
      const api = refusal(environment([variable('apiKey', '{{pandadoc_api_key}}')]));
      assert.match(api.message, /"apiKey" holds a reference/);
    });

    it('a value that fails validation, naming the key and not the value', () => {
      const spaced = refusal(fixture('pandadoc-bad-values.postman_environment.json'));
      assert.match(spaced.message, /"client_secret" cannot be imported: The client secret contains spaces/);
      const numeric = refusal(environment([...OAUTH_VALUES.slice(0, 2), variable('refresh_token', 12345)]));
      assert.match(numeric.message, /"refresh_token" cannot be imported: The refresh token must be text, not number/);
      const bearer = refusal(environment([variable('api_key', `Bearer ${ACCESS_TOKEN}`)]));
      assert.match(bearer.message, /"api_key" cannot be imported: The API key looks like an OAuth access token/);
      const multiline = refusal(environment([...OAUTH_VALUES.slice(0, 2), variable('refresh_token', `${REFRESH_TOKEN}\n${ACCESS_TOKEN}`)]));
      assert.match(multiline.message, /"refresh_token" cannot be imported: .*line break/);
    });

    it('a value holding an invisible formatting character (zero-width, bidi), naming the key (S6)', () => {
      const zeroWidth = refusal(environment([variable('client_id', CLIENT_ID), variable('client_secret', `${CLIENT_SECRET.slice(0, 10)}\u200b${CLIENT_SECRET.slice(10)}`), OAUTH_VALUES[2]]));
      assert.match(zeroWidth.message, /"client_secret" cannot be imported: The client secret contains an invisible formatting character/);
      const bidi = refusal(environment([variable('api_key', `\u202e${API_KEY}`)]));
      assert.match(bidi.message, /"api_key" cannot be imported: The API key contains an invisible formatting character/);
    });

    it('a variable given twice with different values, when it is imported', () => {
      const error = refusal(environment([...OAUTH_VALUES, variable('Client_Secret', API_KEY)]));
      assert.match(error.message, /sets client_secret twice \("client_secret" and "Client_Secret"\) with different values/);
      assert.equal(error.details.detail, 'client_secret');
      // Two different access tokens stop nothing: neither is imported.
      const result = imported(environment([...OAUTH_VALUES, variable('access_token', ACCESS_TOKEN), variable('accessToken', API_KEY)]));
      assert.equal(result.credentials.kind, 'oauth');
      assert.equal(result.found[4].note, 'not imported: the same variable appears earlier in the file with another value');
    });
  });

  describe('suggestProfileName', () => {
    it('is the environment name, trimmed, without control characters', () => {
      assert.equal(suggestProfileName('  PandaDoc Production ', []), 'PandaDoc Production');
      assert.equal(suggestProfileName('Line\none\ttab\u0000nul', []), 'Line one tab nul');
      assert.equal(suggestProfileName('evil\u202eembed', []), 'evil embed');
    });

    it('is at most 40 characters, never splitting a character', () => {
      assert.equal(suggestProfileName('x'.repeat(100), []), 'x'.repeat(40));
      assert.equal(suggestProfileName(`${'a'.repeat(39)}😀`, []), 'a'.repeat(39));
      assert.equal(suggestProfileName('word '.repeat(10), []), 'word word word word word word word word');
    });

    it("is 'Postman' for a name with nothing left", () => {
      assert.equal(suggestProfileName(' \u0000\n ', []), 'Postman');
    });

    it('is made unique, case-insensitively, within 40 characters', () => {
      assert.equal(suggestProfileName('Production', ['production']), 'Production (2)');
      assert.equal(suggestProfileName('Production', ['Production', 'PRODUCTION (2)', 'other']), 'Production (3)');
      const long = 'y'.repeat(50);
      const suggested = suggestProfileName(long, ['y'.repeat(40)]);
      assert.equal(suggested, `${'y'.repeat(36)} (2)`);
      assert.equal(suggested.length, 40);
    });
  });
});
