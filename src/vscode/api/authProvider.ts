/**
 * The `pandadoc` authentication provider: how extensions in any extension host (a remote
 * window's included) reach the token, through `vscode.authentication.getSession('pandadoc', ...)`,
 * and how the account shows in the Accounts menu.
 *
 * One session at most: the active profile's, and only for OAuth. An API key is not a bearer
 * token, and a consumer that sends `Bearer <session.accessToken>` (what every consumer of every
 * provider does) would send it wrongly; API keys stay with `getApi(1).getAuthorizationHeader()`.
 */
import * as vscode from 'vscode';
import { isAuthError } from '../../core/base/errors';
import { fingerprint } from '../../core/base/redact';
import type { Logger } from '../../core/base/logger';
import type { Profiles } from '../../core/profiles/profiles';
import { sessionScopes, scopesCovered } from '../../core/token/sessionScopes';
import { readSettings } from '../base/configuration';
import { type SignIn, showSignInFailure } from '../signin/signIn';

export const PROVIDER_ID = 'pandadoc';
export const PROVIDER_LABEL = 'PandaDoc';

export class PandaDocAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The session consumers last heard of: what decides whether a change is news to them. */
  private last: vscode.AuthenticationSession | undefined;

  constructor(
    private readonly profiles: Profiles,
    private readonly signIn: SignIn,
    private readonly log: Logger,
  ) {
    this.last = this.storedSession();
    // Every change of the active profile, in this window or (through SecretStorage) another.
    this.subscription = profiles.onDidChange(() => this.announce());
  }

  /**
   * The active OAuth profile's session. With scopes (an extension asking for a token) the token
   * is fresh, refreshed as `getAccessToken()` would; without (the workbench listing accounts at
   * start-up) it is the stored one, so listing never sends a request.
   */
  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    // A session holds a token: never from the status snapshot, always after the store's read.
    await this.profiles.whenRead();
    const session = this.storedSession();
    if (!session || (scopes !== undefined && !scopesCovered(scopes, session.scopes))) {
      return [];
    }
    const manager = this.profiles.activeManager();
    const stored = manager.storedAccessToken();
    let accessToken: string | undefined;
    try {
      accessToken = scopes === undefined && stored !== undefined ? stored : await manager.getAccessToken();
    } catch (error) {
      // A dead grant ends the session once its last token has expired (until then the token still
      // works, as getAccessToken() hands it out); a consumer asking with createIfNone then gets
      // the sign-in. Anything else (offline, 5xx) is passed on, so the consumer can say why.
      if (isAuthError(error) && error.code === 'invalid_grant') {
        const still = this.storedSession();
        return still ? [still] : [];
      }
      throw error;
    }
    return accessToken === undefined ? [] : [{ ...session, accessToken }];
  }

  /** Runs the browser sign-in into the active profile. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const { scope } = readSettings();
    if (!scopesCovered(scopes, sessionScopes(scope))) {
      throw new Error(`PandaDoc Auth signs in with the scope "${scope}" (pandadoc.scope), which does not cover ${scopes.join(' ')}.`);
    }
    const request = { reason: 'an extension asked to sign in' };
    try {
      await this.signIn.run(request);
    } catch (error) {
      // VS Code's own contract for a sign-in the user ended: the consumer can tell it apart from
      // a failure, and nothing is shown.
      if (isAuthError(error) && error.code === 'cancelled') {
        throw new vscode.CancellationError();
      }
      // The user started this from the other extension's prompt: tell them, then tell it.
      showSignInFailure(error, this.signIn.retryRequest(request, error));
      throw error;
    }
    const [session] = await this.getSessions(scopes);
    if (!session) {
      throw new Error('PandaDoc sign-in did not finish.');
    }
    return session;
  }

  /** Sign out from the Accounts menu: the workbench has already asked the user. */
  async removeSession(sessionId: string): Promise<void> {
    const profile = this.last?.id === sessionId ? this.profiles.activeName() : undefined;
    if (profile === undefined) {
      return;
    }
    this.log.info(`[accounts] sign-out of profile "${profile}" from the Accounts menu`);
    await this.profiles.remove(profile);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** The session as the store holds it now (no network); undefined when there is none. */
  private storedSession(): vscode.AuthenticationSession | undefined {
    const state = this.profiles.state();
    const manager = this.profiles.activeManager();
    const accessToken = manager.storedAccessToken();
    if (state.status.kind !== 'oauth' || !manager.hasLiveSession()) {
      return undefined;
    }
    const profile = this.profiles.activeName();
    // Stable for a profile; another profile, or another client in it, is another session.
    const id = `${profile}/${fingerprint(manager.storedClientId() ?? '')}`;
    return {
      id,
      accessToken: accessToken ?? '',
      account: { id: state.account?.userId ?? id, label: state.account?.email ?? `PandaDoc (${profile})` },
      scopes: sessionScopes(readSettings().scope),
    };
  }

  private announce(): void {
    const before = this.last;
    const after = this.storedSession();
    this.last = after;
    if (before === undefined && after === undefined) {
      return;
    }
    if (before === undefined || after === undefined || before.id !== after.id || before.account.label !== after.account.label) {
      this.changed.fire({ added: after ? [after] : [], removed: before ? [before] : [], changed: [] });
      return;
    }
    if (before.accessToken !== after.accessToken) {
      this.changed.fire({ added: [], removed: [], changed: [after] });
    }
  }
}

export function registerAuthenticationProvider(profiles: Profiles, signIn: SignIn, log: Logger): vscode.Disposable {
  const provider = new PandaDocAuthenticationProvider(profiles, signIn, log);
  const registration = vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, provider, {
    supportsMultipleAccounts: false,
  });
  return vscode.Disposable.from(registration, provider);
}
