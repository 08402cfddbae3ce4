/**
 * The real HttpSender. node-fetch rides on Node's http/https modules, which VS Code patches for
 * proxies and system certificates in every version, so corporate networks work unchanged.
 */
import fetch, { FetchError, type Response } from 'node-fetch';
import { AuthError } from '../base/errors';
import type { HttpRequest, HttpResponse, HttpSender } from './http';
import { BODY_STALL_MS, MAX_RESPONSE_BYTES } from '../base/policy';

function networkDetail(error: FetchError): string {
  // Node's error code (ECONNREFUSED, ENOTFOUND, ECONNRESET...) says what happened without
  // repeating anything the server sent.
  return error.code ?? error.errno ?? error.type ?? 'connection failed';
}

export class NodeFetchSender implements HttpSender {
  constructor(private readonly bodyStallMs = BODY_STALL_MS) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    let stalled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        // Never follow: a redirected token request would carry the client secret elsewhere.
        redirect: 'manual',
        size: MAX_RESPONSE_BYTES,
        signal: controller.signal,
      });
      // The timeout stays armed until the body is complete; the stall watchdog catches a
      // connection that died mid-body, which node-fetch 2 would otherwise wait on forever.
      // Half the timeout at most, so a short timeout does not catch a dropped connection first
      // and call it "no answer" (a timeout, which is not retried).
      const stallMs = Math.min(this.bodyStallMs, Math.max(1, Math.floor(request.timeoutMs / 2)));
      const body = await this.readBody(response, stallMs, () => {
        stalled = true;
        controller.abort();
      });
      return { status: response.status, header: (name) => response.headers.get(name), body };
    } catch (error) {
      if (stalled) {
        throw new AuthError('network', 'The connection to PandaDoc dropped in the middle of the answer.', {
          detail: 'connection dropped mid-answer',
        });
      }
      throw this.classify(error, request, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readBody(response: Response, stallMs: number, onStall: () => void): Promise<string> {
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(onStall, stallMs);
    };
    const text = response.text();
    arm();
    response.body.on('data', arm);
    try {
      return await text;
    } finally {
      clearTimeout(watchdog);
    }
  }

  private classify(error: unknown, request: HttpRequest, timedOut: boolean): AuthError {
    if (timedOut) {
      return new AuthError('timeout', `No answer from PandaDoc within ${request.timeoutMs} ms.`, {
        detail: `${request.timeoutMs} ms`,
      });
    }
    if (error instanceof FetchError && error.type === 'max-size') {
      return new AuthError('bad_response', 'The answer is far larger than any token response.', {
        detail: 'oversized body',
      });
    }
    const detail = error instanceof FetchError ? networkDetail(error) : 'connection failed';
    return new AuthError('network', `Could not complete the request to PandaDoc (${detail}).`, { detail });
  }
}
