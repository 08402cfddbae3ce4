/**
 * The `url` module node-fetch 2 gets in the bundle (src/core/pandadoc/nodeFetchUrl.js): parse()
 * must give what the legacy url.parse() gives for every absolute URL node-fetch can be handed,
 * without calling it, since Node 24 warns DEP0169 for each call.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as url from 'node:url';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS file of the bundle
const shim = require('../../../src/core/pandadoc/nodeFetchUrl.js') as typeof url;
const SHIM_PATH = path.join(__dirname, '../../../src/core/pandadoc/nodeFetchUrl.js');

const FIELDS = ['protocol', 'slashes', 'auth', 'host', 'port', 'hostname', 'hash', 'search', 'query', 'pathname', 'path', 'href'] as const;

/** What node-fetch does before it parses: every absolute URL goes through new URL() first. */
const asNodeFetchHandsIt = (raw: string) => new URL(raw).toString();

function printedBy(script: string): Promise<string> {
  return new Promise((resolve, reject) =>
    // --pending-deprecation makes Node 20 print the DEP0169 that Node 24 prints by default.
    execFile(process.execPath, ['--pending-deprecation', '-e', script], { timeout: 10_000 }, (error, stdout, stderr) =>
      error ? reject(error) : resolve(`${stdout}${stderr}`),
    ),
  );
}

describe("node-fetch's url module in the bundle", () => {
  const urls = [
    'https://api.pandadoc.com/oauth2/access_token',
    'http://127.0.0.1:27845/callback?code=abc&state=def',
    'http://localhost:8080/public/v1/members/current',
    'http://[::1]:9000/oauth2/access_token',
    'https://user:p%40ss@proxy.example.test:8443/a/b?x=1#frag',
    'https://API.PandaDoc.EU/public/v1/members/current?',
    'http://127.0.0.1/a%20b/%E2%9C%93',
    'https://api.pandadoc.com/x?#',
    'https://api.pandadoc.com/x?a=1#b?c',
  ];
  for (const raw of urls) {
    it(`parses ${raw} as url.parse() does`, () => {
      const input = asNodeFetchHandsIt(raw);
      const legacy = url.parse(input);
      const ours = shim.parse(input);
      for (const field of FIELDS) {
        assert.deepEqual(ours[field], legacy[field], field);
      }
      assert.equal(url.format(ours), url.format(legacy), 'node-fetch formats it back with url.format()');
    });
  }

  it('keeps the rest of Node’s url module', () => {
    assert.equal(shim.URL, url.URL);
    assert.equal(shim.format, url.format);
  });

  it('never calls the legacy url.parse(), which Node 24 warns about (DEP0169)', async () => {
    const ours = await printedBy(`require(${JSON.stringify(SHIM_PATH)}).parse('https://api.pandadoc.com/x'); console.log('parsed')`);
    assert.match(ours, /parsed/);
    assert.doesNotMatch(ours, /DEP0169/);
    // The check can fail: the legacy call is reported.
    assert.match(await printedBy(`require('url').parse('https://api.pandadoc.com/x')`), /DEP0169/);
  });
});
