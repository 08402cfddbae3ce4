/**
 * "Who am I": PandaDoc's member record for the active profile's credentials, remembered with them
 * so the status bar and the Accounts menu can name the account without asking again.
 */
import type { AccountInfo } from '../token/credentials';
import { AuthError, describeError, isAuthError } from '../base/errors';
import { displayName, fetchCurrentMember, type Member } from '../pandadoc/members';
import type { Profiles } from './profiles';
import type { ExchangeOptions } from '../pandadoc/tokenEndpoint';
import { checkApiBaseUrl, type Settings } from '../base/settings';
import type { TokenManager } from '../token/tokenManager';
import { normalizeCredential } from '../token/validation';

/** Failures that mean PandaDoc refused the credentials themselves (not the network, not a
 *  server having a bad moment): the user must change something. */
const REFUSALS: ReadonlySet<string> = new Set(['invalid_client', 'invalid_grant', 'unauthorized', 'rejected']);

export function isRefusal(error: unknown): error is AuthError {
  return isAuthError(error) && REFUSALS.has(error.code);
}

/** What a check of just-entered credentials learned: the token's expiry (OAuth) and whose they
 *  are, when PandaDoc said. */
export interface Verified {
  expiresAt?: number;
  member?: Member;
}

export function accountInfoOf(member: Member): AccountInfo {
  return {
    email: member.email,
    name: displayName(member),
    workspaceName: member.workspaceName,
    role: member.role,
    userId: member.userId,
  };
}

export class AccountLookup {
  constructor(
    private readonly profiles: Profiles,
    private readonly options: ExchangeOptions,
  ) {}

  /**
   * Asks PandaDoc whose the active profile's credentials are. A 401 on an OAuth token is met with
   * one refresh and one retry (the token may have been revoked early); a second 401, or a 401 on an
   * API key, is the answer.
   */
  async lookup(): Promise<Member> {
    const manager = this.profiles.activeManager();
    const identity = manager.identity();
    let member: Member;
    try {
      member = await this.askFor(manager);
    } catch (error) {
      if (!(isAuthError(error) && error.code === 'unauthorized' && manager.state().canRefresh)) {
        throw error;
      }
      this.options.log.info('[account] the token was refused; refreshing once and asking again');
      await manager.refresh();
      member = await this.askFor(manager);
    }
    if (identity !== undefined) {
      await manager.setAccount(accountInfoOf(member), identity);
    }
    return member;
  }

  /**
   * Checks the active profile's credentials as a user wants right after entering them: OAuth by
   * a refresh (as Set OAuth Credentials does), then who-am-I, quietly; an API key, which cannot be
   * refreshed, by one who-am-I call. Rejects with the failure.
   */
  async verify(): Promise<Verified> {
    const manager = this.profiles.activeManager();
    if (manager.status().kind === 'apiKey') {
      return { member: await this.lookup() };
    }
    const { expiresAt } = await manager.refresh();
    const member = await this.lookupQuietly();
    return { expiresAt, ...(member ? { member } : {}) };
  }

  /**
   * Asks PandaDoc, in one who-am-I call, whose `input` is before anything is stored: the key as it
   * will be stored, and its member. A key PandaDoc refuses rejects as `unauthorized` of the
   * `new-api-key` flow; any other failure as it is (the key is then unchecked, not refused).
   */
  async checkApiKey(input: unknown, settings: Settings = this.profiles.activeManager().settings()): Promise<{ apiKey: string; member: Member }> {
    const apiKey = normalizeCredential(input, 'apiKey');
    this.options.redactor.remember([apiKey]);
    try {
      // At the region of the profile the key is for: the active one's, or the one just picked
      // for it (stored only with the key).
      return { apiKey, member: await this.ask(`API-Key ${apiKey}`, settings) };
    } catch (error) {
      if (isAuthError(error) && error.code === 'unauthorized') {
        throw new AuthError('unauthorized', 'PandaDoc refused the API key.', { ...error.details, flow: 'new-api-key' });
      }
      throw error;
    }
  }

  /** Like lookup, for after a sign-in or import: a failure is logged, never shown. */
  async lookupQuietly(): Promise<Member | undefined> {
    try {
      return await this.lookup();
    } catch (error) {
      this.options.log.warn(`[account] could not learn whose the credentials are: ${describeError(error)}`);
      return undefined;
    }
  }

  private async askFor(manager: TokenManager): Promise<Member> {
    const authorization = await manager.getAuthorizationHeader();
    if (authorization === undefined) {
      throw new AuthError('no_credentials', 'No PandaDoc credentials are stored in this profile.');
    }
    return this.ask(authorization, manager.settings());
  }

  /** One who-am-I call with `authorization`, at the region of the settings given (a profile's). */
  private async ask(authorization: string, settings: Settings): Promise<Member> {
    const baseUrl = checkApiBaseUrl(settings.apiBaseUrl);
    const target = `GET ${baseUrl}/public/v1/members/current`;
    const started = this.options.clock.now();
    try {
      const member = await fetchCurrentMember(this.options.http, {
        baseUrl,
        authorization,
        timeoutMs: settings.timeoutMs,
        userAgent: this.options.userAgent,
      });
      this.options.log.info(
        `[account] ${target} -> 200 in ${this.options.clock.now() - started} ms: ${displayName(member)} <${member.email}>, workspace ${
          member.workspaceName ?? '?'
        }, role ${member.role ?? '?'}`,
      );
      return member;
    } catch (error) {
      this.options.log.warn(`[account] ${target} failed after ${this.options.clock.now() - started} ms: ${describeError(error)}`);
      throw error;
    }
  }
}
