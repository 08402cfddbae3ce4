/**
 * Requests as a browser makes them, with Node's own http client: no redirect is followed, so a
 * test sees each hop (PandaDoc's 302, the loopback listener's page) on its own.
 */
import * as http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawRequest(
  url: string,
  options: { method?: string; agent?: http.Agent; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', agent: options.agent, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * What the browser does after VS Code opens the sign-in page: PandaDoc's page (auto-approving in
 * the test server) redirects, and the browser follows to the redirect URI. Returns both hops; the
 * second is undefined when PandaDoc answered with a page instead of a redirect.
 */
export async function browseSignIn(authorizeUrl: string): Promise<{ authorize: RawResponse; redirect?: RawResponse }> {
  const authorize = await rawRequest(authorizeUrl);
  const location = authorize.headers.location;
  if (authorize.status !== 302 || location === undefined) {
    return { authorize };
  }
  return { authorize, redirect: await rawRequest(location) };
}

/** The query of the address PandaDoc redirected to, without visiting it. */
export async function redirectQuery(authorizeUrl: string): Promise<URLSearchParams> {
  const { status, headers } = await rawRequest(authorizeUrl);
  if (status !== 302 || headers.location === undefined) {
    throw new Error(`the sign-in page answered ${status}, not a redirect`);
  }
  return new URL(headers.location).searchParams;
}
