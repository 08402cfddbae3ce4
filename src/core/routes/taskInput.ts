/**
 * The argument of `pandadoc.taskCredential`, the command made for an `inputs` entry of type
 * `command` in tasks.json and launch.json (`"args"` there), read into one request:
 *
 * - nothing: the `Authorization` header value of the active profile;
 * - `"authorization"`, `"token"` or `"baseUrl"`: that value of the active profile;
 * - `{ "value": <one of those>, "profile": "<name>" }`: of a named profile (both keys optional).
 *
 * The argument is the repository's text, so a bad one is named by its key, never echoed.
 */
import { AuthError } from '../base/errors';
import { hasControlChars } from '../base/text';

/** `authorization`: `Bearer <token>` or `API-Key <key>`; `token`: the OAuth access token;
 *  `baseUrl`: the profile's API base URL (no secret). */
export type TaskValue = 'authorization' | 'token' | 'baseUrl';
export const TASK_VALUES: readonly TaskValue[] = ['authorization', 'token', 'baseUrl'];
export const DEFAULT_TASK_VALUE: TaskValue = 'authorization';

export interface TaskInputRequest {
  readonly value: TaskValue;
  /** The profile asked for by name; the active one when absent. */
  readonly profile?: string;
}

const KEYS = ['value', 'profile'];
/** Keys a task or launch configuration has: seen when the command is used as `${command:...}`,
 *  where VS Code passes the whole configuration instead of an input's `args`. */
const CONFIGURATION_KEYS = ['type', 'request', 'label', 'command', 'name', 'program'];

export const TASK_INPUT_SHAPE =
  'Give the input\'s "args" as "authorization" (the default), "token" or "baseUrl", or as { "value": "token", "profile": "Sandbox" }.';

function badInput(problem: string): AuthError {
  return new AuthError('bad_input', `${problem} ${TASK_INPUT_SHAPE}`);
}

function readValue(raw: unknown, where: string): TaskValue {
  if (typeof raw === 'string' && (TASK_VALUES as readonly string[]).includes(raw)) {
    return raw as TaskValue;
  }
  throw badInput(`${where} is not one of "authorization", "token" or "baseUrl".`);
}

/** A key worth naming in a message: short and plain. Anything else is "a key". */
function nameOf(key: string): string {
  return /^[\w.-]{1,32}$/.test(key) ? `"${key}"` : 'a key';
}

/** The request an input's `args` makes; rejects with `bad_input` naming what is wrong. */
export function parseTaskInput(raw: unknown): TaskInputRequest {
  if (raw === undefined || raw === null) {
    return { value: DEFAULT_TASK_VALUE };
  }
  if (typeof raw === 'string') {
    return { value: readValue(raw, 'The argument') };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw badInput('The argument is neither a string nor an object.');
  }
  const entries = raw as Record<string, unknown>;
  const keys = Object.keys(entries);
  if (keys.some((key) => CONFIGURATION_KEYS.includes(key))) {
    throw badInput(
      'It was given a whole task or launch configuration: use it through an input, as "${input:<id>}" with an "inputs" entry of type "command".',
    );
  }
  const unknown = keys.filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    throw badInput(`The argument has ${unknown.map(nameOf).join(', ')}, which it does not take.`);
  }
  const value = entries.value === undefined ? DEFAULT_TASK_VALUE : readValue(entries.value, 'Its "value"');
  if (entries.profile === undefined) {
    return { value };
  }
  if (typeof entries.profile !== 'string' || entries.profile.trim() === '' || hasControlChars(entries.profile)) {
    throw badInput('Its "profile" is not a profile name.');
  }
  return { value, profile: entries.profile.trim() };
}

/** Whether the value asked for is a secret, which only a workspace allowed to may have. */
export function isSecretValue(value: TaskValue): boolean {
  return value !== 'baseUrl';
}

/** What the value is, for the consent question and the log: never the value itself. */
export function describeTaskValue(value: TaskValue, kind: 'oauth' | 'apiKey'): string {
  switch (value) {
    case 'authorization':
      return kind === 'apiKey' ? 'the Authorization header (API-Key and the API key)' : 'the Authorization header (Bearer and the access token)';
    case 'token':
      return 'the OAuth access token';
    case 'baseUrl':
      return 'the API base URL';
  }
}
