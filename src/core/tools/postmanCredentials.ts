/**
 * The second half of a Postman import: which of the environment's variables become the profile's
 * credentials. Only what a profile can hold is taken; every value passes the same validation as
 * one typed by hand; and the `found` list names each variable by key and fingerprint, never by
 * its value.
 */
import { AuthError } from '../base/errors';
import { fingerprint } from '../base/redact';
import { type CredentialField, normalizeCredential } from '../token/validation';
import { badInput, type PostmanCandidate, type PostmanVariable } from './postmanExport';

export type PostmanCredentials =
  | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'apiKey'; apiKey: string };

/** One credential-like variable of the environment, described without its value. */
export interface PostmanFinding {
  /** The variable name exactly as it is spelled in the file. */
  key: string;
  /** The value's fingerprint; for an imported client ID, which is not secret, the ID itself. */
  fingerprint: string;
  imported: boolean;
  /** Why it was not imported (or anything else worth saying about it). */
  note?: string;
}

const FIELDS: Record<PostmanVariable, CredentialField> = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  refresh_token: 'refreshToken',
  access_token: 'accessToken',
  api_key: 'apiKey',
};

const OAUTH_VARIABLES: readonly PostmanVariable[] = ['client_id', 'client_secret', 'refresh_token'];

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
function importValue(candidate: PostmanCandidate): string {
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

interface Choice {
  /** The entry used for each variable. */
  chosen: Map<PostmanVariable, PostmanCandidate>;
  /** The first later entry of a variable with another value than the chosen one. */
  conflicts: Map<PostmanVariable, PostmanCandidate>;
  /** Why an entry is not used. */
  notes: Map<PostmanCandidate, string>;
}

/**
 * The first enabled, non-empty entry of each variable is the one used. A later entry with
 * another value is a conflict: we cannot know which of the two Postman sends, so it is refused
 * if that variable is imported, and only noted if it is not.
 */
function choose(candidates: readonly PostmanCandidate[]): Choice {
  const chosen = new Map<PostmanVariable, PostmanCandidate>();
  const conflicts = new Map<PostmanVariable, PostmanCandidate>();
  const notes = new Map<PostmanCandidate, string>();
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
  return { chosen, conflicts, notes };
}

/**
 * The credentials among `candidates`: OAuth when client_id, client_secret and refresh_token are
 * all set, else an API key when api_key is set; throws AuthError('bad_input') with what is wrong
 * and what to do otherwise. `found` says what became of every candidate, in the file's order.
 */
export function pickCredentials(candidates: readonly PostmanCandidate[]): { credentials: PostmanCredentials; found: PostmanFinding[] } {
  const { chosen, conflicts, notes } = choose(candidates);
  const hasOAuth = OAUTH_VARIABLES.every((variable) => chosen.has(variable));
  const importing: readonly PostmanVariable[] = hasOAuth ? OAUTH_VARIABLES : chosen.has('api_key') ? ['api_key'] : [];
  if (importing.length === 0) {
    badInput(missingMessage(candidates, chosen));
  }
  for (const variable of importing) {
    const later = conflicts.get(variable);
    if (later !== undefined) {
      const earlier = chosen.get(variable) as PostmanCandidate;
      badInput(
        `The environment sets ${variable} twice ("${earlier.key}" and "${later.key}") with different values. Keep one in Postman, export again, and import that file.`,
        variable,
      );
    }
  }

  const imported = new Map<PostmanCandidate, string>();
  for (const variable of importing) {
    const candidate = chosen.get(variable) as PostmanCandidate;
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
      // A client ID is not a secret: shown whole, once validated, so the user can tell clients apart.
      return { key: candidate.key, fingerprint: candidate.variable === 'client_id' ? value : fingerprint(value), imported: true };
    }
    return {
      key: candidate.key,
      fingerprint: looseFingerprint(candidate.value),
      imported: false,
      note: notes.get(candidate),
    };
  });

  const value = (variable: PostmanVariable) => imported.get(chosen.get(variable) as PostmanCandidate) as string;
  const credentials: PostmanCredentials = hasOAuth
    ? { kind: 'oauth', clientId: value('client_id'), clientSecret: value('client_secret'), refreshToken: value('refresh_token') }
    : { kind: 'apiKey', apiKey: value('api_key') };
  return { credentials, found };
}

/** "needs ...; found: ..." with the disabled and empty ones called out, since those are the
 *  usual reason: Postman exports a variable it shares with an empty value. */
function missingMessage(candidates: readonly PostmanCandidate[], chosen: ReadonlyMap<PostmanVariable, PostmanCandidate>): string {
  const usable = [...chosen.values()].map((candidate) => candidate.key);
  const skipped = candidates
    .filter((candidate) => !chosen.has(candidate.variable) && (!candidate.enabled || isBlank(candidate.value)))
    .map((candidate) => `${candidate.key} is ${candidate.enabled ? 'empty' : 'disabled'}`);
  const found = usable.length > 0 ? usable.join(', ') : 'none of them';
  const why = skipped.length > 0 ? ` (${skipped.join('; ')})` : '';
  return `This Postman environment has no complete credentials: it needs client_id, client_secret and refresh_token, or api_key; found: ${found}${why}. Fill them in in Postman and export again, or enter them with Set OAuth Credentials / Set API Key.`;
}
