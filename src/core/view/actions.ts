/**
 * Which commands can act on what is stored: one answer for the palette (through context keys and
 * the manifest's `when` clauses) and for the status bar's menu, so the two never disagree.
 */
import { DEFAULT_PROFILE } from '../profiles/profileIndex';
import type { AccountState } from '../token/status';

/** What decides it: the active profile's state, and the profiles there are. */
export interface ActionContext {
  state: Pick<AccountState, 'status' | 'unreadable'> & Partial<Pick<AccountState, 'canRefresh'>>;
  active: string;
  profileCount: number;
}

/** The context keys the manifest's `when` clauses read, and their values. */
export interface ContextKeys {
  'pandadoc.credentialKind': AccountState['status']['kind'];
  /** Something stored to delete, readable or not, here or perhaps in another profile (whose
   *  credentials are not read for this: Sign Out then offers Sign Out of All Profiles). */
  'pandadoc.canSignOut': boolean;
  /** Deleting the profile changes something: another profile, credentials, or a name that is
   *  not the empty Default every install starts with. */
  'pandadoc.canDeleteProfile': boolean;
}

export function contextKeys({ state, active, profileCount }: ActionContext): ContextKeys {
  const kind = state.status.kind;
  const holdsSomething = kind !== 'none' || state.unreadable;
  return {
    'pandadoc.credentialKind': kind,
    'pandadoc.canSignOut': holdsSomething || profileCount > 1,
    'pandadoc.canDeleteProfile': holdsSomething || profileCount > 1 || active !== DEFAULT_PROFILE,
  };
}

/** The status bar menu's entries, by command name (keys of the adapters' COMMAND), in order. */
export type MenuAction =
  | 'refreshToken'
  | 'copyAccessToken'
  | 'showAccount'
  | 'signIn'
  | 'switchProfile'
  | 'renameProfile'
  | 'deleteProfile'
  | 'changeRegion'
  | 'setCredentials'
  | 'setApiKey'
  | 'importPostmanEnvironment'
  | 'showLog'
  | 'signOut';

export function menuActions(context: ActionContext): MenuAction[] {
  const keys = contextKeys(context);
  const kind = keys['pandadoc.credentialKind'];
  // After invalid_grant only a sign-in mends it; Refresh Token can only fail again.
  const signInFirst = kind === 'oauth' && context.state.canRefresh === false;
  return [
    ...(signInFirst ? (['signIn'] as const) : []),
    ...(kind === 'oauth' ? (['refreshToken'] as const) : []),
    ...(kind !== 'none' ? (['copyAccessToken', 'showAccount'] as const) : []),
    ...(signInFirst ? [] : (['signIn'] as const)),
    'switchProfile',
    'renameProfile',
    ...(keys['pandadoc.canDeleteProfile'] ? (['deleteProfile'] as const) : []),
    'changeRegion',
    'setCredentials',
    'setApiKey',
    'importPostmanEnvironment',
    'showLog',
    ...(keys['pandadoc.canSignOut'] ? (['signOut'] as const) : []),
  ];
}
