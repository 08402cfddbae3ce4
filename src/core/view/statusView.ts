/**
 * What the status bar shows for each state, and when that can next change. Pure, so every
 * state's text is unit-tested; the VS Code item only copies these fields.
 */
import { EXPIRY_WARNING_MS, STATUS_MAX_SLEEP_MS, TIME } from '../base/policy';
import type { AccountState } from '../token/status';
import { shortReason } from './userMessages';

export type Severity = 'normal' | 'warning' | 'error';

export interface StatusView {
  text: string;
  tooltip: string;
  severity: Severity;
  /** How long until the text or colour can change on its own (the clock moving on). */
  nextUpdateInMs: number;
}

/** Time left as the status bar shows it: `364d`, `1d 5h`, `3h 12m`, `12m`, `<1m`, `expired`. */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) {
    return 'expired';
  }
  const days = Math.floor(ms / TIME.DAY);
  const hours = Math.floor((ms % TIME.DAY) / TIME.HOUR);
  const minutes = Math.floor((ms % TIME.HOUR) / TIME.MINUTE);
  if (days >= 2) {
    return `${days}d`;
  }
  if (days === 1) {
    return `1d ${hours}h`;
  }
  if (hours >= 1) {
    return `${hours}h ${minutes}m`;
  }
  return minutes >= 1 ? `${minutes}m` : '<1m';
}

/**
 * An expiry as the tooltip shows it, `2027-11-25 23:28` in local time: read at a glance, the same
 * in every locale, and made without Intl, whose first use in a process sets up its locale data
 * for 10–25 ms; the status bar renders during activation, so that would be activation's cost.
 */
