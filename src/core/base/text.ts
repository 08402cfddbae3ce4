/**
 * The one rule for characters that must not appear in a credential, a name or a value shown to
 * the user: C0 and C1 controls, DEL, and U+2028/U+2029, which end a line in JavaScript and in
 * many editors, so a log line or a message holding one could be made to read as two. Beside it,
 * the format-character rule for credentials (invisible characters).
 */

// The one place the rule is written, so the one eslint exception for it.
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_RUNS = new RegExp(`${HAS_CONTROL.source}+`, 'g');
const HAS_SPACE_OR_CONTROL = new RegExp(`\\s|${HAS_CONTROL.source}`);

/** Holds a control character (see above). */
export function hasControlChars(value: string): boolean {
  return HAS_CONTROL.test(value);
}

/** Holds whitespace or a control character: never part of a token, code or URL as sent. */
export function hasSpaceOrControlChars(value: string): boolean {
  return HAS_SPACE_OR_CONTROL.test(value);
}

// Unicode format characters (category Cf): zero-width spaces and joiners, bidi marks and
// overrides, the byte order mark, invisible operators. No credential holds one. Invisible where
// it is pasted or shown, one makes a value that looks right fail, or reads in another order than
// it is stored (U+202E), so it is refused beside the control characters rather than kept.
const HAS_FORMAT = /\p{Cf}/u;

/** Holds a Unicode format character (see above), such as U+200B, U+202E or U+FEFF. */
export function hasFormatChars(value: string): boolean {
  return HAS_FORMAT.test(value);
}

/** Each run of control characters replaced by `by`. */
export function replaceControlChars(value: string, by: string): string {
  return value.replace(CONTROL_RUNS, by);
}

const FORMAT_CHARS = /\p{Cf}/gu;
/** A name from outside shown this long at most: a label, not a paragraph. */
export const MAX_SHOWN_NAME = 120;

/**
 * A name the extension did not choose (a folder's, a workspace file's, a path), as it may appear
 * in a dialog or a log line: each run of control characters and each format character (bidi
 * overrides, zero-width characters) becomes U+FFFD, so the name can neither end the line, nor
 * reorder what follows, nor hide that something was there; cut to `max` characters with `…`.
 */
export function shownName(value: string, max = MAX_SHOWN_NAME): string {
  const clean = Array.from(replaceControlChars(value, '\ufffd').replace(FORMAT_CHARS, '\ufffd'));
  return clean.length > max ? `${clean.slice(0, max - 1).join('')}…` : clean.join('');
}

/**
 * shownName in double quotes, a `"` or `\` inside escaped as in JSON (`"a\"b"`): a name cannot
 * close its quotes and write the rest of the sentence it stands in.
 */
export function quotedName(value: string): string {
  return JSON.stringify(shownName(value));
}
