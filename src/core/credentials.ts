/**
 * The stored form of an account. Everything lives in ONE secret value, written in one call, so a
 * rotated refresh token can never be stored without the access token that came with it.
 */

/** The SecretStorage key. Changing it orphans every user's credentials: bump VERSION instead. */
export const CREDENTIALS_KEY = 'pandadoc.credentials';
export const STORAGE_VERSION = 1;

export interface OAuthCredentials {
  kind: 'oauth';
  clientId: string;
  clientSecret: string;
  /** Absent once PandaDoc has answered `invalid_grant`: the grant is dead, the client is not. */
  refreshToken?: string;
  accessToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt?: number;
}

export interface ApiKeyCredentials {
  kind: 'apiKey';
  apiKey: string;
}

export type Credentials = OAuthCredentials | ApiKeyCredentials;

export type StoredState =
  | { ok: true; credentials: Credentials | undefined }
  | { ok: false; reason: string };

export function serializeCredentials(credentials: Credentials): string {
  if (credentials.kind === 'apiKey') {
    return JSON.stringify({ version: STORAGE_VERSION, kind: 'apiKey', apiKey: credentials.apiKey });
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
  });
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptionalText = (value: unknown) => value === undefined || isText(value);

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
  if (value.kind === 'apiKey' && isText(value.apiKey)) {
    return { ok: true, credentials: { kind: 'apiKey', apiKey: value.apiKey } };
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
