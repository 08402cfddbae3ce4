/**
 * Which profiles exist and which one is active. One small secret value beside the profiles'
 * own: it holds no secret, but SecretStorage is shared by all windows and tells each of them
 * when it changes, so a switch in one window shows in every other.
 */
import { AuthError } from '../base/errors';
import { hasControlChars } from '../base/text';

export const PROFILES_KEY = 'pandadoc.profiles';
export const PROFILES_VERSION = 1;
/** The profile a fresh install starts with, and the one the 0.1 account migrates into. */
export const DEFAULT_PROFILE = 'Default';
/** Long enough for "Production (EU workspace)", short enough for the status bar. */
export const MAX_PROFILE_NAME = 40;

export interface ProfileIndex {
  active: string;
  /** In the order they were created; never empty, always contains `active`. */
  names: string[];
}

/** What an install with nothing stored has. */
export function defaultIndex(): ProfileIndex {
  return { active: DEFAULT_PROFILE, names: [DEFAULT_PROFILE] };
}

export function serializeIndex(index: ProfileIndex): string {
  return JSON.stringify({ version: PROFILES_VERSION, active: index.active, names: index.names });
}

/** Reads the stored index; anything unreadable counts as absent, since it holds no secret and
 *  the profiles' own values are untouched by reading it wrong. */
export function parseIndex(text: string | undefined): ProfileIndex | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { version?: unknown; active?: unknown; names?: unknown };
    const names = Array.isArray(value.names) ? value.names.filter((name): name is string => typeof name === 'string') : [];
    if (value.version !== PROFILES_VERSION || names.length === 0) {
      return undefined;
    }
    const active = typeof value.active === 'string' ? findName(names, value.active) : undefined;
    return { active: active ?? names[0], names };
  } catch {
    return undefined;
  }
}

/** Names are matched without regard to case, so "sandbox" finds "Sandbox". */
export function findName(names: readonly string[], wanted: string): string | undefined {
  const key = wanted.trim().toLowerCase();
  return names.find((name) => name.toLowerCase() === key);
}

/** The stored name `wanted` refers to (in any case), or a `bad_input` error. */
export function existingName(index: { readonly names: readonly string[] }, wanted: string): string {
  const found = findName(index.names, wanted);
  if (found === undefined) {
    throw new AuthError('bad_input', `There is no PandaDoc profile named "${wanted}".`);
  }
  return found;
}

/** Back to the one empty `Default` profile; undefined when that is what there already is. */
export function resetIndex(index: ProfileIndex): ProfileIndex | undefined {
  return index.names.length === 1 && index.names[0] === DEFAULT_PROFILE ? undefined : defaultIndex();
}

/** A profile name as typed, trimmed; or a `bad_input` error that says what to change. */
export function checkProfileName(raw: unknown, existing: readonly string[]): string {
  const problem = profileNameProblem(raw, existing);
  if (problem) {
    throw new AuthError('bad_input', problem);
  }
  return (raw as string).trim();
}

/** For an input box's live validation: the problem with a name, or undefined. */
export function profileNameProblem(raw: unknown, existing: readonly string[]): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return 'A profile needs a name, e.g. "Production" or "Sandbox".';
  }
  const name = raw.trim();
  if (name.length > MAX_PROFILE_NAME) {
    return `A profile name is at most ${MAX_PROFILE_NAME} characters.`;
  }
  if (hasControlChars(name)) {
    return 'A profile name cannot contain control characters.';
  }
  if (findName(existing, name) !== undefined) {
    return `A profile named "${findName(existing, name) ?? name}" already exists.`;
  }
  return undefined;
}
