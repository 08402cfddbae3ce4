/**
 * Names out of a Postman export: the environment's, cleaned to show in messages and dialogs, and
 * the profile name suggested for it. Both come from the file, so control and bidi characters are
 * taken out before either is shown.
 */
import { MAX_PROFILE_NAME } from '../profiles/profileIndex';
import { replaceControlChars } from '../base/text';

/** `environmentName` is cut to this: a label, not a paragraph, in messages and dialogs. */
export const MAX_ENVIRONMENT_NAME_LENGTH = 100;

/** Used when the export has no usable `name`. */
export const FALLBACK_ENVIRONMENT_NAME = 'Postman';

// Bidirectional overrides and isolates: invisible, and able to make a name read as another one.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name to show for the environment, cleaned for display like a profile name (it goes into
 * messages and dialogs) and at most 100 characters. A missing, non-text or blank `name` falls
 * back to 'Postman' rather than refusing the file: the name only labels a profile, and refusing
 * good credentials over a label would help nobody (the user can rename the profile).
 */
export function environmentNameOf(record: Record<string, unknown>): string {
  const { name } = record;
  const cleaned = typeof name === 'string' ? cut(cleanName(name), MAX_ENVIRONMENT_NAME_LENGTH) : '';
  return cleaned === '' ? FALLBACK_ENVIRONMENT_NAME : cleaned;
}

/** Control and bidi characters become spaces, runs of white space one space, trimmed. */
function cleanName(name: string): string {
  return replaceControlChars(name, ' ').replace(BIDI_CONTROLS, ' ').replace(/\s+/g, ' ').trim();
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
