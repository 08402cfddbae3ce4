import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../../src/core/base/errors';
import { NodeFetchSender } from '../../src/core/pandadoc/nodeFetchSender';
import { MAX_RESPONSE_BYTES } from '../../src/core/base/policy';

/** A raw server on 127.0.0.1 for the transport cases the PandaDoc server does not cover. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function sendError(sender: NodeFetchSender, url: string, timeoutMs = 2000): Promise<AuthError> {
  try {
    await sender.send({ method: 'GET', url, headers: {}, timeoutMs });
  } catch (error) {
    assert.ok(error instanceof AuthError);
    return error;
  }
  assert.fail('expected a failure');
}

describe('NodeFetchSender', () => {
  it('sends the method, headers and body, and reads status, headers and body', async () => {
    let seen: { method?: string; type?: string; body: string } = { body: '' };
    const server = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], body };
        res.writeHead(201, { 'X-Test': 'yes' });
        res.end('answer');
      });
    });
    const response = await new NodeFetchSender().send({
      method: 'POST',
      url: server.url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
      timeoutMs: 2000,
    });
    assert.deepEqual(seen, { method: 'POST', type: 'application/x-www-form-urlencoded', body: 'a=1' });
    assert.equal(response.status, 201);
    assert.equal(response.header('x-test'), 'yes');
    assert.equal(response.body, 'answer');
    await server.close();
  });

  it('does not follow a redirect', async () => {
    let followed = false;
    const server = await serve((req, res) => {
      if (req.url === '/elsewhere') {
        followed = true;
      }
      res.writeHead(307, { Location: '/elsewhere' });
      res.end();
    });
    const response = await new NodeFetchSender().send({ method: 'POST', url: server.url, headers: {}, body: 'secret=1', timeoutMs: 2000 });
    assert.equal(response.status, 307);
    assert.equal(followed, false);
    await server.close();
  });

  it('times out when headers never come', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await sendError(new NodeFetchSender(), server.url, 300);
    assert.equal(error.code, 'timeout');
    assert.ok(Date.now() - started < 2000, 'gave up at the timeout');
    await server.close();
  });

  it('times out when the body trickles past the timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    assert.equal((await sendError(new NodeFetchSender(), server.url, 400)).code, 'timeout');
    await server.close();
  });

  /** Headers and half a body, then the connection drops: what `sender` reports with `timeoutMs`. */
  async function droppedMidBody(sender: NodeFetchSender, timeoutMs: number): Promise<AuthError> {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'Content-Length': '400' });
      res.write('{"access_token":"');
      setTimeout(() => req.socket.destroy(), 10);
    });
    try {
      return await sendError(sender, server.url, timeoutMs);
    } finally {
      await server.close();
    }
  }

  it('reports a connection dropped mid-body as a network error, not a wait for the timeout', async () => {
    const error = await droppedMidBody(new NodeFetchSender(200), 5000);
    assert.equal(error.code, 'network');
    assert.equal(error.details.detail, 'connection dropped mid-answer');
  });

  it('reports a dropped connection as a network error also when the timeout is shorter than the stall limit', async () => {
    // The default stall limit is 3 s; with a 1 s timeout it is cut to half the timeout.
    const error = await droppedMidBody(new NodeFetchSender(), 1000);
    assert.equal(error.code, 'network');
    assert.equal(error.details.detail, 'connection dropped mid-answer');
  });

  it('reports a chunked answer cut short as a network error', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200);
      res.write('{"access_token":"');
      setTimeout(() => req.socket.destroy(), 10);
    });
    assert.equal((await sendError(new NodeFetchSender(), server.url, 5000)).code, 'network');
    await server.close();
  });

  it('refuses an oversized body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.end('x'.repeat(MAX_RESPONSE_BYTES + 1));
    });
    const error = await sendError(new NodeFetchSender(), server.url);
    assert.equal(error.code, 'bad_response');
    assert.equal(error.details.detail, 'oversized body');
    await server.close();
  });

  it('reports a refused connection with its error code', async () => {
    const server = await serve(() => undefined);
    const { url } = server;
    await server.close();
    const error = await sendError(new NodeFetchSender(), url);
    assert.equal(error.code, 'network');
    assert.equal(error.details.detail, 'ECONNREFUSED');
  });
});
