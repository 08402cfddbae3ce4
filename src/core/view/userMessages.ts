/**
 * The one message a user reads for each failure, and the buttons that lead somewhere from it.
 * Built from the error code only: server text never reaches a notification, since a proxy's or
 * server's answer may echo what we sent.
 */
import { type AuthError, type AuthErrorCode, isAuthError } from '../base/errors';
import { SIGN_IN_LIMIT_MS, TIME } from '../base/policy';

export type ActionId = 'signIn' | 'setCredentials' | 'setApiKey' | 'showLog' | 'openSettings' | 'retry' | 'reloadWindow';

export interface UserMessage {
  message: string;
  actions: ActionId[];
}

export interface MessageContext {
  apiBaseUrl: string;
  timeoutMs: number;
}

const UNCHANGED = 'Your stored credentials are unchanged.';

function seconds(ms: number): string {
  return `${Math.ceil(ms / TIME.SECOND)} s`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}

/** A few words for a tooltip. */
export function shortReason(error: AuthError): string {
  const reasons: Record<AuthErrorCode, string> = {
    invalid_grant: 'refresh token rejected (invalid_grant)',
    invalid_client: 'client ID or secret rejected (invalid_client)',
    rejected: `request refused (${error.details.oauthError ?? `HTTP ${error.details.status ?? '?'}`})`,
    network: `network error (${error.details.detail ?? 'no connection'})`,
    timeout: 'no answer before the timeout',
    server: `PandaDoc server error (HTTP ${error.details.status ?? '5xx'})`,
    rate_limited: 'rate limited (HTTP 429)',
    bad_response: `unreadable answer (${error.details.detail ?? 'not a token response'})`,
    bad_config: 'setting not allowed',
    bad_input: 'invalid input',
    no_credentials: 'no credentials stored',
    storage: 'secret storage failed',
    unauthorized: `token or key refused by the API (HTTP ${error.details.status ?? 401})`,
    access_denied: 'access declined in the browser',
    state_mismatch: 'sign-in answer did not match (state)',
    cancelled: 'cancelled',
    stale_window: 'another window refreshed; reload this window',
  };
  return reasons[error.code];
}

