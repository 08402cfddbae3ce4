/**
 * Receives the browser's redirect after sign-in on 127.0.0.1: a one-shot HTTP server that waits
 * for the request to the redirect path that carries this sign-in's state, answers the browser
 * with a short page, and goes away. Every other request is answered and otherwise ignored.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { carriesState, readRedirectQuery } from './authorization';
import { AuthError } from '../base/errors';
import { SIGN_IN_LIMIT_MS } from '../base/policy';

export interface ListenOptions {
  /** 0 lets the OS choose (tests); the redirect URI names a fixed one. */
  port: number;
  /** The redirect URI's path, such as `/callback`. */
  path: string;
  state: string;
  /** How long to wait for the browser (default SIGN_IN_LIMIT_MS). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoopbackListener {
  port: number;
  /** The address the server is bound to: always 127.0.0.1. */
  host: string;
  /** The code, once the browser brought it with the right state. Rejects with an AuthError:
   *  access_denied, rejected, bad_input (each with the right state only), timeout (detail
   *  `sign-in`), cancelled. A request without the right state never settles it. */
  answer: Promise<{ code: string }>;
  /** Stops listening; idempotent. An answer not yet settled rejects with `cancelled`. */
  close(): Promise<void>;
}

// Only this machine: another host on the network must never be able to hand us a code.
const HOST = '127.0.0.1';

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // Nothing to load, nothing to run: the page is text and its own inline style.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  // The address bar holds the code; no link or load may carry it anywhere.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  Connection: 'close',
};

/** What the browser tab says, by outcome. Fixed texts: nothing from the request is echoed. */
function pageText(error: unknown): { title: string; text: string } {
  if (!(error instanceof AuthError)) {
    // The page is sent before VS Code exchanges the code, which may still fail: it says what is
    // known, and VS Code says how it ended.
    return {
      title: 'PandaDoc sign-in received',
      text: 'VS Code has received your PandaDoc sign-in and is finishing it. You can close this tab and go back to VS Code.',
    };
  }
  if (error.code === 'state_mismatch') {
    // Nothing ended: the sign-in VS Code started is still waiting for its own answer.
    return {
      title: 'Not this PandaDoc sign-in',
      text: 'This answer belongs to another sign-in (or to none), so VS Code ignored it and is still waiting. Finish signing in on PandaDoc\'s page, or go back to VS Code.',
    };
  }
  const reasons: Partial<Record<AuthError['code'], string>> = {
    access_denied: 'Access was declined, so VS Code is not signed in to PandaDoc.',
    bad_input: 'The answer carried no usable sign-in code.',
    rejected: 'PandaDoc reported an error instead of signing you in.',
  };
  const reason = reasons[error.code] ?? 'The sign-in did not complete.';
  return { title: 'PandaDoc sign-in failed', text: `${reason} Go back to VS Code to sign in again.` };
}

function page(error?: unknown): string {
  const { title, text } = pageText(error);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:4em auto;max-width:32em;padding:0 1em;line-height:1.5}</style>
</head><body><h1>${title}</h1><p>${text}</p></body></html>
`;
}

function listenError(error: NodeJS.ErrnoException, port: number): AuthError {
  const detail = error.code ?? 'listen failed';
  const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${detail})`;
  // Said whole, so the caller can show it as it is: it names no secret.
  return new AuthError('network', `Port ${port} on ${HOST} ${why}, so VS Code cannot receive the browser's answer.`, {
    detail,
  });
}

export async function listenForRedirect(options: ListenOptions): Promise<LoopbackListener> {
  if (options.signal?.aborted) {
    throw new AuthError('cancelled', 'The sign-in was cancelled before it started.');
  }
  const sockets = new Set<Socket>();
  let settle!: { resolve(value: { code: string }): void; reject(error: AuthError): void };
  const answer = new Promise<{ code: string }>((resolve, reject) => (settle = { resolve, reject }));
  // A caller that stops waiting (cancel, paste instead) must not leave an unhandled rejection.
  answer.catch(() => undefined);
  let closing: Promise<void> | undefined;
  let decided = false;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      settle.reject(new AuthError('cancelled', 'The sign-in was cancelled.'));
      server.close(() => resolve());
      // A browser's keep-alive connection would otherwise hold the port (and the process).
      for (const socket of sockets) {
        socket.destroy();
      }
    });
    return closing;
  };
  // Settles the answer first, so close() finds nothing left to cancel.
  const finish = (outcome: { code: string } | AuthError): void => {
    if (outcome instanceof AuthError) {
      settle.reject(outcome);
    } else {
      settle.resolve(outcome);
    }
    void close();
  };
  const onAbort = () => finish(new AuthError('cancelled', 'The sign-in was cancelled.'));
  const timeoutMs = options.timeoutMs ?? SIGN_IN_LIMIT_MS;
  const timer = setTimeout(
    () => finish(new AuthError('timeout', `No sign-in answer arrived within ${timeoutMs} ms.`, { flow: 'sign-in' })),
    timeoutMs,
  );
  // Neither the timer nor the server keeps VS Code's extension host (or a test) alive.
  timer.unref();

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}`);
    } catch {
      res.writeHead(400, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (decided || url.pathname !== options.path) {
      // A favicon, a probe: not the answer, and not a reason to stop waiting for it.
      res.writeHead(404, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET', 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (!carriesState(url.searchParams, options.state)) {
      // Not this sign-in's answer, whatever it says (a code, error=access_denied, nothing): any
      // page open in the browser can send it to this fixed port, and ending the sign-in on it
      // would let that page block every sign-in. Told so, and the wait goes on.
      res.writeHead(400, PAGE_HEADERS).end(page(new AuthError('state_mismatch', 'Not this sign-in\'s answer.')));
      return;
    }
    decided = true;
    let outcome: { code: string } | AuthError;
    try {
      outcome = readRedirectQuery(url.searchParams, options.state);
    } catch (error) {
      outcome = error instanceof AuthError ? error : new AuthError('bad_input', 'The sign-in answer could not be read.');
    }
    const failure = outcome instanceof AuthError ? outcome : undefined;
    res.writeHead(failure ? 400 : 200, PAGE_HEADERS);
    // One-shot: once the page is out (or the browser hung up), the answer is settled and the
    // server goes away. Not before: a caller closing on the answer would cut the page off.
    res.once('close', () => finish(outcome));
    res.end(page(failure));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(listenError(error, options.port)));
      server.listen({ port: options.port, host: HOST, exclusive: true }, () => resolve());
    });
  } catch (error) {
    clearTimeout(timer);
    throw error;
  }
  if (closing) {
    // Timed out or aborted while binding: close() ran before there was anything to close.
    server.close();
    await closing;
  }
  server.removeAllListeners('error');
  server.on('error', () => finish(new AuthError('network', 'The sign-in listener failed.', { detail: 'listener error' })));
  server.unref();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const address = server.address() as AddressInfo;
  return { port: address.port, host: address.address, answer, close };
}
