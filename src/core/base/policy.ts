/**
 * Every tunable number of the token lifecycle, in one place, each with the reason for its value.
 * Settings the user can change (timeout, refresh margin) have their defaults here too.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TIME = { SECOND, MINUTE, HOUR, DAY } as const;

/** Longest value accepted for any credential. PandaDoc's are 40 characters; 4 KiB leaves room
 *  for any future format while refusing a whole pasted file or log. */
export const MAX_SECRET_LENGTH = 4096;

/** One request plus two retries: enough to ride out a blip without keeping the user waiting. */
export const MAX_ATTEMPTS = 3;
/** Exponential backoff between attempts: 1 s, then 2 s. */
export const BACKOFF_BASE_MS = 1 * SECOND;
export const BACKOFF_MAX_MS = 8 * SECOND;
/** A 429 whose Retry-After asks for longer than this is not retried: the user is told when to
 *  try again instead of watching a spinner. */
export const RETRY_AFTER_CAP_MS = 30 * SECOND;

/** Default per-request timeout (`pandadoc.requestTimeoutSeconds`). The token endpoint answers in
 *  well under a second; 20 s covers slow proxies without hanging a command for minutes. */
export const DEFAULT_TIMEOUT_MS = 20 * SECOND;
/** Default refresh margin (`pandadoc.refreshMarginMinutes`): a token handed out is good for at
 *  least this long, so a caller never receives one that dies mid-request. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * MINUTE;

/** Once headers have arrived, a body that receives nothing for this long is treated as a dropped
 *  connection. node-fetch 2 never notices a connection closed before Content-Length bytes came,
 *  and a token response is a few hundred bytes sent at once, so a gap this long means it is gone. */
export const BODY_STALL_MS = 3 * SECOND;

/** A token response is a few hundred bytes; anything far larger is not PandaDoc talking. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** When a 200 omits `expires_in` or gives nonsense, the token is kept (it may carry a rotated
 *  refresh token we cannot afford to drop) and assumed to live this long, so it is refreshed
 *  early rather than used past its real end. */
export const ASSUMED_LIFETIME_MS = 1 * HOUR;
/** Upper bound on a server-given lifetime, so a huge `expires_in` cannot overflow a Date. */
export const MAX_LIFETIME_MS = 10 * 365 * DAY;

/** Default for `pandadoc.clipboardClearSeconds`: a minute is time enough to paste a copied token
 *  into a terminal or an HTTP client, and short enough that a token valid for a year does not sit
 *  on the clipboard to be pasted into a chat or shown in a screen share by accident. */
export const DEFAULT_CLIPBOARD_CLEAR_MS = 1 * MINUTE;
/** Longest accepted clear delay: past an hour, the clear no longer protects anything. */
export const MAX_CLIPBOARD_CLEAR_MS = 1 * HOUR;

/** The status bar turns to its warning colour this long before expiry. */
export const EXPIRY_WARNING_MS = 1 * DAY;
/** The status bar re-renders at least this often, whatever it shows, so a clock jump or a
 *  sleeping machine is caught up without a per-second timer. */
export const STATUS_MAX_SLEEP_MS = 1 * HOUR;

/** How many distinct secrets the log redactor remembers (current and recently rotated ones); the
 *  least recently seen is forgotten first. */
export const REDACTOR_CAPACITY = 64;

/** How long the browser sign-in waits for the redirect or a pasted code: long enough to log in
 *  (and to pass a second factor), short enough that a forgotten tab does not keep a port open. */
export const SIGN_IN_LIMIT_MS = 5 * MINUTE;

/** Bytes of random `state` per sign-in (base64url-encoded): unguessable by another page. */
export const STATE_BYTES = 32;

/** The token new terminals get (core/routes/terminalCredentials.ts) is renewed this long before
 *  it would enter the refresh margin: time for a few tries (1, 2 and 4 minutes apart) while the
 *  token in the terminals still holds the whole margin, as every token handed out must. */
export const TERMINAL_RENEW_LEAD_MS = 10 * MINUTE;
/** After a renewal that failed, the next try waits this long, doubling up to the maximum: a
 *  network that is down is not asked every few seconds by every window. */
export const TERMINAL_RETRY_BASE_MS = 1 * MINUTE;
export const TERMINAL_RETRY_MAX_MS = 15 * MINUTE;
/** The renewal timer never sleeps longer: a timer of more than 24.8 days fires at once in Node,
 *  and a machine that slept or a clock that jumped is caught up within the hour. */
export const TERMINAL_MAX_SLEEP_MS = 1 * HOUR;
