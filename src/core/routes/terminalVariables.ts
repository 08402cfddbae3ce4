/**
 * What new integrated terminals get in each state, and when to look again: the decisions of the
 * terminal route, with the time passed in. No timer and no VS Code here: terminalCredentials.ts
 * runs these decisions, src/vscode/terminal/terminalCredentials.ts applies them to the terminals.
 */
import { checkBaseUrl } from '../base/settings';
import { isAuthError } from '../base/errors';
import { TERMINAL_MAX_SLEEP_MS, TERMINAL_RENEW_LEAD_MS, TERMINAL_RETRY_BASE_MS, TERMINAL_RETRY_MAX_MS } from '../base/policy';
import { authorizationHeader, type UsableCredential } from '../token/credentials';

/** The whole `Authorization` header value (`Bearer <token>` or `API-Key <key>`), the OAuth
 *  access token alone, and the active profile's API base URL (its region's). */
export const TERMINAL_VARIABLES = ['PANDADOC_AUTHORIZATION', 'PANDADOC_ACCESS_TOKEN', 'PANDADOC_API_BASE_URL'] as const;
export type TerminalVariable = (typeof TERMINAL_VARIABLES)[number];
export type TerminalVariables = Partial<Record<TerminalVariable, string>>;

/** Whether this window's terminals may get credentials at all: `on` only when the user turned
 *  them on for this workspace and the workspace is trusted. */
export type TerminalGate = 'on' | 'off' | 'untrusted' | 'noWorkspace';

/** Why new terminals get nothing: the gate, or nothing stored (`signedOut`), a token with less
 *  than the refresh margin left that could not be renewed yet (`expiring`), a base URL the
 *  settings' rules refuse (`badUrl`), or credentials that could not be read (`unavailable`). */
export type TerminalAbsence = Exclude<TerminalGate, 'on'> | 'signedOut' | 'expiring' | 'badUrl' | 'unavailable';

/** What new terminals get, and of whom. */
export interface TerminalEnvironment {
  variables: TerminalVariables;
  profile: string;
  kind: UsableCredential['kind'];
  /** The OAuth token's expiry, in ms since the epoch. */
  expiresAt?: number;
}

export type TerminalDecision = { give: TerminalEnvironment } | { absent: TerminalAbsence };

export interface TerminalState {
  gate: TerminalGate;
  profile: string;
  /** What the profile can send, as read just now; undefined when nothing is stored. */
  credential: UsableCredential | undefined;
  /** The profile's API base URL as its settings give it (raw: checked here). */
  apiBaseUrl: string;
  now: number;
  marginMs: number;
}

/**
 * The variables for a state. A token is given only while it holds the refresh margin, the
 * guarantee of every token this extension hands out; an expired one never stays.
 */
export function decideTerminal(state: TerminalState): TerminalDecision {
  if (state.gate !== 'on') {
    return { absent: state.gate };
  }
  const { credential } = state;
  if (credential === undefined) {
    return { absent: 'signedOut' };
  }
  let apiBaseUrl: string;
  try {
    apiBaseUrl = checkBaseUrl(state.apiBaseUrl, 'apiBaseUrl');
  } catch {
    // Requests refuse it too; the terminals must not be pointed where tokens may not go.
    return { absent: 'badUrl' };
  }
  if (credential.kind === 'apiKey') {
    return { give: { kind: 'apiKey', profile: state.profile, variables: { PANDADOC_AUTHORIZATION: authorizationHeader(credential), PANDADOC_API_BASE_URL: apiBaseUrl } } };
  }
  const expiresAt = credential.expiresAt ?? state.now;
  if (expiresAt - state.now <= state.marginMs) {
    return { absent: 'expiring' };
  }
  const variables = { PANDADOC_AUTHORIZATION: authorizationHeader(credential), PANDADOC_ACCESS_TOKEN: credential.value, PANDADOC_API_BASE_URL: apiBaseUrl };
  return { give: { kind: 'oauth', profile: state.profile, variables, expiresAt } };
}

/** When an OAuth token of the terminals is to be renewed: ahead of the margin by the lead. */
export function renewalDueAt(expiresAt: number, marginMs: number): number {
  return expiresAt - marginMs - TERMINAL_RENEW_LEAD_MS;
}

/** Failures a later try may get past without the user: the network, PandaDoc, a proxy. */
export function worthRetrying(error: unknown): boolean {
  return isAuthError(error) && (error.transient || error.code === 'timeout' || error.code === 'bad_response');
}

/** The wait before the next try after `failures` tries in a row that failed. */
export function retryDelay(failures: number): number {
  return Math.min(TERMINAL_RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), TERMINAL_RETRY_MAX_MS);
}

export interface LookState {
  gate: TerminalGate;
  /** What the decision was made from: the credential read, or after a failed read what is
   *  stored (see TerminalCredentials). */
  credential: UsableCredential | undefined;
  /** Why the read failed, when it did. */
  error?: unknown;
  now: number;
  marginMs: number;
  /** Renewals in a row that did not renew a token that was due (failed, or gave it back). */
  failures: number;
}

/**
 * How long until the route looks again, renewing the token if it is due by then; undefined when
 * only a change can alter what the terminals get: turned off, nothing stored, an API key, or a
 * failure no retry gets past (the user signs in again, and that is a change).
 */
export function nextLookInMs(state: LookState): number | undefined {
  if (state.gate !== 'on') {
    return undefined;
  }
  let retry: number | undefined;
  if (state.error === undefined) {
    retry = state.failures === 0 ? 0 : retryDelay(state.failures);
  } else if (worthRetrying(state.error)) {
    retry = retryDelay(state.failures);
  }
  const { credential } = state;
  if (credential?.kind !== 'oauth' || credential.expiresAt === undefined) {
    return state.error === undefined || retry === undefined ? undefined : Math.min(retry, TERMINAL_MAX_SLEEP_MS);
  }
  const untilDue = renewalDueAt(credential.expiresAt, state.marginMs) - state.now;
  if (untilDue > 0) {
    return Math.min(untilDue, TERMINAL_MAX_SLEEP_MS);
  }
  // Due, and not renewed yet: try (again), and look at the latest when the token leaves the
  // margin, so that new terminals stop getting it right then.
  const untilMargin = credential.expiresAt - state.marginMs - state.now;
  const waits = [retry, untilMargin > 0 ? untilMargin : undefined].filter((wait): wait is number => wait !== undefined);
  return waits.length === 0 ? undefined : Math.min(...waits, TERMINAL_MAX_SLEEP_MS);
}
