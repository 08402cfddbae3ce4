import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { listenForRedirect, type ListenOptions, type LoopbackListener } from '../../src/core/signin/loopbackListener';
import { rawRequest, type RawResponse } from '../support/rawHttp';
import { rejection } from '../support/assertions';

const STATE = 'b3V0LW9mLWJhbmQtc3RhdGUtZm9yLXRoZS1sb29wYmFjay10ZXN0';
const CODE = '5e1f0c0de7a9b3d5f7e9c1a3b5d7f9e1c3a5b7d9';

/** Whether something can listen on 127.0.0.1:port right now. */
async function portIsFree(port: number): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function assertSafePage(page: RawResponse, ...secrets: string[]): void {
  assert.match(page.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
  assert.equal(page.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.doesNotMatch(page.body, /\b(src|href)=|https?:|<script/i, 'nothing external, nothing to run');
  for (const secret of secrets) {
    assert.ok(!page.body.includes(secret), 'the page echoes nothing of the request');
  }
  assert.match(page.body, /go back to VS Code/i);
}

describe('the loopback listener', () => {
  let listener: LoopbackListener | undefined;

  async function listen(options: Partial<ListenOptions> = {}): Promise<LoopbackListener> {
    listener = await listenForRedirect({ port: 0, path: '/callback', state: STATE, ...options });
    return listener;
  }

  const at = (l: LoopbackListener, pathAndQuery: string) => `http://127.0.0.1:${l.port}${pathAndQuery}`;

  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  it('hands over the code that comes with the right state, and thanks the browser', async () => {
    const l = await listen();
    const page = await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`));
    assert.equal(page.status, 200);
    assertSafePage(page, CODE, STATE);
    assert.match(page.body, /VS Code has received your PandaDoc sign-in and is finishing it\. You can close this tab and go back to VS Code\./);
    assert.deepEqual(await l.answer, { code: CODE });
  });

  it('refuses another sign-in\'s state, telling the browser without echoing anything, and keeps waiting', async () => {
    const l = await listen();
    const other = `${STATE.slice(0, -4)}abcd`;
    const page = await rawRequest(at(l, `/callback?code=${CODE}&state=${other}`));
    assert.equal(page.status, 400);
    assertSafePage(page, CODE, other);
    assert.match(page.body, /another sign-in/);
    assert.match(page.body, /still waiting/);
    assert.equal((await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`))).status, 200);
    assert.deepEqual(await l.answer, { code: CODE });
  });

  it('ignores every answer without the right state, error answers included, until the right one (S1)', async () => {
    // Any page open in the browser can send these to the fixed port (an <img> is enough).
    const l = await listen();
    const strays = [
      `/callback?code=${CODE}`,
      '/callback?error=access_denied',
      '/callback?error=access_denied&state=wrong',
      `/callback?error=server_error&state=${STATE}x`,
      '/callback?state=',
      '/callback',
    ];
    for (const stray of strays) {
      const page = await rawRequest(at(l, stray));
      assert.equal(page.status, 400, stray);
      assertSafePage(page, CODE, STATE);
    }
    const settled = await Promise.race([l.answer.then(() => 'settled', () => 'settled'), new Promise((resolve) => setTimeout(resolve, 50, 'waiting'))]);
    assert.equal(settled, 'waiting', 'no stray request ended the sign-in');
    assert.equal((await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`))).status, 200);
    assert.deepEqual(await l.answer, { code: CODE });
  });

  it('keeps ignoring answers without the state until the time limit, and then times out', async () => {
    const l = await listen({ timeoutMs: 300 });
    assert.equal((await rawRequest(at(l, '/callback?error=access_denied'))).status, 400);
    const error = await rejection(l.answer);
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.flow, 'sign-in');
  });

  it('reports error=access_denied', async () => {
    const l = await listen();
    const page = await rawRequest(at(l, `/callback?error=access_denied&error_description=%3Cb%3Eevil%3C%2Fb%3E&state=${STATE}`));
    assertSafePage(page, 'evil', STATE);
    assert.match(page.body, /declined/);
    assert.equal((await rejection(l.answer)).code, 'access_denied');
  });

  it('reports another error as rejected', async () => {
    const l = await listen();
    const page = await rawRequest(at(l, `/callback?error=server_error&state=${STATE}`));
    assertSafePage(page, 'server_error', STATE);
    const error = await rejection(l.answer);
    assert.equal(error.code, 'rejected');
    assert.equal(error.details.oauthError, 'server_error');
  });

  it('answers 404 to other paths and keeps waiting for the real answer', async () => {
    const l = await listen();
    assert.equal((await rawRequest(at(l, '/favicon.ico'))).status, 404);
    assert.equal((await rawRequest(at(l, `/callbackx?code=${CODE}&state=${STATE}`))).status, 404);
    assert.equal((await rawRequest(at(l, `/?code=${CODE}&state=${STATE}`))).status, 404);
    assert.equal((await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`))).status, 200);
    assert.deepEqual(await l.answer, { code: CODE });
  });

  it('accepts GET only, without deciding on anything else', async () => {
    const l = await listen();
    const post = await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`), { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
    assert.equal((await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`))).status, 200);
    assert.deepEqual(await l.answer, { code: CODE });
  });

  it('is one-shot: after the first answer the port is released, even from a keep-alive browser', async () => {
    const l = await listen();
    const agent = new http.Agent({ keepAlive: true });
    try {
      await rawRequest(at(l, '/favicon.ico'), { agent });
      await rawRequest(at(l, `/callback?code=${CODE}&state=${STATE}`), { agent });
      await l.answer;
      await l.close();
      assert.equal(await portIsFree(l.port), true);
      assert.equal(await accepts('127.0.0.1', l.port), false);
    } finally {
      agent.destroy();
    }
  });

  it('binds 127.0.0.1 only', async () => {
    const l = await listen();
    assert.equal(l.host, '127.0.0.1');
    assert.equal(await accepts('127.0.0.1', l.port), true);
    // Neither IPv6 loopback nor any address of this machine on a network serves it.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => (i as os.NetworkInterfaceInfo).address);
    for (const host of ['::1', ...others]) {
      assert.equal(await accepts(host, l.port), false, `not reachable at ${host}`);
    }
  });

  it('says clearly when the port is taken, so the caller can fall back to paste', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const error = await rejection(listenForRedirect({ port, path: '/callback', state: STATE }));
      assert.equal(error.code, 'network');
      assert.equal(error.details.detail, 'EADDRINUSE');
      assert.match(error.message, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('close() cancels the wait, releases the port, and can be called again', async () => {
    const l = await listen();
    await l.close();
    await l.close();
    assert.equal((await rejection(l.answer)).code, 'cancelled');
    assert.equal(await portIsFree(l.port), true);
  });

  it('listens on the port it was given', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const l = await listen({ port });
    assert.equal(l.port, port);
  });

  it('gives up after timeoutMs with the sign-in timeout', async () => {
    const l = await listen({ timeoutMs: 50 });
    const error = await rejection(l.answer);
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.flow, 'sign-in');
    await l.close();
    assert.equal(await portIsFree(l.port), true);
  });

  it('stops when its signal aborts, and does not start with an aborted one', async () => {
    const controller = new AbortController();
    const l = await listen({ signal: controller.signal });
    controller.abort();
    assert.equal((await rejection(l.answer)).code, 'cancelled');
    await l.close();
    assert.equal(await portIsFree(l.port), true);
    assert.equal((await rejection(listenForRedirect({ port: 0, path: '/callback', state: STATE, signal: controller.signal }))).code, 'cancelled');
  });

  it('keeps no process alive while it waits', async function () {
    this.timeout(15000);
    const module = path.join(__dirname, '../../src/core/signin/loopbackListener.js');
    const script = `require(${JSON.stringify(module)}).listenForRedirect({ port: 0, path: '/callback', state: 's' }).then((l) => console.log('listening on', l.port));`;
    const started = Date.now();
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { timeout: 10000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    assert.match(output, /listening on \d+/);
    assert.ok(Date.now() - started < 10000, 'the process exited on its own, long before the five-minute limit');
  });
});
