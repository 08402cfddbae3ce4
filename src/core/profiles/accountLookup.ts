/**
 * "Who am I": PandaDoc's member record for the active profile's credentials, remembered with them
 * so the status bar and the Accounts menu can name the account without asking again.
 */
import type { AccountInfo } from '../token/credentials';
import { AuthError, describeError, isAuthError } from '../base/errors';
import { displayName, fetchCurrentMember, type Member } from '../pandadoc/members';
import type { Profiles } from './profiles';
import type { ExchangeOptions } from '../pandadoc/tokenEndpoint';
import { checkApiBaseUrl } from '../base/settings';
import type { TokenManager } from '../token/tokenManager';

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
      member = await this.ask(manager);
    } catch (error) {
      if (!(isAuthError(error) && error.code === 'unauthorized' && manager.state().canRefresh)) {
        throw error;
      }
      this.options.log.info('[account] the token was refused; refreshing once and asking again');
      await manager.refresh();
      member = await this.ask(manager);
    }
    if (identity !== undefined) {
      await manager.setAccount(accountInfoOf(member), identity);
    }
    return member;
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

  private async ask(manager: TokenManager): Promise<Member> {
    const authorization = await manager.getAuthorizationHeader();
    if (authorization === undefined) {
      throw new AuthError('no_credentials', 'No PandaDoc credentials are stored in this profile.');
    }
    const settings = manager.settings();
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
