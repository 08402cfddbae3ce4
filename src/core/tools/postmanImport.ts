/**
 * Reading credentials out of a Postman environment export, the file many PandaDoc users already
 * keep their client id, secret and refresh token (or API key) in. Only what a profile can hold is
 * taken; every value passes the same validation as one typed by hand; and nothing this module
 * says (errors, the `found` list) ever contains a value: values are named by fingerprint only.
 */
import { AuthError } from '../base/errors';
import { MAX_PROFILE_NAME } from '../profiles/profileIndex';
import { fingerprint } from '../base/redact';
import { type CredentialField, normalizeCredential } from '../token/validation';
import { replaceControlChars } from '../base/text';

/** An environment export is a few kilobytes; anything this large is some other file, and is
 *  refused before JSON.parse spends time and memory on it. Measured in UTF-16 code units (the
 *  string's length), which is never less than what a UTF-8 file of 1 MiB decodes to. */
export const MAX_POSTMAN_FILE_LENGTH = 1024 * 1024;

/** `environmentName` is cut to this: a label, not a paragraph, in messages and dialogs. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 100;

/** Used when the export has no usable `name`. */
export const FALLBACK_ENVIRONMENT_NAME = 'Postman';

export type PostmanCredentials =
  | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'apiKey'; apiKey: string };

/** One credential-like variable of the environment, described without its value. */
export interface PostmanFinding {
  /** The variable name exactly as it is spelled in the file. */
  key: string;
  fingerprint: string;
  imported: boolean;
  /** Why it was not imported (or anything else worth saying about it). */
  note?: string;
}

export interface PostmanImport {
  environmentName: string;
  credentials: PostmanCredentials;
  found: PostmanFinding[];
}

/** The canonical variable names, as PandaDoc's documentation spells the form fields. */
type PostmanVariable = 'client_id' | 'client_secret' | 'refresh_token' | 'access_token' | 'api_key';

// Lower-cased, `_` and `-` removed: `client_id`, `clientId`, `Client-ID` and `CLIENTID` all match.
const VARIABLES: ReadonlyMap<string, PostmanVariable> = new Map([
  ['clientid', 'client_id'],
  ['clientsecret', 'client_secret'],
  ['refreshtoken', 'refresh_token'],
  ['accesstoken', 'access_token'],
  ['apikey', 'api_key'],
]);

const FIELDS: Record<PostmanVariable, CredentialField> = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  refresh_token: 'refreshToken',
  access_token: 'accessToken',
  api_key: 'apiKey',
};

const OAUTH_VARIABLES: readonly PostmanVariable[] = ['client_id', 'client_secret', 'refresh_token'];

const EXPORT_HINT = 'In Postman, open Environments, select the environment, then ... > Export, and import that file.';

const NOTES = {
  disabled: 'disabled in Postman (enabled: false), so ignored',
  empty: 'empty, so ignored',
  accessToken: 'not imported: its expiry is unknown, so a fresh access token is fetched on first use',
  oneKind: 'the OAuth credentials are imported; a profile holds one kind',
  incompleteOAuth: 'not imported: the OAuth credentials are incomplete, so the API key is imported',
  duplicate: 'not imported: the same variable appears earlier in the file with the same value',
  conflict: 'not imported: the same variable appears earlier in the file with another value',
} as const;

// A Postman variable reference. No credential contains `{{`, so any value holding one is a
// template the user forgot to fill in, not the credential itself.
const PLACEHOLDER = /\{\{[^{}]*\}\}/;
// Bidirectional overrides and isolates: invisible, and able to make a name read as another one.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function badInput(message: string, key?: PostmanVariable): never {
  throw new AuthError('bad_input', message, key === undefined ? {} : { detail: key });
}

