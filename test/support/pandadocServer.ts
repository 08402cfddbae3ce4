/**
 * A PandaDoc-compatible token server on 127.0.0.1 for tests (and, later, a local sandbox).
 * It speaks the real protocol: form-encoded refresh requests, rotating refresh tokens,
 * `invalid_grant` / `invalid_client`, and injectable faults for the next requests.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Answer with this status, body and content type instead of processing the request. */
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** Send headers and half a JSON body, then destroy the socket. */
  | { kind: 'destroyMidBody' }
  /** Accept the request and never answer (until the server closes). */
  | { kind: 'hang' }
  /** Wait, then process the request normally. */
  | { kind: 'delay'; ms: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, string>;
}

export interface ServerOptions {
  /** Issue a new refresh token with every refresh and revoke the old one (default true). */
  rotate?: boolean;
  /** Seconds PandaDoc documents: about one year. */
  expiresIn?: number;
  /**
   * Called when an answer has been sent (the local sandbox logs these). Only the method, path,
   * status and the client id from the form: never a secret.
   */
  onResponse?: (entry: { method: string; path: string; status: number; clientId?: string }) => void;
}

export const PANDADOC_EXPIRES_IN = 31535999;

export function newToken(): string {
  return randomBytes(20).toString('hex');
}

export class PandaDocServer {
  readonly requests: RecordedRequest[] = [];
  /** Every secret this server has handed out or registered, for leak checks. */
  readonly issued: string[] = [];
  /** Merged into the next successful token response (a key set to undefined is omitted). */
  responseOverrides: Record<string, unknown> = {};
  rotate: boolean;
  expiresIn: number;
  private readonly onResponse: ServerOptions['onResponse'];

  private readonly clients = new Map<string, string>();
  /** Live refresh token -> client id. */
  private readonly refreshTokens = new Map<string, string>();
  private readonly faults: Fault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private port = 0;

  private constructor(options: ServerOptions) {
    this.rotate = options.rotate ?? true;
    this.expiresIn = options.expiresIn ?? PANDADOC_EXPIRES_IN;
    this.onResponse = options.onResponse;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: ServerOptions = {}, port = 0): Promise<PandaDocServer> {
    const instance = new PandaDocServer(options);
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(port, '127.0.0.1', () => resolve());
    });
    // Never keeps a test process alive on its own.
    instance.server.unref();
    instance.port = (instance.server.address() as AddressInfo).port;
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Registers an OAuth application and grants it one refresh token (random unless given). */
  addClient(clientId = `client-${newToken()}`, clientSecret = newToken(), refreshToken = newToken()): {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
  } {
    this.clients.set(clientId, clientSecret);
    this.issued.push(clientSecret);
    return { clientId, clientSecret, refreshToken: this.grant(clientId, refreshToken) };
  }

  grant(clientId: string, token = newToken()): string {
    this.issued.push(token);
    this.refreshTokens.set(token, clientId);
    return token;
  }

  revoke(refreshToken: string): void {
    this.refreshTokens.delete(refreshToken);
  }

  isLive(refreshToken: string): boolean {
    return this.refreshTokens.has(refreshToken);
  }

  /** The next requests meet these faults, one each, in order. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Drops faults a test queued but did not use up, so the next test starts clean. */
  clearFaults(): void {
    this.faults.length = 0;
    this.responseOverrides = {};
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/oauth2/access_token');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, form });
    if (this.onResponse) {
      const onResponse = this.onResponse;
      res.once('finish', () => onResponse({ method: req.method ?? '', path, status: res.statusCode, clientId: form.client_id }));
    }

    const fault = this.faults.shift();
    if (fault?.kind === 'hang') {
      return;
    }
    if (fault?.kind === 'destroyMidBody') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '400' });
      res.write('{"access_token":"');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'application/json', ...fault.headers });
      res.end(fault.body ?? '');
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    }
    if (req.method === 'POST' && path === '/oauth2/access_token') {
      this.token(isForm, form, res);
      return;
    }
    this.json(res, 404, { type: 'request_error', detail: 'Not found.' });
  }

  private token(isForm: boolean, form: Record<string, string>, res: http.ServerResponse): void {
    if (!isForm) {
      this.json(res, 400, { error: 'invalid_request' });
      return;
    }
    const { grant_type: grantType, client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken } =
      form;
    if (grantType !== 'refresh_token') {
      this.json(res, 400, { error: grantType ? 'unsupported_grant_type' : 'invalid_request' });
      return;
    }
    if (!clientId || this.clients.get(clientId) !== clientSecret) {
      this.json(res, 401, { error: 'invalid_client' });
      return;
    }
    if (!refreshToken || this.refreshTokens.get(refreshToken) !== clientId) {
      this.json(res, 400, { error: 'invalid_grant' });
      return;
    }
    let next = refreshToken;
    if (this.rotate) {
      this.revoke(refreshToken);
      next = this.grant(clientId);
    }
    const accessToken = newToken();
    this.issued.push(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.expiresIn,
      refresh_token: next,
      scope: 'read write read+write',
      ...this.responseOverrides,
    };
    this.json(res, 200, body);
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
