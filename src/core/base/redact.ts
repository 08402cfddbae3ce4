/**
 * Keeping secrets out of the log. Three layers: log lines name secrets only by fingerprint;
 * response bodies, the one text from outside that reaches the log, are masked field by field and
 * have every long token-like run masked; and every line passes a scrubber that replaces any known
 * secret, in any of its written forms, that slipped through.
 *
 * The token-like rule is for response bodies only, not every line: the lines the extension writes
 * hold URLs (`api.pandadoc.com/oauth2/access_token` is one long run), client IDs and account ids
 * that must stay readable, and any secret in them is one this window has seen, so the scrubber
 * knows it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from './logger';
import { REDACTOR_CAPACITY } from './policy';

/** Secrets shorter than this show none of their own characters. */
const MIN_LENGTH_FOR_TAIL = 20;
const TAIL_LENGTH = 4;
/** Hex digits of a short secret's digest: enough to tell two values apart in a log, too few to
 *  confirm a guess of a long one (a long one shows its tail, which says more). */
const DIGEST_LENGTH = 4;

/**
 * A short, stable name for a secret: `…` and its last four characters; for a short one, whose
 * tail would give too much of it away, `sha256:` and the start of its digest instead, so every
 * fingerprint reads as one (a bare `…` looked broken).
 */
export function fingerprint(secret: string): string {
  if (secret.length >= MIN_LENGTH_FOR_TAIL) {
    return `…${secret.slice(-TAIL_LENGTH)}`;
  }
  return secret === '' ? 'empty' : `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, DIGEST_LENGTH)}`;
}

/** What the scrubber puts in a secret's place: its tail, or a bare `…`, which no credential
 *  contains, so the mask can never re-form the secret it replaces (a digest could). */
function scrubMask(secret: string): string {
  return secret.length >= MIN_LENGTH_FOR_TAIL ? fingerprint(secret) : '…';
}

// Field names whose values are secrets in any OAuth or PandaDoc body (but not `token_type`).
const SECRET_FIELD = /token(?!_type)|secret|password|api[-_]?key|^code$|assertion/i;
// Runs this long of token alphabet are masked even when no field name gives them away: a proxy's
// error page can echo a request back. A `%XX` escape counts as one character of the run, so a
// form-encoded secret (`ab%2Bcd%2F...`) is one run too. Shorter runs (words, ids, dates) stay
// readable.
const TOKEN_LIKE_RUN = /(?:[A-Za-z0-9_\-.~+/=]|%[0-9A-Fa-f]{2}){24,}/g;
const MAX_TEXT_PREVIEW = 160;

/** `%2b` for `%2B`: percent-encoders differ in the case of their hex digits. */
const lowerHex = (encoded: string): string => encoded.replace(/%[0-9A-F]{2}/g, (triple) => triple.toLowerCase());
/** The inside of a JSON string holding `value`: `"` and `\` escaped, controls as `\n`, `\u0001`. */
const jsonEscaped = (value: string): string => JSON.stringify(value).slice(1, -1);

/**
 * Every way `secret` is written where a log line can meet it, longest first (a longer form is
 * masked before a shorter one inside it can break it): as it is; percent-encoded in a URL
 * (encodeURIComponent) or a form body (URLSearchParams, as the token request is sent, with `+`
 * for a space), in upper- or lower-case hex, as a proxy's page may echo the request; escaped in a
 * JSON string, once or twice (JSON re-stringified inside JSON). A base64 secret's `+ / =` and a
 * secret with `"` or `\` would otherwise survive as `%2B...%2F` or `\"`.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, jsonEscaped(secret), jsonEscaped(jsonEscaped(secret))]);
  const formEncoded = new URLSearchParams({ v: secret }).toString().slice('v='.length);
  forms.add(formEncoded).add(lowerHex(formEncoded));
  try {
    const uriEncoded = encodeURIComponent(secret);
    forms.add(uriEncoded).add(lowerHex(uriEncoded));
  } catch {
    // A lone surrogate has no UTF-8, so no URI form: URLSearchParams writes it as U+FFFD.
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every known secret, in each of its written forms, in a line of text. */
export class Redactor {
  // Each secret with its written forms (computed once per secret, not once per line), least
  // recently seen first: a Map keeps insertion order, so seeing a value again moves it to the end.
  private readonly forms = new Map<string, string[]>();

  /** Least recently seen goes first when full. A secret still in use is registered again at
   *  every read and refresh, so it stays however many rotated values pass through meanwhile. */
  remember(values: Iterable<string>): void {
    for (const value of values) {
      if (value.length === 0) {
        continue;
      }
      const known = this.forms.get(value);
      this.forms.delete(value);
      this.forms.set(value, known ?? secretForms(value));
      if (this.forms.size > REDACTOR_CAPACITY) {
        this.forms.delete(this.forms.keys().next().value as string);
      }
    }
  }

  scrub(text: string): string {
    let result = text;
    for (const [secret, forms] of this.forms) {
      // Every form is masked by the secret's own mask: a form's tail (`%3D`) says nothing.
      const mask = scrubMask(secret);
      for (const form of forms) {
        // Repeated because a fingerprint's tail can complete an overlapping occurrence (a secret
        // that ends as it starts, written twice overlapping). A mask is shorter than any form of
        // its secret, or for a short secret a bare `…` that cannot hold it, so this ends.
        while (result.includes(form) && !mask.includes(form)) {
          result = result.split(form).join(mask);
        }
      }
    }
    return result;
  }
}

function maskValues(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    return SECRET_FIELD.test(key) ? fingerprint(value) : value.replace(TOKEN_LIKE_RUN, fingerprint);
  }
  if (Array.isArray(value)) {
    return value.map((item) => maskValues(item, key));
  }
  if (value !== null && typeof value === 'object') {
    // Everything under a secret field is secret too: `{"access_token": {"value": "..."}}`.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValues(v, SECRET_FIELD.test(key) ? key : k)]));
  }
  return value;
}

/**
 * A response body fit for the log: JSON with every secret field replaced by its fingerprint, or
 * for anything else (a proxy's HTML page) its size and a short, masked preview.
 */
export function redactBody(body: string, contentType: string | null): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      return JSON.stringify(maskValues(parsed));
    }
  } catch {
    // Not JSON: described below.
  }
  const preview = body.replace(/\s+/g, ' ').trim().replace(TOKEN_LIKE_RUN, fingerprint);
  const clipped = preview.length > MAX_TEXT_PREVIEW ? `${preview.slice(0, MAX_TEXT_PREVIEW)}…` : preview;
  return `${body.length} bytes of ${contentType ?? 'unknown type'}: ${JSON.stringify(clipped)}`;
}

/** A Logger that scrubs every line before it reaches the real one. */
export class RedactingLogger implements Logger {
  constructor(
    private readonly target: Logger,
    private readonly redactor: Redactor,
  ) {}

  trace(message: string): void {
    this.target.trace(this.redactor.scrub(message));
  }
  debug(message: string): void {
    this.target.debug(this.redactor.scrub(message));
  }
  info(message: string): void {
    this.target.info(this.redactor.scrub(message));
  }
  warn(message: string): void {
    this.target.warn(this.redactor.scrub(message));
  }
  error(message: string): void {
    this.target.error(this.redactor.scrub(message));
  }
}