export function formatLocalDateTime(ms: number): string {
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** " Valid for 364d (until <date>)." for a token's expiry, in the notifications; nothing without one. */
export function tokenValidity(expiresAt: number | undefined, now: number): string {
  // The tooltip's format, so a date reads the same wherever it is shown.
  return expiresAt === undefined ? '' : ` Valid for ${formatTimeLeft(expiresAt - now)} (until ${formatLocalDateTime(expiresAt)}, local time).`;
}

/** The unit `formatTimeLeft` rounds `ms` down to. */
function displayUnit(ms: number): number {
  if (ms >= 2 * TIME.DAY) {
    return TIME.DAY;
  }
  return ms >= TIME.DAY ? TIME.HOUR : TIME.MINUTE;
}

/** Slack past a boundary so the re-render lands after the text has changed, not just before. */
const BOUNDARY_SLACK_MS = 50;
const MIN_SLEEP_MS = 1000;

/** Milliseconds until the display of `remaining` changes: its text, its colour, or expiry. */
export function msUntilDisplayChanges(remaining: number, warnBeforeMs: number): number {
  if (remaining <= 0) {
    return STATUS_MAX_SLEEP_MS;
  }
  const candidates = [remaining];
  if (remaining >= TIME.MINUTE) {
    const unit = displayUnit(remaining);
    candidates.push((remaining % unit || unit) + BOUNDARY_SLACK_MS);
  }
  if (remaining > warnBeforeMs) {
    candidates.push(remaining - warnBeforeMs + BOUNDARY_SLACK_MS);
  }
  return Math.max(MIN_SLEEP_MS, Math.min(STATUS_MAX_SLEEP_MS, ...candidates));
}

export interface StatusViewOptions {
  now: number;
  refreshMarginMs: number;
  /** Local date and time, e.g. `toLocaleString()`. */
  formatDate: (ms: number) => string;
}

/** After invalid_grant: the same advice as the notification's (userMessages.ts). */
const SIGN_IN_AGAIN = 'Sign in with the browser again: it uses the client ID and secret, which are kept.';

function withFailure(view: StatusView, state: AccountState): StatusView {
  if (!state.lastError || state.refreshing) {
    return view;
  }
  return {
    ...view,
    text: view.text.replace('$(key)', '$(error)'),
    tooltip: `${view.tooltip}\nLast refresh failed: ${shortReason(state.lastError)}`,
    severity: 'error',
  };
}

function oauthView(state: AccountState, options: StatusViewOptions): StatusView {
  const { expiresAt } = state.status;
  const idle = STATUS_MAX_SLEEP_MS;
  if (expiresAt === undefined) {
    return state.canRefresh
      ? {
          text: '$(key) PandaDoc: not refreshed',
          tooltip: 'PandaDoc OAuth credentials are stored but no access token yet. Click for the PandaDoc menu; Refresh Token gets one.',
          severity: 'normal',
          nextUpdateInMs: idle,
        }
      : {
          text: '$(error) PandaDoc: sign in again',
          tooltip: `PandaDoc rejected the refresh token. ${SIGN_IN_AGAIN}`,
          severity: 'error',
          nextUpdateInMs: idle,
        };
  }
  const remaining = expiresAt - options.now;
  const warnBeforeMs = Math.max(EXPIRY_WARNING_MS, options.refreshMarginMs);
  const when = options.formatDate(expiresAt);
  const nextUpdateInMs = msUntilDisplayChanges(remaining, warnBeforeMs);
  if (!state.canRefresh) {
    return {
      text: '$(error) PandaDoc: sign in again',
      tooltip: `PandaDoc rejected the refresh token. The access token ${
        remaining > 0 ? `still works until ${when}` : `expired ${when}`
      }. ${SIGN_IN_AGAIN}`,
      severity: 'error',
      nextUpdateInMs,
    };
  }
  if (remaining <= 0) {
    return {
      text: '$(error) PandaDoc: expired',
      tooltip: `PandaDoc access token expired ${when}. The next request refreshes it, or Refresh Token in the menu (click) now.`,
      severity: 'error',
      nextUpdateInMs,
    };
  }
  return {
    text: `$(key) PandaDoc: ${formatTimeLeft(remaining)}`,
    tooltip: `PandaDoc access token expires ${when} (local time).`,
    severity: remaining <= warnBeforeMs ? 'warning' : 'normal',
    nextUpdateInMs,
  };
}

/** A profile's name in the status bar text, which already says PandaDoc: a Postman environment
 *  called "PandaDoc Sandbox" reads `PandaDoc (Sandbox)`, not `PandaDoc (PandaDoc Sandbox)`. */
function shortProfileName(name: string): string {
  return name.replace(/^PandaDoc[\s:-]+(?=\S)/i, '');
}

/**
 * The profile in the text when there are several to tell apart, and always in the tooltip with
 * the account, once PandaDoc has said whose it is (cached: showing it costs no request).
 */
function withProfile(view: StatusView, state: AccountState): StatusView {
  const { profile, account } = state;
  if (!profile) {
    return view;
  }
  const who = account
    ? `Signed in as ${account.name && account.name !== account.email ? `${account.name} <${account.email}>` : account.email}${
        account.workspaceName ? `, workspace ${account.workspaceName}` : ''
      }${account.role ? ` (${account.role})` : ''}.`
    : undefined;
  return {
    ...view,
    text: profile.shown ? view.text.replace('PandaDoc', `PandaDoc (${shortProfileName(profile.name)})`) : view.text,
    tooltip: [`PandaDoc profile: ${profile.name}`, ...(profile.region ? [`Region: ${profile.region}`] : []), ...(who ? [who] : []), view.tooltip].join('\n'),
  };
}

export function statusView(state: AccountState, options: StatusViewOptions): StatusView {
  return withProfile(withBehind(baseView(state, options), state), state);
}

/** The time left is the other window's token; this window hands out its own until it reloads. */
function withBehind(view: StatusView, state: AccountState): StatusView {
  if (!state.behind || state.refreshing) {
    return view;
  }
  return {
    ...view,
    text: view.text.replace(/^\$\([^)]*\)/, '$(warning)'),
    tooltip: `${view.tooltip}\nAnother window refreshed the token. Reload this window to use the new one.`,
    severity: view.severity === 'error' ? 'error' : 'warning',
  };
}

function baseView(state: AccountState, options: StatusViewOptions): StatusView {
  const idle = STATUS_MAX_SLEEP_MS;
  if (state.refreshing) {
    return {
      text: '$(sync~spin) PandaDoc: refreshing…',
      tooltip: 'Refreshing the PandaDoc access token.',
      severity: 'normal',
      nextUpdateInMs: idle,
    };
  }
  if (state.unreadable) {
    return {
      text: '$(error) PandaDoc: Set Credentials',
      tooltip: 'The stored PandaDoc credentials cannot be read. Set them again.',
      severity: 'error',
      nextUpdateInMs: idle,
    };
  }
  switch (state.status.kind) {
    case 'none':
      return {
        text: '$(key) PandaDoc: Set Credentials',
        tooltip: 'No PandaDoc credentials are stored. Click for the PandaDoc menu: sign in, set OAuth credentials or an API key.',
        severity: 'normal',
        nextUpdateInMs: idle,
      };
    case 'apiKey':
      return {
        text: '$(key) PandaDoc: API key',
        tooltip: 'A PandaDoc API key is in use. API keys do not expire.',
        severity: 'normal',
        nextUpdateInMs: idle,
      };
    case 'oauth':
      return withFailure(oauthView(state, options), state);
  }
}
