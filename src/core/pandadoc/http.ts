/**
 * The HTTP exchange the core depends on. The real sender rides on node-fetch; tests use the same
 * sender against a local server, so the only thing injected is where requests go.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange (connect, headers and body) must finish within this. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Header lookup, case-insensitive; `null` when absent. */
  header(name: string): string | null;
  body: string;
}

export interface HttpSender {
  /** Resolves with any HTTP status; rejects with an AuthError (`network` or `timeout`) only
   *  when no complete response arrived. */
  send(request: HttpRequest): Promise<HttpResponse>;
}
