/**
 * Reading a Postman export from disk (S4, S6 of the security review): real files, a real pipe and
 * a real device, each refused or read within a bounded time and a bounded number of bytes.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthError } from '../../src/core/base/errors';
import { decodePostmanFile, MAX_POSTMAN_FILE_BYTES, readPostmanFile } from '../../src/core/tools/postmanFile';
import { parsePostmanEnvironment } from '../../src/core/tools/postmanImport';
import { rejection } from '../support/assertions';

// Compiled to out/test/unit; the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/postman');
const OAUTH_FIXTURE = path.join(FIXTURES, 'pandadoc-oauth.postman_environment.json');

/** Settles within `ms`, or fails saying it hung. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still reading after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function environmentWith(clientSecret: string): string {
  return JSON.stringify({
    name: 'Encoded',
    values: [
      { key: 'client_id', value: '3f2a9c1e7b5d4e8fa0c6', enabled: true },
      { key: 'client_secret', value: clientSecret, enabled: true },
      { key: 'refresh_token', value: 'c4e8a1f9b3d7e2a6f0b5c9d1e7a3f8b2d6c0e4a9', enabled: true },
    ],
  });
}

describe('reading a Postman export from disk', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-postman-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an export as Postman writes it, through a symbolic link too', async () => {
    assert.equal(await readPostmanFile(OAUTH_FIXTURE), fs.readFileSync(OAUTH_FIXTURE, 'utf8'));
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(OAUTH_FIXTURE, link);
    assert.equal(parsePostmanEnvironment(await readPostmanFile(link)).credentials.kind, 'oauth');
  });

  it('reads a file of exactly 1 MiB, and refuses one byte more', async () => {
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, ' '.repeat(MAX_POSTMAN_FILE_BYTES));
    assert.equal((await readPostmanFile(file)).length, MAX_POSTMAN_FILE_BYTES);
    fs.appendFileSync(file, ' ');
    const error = await rejection(readPostmanFile(file));
    assert.equal(error.code, 'bad_input');
    assert.match(error.message, /larger than 1 MiB/);
  });

  it('refuses a named pipe at once, instead of waiting for a writer for ever', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    const fifo = path.join(dir, 'environment.json');
    execFileSync('mkfifo', [fifo]);
    const error = await within(2000, rejection(readPostmanFile(fifo)));
    assert.equal(error.code, 'bad_input');
    assert.match(error.message, /not a regular file/);
  });

  it('refuses a device without reading it (/dev/zero never ends)', async function () {
    if (!fs.existsSync('/dev/zero')) {
      this.skip();
    }
    const before = process.memoryUsage().rss;
    const error = await within(2000, rejection(readPostmanFile('/dev/zero')));
    assert.match(error.message, /not a regular file/);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'nothing large was read');
  });

  it('refuses a folder', async () => {
    assert.match((await rejection(readPostmanFile(dir))).message, /not a regular file/);
  });

  it('says a missing file could not be read', async () => {
    const error = await rejection(readPostmanFile(path.join(dir, 'missing.json')));
    assert.equal(error.code, 'bad_input');
    assert.match(error.message, /could not be read/);
  });

  describe('as strict UTF-8 (S6)', () => {
    const invalid: [string, number[]][] = [
      ['a Latin-1 byte', [0xe9]],
      ['a byte UTF-8 never uses', [0xff]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ['a sequence cut short', [0xe2, 0x82]],
    ];
    for (const [what, bytes] of invalid) {
      it(`refuses a file with ${what}, instead of reading it as U+FFFD`, async () => {
        const [before, after] = environmentWith('9b1e4f7a2c8d0e3b@@@6a5f1c9d7e2b4a8f0c6d').split('@@@');
        const file = path.join(dir, 'latin1.json');
        fs.writeFileSync(file, Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]));
        const error = await rejection(readPostmanFile(file));
        assert.ok(error instanceof AuthError);
        assert.equal(error.code, 'bad_input');
        assert.match(error.message, /not valid UTF-8 text/);
      });
    }

    it('reads any valid UTF-8, and drops a byte order mark', () => {
      const text = environmentWith('9b1e4f7a2c8d0e3b6a5f1c9d7e2b4a8f0c6d').replace('Encoded', 'Café 名 🐼');
      assert.equal(decodePostmanFile(Buffer.from(text, 'utf8')), text);
      assert.equal(decodePostmanFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])), text);
    });
  });
});
