/**
 * The status snapshot: what the status bar and getStatus() say, kept beside the secrets but never
 * one of them, so activation can answer without waiting for SecretStorage (issue 22). Every window
 * writes it in the same turn as each store, and reads it synchronously at activation; the store
 * is read right after, and when the two differ the store wins and the snapshot is corrected.
 *
 * Only what a status needs: the active profile's name, how many profiles there are (the status bar
 * names the profile when there are several), the kind, the expiry, and whether a refresh is
 * possible. No secret, no account email. The region is not copied: it is in the global state
 * already (regionStore.ts), read synchronously, and a copy could only disagree with it.
 */
import { hasControlChars } from '../base/text';
import type { AccountState, PublicStatus } from '../token/status';
import { MAX_PROFILE_NAME } from './profileIndex';

/** The global state key: one value for every window of this VS Code. */
export const SNAPSHOT_KEY = 'pandadoc.statusSnapshot';
/** The shape's version: a value of another is ignored. */
const SNAPSHOT_FORMAT = 1;
/** More than anyone keeps, few enough that a corrupt count is caught. */
const MAX_PROFILES = 1000;

export interface StatusSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** The extension's version that wrote it: one written by any other version is ignored, since
   *  that version may have stored since without keeping the snapshot (0.2.0 kept none). */
  version: string;
  profile: string;
  profiles: number;
  kind: PublicStatus['kind'];
  expiresAt?: number;
  canRefresh: boolean;
}

const FIELDS = ['format', 'version', 'profile', 'profiles', 'kind', 'expiresAt', 'canRefresh'] as const satisfies readonly (keyof StatusSnapshot)[];

/** The snapshot of what this window now holds. */
export function takeSnapshot(state: AccountState, profileCount: number, version: string): StatusSnapshot {
  const { kind, expiresAt } = state.status;
  return {
    format: SNAPSHOT_FORMAT,
    version,
    profile: state.profile?.name ?? '',
    profiles: profileCount,
    kind,
    ...(kind === 'oauth' && expiresAt !== undefined ? { expiresAt } : {}),
    canRefresh: state.canRefresh,
  };
}

/**
 * The stored value if it is a snapshot this version wrote, in every field; undefined otherwise.
 * Never trusted in part: a value that is wrong anywhere is as good as none.
 */
export function readSnapshot(raw: unknown, version: string): StatusSnapshot | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return undefined;
  }
  const value = raw as Record<string, unknown>;
  const { format, profile, profiles, kind, expiresAt, canRefresh } = value;
  if (format !== SNAPSHOT_FORMAT || value.version !== version || Object.keys(value).some((key) => !(FIELDS as readonly string[]).includes(key))) {
    return undefined;
  }
  if (typeof profile !== 'string' || profile.trim() === '' || profile !== profile.trim() || profile.length > MAX_PROFILE_NAME || hasControlChars(profile)) {
    return undefined;
  }
  if (typeof profiles !== 'number' || !Number.isInteger(profiles) || profiles < 1 || profiles > MAX_PROFILES) {
    return undefined;
  }
  if ((kind !== 'none' && kind !== 'oauth' && kind !== 'apiKey') || typeof canRefresh !== 'boolean' || (canRefresh && kind !== 'oauth')) {
    return undefined;
  }
  if (expiresAt !== undefined && (kind !== 'oauth' || typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt) || expiresAt <= 0)) {
    return undefined;
  }
  return { format, version, profile, profiles, kind, ...(expiresAt === undefined ? {} : { expiresAt }), canRefresh };
}

/** What the snapshot lets a window say before it has read the store: the state, never a secret. */
export function stateOfSnapshot(snapshot: StatusSnapshot): AccountState {
  const status: PublicStatus = snapshot.expiresAt === undefined ? { kind: snapshot.kind } : { kind: snapshot.kind, expiresAt: snapshot.expiresAt };
  return { status, canRefresh: snapshot.canRefresh, refreshing: false, unreadable: false, profile: { name: snapshot.profile, shown: snapshot.profiles > 1 } };
}

/** Whether two snapshots say the same: then nothing needs writing, or correcting. */
export function sameSnapshot(a: StatusSnapshot | undefined, b: StatusSnapshot | undefined): boolean {
  if (a === undefined || b === undefined) {
    return a === b;
  }
  return FIELDS.every((field) => a[field] === b[field]);
}
