/**
 * The first half of a Postman import: the file itself. Checks that it is JSON, and a Postman
 * environment rather than a collection or globals, and reads the credential-like entries of its
 * `values`. Messages name entries by position or by a recognised key, never by a value.
 */
import { AuthError } from '../base/errors';

/** An environment export is a few kilobytes; anything this large is some other file, and is
 *  refused before JSON.parse spends time and memory on it. Measured in UTF-16 code units (the
 *  string's length), which is never less than what a UTF-8 file of 1 MiB decodes to. */
export const MAX_POSTMAN_FILE_LENGTH = 1024 * 1024;

/** The canonical variable names, as PandaDoc's documentation spells the form fields. */
export type PostmanVariable = 'client_id' | 'client_secret' | 'refresh_token' | 'access_token' | 'api_key';

// Lower-cased, `_` and `-` removed: `client_id`, `clientId`, `Client-ID` and `CLIENTID` all match.
const VARIABLES: ReadonlyMap<string, PostmanVariable> = new Map([
  ['clientid', 'client_id'],
  ['clientsecret', 'client_secret'],
  ['refreshtoken', 'refresh_token'],
  ['accesstoken', 'access_token'],
  ['apikey', 'api_key'],
]);

export const EXPORT_HINT = 'In Postman, open Environments, select the environment, then ... > Export, and import that file.';

/** Throws a `bad_input` error; `key` is the variable it is about, for the log's detail. */
export function badInput(message: string, key?: PostmanVariable): never {
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

/** The export as a JSON object that is a Postman environment, or a `bad_input` error saying why not. */
export function readEnvironment(text: string): Record<string, unknown> {
  return checkIsEnvironment(parseJson(text));
}

/** A credential-like entry of `values`, its value not yet checked. */
export interface PostmanCandidate {
  /** Position in `values`, for the order of `found`. */
  index: number;
  key: string;
  variable: PostmanVariable;
  value: unknown;
  enabled: boolean;
}

/** The credential-like entries of `values`, after checking the shape of every entry. */
export function readCandidates(record: Record<string, unknown>): PostmanCandidate[] {
  const { values } = record;
  if (values === undefined) {
    badInput(`The file has no "values" list, so it is not a Postman environment export. ${EXPORT_HINT}`);
  }
  if (!Array.isArray(values)) {
    badInput(
      `"values" is ${describeType(values)}, not a list of variables, so this is not a Postman environment export. ${EXPORT_HINT}`,
    );
  }
  const candidates: PostmanCandidate[] = [];
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
