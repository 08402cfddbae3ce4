import * as assert from 'node:assert/strict';
import { fingerprint, redactBody, RedactingLogger, Redactor } from '../../src/core/base/redact';
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
});