/** "a list", "an object", "null", ...: what a JSON value is, for a message (never the value). */
function describeType(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Where JSON.parse stopped, as ": it ends too early..." or " (line L, column C)", or '' when it
 * does not say. Only a number is taken from its message: V8's messages can quote the text
 * around the error, which may be a secret.
 */
function syntaxErrorWhere(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const match = /at position (\d+)/.exec(message);
  const position = match ? Number(match[1]) : undefined;
  // "Unexpected end of JSON input", or a string left open at the very end: a cut-off file.
  if (/end of JSON input/.test(message) || (position !== undefined && position >= text.trimEnd().length)) {
    return ': it ends too early, as if cut off';
  }
  if (position === undefined) {
    return '';
  }
  const lines = text.slice(0, position).split('\n');
  return ` (line ${lines.length}, column ${lines[lines.length - 1].length + 1})`;
}

function parseJson(text: string): unknown {
  if (text.length > MAX_POSTMAN_FILE_LENGTH) {
    badInput(
      `The file is too large for a Postman environment (${text.length} characters; at most ${MAX_POSTMAN_FILE_LENGTH} are read). ${EXPORT_HINT}`,
    );
  }
  // A byte order mark, as some Windows editors write: JSON.parse refuses it, and it is not content.
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.trim() === '') {
    badInput(`The file is empty. ${EXPORT_HINT}`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    return badInput(
      `The file is not valid JSON${syntaxErrorWhere(error, body)}. Export the environment again rather than editing it by hand. ${EXPORT_HINT}`,
    );
  }
}

/** Refuses what is clearly some other Postman export, with the way to the right one. */
function checkIsEnvironment(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    badInput(
      `The file holds ${describeType(value)} (JSON), not a Postman environment (an object with "name" and "values"). ${EXPORT_HINT}`,
    );
  }
  const record = value as Record<string, unknown>;
  const info = record.info as Record<string, unknown> | undefined;
  const isCollection =
    ('info' in record && 'item' in record) ||
    (typeof info?.schema === 'string' && info.schema.includes('/collection/'));
  if (isCollection) {
    badInput(
      `This is a Postman collection, not an environment: the credentials live in an environment. ${EXPORT_HINT}`,
    );
  }
  const scope = record._postman_variable_scope;
  if (scope === 'globals' || scope === 'global') {
    badInput(
      `This is a Postman globals export, not an environment. Put the credentials in an environment and export that. ${EXPORT_HINT}`,
    );
  }
  if (scope !== undefined && scope !== 'environment') {
    // The scope is shown only when it is a plain word: it comes from the file.
    const shown = typeof scope === 'string' && /^[A-Za-z]{1,20}$/.test(scope) ? ` ("${scope}")` : '';
    badInput(`This Postman export is not an environment${shown}. ${EXPORT_HINT}`);
  }
  return record;
}

interface Candidate {
  /** Position in `values`, for the order of `found`. */
  index: number;
  key: string;
  variable: PostmanVariable;
  value: unknown;
  enabled: boolean;
}

/** The credential-like entries of `values`, after checking the shape of every entry. */
function readCandidates(record: Record<string, unknown>): Candidate[] {
  const { values } = record;
  if (values === undefined) {
    badInput(`The file has no "values" list, so it is not a Postman environment export. ${EXPORT_HINT}`);
  }
  if (!Array.isArray(values)) {
    badInput(
      `"values" is ${describeType(values)}, not a list of variables, so this is not a Postman environment export. ${EXPORT_HINT}`,
    );
  }
  const candidates: Candidate[] = [];
  values.forEach((entry: unknown, index) => {
    // Entries are named by position: a key we do not recognise may be anything, so it is not shown.
    const position = `Entry ${index + 1} of "values"`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      badInput(`${position} is ${describeType(entry)}, not a variable { key, value, enabled }. ${EXPORT_HINT}`);
    }
    const { key, value, enabled } = entry as Record<string, unknown>;
    if (typeof key !== 'string') {
      badInput(`${position} has no "key" (a variable name as text). ${EXPORT_HINT}`);
    }
    // Not trimmed: Postman references `{{ client_id}}` and `{{client_id}}` as different variables.
    const variable = VARIABLES.get(key.toLowerCase().replace(/[_-]/g, ''));
    if (variable === undefined) {
      return; // base_url and the like: not ours to read.
    }
    // A recognised key is made only of letters, `_` and `-`, so it is safe to show from here on.
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      badInput(`The Postman variable "${key}" has "enabled" set to ${describeType(enabled)}; it must be true or false.`, variable);
    }
    // Postman writes `enabled` on every entry; a hand-written file that leaves it out means "on".
    candidates.push({ index, key, variable, value, enabled: enabled !== false });
  });
  return candidates;
}

