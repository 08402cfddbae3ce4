/**
 * The browser half of a sign-in (OAuth 2.0 authorization code flow, RFC 6749 section 4.1): the
 * address PandaDoc's sign-in page is opened at, the redirect URI it answers to, and the reading of
 * that answer, whether it arrives at the loopback listener or is pasted by hand.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError } from '../base/errors';
import { MAX_SECRET_LENGTH, STATE_BYTES } from '../base/policy';
import { checkApiBaseUrl, checkBaseUrl, checkScope, isLoopback, type Settings } from '../base/settings';
import { hasSpaceOrControlChars } from '../base/text';

export const AUTHORIZE_PATH = '/oauth2/authorize';

/** An unguessable `state` for one sign-in: only the page PandaDoc redirects to can know it. */
export function newState(): string {
  return randomBytes(STATE_BYTES).toString('base64url');
}

export interface RedirectTarget {
  /** The URI as configured (trimmed, otherwise untouched): PandaDoc compares it character by
   *  character with the one registered, so it is never normalized. */
  uri: string;
  /** Set when VS Code itself can receive the redirect on 127.0.0.1; otherwise the user pastes. */
  loopback?: { port: number; path: string };
}

// Never a redirect target: they would run or read something in the browser instead.
const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set(['javascript:', 'data:', 'file:', 'blob:']);
// The listener binds 127.0.0.1 only. A browser given `localhost` may try [::1] first and fall
// back to 127.0.0.1 only when that refuses, so a program listening on [::1] at the same port
// would get the code: `localhost` stays accepted for existing configurations, but 127.0.0.1 is
// the default and what every message names. [::1] and the rest of 127/8 are still allowed: the
// user then pastes the answer.
const MIN_PORT = 1;
const MAX_PORT = 65535;
const LISTENABLE_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

/** Checks `pandadoc.redirectUri` and says whether the loopback listener can receive it. */
export function parseRedirectUri(raw: string): RedirectTarget {
  const bad = (reason: string): never => {
    throw new AuthError('bad_config', `pandadoc.redirectUri ${reason}.`, { detail: 'redirectUri' });
  };
  const uri = raw.trim();
  if (hasSpaceOrControlChars(uri)) {
    // The URI is sent as written, but URL parsing drops tabs and line breaks: what is checked
    // below would not be what PandaDoc and the browser are given.
    bad('must not contain spaces or control characters');
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return bad('is not a valid URI (expected e.g. http://127.0.0.1:27845/callback)');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // The code would cross the network in clear text, to be traded by anyone who sees it.
    bad(`uses plain http to ${url.hostname}; only https is allowed, except to this machine (use 127.0.0.1)`);
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) {
    bad(`cannot use ${url.protocol}`);
  }
  if (url.username || url.password) {
    bad('must not contain a user name or password');
  }
  if (url.hash) {
    // RFC 6749 section 3.1.2: a redirection endpoint must not include a fragment.
    bad('must not contain a fragment (#)');
  }
  // URL parsing refuses a port above 65535 but keeps 0, which is no port a browser can reach:
  // the listener would bind a port of the OS's choosing while PandaDoc is sent port 0.
  if (url.port !== '' && !(Number(url.port) >= MIN_PORT && Number(url.port) <= MAX_PORT)) {
    bad(`has port ${url.port}; a port is a number from ${MIN_PORT} to ${MAX_PORT}`);
  }
  // An explicit port only: the default port 80 would need privileges to listen on.
  if (url.protocol === 'http:' && LISTENABLE_HOSTS.has(url.hostname) && url.port !== '') {
    return { uri, loopback: { port: Number(url.port), path: url.pathname } };
  }
  return { uri };
}

/**
 * Every setting a sign-in uses, checked at once, before it changes anything (creates or switches a
 * profile, opens a port or the browser): a bad one fails it with bad_config and leaves all as it
 * was. The API base URL too, though only the code exchange at the end uses it: better refused now
 * than after the user has signed in on PandaDoc's page.
 */
export function checkSignInSettings(settings: Settings): { redirect: RedirectTarget } {
  checkBaseUrl(settings.authBaseUrl, 'authBaseUrl');
  checkApiBaseUrl(settings.apiBaseUrl);
  checkScope(settings.scope);
  return { redirect: parseRedirectUri(settings.redirectUri) };
}

export interface AuthorizeParams {
  authBaseUrl: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
}

