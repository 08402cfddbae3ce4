/**
 * The settings the token lifecycle reads, and the rules that keep them safe. The VS Code adapter
 * reads the raw values; everything that decides whether a value is acceptable is here.
 */
import { AuthError } from './errors';
import {
  DEFAULT_CLIPBOARD_CLEAR_MS,
  DEFAULT_REFRESH_MARGIN_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_CLIPBOARD_CLEAR_MS,
  TIME,
} from './policy';

export const DEFAULT_API_BASE_URL = 'https://api.pandadoc.com';
export const DEFAULT_AUTH_BASE_URL = 'https://app.pandadoc.com';
/** The redirect URI users register in their PandaDoc application. A fixed loopback port below
 *  the ephemeral ranges of Linux (32768+) and Windows (49152+), so the OS rarely hands it out. */
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:27845/callback';
export const DEFAULT_SCOPE = 'read+write';
/** PandaDoc's developer-docs MCP server (core/routes/mcpServers.ts). */
export const DEFAULT_MCP_SERVER_URL = 'https://developers.pandadoc.com/mcp';

export interface Settings {
  /** Raw `pandadoc.apiBaseUrl`; checked by `checkApiBaseUrl` before every request. */
  apiBaseUrl: string;
  /** Raw `pandadoc.authBaseUrl`, where the browser sign-in page is; checked like apiBaseUrl. */
  authBaseUrl: string;
  /** Raw `pandadoc.redirectUri`, sent with the sign-in and the code exchange. */
  redirectUri: string;
  scope: string;
  timeoutMs: number;
  refreshMarginMs: number;
  /** `pandadoc.clipboardClearSeconds` in ms: how long a copied token may stay on the clipboard;
   *  0 leaves it there. */
  clipboardClearMs: number;
}

export const DEFAULT_SETTINGS: Settings = {
  apiBaseUrl: DEFAULT_API_BASE_URL,
  authBaseUrl: DEFAULT_AUTH_BASE_URL,
  redirectUri: DEFAULT_REDIRECT_URI,
  scope: DEFAULT_SCOPE,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  refreshMarginMs: DEFAULT_REFRESH_MARGIN_MS,
  clipboardClearMs: DEFAULT_CLIPBOARD_CLEAR_MS,
};

// `localhost` stays accepted for the configurations that use it, but 127.0.0.1 is what defaults,
// messages and documentation name: `localhost` is trusted by name, and a name can resolve to
// [::1] first, where a program other than the one meant can listen on the same port (RFC 8252
// section 8.3 recommends the loopback IP literal for the same reason).
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * A base URL secrets may be sent to (`pandadoc.apiBaseUrl`, `pandadoc.authBaseUrl`,
 * `pandadoc.mcpServerUrl`), without a
 * trailing slash. Refused, before any request: anything but https (plain http only to this
 * machine, for local test servers), embedded credentials, a query or fragment.
 */
export function checkBaseUrl(raw: string, setting: 'apiBaseUrl' | 'authBaseUrl' | 'mcpServerUrl', subject = `pandadoc.${setting}`): string {
  // `subject` names what the person typed or gave: the setting, or "This address" in a box that
  // asks for one (a message about a setting the person never touched would mislead).
  const badUrl = (reason: string): never => {
    throw new AuthError('bad_config', `${subject} ${reason}.`, { detail: setting });
  };
  const example = { apiBaseUrl: DEFAULT_API_BASE_URL, authBaseUrl: DEFAULT_AUTH_BASE_URL, mcpServerUrl: DEFAULT_MCP_SERVER_URL }[setting];
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return badUrl(`is not a valid URL (expected e.g. ${example})`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    badUrl(`uses plain http to ${url.hostname}; only https is allowed, except to this machine (use 127.0.0.1)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    badUrl(`must start with https:// (got ${url.protocol})`);
  }
  if (url.username || url.password) {
    badUrl('must not contain a user name or password');
  }
  if (url.search || url.hash) {
    badUrl('must not contain a query or fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where token requests go: `checkBaseUrl` for `pandadoc.apiBaseUrl`. */
export function checkApiBaseUrl(raw: string): string {
  return checkBaseUrl(raw, 'apiBaseUrl');
}

/** OAuth scope: space- or plus-separated words, as PandaDoc accepts both. */
export function checkScope(raw: string): string {
  const scope = raw.trim();
  if (!/^[A-Za-z0-9_:.+\- ]{1,200}$/.test(scope)) {
    throw new AuthError('bad_config', 'pandadoc.scope must be words like "read+write" or "read".', {
      detail: 'scope',
    });
  }
  return scope;
}

/** Clamps a number setting into its range, falling back to the default for junk. */
export function clampSetting(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Builds Settings from the raw values of the `pandadoc.*` configuration. */
export function settingsFrom(raw: {
  apiBaseUrl?: unknown;
  authBaseUrl?: unknown;
  redirectUri?: unknown;
  scope?: unknown;
  requestTimeoutSeconds?: unknown;
  refreshMarginMinutes?: unknown;
  clipboardClearSeconds?: unknown;
}): Settings {
  return {
    apiBaseUrl: typeof raw.apiBaseUrl === 'string' ? raw.apiBaseUrl : DEFAULT_API_BASE_URL,
    authBaseUrl: typeof raw.authBaseUrl === 'string' ? raw.authBaseUrl : DEFAULT_AUTH_BASE_URL,
    redirectUri: typeof raw.redirectUri === 'string' ? raw.redirectUri : DEFAULT_REDIRECT_URI,
    scope: typeof raw.scope === 'string' ? raw.scope : DEFAULT_SCOPE,
    timeoutMs:
      clampSetting(raw.requestTimeoutSeconds, 1, 300, DEFAULT_TIMEOUT_MS / TIME.SECOND) * TIME.SECOND,
    refreshMarginMs:
      clampSetting(raw.refreshMarginMinutes, 0, 24 * 60, DEFAULT_REFRESH_MARGIN_MS / TIME.MINUTE) * TIME.MINUTE,
    clipboardClearMs:
      clampSetting(
        raw.clipboardClearSeconds,
        0,
        MAX_CLIPBOARD_CLEAR_MS / TIME.SECOND,
        DEFAULT_CLIPBOARD_CLEAR_MS / TIME.SECOND,
      ) * TIME.SECOND,
  };
}
