import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { Logger } from '../../../src/core/base/logger';
import { REDACTOR_CAPACITY } from '../../../src/core/base/policy';
import { fingerprint, redactBody, RedactingLogger, Redactor, secretForms } from '../../../src/core/base/redact';
import { assertNoSecrets } from '../../support/assertions';
import { CapturingLogger } from '../../support/doubles';
import { anyText, hex, marker, realisticToken } from './arbitraries';
import { fuzz } from './runs';

/** What the scrubber puts in a secret's place. A secret holding it could be re-formed by its own
 *  fingerprint, so arbitrary secrets leave it out: real credentials never contain it. */
const MASK = '…';
const LEVELS: (keyof Logger)[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Anything the Redactor accepts (a non-empty string), weighted towards real credential shapes. */
const secret = fc.oneof(
  { weight: 3, arbitrary: realisticToken },
  // Standard base64 and JSON's specials: the characters whose escaped forms differ (S2).
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'AZaz09+/= "\\\n'), minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 1, maxLength: 30 }) },
).filter((value) => !value.includes(MASK));

/** encodeURIComponent, or nothing for the lone surrogates it refuses. */
function uriEncoded(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}
const formEncoded = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
const lowerHex = (value: string): string => value.replace(/%[0-9A-F]{2}/g, (triple) => triple.toLowerCase());

/**
 * The escaped forms a secret takes in a log line, each of which must not get through (S2 of the
 * security review): in a URL, in a form body (upper- and lower-case hex), inside a JSON string
 * and inside JSON stringified again.
 */
function escapedForms(secret: string): string[] {
  const uri = uriEncoded(secret);
  return [
    ...(uri === undefined ? [] : [uri, lowerHex(uri)]),
    formEncoded(secret),
    lowerHex(formEncoded(secret)),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(1, -1),
  ];
}

/** One piece of a log line: free text, or a secret whole, in part, or inside a URL, JSON or a form. */
const piece = (secrets: string[]): fc.Arbitrary<string> => {
  const pick = fc.nat().map((i) => secrets[i % secrets.length]);
  return fc.oneof(
    { weight: 3, arbitrary: anyText(20) },
    { weight: 3, arbitrary: pick },
    { weight: 2, arbitrary: fc.tuple(pick, fc.nat()).map(([s, n]) => s.slice(n % (s.length + 1))) },
    { weight: 2, arbitrary: fc.tuple(pick, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))) },
    { weight: 1, arbitrary: pick.map((s) => JSON.stringify({ refresh_token: s })) },
    // A JSON body logged inside another JSON value (a proxy's error wrapping the request).
    { weight: 1, arbitrary: pick.map((s) => JSON.stringify({ error: JSON.stringify({ client_secret: s }) })) },
    { weight: 1, arbitrary: pick.map((s) => `https://api.pandadoc.com/cb?code=${uriEncoded(s) ?? ''}&state=1`) },
    { weight: 1, arbitrary: pick.map((s) => new URLSearchParams({ client_secret: s }).toString()) },
    // A proxy's page echoing the form body, re-encoded with lower-case hex.
    { weight: 1, arbitrary: pick.map((s) => `<pre>${lowerHex(new URLSearchParams({ refresh_token: s }).toString())}</pre>`) },
  );
};

/** Secrets remembered (maybe after enough others to rotate the oldest out) and lines that hold them. */
const scenario = fc
  .tuple(fc.uniqueArray(secret, { minLength: 1, maxLength: 8 }), fc.nat({ max: REDACTOR_CAPACITY + 8 }), hex(8))
  .chain(([secrets, fillers, salt]) =>
    fc.record({
      secrets: fc.constant(secrets),
      earlier: fc.constant(Array.from({ length: fillers }, (_, i) => `rotated-out-${salt}-${i}`)),
      lines: fc.array(
        fc.array(piece(secrets), { maxLength: 8 }).map((pieces) => pieces.join('')),
        { minLength: 1, maxLength: 4 },
      ),
      levels: fc.array(fc.constantFrom(...LEVELS), { minLength: 4, maxLength: 4 }),
    }),
  );

const SECRET_KEYS = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'password', 'api_key', 'apiKey', 'API-KEY', 'code', 'assertion'];

