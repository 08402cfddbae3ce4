/**
 * The one message a user reads for each failure, and the buttons that lead somewhere from it.
 * Built from the error code only: server text never reaches a notification, since a proxy's or
 * server's answer may echo what we sent.
 */
import { type AuthError, type AuthErrorCode, isAuthError } from './errors';
import { TIME } from './policy';

export type ActionId = 'setCredentials' | 'setApiKey' | 'showLog' | 'openSettings' | 'retry';

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
      return {
        message:
          'PandaDoc no longer accepts the stored refresh token (invalid_grant): it expired, was revoked or was used elsewhere. Set OAuth credentials again; your client ID and secret are kept.',
        actions: ['setCredentials', 'showLog'],
      };
    case 'invalid_client':
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
        message: 'No PandaDoc credentials are stored. Set OAuth credentials or an API key first.',
        actions: ['setCredentials', 'setApiKey'],
      };
    case 'storage':
      return {
        message: `${error.message} See the log for details.`,
        actions: ['setCredentials', 'showLog'],
      };
  }
}
