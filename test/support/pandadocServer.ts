/**
 * A PandaDoc-compatible server on 127.0.0.1 for tests and the local sandbox. It speaks the real
 * protocol: the sign-in page (auto-approving, as for a user who is logged in and clicks Allow),
 * form-encoded code and refresh exchanges, rotating refresh tokens, `invalid_grant` /
 * `invalid_client`, `members/current` for tokens and API keys, and injectable faults for the next
 * requests, whichever endpoint they reach. Its answers are held to PandaDoc's OpenAPI document by
 * test/unit/openapi.test.ts.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Answer with this status, body and content type instead of processing the request. */
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** Send headers and half a JSON body, then destroy the socket. */
  | { kind: 'destroyMidBody' }
  /** PandaDoc's own 429, with a `Retry-After` header when given. */
  | { kind: 'throttle'; retryAfterSeconds?: number }
  /** Accept the request and never answer (until the server closes). */
  | { kind: 'hang' }
  /** Wait, then process the request normally. */
  | { kind: 'delay'; ms: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, string>;
}

/** PandaDoc's `members/current` body. */
export interface MemberBody {
  user_id: string;
  membership_id: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  workspace: string;
  workspace_name: string;
  email_verified: boolean;
  role: string;
  user_license: string;
  date_created: string;
  date_modified: string;
}

/** What an authorization code was issued for: the exchange must match it. */
interface CodeGrant {
  clientId: string;
  redirectUri: string;
  scope: string;
}

const AUTHORIZE_PATH = '/oauth2/authorize';
const TOKEN_PATH = '/oauth2/access_token';
const MEMBERS_PATH = '/public/v1/members/current';
// The OpenAPI document gives members/current's 401 its 400RequestError body, whose `detail` is
// an object of message lists (its 403 has the string `detail`).
const UNAUTHENTICATED = { type: 'request_error', detail: { non_field_errors: ['Authentication credentials were not provided.'] } };

export interface ServerOptions {
  /** Issue a new refresh token with every refresh and revoke the old one (default true). */
  rotate?: boolean;
  /** Seconds PandaDoc documents: about one year. */
  expiresIn?: number;
  /**
   * Called when an answer has been sent (the local sandbox logs these). Never a secret in it.
   */
  onResponse?: (entry: ResponseEntry) => void;
  /** An HTML page `GET /` answers (the sandbox says there what it is); without it, a 404 as
   *  PandaDoc's own API root gives. */
  homePage?: string;
}

/** One answered request, as the sandbox logs it. */
export interface ResponseEntry {
  method: string;
  path: string;
  status: number;
  /** What the request was and what became of it, in the server's words: "refresh: token
   *  issued", "who-am-I with an API key: refused, unknown key". */
  outcome: string;
  /** The OAuth client it was for, when known: from the form or query, or the client an access
   *  token was issued to. A client id is not a secret. */
  clientId?: string;
}

export const PANDADOC_EXPIRES_IN = 31535999;

export function newToken(): string {
  return randomBytes(20).toString('hex');
}

export class PandaDocServer {
  readonly requests: RecordedRequest[] = [];
  /** Every secret this server has handed out or registered, for leak checks. */
  readonly issued: string[] = [];
  /** The authorization codes among `issued`: single-use, and by the nature of the code flow in
   *  the browser's address bar and history. */
  readonly issuedCodes: string[] = [];
  /** Merged into the next successful token response (a key set to undefined is omitted). */
  responseOverrides: Record<string, unknown> = {};
  rotate: boolean;
  expiresIn: number;
  private readonly onResponse: ServerOptions['onResponse'];
  private readonly homePage: string | undefined;

  private readonly clients = new Map<string, string>();
  /** Live refresh token -> client id. */
  private readonly refreshTokens = new Map<string, string>();
  /** Live access token -> client id. */
  private readonly accessTokens = new Map<string, string>();
  /** Live, unused authorization code -> what it was issued for. */
  private readonly codes = new Map<string, CodeGrant>();
  private readonly apiKeys = new Set<string>();
  /** Client id or API key -> what members/current answers differently from the default. */
  private readonly memberChanges = new Map<string, Partial<MemberBody>>();
  private denyNext = false;
  private readonly faults: Fault[] = [];
  /** What each answer in flight was, for `onResponse`. */
  private readonly outcomes = new WeakMap<http.ServerResponse, { outcome: string; clientId?: string }>();
  private readonly sockets = new Set<Socket>();
  private readonly server: http.Server;
  private port = 0;