function sameText(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.trim() === b.trim();
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The fingerprint of a value we do not import: of its trimmed text, or nothing for non-text. */
function looseFingerprint(value: unknown): string {
  return typeof value === 'string' ? fingerprint(value.trim()) : fingerprint('');
}

/** The value of one variable, validated as if typed by hand; errors name the key, never the value. */
function importValue(candidate: Candidate): string {
  const { key, variable, value } = candidate;
  if (typeof value === 'string' && PLACEHOLDER.test(value)) {
    badInput(
      `The Postman variable "${key}" holds a reference to another variable ({{...}}), not a credential. Put the ${variable} itself in the environment, or enter it with Set OAuth Credentials / Set API Key.`,
      variable,
    );
  }
  try {
    return normalizeCredential(value, FIELDS[variable]);
  } catch (error) {
    if (error instanceof AuthError) {
      // validation.ts messages name the field ("The client secret ...") and never the value.
      badInput(`The Postman variable "${key}" cannot be imported: ${error.message}`, variable);
    }
    throw error;
  }
}

/**
 * The name to show for the environment, cleaned for display like a profile name (it goes into
 * messages and dialogs) and at most 100 characters. A missing, non-text or blank `name` falls
 * back to 'Postman' rather than refusing the file: the name only labels a profile, and refusing
 * good credentials over a label would help nobody (the user can rename the profile).
 */
function environmentNameOf(record: Record<string, unknown>): string {
  const { name } = record;
  const cleaned = typeof name === 'string' ? cut(cleanName(name), MAX_ENVIRONMENT_NAME_LENGTH) : '';
  return cleaned === '' ? FALLBACK_ENVIRONMENT_NAME : cleaned;
}

/** Control and bidi characters become spaces, runs of white space one space, trimmed. */
function cleanName(name: string): string {
  return replaceControlChars(name, ' ').replace(BIDI_CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Reads a Postman environment export (`*.postman_environment.json`). Returns OAuth credentials
 * when client_id, client_secret and refresh_token are all set, else an API key when api_key is
 * set; throws AuthError('bad_input') with what is wrong and what to do otherwise.
 */
export function parsePostmanEnvironment(text: string): PostmanImport {
  const record = checkIsEnvironment(parseJson(text));
  const candidates = readCandidates(record);

  // The first enabled, non-empty entry of each variable is the one used. A later entry with
  // another value is a conflict: we cannot know which of the two Postman sends, so it is refused
  // if that variable is imported, and only noted if it is not.
  const chosen = new Map<PostmanVariable, Candidate>();
  const conflicts = new Map<PostmanVariable, Candidate>();
  const notes = new Map<Candidate, string>();
  for (const candidate of candidates) {
    const earlier = chosen.get(candidate.variable);
    if (!candidate.enabled) {
      notes.set(candidate, NOTES.disabled);
    } else if (isBlank(candidate.value)) {
      notes.set(candidate, NOTES.empty);
    } else if (earlier === undefined) {
      chosen.set(candidate.variable, candidate);
    } else if (sameText(earlier.value, candidate.value)) {
      notes.set(candidate, NOTES.duplicate);
    } else {
      notes.set(candidate, NOTES.conflict);
      conflicts.set(candidate.variable, conflicts.get(candidate.variable) ?? candidate);
    }
  }

  const hasOAuth = OAUTH_VARIABLES.every((variable) => chosen.has(variable));
  const importing: readonly PostmanVariable[] = hasOAuth ? OAUTH_VARIABLES : chosen.has('api_key') ? ['api_key'] : [];
  if (importing.length === 0) {
    badInput(missingMessage(candidates, chosen));
  }
  for (const variable of importing) {
    const later = conflicts.get(variable);
    if (later !== undefined) {
      const earlier = chosen.get(variable) as Candidate;
      badInput(
        `The environment sets ${variable} twice ("${earlier.key}" and "${later.key}") with different values. Keep one in Postman, export again, and import that file.`,
        variable,
      );
    }
  }

  const imported = new Map<Candidate, string>();
  for (const variable of importing) {
    const candidate = chosen.get(variable) as Candidate;
    imported.set(candidate, importValue(candidate));
  }
  for (const candidate of chosen.values()) {
    if (imported.has(candidate)) {
      continue;
    }
    if (candidate.variable === 'access_token') {
      notes.set(candidate, NOTES.accessToken);
    } else if (candidate.variable === 'api_key') {
      notes.set(candidate, NOTES.oneKind);
    } else {
      notes.set(candidate, NOTES.incompleteOAuth);
    }
  }
  // access_token is never imported, even when chosen: its expiry is unknown. Disabled or empty
  // ones keep the note that says why they were skipped.

  const found: PostmanFinding[] = candidates.map((candidate) => {
    const value = imported.get(candidate);
    if (value !== undefined) {
      return { key: candidate.key, fingerprint: fingerprint(value), imported: true };
    }
    return {
      key: candidate.key,
      fingerprint: looseFingerprint(candidate.value),
      imported: false,
      note: notes.get(candidate),
    };
  });

  const value = (variable: PostmanVariable) => imported.get(chosen.get(variable) as Candidate) as string;
  const credentials: PostmanCredentials = hasOAuth
    ? { kind: 'oauth', clientId: value('client_id'), clientSecret: value('client_secret'), refreshToken: value('refresh_token') }
    : { kind: 'apiKey', apiKey: value('api_key') };
  return { environmentName: environmentNameOf(record), credentials, found };
}

/** "needs ...; found: ..." with the disabled and empty ones called out, since those are the
 *  usual reason: Postman exports a variable it shares with an empty value. */
function missingMessage(candidates: readonly Candidate[], chosen: ReadonlyMap<PostmanVariable, Candidate>): string {
  const usable = [...chosen.values()].map((candidate) => candidate.key);
  const skipped = candidates
    .filter((candidate) => !chosen.has(candidate.variable) && (!candidate.enabled || isBlank(candidate.value)))
    .map((candidate) => `${candidate.key} is ${candidate.enabled ? 'empty' : 'disabled'}`);
  const found = usable.length > 0 ? usable.join(', ') : 'none of them';
  const why = skipped.length > 0 ? ` (${skipped.join('; ')})` : '';
  return `This Postman environment has no complete credentials: it needs client_id, client_secret and refresh_token, or api_key; found: ${found}${why}. Fill them in in Postman and export again, or enter them with Set OAuth Credentials / Set API Key.`;
}

/**
 * A profile name for an imported environment: its name cleaned for display (control and bidi
 * characters become spaces, runs of spaces collapse, trimmed), at most 40 characters (UTF-16
 * units, the string's length), made
 * unique case-insensitively among `existing` with " (2)", " (3)", ... The suffix is counted in
 * the 40, so the suggestion always fits wherever a profile name must.
 */
export function suggestProfileName(environmentName: string, existing: readonly string[]): string {
  const cleaned = cleanName(environmentName);
  const base = cleaned === '' ? FALLBACK_ENVIRONMENT_NAME : cleaned;
  const taken = new Set(existing.map((name) => name.trim().toLowerCase()));
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const candidate = `${cut(base, MAX_PROFILE_NAME - suffix.length)}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) {
      return candidate;
    }
  }
}

/** At most `max` UTF-16 units of `text` (its `length`, as any other check of the name counts),
 *  never splitting a surrogate pair, without trailing spaces. */
function cut(text: string, max: number): string {
  let result = '';
  for (const char of text) {
    if (result.length + char.length > max) {
      break;
    }
    result += char;
  }
  return result.trimEnd();
}
