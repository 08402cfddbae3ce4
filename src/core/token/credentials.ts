/**
 * The stored form of a profile's account. Everything lives in ONE secret value per profile,
 * written in one call, so a rotated refresh token can never be stored without the access token
 * that came with it.
 */
import { createHash } from 'node:crypto';

/** Where the single-account version (0.1) kept its one account. Read once, by the migration. */
export const LEGACY_CREDENTIALS_KEY = 'pandadoc.credentials';
/** The format of one account's value; the same in 0.1 and in profiles (`account` is optional). */
export const STORAGE_VERSION = 1;

/** The SecretStorage key of a profile's account. Changing it orphans every user's credentials. */
export function profileKey(profile: string): string {
  return `pandadoc.profile/${profile}`;
}

/** Who the credentials belong to, as PandaDoc's "who am I" answered. Not secret, but personal:
 *  it is stored with the credentials, in SecretStorage, and nowhere else. */
export interface AccountInfo {
  email: string;
  name?: string;
  workspaceName?: string;
  role?: string;
  userId?: string;
}

export interface OAuthCredentials {
  kind: 'oauth';
  clientId: string;
  clientSecret: string;
  /** Absent once PandaDoc has answered `invalid_grant`: the grant is dead, the client is not. */
  refreshToken?: string;
  accessToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt?: number;
  account?: AccountInfo;
}

export interface ApiKeyCredentials {
  kind: 'apiKey';
  apiKey: string;
  account?: AccountInfo;
}

export type Credentials = OAuthCredentials | ApiKeyCredentials;

/** A credential as a request sends it: an OAuth access token (with its expiry) or an API key. */
export type UsableCredential = { kind: 'oauth'; value: string; expiresAt?: number } | { kind: 'apiKey'; value: string };

/** The `Authorization` header's value for a credential. */
export function authorizationHeader(credential: UsableCredential): string {
  return credential.kind === 'apiKey' ? `API-Key ${credential.value}` : `Bearer ${credential.value}`;
}

export type StoredState =
  | { ok: true; credentials: Credentials | undefined }
  | { ok: false; reason: string };

export function serializeCredentials(credentials: Credentials): string {
  const { account } = credentials;
  if (credentials.kind === 'apiKey') {
    return JSON.stringify({ version: STORAGE_VERSION, kind: 'apiKey', apiKey: credentials.apiKey, account });
  }
  const { clientId, clientSecret, refreshToken, accessToken, expiresAt } = credentials;
  return JSON.stringify({
    version: STORAGE_VERSION,
    kind: 'oauth',
    clientId,
    clientSecret,
    refreshToken,
    accessToken,
    expiresAt,
    account,
  });
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptionalText = (value: unknown) => value === undefined || isText(value);

/** The account, when the stored one is well formed. A malformed one is dropped, not fatal: it is
 *  a cache of what PandaDoc said, fetched again by Show Account. */
function readAccount(value: unknown): AccountInfo | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { email, name, workspaceName, role, userId } = value as Record<string, unknown>;
  if (!isText(email) || ![name, workspaceName, role, userId].every(isOptionalText)) {
    return undefined;
  }
  return {
    email,
    name: name as string | undefined,
    workspaceName: workspaceName as string | undefined,
    role: role as string | undefined,
    userId: userId as string | undefined,
  };
}

/** Reads a stored value. An unreadable value is reported, never thrown away: the caller keeps
 *  it in place until the user stores something new. */
export function parseCredentials(text: string | undefined): StoredState {
  if (text === undefined || text === '') {
    return { ok: true, credentials: undefined };
  }
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'the stored value is not JSON' };
  }
  if (typeof value !== 'object' || value === null) {
    return { ok: false, reason: 'the stored value is not an object' };
  }
  if (value.version !== STORAGE_VERSION) {
    return { ok: false, reason: `unknown storage version ${String(value.version)}` };
  }
  const account = readAccount(value.account);
  const withAccount = account ? { account } : {};
  if (value.kind === 'apiKey' && isText(value.apiKey)) {
    return { ok: true, credentials: { kind: 'apiKey', apiKey: value.apiKey, ...withAccount } };
  }
  if (
    value.kind === 'oauth' &&
    isText(value.clientId) &&
    isText(value.clientSecret) &&
    isOptionalText(value.refreshToken) &&
    isOptionalText(value.accessToken) &&
    (value.expiresAt === undefined || Number.isFinite(value.expiresAt))
  ) {
    return {
      ok: true,
      credentials: {
        kind: 'oauth',
        clientId: value.clientId,
        clientSecret: value.clientSecret,
        refreshToken: value.refreshToken as string | undefined,
        accessToken: value.accessToken as string | undefined,
        expiresAt: value.expiresAt as number | undefined,
        ...withAccount,
      },
    };
  }
  return { ok: false, reason: 'the stored value has missing or malformed fields' };
}

/** Every secret value an account holds, for the log redactor. */
export function secretsOf(credentials: Credentials | undefined): string[] {
  if (!credentials) {
    return [];
  }
  if (credentials.kind === 'apiKey') {
    return [credentials.apiKey];
  }
  const values = [credentials.clientSecret, credentials.refreshToken, credentials.accessToken];
  return values.filter((value): value is string => value !== undefined);
}

/** The client (or key) the credentials belong to, as a digest, so it can be held and compared
 *  without holding another copy of a secret. A refresh keeps it; re-entering changes it. */
export function identityOf(credentials: Credentials): string {
  const source =
    credentials.kind === 'apiKey' ? `apiKey\n${credentials.apiKey}` : `oauth\n${credentials.clientId}\n${credentials.clientSecret}`;
  return createHash('sha256').update(source).digest('hex');
}

/** Same client and same refresh token: a refresh result for `a` still applies to `b`. */
export function sameGrant(a: Credentials | undefined, b: OAuthCredentials): a is OAuthCredentials {
  return (
    a?.kind === 'oauth' &&
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.refreshToken === b.refreshToken
  );
}