  private constructor(options: ServerOptions) {
    this.rotate = options.rotate ?? true;
    this.expiresIn = options.expiresIn ?? PANDADOC_EXPIRES_IN;
    this.onResponse = options.onResponse;
    this.homePage = options.homePage;
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

  /** Registers an API key (random unless given); members/current then answers for it. */
  addApiKey(key = newToken(), member: Partial<MemberBody> = {}): string {
    this.issued.push(key);
    this.apiKeys.add(key);
    this.setMember(key, member);
    return key;
  }

  /** Chooses what members/current answers for a client's tokens or an API key. */
  setMember(clientIdOrApiKey: string, member: Partial<MemberBody>): void {
    this.memberChanges.set(clientIdOrApiKey, { ...this.memberChanges.get(clientIdOrApiKey), ...member });
  }

  /** The member body members/current gives for a client's tokens or an API key. */
  memberOf(clientIdOrApiKey: string): MemberBody {
    const isKey = this.apiKeys.has(clientIdOrApiKey);
    // A key is a secret: nothing of it goes into the body (an email gets logged and shown).
    const name = isKey ? 'api-key-user' : clientIdOrApiKey;
    return {
      user_id: `user-${name}`,
      membership_id: `membership-${name}`,
      email: `${name}@example.test`,
      first_name: 'Test',
      last_name: 'User',
      is_active: true,
      workspace: 'workspace-test',
      workspace_name: 'Test Workspace',
      email_verified: true,
      role: 'Admin',
      user_license: 'Full',
      date_created: '2024-01-15T10:00:00.000000Z',
      date_modified: '2025-06-01T10:00:00.000000Z',
      ...this.memberChanges.get(clientIdOrApiKey),
    };
  }

  /** The next visit to the sign-in page is declined, as if the user clicked Deny. */
  denyNextAuthorization(): void {
    this.denyNext = true;
  }

  isLiveCode(code: string): boolean {
    return this.codes.has(code);
  }

  isLiveAccessToken(token: string): boolean {
    return this.accessTokens.has(token);
  }

  /** The token stops working before its expiry (PandaDoc revoked it): members/current answers 401. */
  expireAccessToken(token: string): void {
    this.accessTokens.delete(token);
  }

  expireAccessTokens(): void {
    this.accessTokens.clear();
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
    return this.requests.filter((r) => r.path === TOKEN_PATH);
  }

  authorizeRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === AUTHORIZE_PATH);
  }

  memberRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === MEMBERS_PATH);
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
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
    this.requests.push({ method: req.method ?? '', path, query, headers: req.headers, rawBody, form });
    if (this.onResponse) {
      const onResponse = this.onResponse;
      const given = form.client_id ?? query.client_id;
      res.once('finish', () => {
        const said = this.outcomes.get(res);
        const clientId = said?.clientId ?? given;
        onResponse({ method: req.method ?? '', path, status: res.statusCode, outcome: said?.outcome ?? 'answered', ...(clientId ? { clientId } : {}) });
      });
    }

    const fault = this.faults.shift();
    if (fault?.kind === 'hang') {
      return;
    }
    if (fault !== undefined && fault.kind !== 'delay') {
      this.said(res, `injected fault (${fault.kind === 'status' ? `HTTP ${fault.status}` : 'connection cut mid-body'})`);
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
    if (fault?.kind === 'throttle') {
      const { retryAfterSeconds: seconds } = fault;
      const detail = `Request was throttled.${seconds === undefined ? '' : ` Expected available in ${seconds} seconds.`}`;
      this.json(res, 429, { type: 'throttled', detail }, seconds === undefined ? {} : { 'Retry-After': String(seconds) });
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    }
    if (req.method === 'GET' && path === AUTHORIZE_PATH) {
      this.authorize(url.searchParams, res);
      return;
    }
    if (req.method === 'POST' && path === TOKEN_PATH) {
      this.token(isForm, form, res);
      return;
    }
    if (req.method === 'GET' && path === MEMBERS_PATH) {
      this.currentMember(req.headers.authorization, res);
      return;
    }
    if (req.method === 'GET' && path === '/' && this.homePage !== undefined) {
      this.said(res, 'the sandbox page');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(this.homePage);
      return;
    }
    this.said(res, 'no such endpoint');
    this.json(res, 404, { type: 'request_error', detail: 'Not found.' });
  }

  /** Notes what this answer is, for the sandbox's log line. */
  private said(res: http.ServerResponse, outcome: string, clientId?: string): void {
    this.outcomes.set(res, { outcome, ...(clientId ? { clientId } : {}) });
  }

  /**
   * The sign-in page, already approved: PandaDoc's own page would ask the user to log in and
   * click Allow. Problems with the client or redirect URI are shown on the page (never sent to
   * an unverified redirect URI); the others go back to the redirect URI, as RFC 6749 4.1.2.1 says.
   */
  private authorize(params: URLSearchParams, res: http.ServerResponse): void {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri');
    if (!this.clients.has(clientId)) {
      this.said(res, 'sign-in page: refused, unknown client id');
      this.html(res, 400, 'Unknown client_id.');
      return;
    }
    if (!redirectUri) {
      this.said(res, 'sign-in page: refused, no redirect_uri');
      this.html(res, 400, 'redirect_uri is required.');
      return;
    }
    const state = params.get('state');
    const back = (answer: Record<string, string>): void => {
      const query = new URLSearchParams({ ...answer, ...(state === null ? {} : { state }) });
      const separator = redirectUri.includes('?') ? '&' : '?';
      res.writeHead(302, { Location: `${redirectUri}${separator}${query.toString()}`, 'Cache-Control': 'no-store' });
      res.end();
    };
    if (params.get('response_type') !== 'code') {
      this.said(res, 'sign-in page: sent back unsupported_response_type');
      back({ error: 'unsupported_response_type' });
      return;
    }
    if (this.denyNext) {
      this.denyNext = false;
      this.said(res, 'sign-in page: declined (access_denied), sent back to the redirect URI');
      back({ error: 'access_denied' });
      return;
    }
    const code = newToken();
    this.issued.push(code);
    this.issuedCodes.push(code);
    this.codes.set(code, { clientId, redirectUri, scope: params.get('scope') ?? '' });
    this.said(res, 'sign-in page: approved, code sent to the redirect URI');
    back({ code });
  }

  private currentMember(authorization: string | undefined, res: http.ServerResponse): void {
    const [, scheme, credential] = /^(Bearer|API-Key) (\S+)$/i.exec(authorization ?? '') ?? [];
    const bearer = scheme?.toLowerCase() === 'bearer';
    const owner = bearer ? this.accessTokens.get(credential) : this.apiKeys.has(credential) ? credential : undefined;
    const asked = scheme === undefined ? 'who-am-I without credentials' : bearer ? 'who-am-I with an access token' : 'who-am-I with an API key';
    if (owner === undefined) {
      this.said(res, `${asked}: refused, ${scheme === undefined ? 'no Authorization header' : bearer ? 'unknown or expired token' : 'unknown API key'}`);
      this.json(res, 401, UNAUTHENTICATED);
      return;
    }
    // The owner of a token is its client (not a secret); of a key, the key itself (never logged).
    this.said(res, `${asked}: answered`, bearer ? owner : undefined);
    this.json(res, 200, this.memberOf(owner));
  }

  private token(isForm: boolean, form: Record<string, string>, res: http.ServerResponse): void {
    if (!isForm) {
      this.said(res, 'token request: refused, not form-encoded (invalid_request)');
      this.json(res, 400, { error: 'invalid_request' });
      return;
    }
    const { grant_type: grantType, client_id: clientId, client_secret: clientSecret } = form;
    if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
      this.said(res, `token request: refused, ${grantType ? 'unsupported grant_type' : 'no grant_type'}`);
      this.json(res, 400, { error: grantType ? 'unsupported_grant_type' : 'invalid_request' });
      return;
    }
    const grant = grantType === 'refresh_token' ? 'refresh' : 'code exchange';
    if (!clientId || this.clients.get(clientId) !== clientSecret) {
      const why = !clientId ? 'no client id' : this.clients.has(clientId) ? 'wrong client secret' : 'unknown client id';
      this.said(res, `${grant}: refused, ${why} (invalid_client)`);
      // 400, not the 401 RFC 6749 allows: PandaDoc's document declares only 200 and 400 here.
      this.json(res, 400, { error: 'invalid_client' });
      return;
    }
    if (grantType === 'authorization_code') {
      this.codeGrant(clientId, form, res);
      return;
    }
    const refreshToken = form.refresh_token;
    if (!refreshToken || this.refreshTokens.get(refreshToken) !== clientId) {
      this.said(res, 'refresh: refused, unknown or revoked refresh token (invalid_grant)');
      this.json(res, 400, { error: 'invalid_grant' });
      return;
    }
    let next = refreshToken;
    if (this.rotate) {
      this.revoke(refreshToken);
      next = this.grant(clientId);
    }
    this.said(res, `refresh: token issued${this.rotate ? ', refresh token rotated' : ''}`);
    this.issueTokens(clientId, next, res);
  }

  private codeGrant(clientId: string, form: Record<string, string>, res: http.ServerResponse): void {
    const grant = form.code ? this.codes.get(form.code) : undefined;
    if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.redirect_uri) {
      this.said(res, `code exchange: refused, ${!grant ? 'unknown or used code' : 'code issued for another client or redirect URI'} (invalid_grant)`);
      this.json(res, 400, { error: 'invalid_grant' });
      return;
    }
    // Single-use: a second exchange of the same code meets invalid_grant.
    this.codes.delete(form.code);
    this.said(res, 'code exchange: signed in, tokens issued');
    this.issueTokens(clientId, this.grant(clientId), res);
  }

  /** A new access token beside `refreshToken`. The refresh token was issued first, the access
   *  token last: the UI tier reads the latest pair from the end of `issued`. */
  private issueTokens(clientId: string, refreshToken: string, res: http.ServerResponse): void {
    const accessToken = newToken();
    this.issued.push(accessToken);
    this.accessTokens.set(accessToken, clientId);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.expiresIn,
      refresh_token: refreshToken,
      scope: 'read write read+write',
      ...this.responseOverrides,
    };
    this.json(res, 200, body);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** A page for the browser; `text` is fixed by the caller, never taken from the request. */
  private html(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>PandaDoc</title><p>${text}</p>`);
  }
}