describe('fuzz: redaction', () => {
  describe('regressions found by fuzzing', () => {
    it('scrubs a secret whose fingerprint tail completes an overlapping second occurrence', () => {
      // Shrunk: a hex token that starts and ends with "f", written twice overlapping by that "f";
      // the scrubbed line was "client_secret=…8e9" followed by the whole token.
      const token = 'fce8aa4278342ab1e72d1b783f52a4a352c78e9f';
      const redactor = new Redactor();
      redactor.remember([token]);
      const scrubbed = redactor.scrub(`client_secret=${token}${token.slice(1)}`);
      assertNoSecrets(scrubbed, [token], 'the scrubbed line');
      assert.equal(scrubbed, 'client_secret=…8e9…8e9f');
    });

    it('masks a secret field whose value is an object', () => {
      // Shrunk: the inner string was logged as it was.
      const redacted = redactBody('{"access_token":{"value":"Zq9fdcd12df5b91df0c"}}', null);
      assert.equal(redacted, `{"access_token":{"value":"${fingerprint('Zq9fdcd12df5b91df0c')}"}}`);
    });
  });

  it('RedactingLogger never lets a remembered secret through, at any level, and leaves other lines alone', () => {
    fuzz(
      fc.property(scenario, ({ secrets, earlier, lines, levels }) => {
        const redactor = new Redactor();
        redactor.remember(earlier);
        redactor.remember(secrets);
        const target = new CapturingLogger();
        const log = new RedactingLogger(target, redactor);
        lines.forEach((line, i) => log[levels[i]](line));
        assert.deepEqual(
          target.lines.map((line) => line.level),
          levels.slice(0, lines.length),
        );
        target.lines.forEach((logged, i) => {
          assertNoSecrets(logged.message, secrets, `logged line ${i + 1}`);
          assertNoSecrets(logged.message, secrets.flatMap(escapedForms), `logged line ${i + 1}, in an escaped form`);
          if (![...earlier, ...secrets].some((s) => secretForms(s).some((form) => lines[i].includes(form)))) {
            assert.equal(logged.message, lines[i], 'a line without secrets is logged as it is');
          }
        });
      }),
    );
  });

  it('fingerprint shows at most the last four characters, and none of a short secret', () => {
    fuzz(
      fc.property(fc.oneof(secret, fc.string({ unit: 'binary', maxLength: 80 })), (value) => {
        const shown = fingerprint(value);
        assert.ok(value.length >= 20 ? shown === `${MASK}${value.slice(-4)}` : /^(sha256:[0-9a-f]{4}|empty)$/.test(shown), shown);
      }),
    );
  });

  it('redactBody masks every string under a secret field of a JSON body, at any depth', () => {
    const body = marker.chain((mark) => {
      const secretValue = fc.oneof(
        fc.constant(mark),
        fc.tuple(anyText(10), anyText(10)).map(([a, b]) => `${a}${mark}${b}`),
        fc.array(fc.constant(mark), { minLength: 1, maxLength: 3 }),
        fc.constantFrom({ value: mark }, { key: mark, kind: 'live' }),
      );
      const leaf = fc.dictionary(
        fc.oneof(fc.constantFrom(...SECRET_KEYS), fc.string({ maxLength: 8 })),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 3 },
      );
      const withSecrets = fc
        .tuple(leaf, fc.constantFrom(...SECRET_KEYS), secretValue, fc.constantFrom('', 'data', 'result'))
        .map(([object, key, value, parent]) => {
          const inner = { ...object, [key]: value };
          return parent === '' ? inner : { [parent]: [inner] };
        });
      return fc.record({ mark: fc.constant(mark), text: withSecrets.map((object) => JSON.stringify(object)) });
    });
    fuzz(
      fc.property(body, fc.option(fc.constantFrom('application/json', 'text/html'), { nil: null }), ({ mark, text }, type) => {
        const redacted = redactBody(text, type);
        assertNoSecrets(redacted, [mark], 'the redacted body');
        JSON.parse(redacted);
      }),
    );
  });

  it('redactBody masks a token-shaped value anywhere, in JSON or any other text', () => {
    // Standard base64 too: its + / = are what form encoding turns into %2B %2F %3D.
    const base64 = fc
      .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), minLength: 30, maxLength: 60 })
      .map((value) => `${value}==`);
    const body = fc.oneof(realisticToken, base64).chain((token) =>
      fc.record({
        token: fc.constant(token),
        text: fc.oneof(
          fc
            .tuple(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 }), anyText(10), anyText(10))
            .map(([other, key, a, b]) => JSON.stringify({ other, [key === '' ? 'note' : key]: `${a}${token}${b}` })),
          fc.tuple(anyText(200), anyText(200)).map(([a, b]) => `${a}${token}${b}`),
          fc.tuple(anyText(40), fc.nat({ max: 400 })).map(([a, n]) => `<html><pre>${'x '.repeat(n)}${a}${token}</pre></html>`),
          fc.constant(JSON.stringify(token)),
          // A proxy's page echoing the form body: base64's + / = become %2B %2F %3D.
          fc.tuple(anyText(40), fc.boolean()).map(([a, lower]) => {
            const body = new URLSearchParams({ refresh_token: token }).toString();
            return `<html>${a}<pre>${lower ? lowerHex(body) : body}</pre></html>`;
          }),
        ),
      }),
    );
    fuzz(
      fc.property(body, fc.option(anyText(20), { nil: null }), ({ token, text }, type) => {
        assertNoSecrets(redactBody(text, type), [token, ...escapedForms(token)], 'the redacted body');
      }),
    );
  });

  it('redactBody describes anything that is not a JSON object or array by size and a short preview', () => {
    fuzz(
      fc.property(fc.oneof(anyText(400), fc.json({ maxDepth: 0 })), fc.option(fc.constantFrom('text/html', 'text/plain'), { nil: null }), (text, type) => {
        const redacted = redactBody(text, type);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (parsed !== null && typeof parsed === 'object') {
          JSON.parse(redacted);
          return;
        }
        const prefix = `${text.length} bytes of ${type ?? 'unknown type'}: `;
        assert.ok(redacted.startsWith(prefix));
        const preview = JSON.parse(redacted.slice(prefix.length)) as string;
        assert.ok(preview.length <= 161, 'at most 160 characters and an ellipsis');
      }),
    );
  });
});