export function userMessageFor(error: unknown, context: MessageContext): UserMessage {
  if (!isAuthError(error)) {
    return { message: 'PandaDoc: something unexpected went wrong. See the log for details.', actions: ['showLog'] };
  }
  const { details } = error;
  switch (error.code) {
    case 'invalid_grant':
      if (details.flow === 'sign-in') {
        return {
          message: `PandaDoc did not accept the sign-in code (invalid_grant): it was already used or has expired. Sign in again. ${UNCHANGED}`,
          actions: ['signIn', 'showLog'],
        };
      }
      // A browser sign-in gets a new refresh token in a second, with the client ID and secret
      // that are kept; someone who signed in that way never had a refresh token to paste.
      return {
        message:
          'PandaDoc no longer accepts the stored refresh token (invalid_grant): it expired, was revoked or was used elsewhere. Sign in with the browser again: it uses the client ID and secret, which are kept.',
        actions: ['signIn', 'setCredentials', 'showLog'],
      };
    case 'invalid_client':
      if (details.flow === 'sign-in') {
        // The client came from the profile or the prompt; Retry asks for it again.
        return {
          message: `PandaDoc rejected the client ID or client secret (invalid_client). Check them in your PandaDoc app settings; Retry asks for them again. ${UNCHANGED}`,
          actions: ['retry', 'showLog'],
        };
      }
      return {
        message:
          'PandaDoc rejected the client ID or client secret (invalid_client). Check them in your PandaDoc app settings and set OAuth credentials again.',
        actions: ['setCredentials', 'showLog'],
      };
    case 'rejected':
      return {
        message: `PandaDoc refused the token request (${details.oauthError ?? `HTTP ${details.status ?? '?'}`}). Check pandadoc.apiBaseUrl and pandadoc.scope. ${UNCHANGED}`,
        actions: ['openSettings', 'showLog'],
      };
    case 'network':
      return {
        message: `Could not reach PandaDoc at ${hostOf(context.apiBaseUrl)} (${details.detail ?? 'no connection'}). Check your connection or proxy. ${UNCHANGED}`,
        actions: ['retry', 'showLog'],
      };
    case 'timeout':
      if (details.flow === 'sign-in') {
        return {
          message: `No sign-in answer arrived from the browser within ${seconds(SIGN_IN_LIMIT_MS)}. Sign in again; if the browser shows an address that cannot be reached, paste that address into VS Code. ${UNCHANGED}`,
          actions: ['signIn'],
        };
      }
      return {
        message: `PandaDoc did not answer within ${seconds(context.timeoutMs)}. ${UNCHANGED}`,
        actions: ['retry', 'openSettings'],
      };
    case 'server':
      return {
        message: `PandaDoc had a server error (HTTP ${details.status ?? '5xx'}). Try again in a few minutes. ${UNCHANGED}`,
        actions: ['retry', 'showLog'],
      };
    case 'rate_limited':
      return {
        message: `PandaDoc is limiting requests (HTTP 429)${
          details.retryAfterMs !== undefined ? `; try again in ${seconds(details.retryAfterMs)}` : '; try again shortly'
        }. ${UNCHANGED}`,
        actions: ['showLog'],
      };
    case 'bad_response':
      return {
        message: `PandaDoc's answer could not be used (${details.detail ?? 'not a token response'}); a proxy may be in the way. ${UNCHANGED}`,
        actions: ['showLog', 'openSettings'],
      };
    case 'bad_config':
      return { message: `${error.message} Nothing was sent.`, actions: ['openSettings'] };
    case 'bad_input':
      return { message: error.message, actions: [] };
    case 'no_credentials':
      return {
        message: 'No PandaDoc credentials are stored. Sign in with the browser (recommended), or set OAuth credentials or an API key.',
        actions: ['signIn', 'setCredentials', 'setApiKey'],
      };
    case 'storage':
      return {
        message: `${error.message} See the log for details.`,
        actions: ['setCredentials', 'showLog'],
      };
    case 'unauthorized':
      // An API key is never refreshed: its messages do not pretend it was.
      if (details.flow === 'new-api-key') {
        return {
          message: `PandaDoc rejected this API key (HTTP ${details.status ?? 401}), so it was not saved. Check it in PandaDoc's Developer Dashboard and set it again, or sign in with the browser. ${UNCHANGED}`,
          actions: ['setApiKey', 'signIn', 'showLog'],
        };
      }
      if (details.flow === 'api-key') {
        return {
          message: `PandaDoc rejected the stored API key (HTTP ${details.status ?? 401}): it may have been revoked. Set a new one, or sign in with the browser. ${UNCHANGED}`,
          actions: ['setApiKey', 'signIn', 'showLog'],
        };
      }
      return {
        message: `PandaDoc's API refused the stored credentials (HTTP ${details.status ?? 401}), even after a refresh. Sign in again or set an API key. ${UNCHANGED}`,
        actions: ['signIn', 'setApiKey', 'showLog'],
      };
    case 'access_denied':
      return {
        message: `Access was declined on PandaDoc's page, so nothing was signed in. Sign in again and choose Allow. ${UNCHANGED}`,
        actions: ['signIn'],
      };
    case 'state_mismatch':
      return {
        message: `The browser returned an answer that belongs to another sign-in (the state did not match), so it was not used. Sign in again from VS Code. ${UNCHANGED}`,
        actions: ['signIn', 'showLog'],
      };
    case 'cancelled':
      return { message: `Sign-in cancelled. ${UNCHANGED}`, actions: [] };
    case 'stale_window':
      return {
        message: `Another VS Code window refreshed the PandaDoc token, and this window cannot see the new one until it reloads. Reload this window. ${UNCHANGED}`,
        actions: ['reloadWindow'],
      };
  }
}
