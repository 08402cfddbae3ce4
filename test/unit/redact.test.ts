import * as assert from 'node:assert/strict';
import { fingerprint, redactBody, RedactingLogger, Redactor } from '../../src/core/base/redact';
import { REDACTOR_CAPACITY } from '../../src/core/base/policy';
import { assertNoSecrets } from '../support/assertions';
import { CapturingLogger } from '../support/doubles';

const ACCESS = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const REFRESH = 'ffeeddccbbaa99887766554433221100ffeeddcc';

describe('redaction', () => {
  it('fingerprints long secrets by their last four characters', () => {
    assert.equal(fingerprint(ACCESS), '…c9d0');
  });

  it('gives a short secret a fingerprint that reads as one, from its digest, and none of its characters', () => {
    // A bare "…" (`API key saved (…)`) looked broken.
    assert.equal(fingerprint('short-secret'), 'sha256:4cce');
    assert.notEqual(fingerprint('short-secreu'), fingerprint('short-secret'), 'tells two short values apart');
    assert.equal(fingerprint(''), 'empty');
    assertNoSecrets(fingerprint('short-secret'), ['short-secret']);
  });

  it('masks every secret field of a token response and keeps the rest', () => {
    const body = JSON.stringify({
      access_token: ACCESS,
      token_type: 'Bearer',
      expires_in: 31535999,
      refresh_token: REFRESH,
      scope: 'read write read+write',
      nested: { client_secret: 'x'.repeat(30), id_token: 'y'.repeat(30) },
    });
    const masked = redactBody(body, 'application/json');
    assertNoSecrets(masked, [ACCESS, REFRESH, 'x'.repeat(30), 'y'.repeat(30)]);
    assert.deepEqual(JSON.parse(masked), {
      access_token: '…c9d0',
      token_type: 'Bearer',
      expires_in: 31535999,
      refresh_token: '…ddcc',
      scope: 'read write read+write',
      nested: { client_secret: '…xxxx', id_token: '…yyyy' },
    });
  });

  it('describes a non-JSON body by size and a short, masked preview', () => {
    const html = `<html><body><h1>502 Bad Gateway</h1><p>upstream sent refresh_token=${REFRESH}</p>${'x'.repeat(500)}</body></html>`;
    const described = redactBody(html, 'text/html');
    assert.match(described, /^\d+ bytes of text\/html: "<html><body><h1>502 Bad Gateway<\/h1>/);
    assertNoSecrets(described, [REFRESH]);
    assert.ok(described.length < 260, 'clipped');
  });

  it('scrubs known secrets from any line, even ones no field name gives away', () => {
    const redactor = new Redactor();
    const target = new CapturingLogger();
    const log = new RedactingLogger(target, redactor);
    redactor.remember(['hunter2-password', ACCESS]);
    log.info(`sent hunter2-password and ${ACCESS}`);
    log.error(`error: hunter2-password`);
    assertNoSecrets(target.text(), ['hunter2-password', ACCESS]);
    assert.equal(target.lines[0].message, `sent … and …c9d0`);
    assert.deepEqual(target.lines.map((l) => l.level), ['info', 'error']);
  });

  it('remembers a bounded number of secrets', () => {
    const redactor = new Redactor();
    redactor.remember(Array.from({ length: 100 }, (_, i) => `secret-number-${i}`));
    assert.equal(redactor.scrub('secret-number-99'), '…');
    assert.equal(redactor.scrub('secret-number-0'), 'secret-number-0', 'the oldest were forgotten');
  });

  it('keeps a secret that is registered again while others come and go (least recently used goes first)', () => {
    // A run re-registers the token in use at every refresh and read, while rotated ones pile up.
    const redactor = new Redactor();
    const inUse = 'in-use-secret-registered-first';
    redactor.remember([inUse]);
    for (let i = 0; i < REDACTOR_CAPACITY; i += 1) {
      redactor.remember([`other-secret-${i}`]);
      if (i % 16 === 8) {
        redactor.remember([inUse]);
      }
    }
    assert.equal(redactor.scrub(`Bearer ${inUse}`), `Bearer ${fingerprint(inUse)}`);
    assert.equal(redactor.scrub('other-secret-0'), 'other-secret-0', 'the least recently seen went instead');
  });

  it('masks long token-like runs in body previews only; the extension\'s own lines stay readable (S5)', () => {
    // What SECURITY.md promises: every line is scrubbed of known secrets, and only text from
    // outside (a response body) loses every long run, since the extension's lines need theirs.
    const redactor = new Redactor();
    redactor.remember([REFRESH]);
    const line = `[refresh] POST https://api.pandadoc.com/oauth2/access_token (client 3f2a9c1e7b5d4e8fa0c6d1e2, refresh token ${REFRESH})`;
    assert.equal(
      redactor.scrub(line),
      '[refresh] POST https://api.pandadoc.com/oauth2/access_token (client 3f2a9c1e7b5d4e8fa0c6d1e2, refresh token …ddcc)',
    );
    assert.doesNotMatch(redactBody(`<p>unknown 3f2a9c1e7b5d4e8fa0c6d1e2</p>`, 'text/html'), /3f2a9c1e7b5d4e8fa0c6d1e2/);
  });

  describe('secrets in escaped forms (S2)', () => {
    // Fake values shaped like the real ones: standard base64 (+ / =), and one with JSON's specials.
    const BASE64 = 'q+/Zm9vYmFy/YmF6+cXV4Q29ycmVjdEhvcnNl+QmF0dGVyeQ==';
    const QUOTED = 'pa"ss\\word-with-a-quote-and-a-backslash';

    it('scrubs a secret echoed form-encoded or URL-encoded, in either case of hex', () => {
      const redactor = new Redactor();
      redactor.remember([BASE64]);
      const form = new URLSearchParams({ client_secret: BASE64 }).toString();
      const lower = form.replace(/%[0-9A-F]{2}/g, (triple) => triple.toLowerCase());
      const line = redactor.scrub(`proxy page: <pre>${form}</pre> <pre>${lower}</pre> ?code=${encodeURIComponent(BASE64)}`);
      assert.equal(line, 'proxy page: <pre>client_secret=…eQ==</pre> <pre>client_secret=…eQ==</pre> ?code=…eQ==');
    });

    it('scrubs a secret with " or \\ inside JSON, and inside JSON stringified again', () => {
      const redactor = new Redactor();
      redactor.remember([QUOTED]);
      const once = JSON.stringify({ client_secret: QUOTED });
      const twice = JSON.stringify({ error: once });
      assert.equal(redactor.scrub(once), '{"client_secret":"…lash"}');
      assert.equal(redactor.scrub(twice), '{"error":"{\\"client_secret\\":\\"…lash\\"}"}');
      assertNoSecrets(redactor.scrub(twice), [QUOTED, JSON.stringify(QUOTED).slice(1, -1)]);
    });

    it('masks a long run of %XX escapes in a body preview, as it masks a plain token', () => {
      // A secret this window never saw, echoed form-encoded by a proxy's page.
      const echoed = new URLSearchParams({ refresh_token: BASE64 }).toString();
      const described = redactBody(`<html><pre>${echoed}</pre></html>`, 'text/html');
      assert.ok(!described.includes('cXV4Q29ycmVjdEhvcnNl'), 'no part of the secret is left readable');
      assert.match(described, /<pre>…/);
    });
  });
});
