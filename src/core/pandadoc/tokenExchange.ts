/**
 * One request to PandaDoc's token endpoint, whatever the grant: timed, read, and logged step by
 * step with secrets named by fingerprint only. Retrying (or not) is the caller's decision.
 */
import type { Clock } from '../base/clock';
import { describeError } from '../base/errors';
import type { HttpRequest, HttpResponse, HttpSender } from './http';
import type { Logger } from '../base/logger';
import { fingerprint, redactBody, type Redactor } from '../base/redact';
import { checkApiBaseUrl, checkScope, type Settings } from '../base/settings';
import { type GrantKind, interpretTokenResponse, type TokenGrant } from './tokenEndpoint';

export interface ExchangeOptions {
  http: HttpSender;
  clock: Clock;
  settings: () => Settings;
  log: Logger;
  redactor: Redactor;
  userAgent: string;
}

export interface TokenExchangeStep {
  /** The log tag of the flow, such as `[refresh]`. */
  tag: string;
  request: HttpRequest;
  /** The grant presented; `refresh_token` unless said otherwise. */
  grant?: GrantKind;
  /** What the outcome line adds after the new token's fingerprint (fingerprints only). */
  describeGrant?: (grant: TokenGrant) => string[];
}

/** The checked settings every token request is built from: where, with which scope, how long. */
export function tokenRequestSettings(options: ExchangeOptions): { baseUrl: string; scope: string; timeoutMs: number; userAgent: string } {
  const settings = options.settings();
  return {
    baseUrl: checkApiBaseUrl(settings.apiBaseUrl),
    scope: checkScope(settings.scope),
    timeoutMs: settings.timeoutMs,
    userAgent: options.userAgent,
  };
}

/** Sends `request` once and reads the answer; the new tokens join the redactor before any log. */
export async function sendTokenRequest(options: ExchangeOptions, step: TokenExchangeStep): Promise<TokenGrant> {
  const { clock, log, http, redactor } = options;
  const { tag, request } = step;
  const target = `${request.method} ${request.url}`;
  const started = clock.now();
  let response: HttpResponse;
  try {
    response = await http.send(request);
  } catch (error) {
    log.warn(`${tag} ${target} failed after ${clock.now() - started} ms: ${describeError(error)}`);
    throw error;
  }
  const outcome = `${tag} ${target} -> ${response.status} in ${clock.now() - started} ms`;
  const body = () => `${tag} response body: ${redactBody(response.body, response.header('content-type'))}`;
  let grant: TokenGrant;
  try {
    grant = interpretTokenResponse(response, clock.now(), step.grant);
  } catch (error) {
    log.warn(`${outcome}: ${describeError(error)}`);
    log.info(body());
    throw error;
  }
  redactor.remember([grant.accessToken, ...(grant.refreshToken ? [grant.refreshToken] : [])]);
  const facts = [`token ${fingerprint(grant.accessToken)}`, ...(step.describeGrant?.(grant) ?? [])];
  log.info(`${outcome}, expires ${new Date(grant.expiresAt).toISOString()} (${facts.join(', ')})`);
  log.info(body());
  if (!grant.expiryFromServer) {
    log.warn(`${tag} the response gave no usable expires_in; assuming the token lives one hour`);
  }
  return grant;
}
