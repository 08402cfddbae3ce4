/** Generators shared by the property-based tests: planted markers and realistic token shapes. */
import * as fc from 'fast-check';

const HEX = [...'0123456789abcdef'];
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

export const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });

const base64url = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...BASE64URL), minLength, maxLength });

/**
 * A high-entropy value planted in a field to see whether it comes out anywhere. It always holds a
 * digit, so it is never a "plain word" some message may show on purpose.
 */
export const marker: fc.Arbitrary<string> = hex(16).map((tail) => `Zq9${tail}`);

/** Credentials as PandaDoc and other OAuth servers issue them. */
export const realisticToken: fc.Arbitrary<string> = fc.oneof(
  hex(40),
  base64url(43, 43),
  fc.tuple(base64url(16, 40), base64url(16, 80), base64url(43, 43)).map((parts) => parts.join('.')),
);

/** Arbitrary text: printable ASCII most of the time, any code unit sequence sometimes. */
export const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }));

/** Runs of the white space JavaScript's trim() removes. */
export const padding: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u3000'),
  maxLength: 4,
});
