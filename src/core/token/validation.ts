/**
 * Checks every credential before anything is stored. Values are trimmed; what cannot be a
 * credential is refused with a reason the user can act on; a pasted header prefix is removed.
 */
import { AuthError } from '../base/errors';
import { MAX_SECRET_LENGTH } from '../base/policy';
import { hasControlChars, hasFormatChars } from '../base/text';

export type CredentialField = 'clientId' | 'clientSecret' | 'refreshToken' | 'accessToken' | 'apiKey';

export const FIELD_LABELS: Record<CredentialField, string> = {
  clientId: 'client ID',
  clientSecret: 'client secret',
  refreshToken: 'refresh token',
  accessToken: 'access token',
  apiKey: 'API key',
};

/** What `pandadoc.setCredentials` stores, after validation. */
export interface OAuthInput {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  expiresAt?: number;
}

const OAUTH_INPUT_KEYS: ReadonlySet<string> = new Set([
  'clientId',
  'clientSecret',
  'refreshToken',
  'accessToken',
  'expiresAt',
]);

// Copying from a header, a curl command or a JSON file brings these along.
const HEADER_NAME = /^authorization\s*:\s*/i;
const BEARER = /^bearer(\s+|$)/i;
const API_KEY_SCHEME = /^api-key(\s+|$)/i;
const WHITESPACE = /\s/;

/** Earliest plausible expiry in ms; a smaller number is almost surely seconds. */
const MIN_EPOCH_MS = 1e11;

function refuse(field: CredentialField, reason: string): never {
  throw new AuthError('bad_input', `The ${FIELD_LABELS[field]} ${reason}.`, { detail: field });
}

function stripQuotes(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) {
    return value.slice(1, -1).trim();
  }
  return value;
}

function stripScheme(value: string, field: CredentialField): string {
  const withoutHeader = value.replace(HEADER_NAME, '');
  if (field === 'apiKey') {
    if (BEARER.test(withoutHeader)) {
      refuse(field, 'looks like an OAuth access token ("Bearer ..."); use Set OAuth Credentials for OAuth');
    }
    return withoutHeader.replace(API_KEY_SCHEME, '');
  }
  if (field === 'accessToken' || field === 'refreshToken') {
    if (API_KEY_SCHEME.test(withoutHeader)) {
      refuse(field, 'looks like an API key ("API-Key ..."); use Set API Key for API keys');
    }
    return withoutHeader.replace(BEARER, '');
  }
  return value;
}

/** Returns the cleaned value, or throws an AuthError (`bad_input`) saying what is wrong. */
export function normalizeCredential(value: unknown, field: CredentialField): string {
  if (typeof value !== 'string') {
    refuse(field, `must be text, not ${value === null ? 'null' : typeof value}`);
  }
  if (value.length > MAX_SECRET_LENGTH * 2) {
    refuse(field, `is too long (${value.length} characters; at most ${MAX_SECRET_LENGTH})`);
  }
  const cleaned = stripScheme(stripQuotes(value.trim()), field).trim();
  if (cleaned.length === 0) {
    refuse(field, 'is empty');
  }
  if (hasControlChars(cleaned)) {
    refuse(field, 'contains a line break or another control character; paste it on one line');
  }
  if (hasFormatChars(cleaned)) {
    // Before the space rule: JavaScript counts U+FEFF as a space, and this says what it is.
    refuse(
      field,
      'contains an invisible formatting character (such as a zero-width space or a text direction mark); copy it again from its source, or type it',
    );
  }
  if (WHITESPACE.test(cleaned)) {
    refuse(field, 'contains spaces; a credential is one unbroken string');
  }
  if (cleaned.length > MAX_SECRET_LENGTH) {
    refuse(field, `is too long (${cleaned.length} characters; at most ${MAX_SECRET_LENGTH})`);
  }
  return cleaned;
}

/** For an input box's `validateInput`: the reason, or undefined when the value is acceptable. */
export function credentialProblem(value: string, field: CredentialField): string | undefined {
  try {
    normalizeCredential(value, field);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function normalizeExpiresAt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AuthError('bad_input', 'expiresAt must be a number of milliseconds since the epoch.', {
      detail: 'expiresAt',
    });
  }
  if (value < MIN_EPOCH_MS) {
    throw new AuthError(
      'bad_input',
      'expiresAt must be milliseconds since the epoch; this looks like seconds (multiply by 1000).',
      { detail: 'expiresAt' },
    );
  }
  return Math.round(value);
}

/** Validates the argument object of `pandadoc.setCredentials`. */
export function normalizeOAuthInput(input: unknown): OAuthInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AuthError(
      'bad_input',
      'Expected an object { clientId, clientSecret, refreshToken, accessToken?, expiresAt? }.',
    );
  }
  const record = input as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((key) => !OAUTH_INPUT_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new AuthError(
      'bad_input',
      `Unknown field ${unknownKeys.join(', ')}; expected clientId, clientSecret, refreshToken, accessToken, expiresAt.`,
    );
  }
  const result: OAuthInput = {
    clientId: normalizeCredential(record.clientId, 'clientId'),
    clientSecret: normalizeCredential(record.clientSecret, 'clientSecret'),
    refreshToken: normalizeCredential(record.refreshToken, 'refreshToken'),
  };
  if (record.accessToken !== undefined) {
    result.accessToken = normalizeCredential(record.accessToken, 'accessToken');
  }
  if (record.expiresAt !== undefined) {
    if (result.accessToken === undefined) {
      throw new AuthError('bad_input', 'expiresAt was given without an accessToken.', { detail: 'expiresAt' });
    }
    result.expiresAt = normalizeExpiresAt(record.expiresAt);
  }
  return result;
}