/**
 * The address of PandaDoc's sign-in page for this client, redirect URI, scope and state.
 *
 * The scope is written as PandaDoc's reference writes it, `scope=read+write`, with a bare `+`
 * (which a form decoder reads as a space: "read write", a spelling PandaDoc accepts). Encoding it
 * as `%2B` would not survive anyway: `vscode.Uri`, which `openExternal` takes, decodes `%2B` and
 * writes a bare `+` back. So the URL built here is the URL the browser opens.
 */
export function buildAuthorizeUrl(params: AuthorizeParams): string {
  const base = checkBaseUrl(params.authBaseUrl, 'authBaseUrl');
  const query = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: parseRedirectUri(params.redirectUri).uri,
  });
  const scope = checkScope(params.scope)
    .split(/[\s+]+/)
    .map(encodeURIComponent)
    .join('+');
  const rest = new URLSearchParams({ response_type: 'code', state: params.state });
  return `${base}${AUTHORIZE_PATH}?${query.toString()}&scope=${scope}&${rest.toString()}`;
}

/** The error strings of RFC 6749 section 4.1.2.1; any other is reported without its text. */
const AUTHORIZE_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
]);

function checkCode(code: string): string {
  if (code.length === 0) {
    throw new AuthError('bad_input', 'The sign-in answer carries no code.', { detail: 'code' });
  }
  if (code.length > MAX_SECRET_LENGTH || hasSpaceOrControlChars(code)) {
    throw new AuthError('bad_input', 'The sign-in code is not a code: it is too long or holds spaces or control characters.', {
      detail: 'code',
    });
  }
  return code;
}

/** Equal, in a time that does not depend on where they differ. An empty expected state never matches. */
function sameState(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return b.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `query` carries this sign-in's state, and so can only come from the page PandaDoc
 * redirected to. The loopback listener acts on nothing else: any web page open in the browser can
 * send a request to its fixed port (an `<img>` is enough), with or without an `error`.
 */
export function carriesState(query: URLSearchParams, expectedState: string): boolean {
  const state = query.get('state');
  return state !== null && sameState(state, expectedState);
}

/**
 * The query PandaDoc redirected with: its code, once the state proves it answers this sign-in.
 * An `error` is reported whatever the state, for a pasted answer (a person copied it from the
 * sign-in they started); the loopback listener checks `carriesState` first.
 * Messages never repeat the query: it holds the code, and whatever else the page put there.
 */
export function readRedirectQuery(query: URLSearchParams, expectedState: string): { code: string } {
  const error = query.get('error');
  if (error !== null) {
    if (error === 'access_denied') {
      throw new AuthError('access_denied', 'The user declined access on PandaDoc\'s page (access_denied).', {
        oauthError: error,
      });
    }
    const oauthError = AUTHORIZE_ERRORS.has(error) ? error : undefined;
    throw new AuthError('rejected', `PandaDoc's sign-in page answered with an error (${oauthError ?? 'not a standard one'}).`, {
      oauthError,
    });
  }
  if (!carriesState(query, expectedState)) {
    const state = query.get('state');
    throw new AuthError(
      'state_mismatch',
      state === null ? 'The sign-in answer carries no state.' : 'The sign-in answer carries the state of another sign-in.',
      { detail: state === null ? 'no state' : 'other state' },
    );
  }
  return { code: checkCode(query.get('code') ?? '') };
}

// Something a user copied from the address bar: a scheme and `//`.
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * What the user pasted after signing in: the whole address the browser was sent to
 * (`...?code=X&state=Y`), just its query, or just the code.
 *
 * A bare code is accepted without a state, since it cannot carry one. This is deliberate: it is
 * what the user copied from a page they opened themselves in the sign-in VS Code started, and
 * redirect URIs that show the code on a page (no loopback) give nothing else to paste. The
 * state protects the loopback listener, which any page could call; a paste takes a person.
 */
export function readSignInAnswer(input: string, expectedState: string): { code: string } {
  const text = input.trim();
  if (text.length > MAX_SECRET_LENGTH * 4) {
    throw new AuthError('bad_input', 'The pasted text is far too long to be a sign-in answer.', { detail: 'code' });
  }
  const queryStart = text.indexOf('?');
  if (queryStart >= 0 || text.includes('=')) {
    const query = text.slice(queryStart + 1).split('#')[0];
    return readRedirectQuery(new URLSearchParams(query), expectedState);
  }
  if (LOOKS_LIKE_URL.test(text)) {
    throw new AuthError('bad_input', 'The pasted address has no sign-in answer in it (no ?code=...).', {
      detail: 'code',
    });
  }
  return { code: checkCode(text) };
}
