/**
 * The token lifecycle: when a token is fresh, the refresh exchange, and the guarantees around it:
 * one request for any number of concurrent callers, new tokens stored (in one write) before anyone
 * hears of success, and stored credentials untouched by any failure. Where and how the value is
 * stored, and what the other windows know of it, is StoredAccount's job (storedAccount.ts).
 */
import { type Disposable, Emitter } from '../base/emitter';
import { AuthError, isAuthError } from '../base/errors';
import { fingerprint } from '../base/redact';
import type { Settings } from '../base/settings';
import type { ExchangeOptions, TokenGrant } from '../pandadoc/tokenEndpoint';
import { type AccountInfo, authorizationHeader, type Credentials, identityOf, type OAuthCredentials, type UsableCredential } from './credentials';
import { deadGrant, holdsTokenValidFor, sessionAlive, type TokenCredentials } from './freshness';
import { refreshStored } from './refresh';
import { type AccountState, type ChangeCause, type PublicStatus, statusOf } from './status';
import { StoredAccount, type StoredAccountOptions } from './storedAccount';
import { moveStored, restoreSnapshot, snapshotOf } from './storedMoves';
import { normalizeCredential, normalizeOAuthInput } from './validation';

export interface TokenManagerOptions extends ExchangeOptions, StoredAccountOptions {}

/** How long a refresh waits for another window's refresh of the same account: past that, the
 *  other window is taken as gone (it has its own request timeout, and retries, to finish in). */
const OTHER_WINDOW_WAIT_MS = 60_000;

/** A successful token response, as the sign-in stores it. */
export interface SignInResult {
  clientId: string;
  clientSecret: string;
  grant: TokenGrant;
}

export class TokenManager implements Disposable {
  private readonly changed = new Emitter<ChangeCause>();
  /** Fires after every change of what is stored or of the refresh state. */
  readonly onDidChange = this.changed.event;

  private readonly stored: StoredAccount;
  private readonly forwarding: Disposable;
  private refreshing: Promise<TokenCredentials> | undefined;
  private lastError: AuthError | undefined;

  constructor(private readonly options: TokenManagerOptions) {
    this.stored = new StoredAccount(options);
    this.forwarding = this.stored.onDidChange(({ cause, written }) => {
      // New credentials (or a refresh) start clean; the failure, if any, is set after the write.
      if (written) {
        this.lastError = undefined;
      }
      this.changed.fire(cause);
    });
  }

  /** Reads what is stored. Never throws and never touches the network: safe for activation. */
  initialize(): Promise<void> {
    return this.stored.initialize();
  }

  /** Another window recorded a write of this account (see StoredAccount.onLedgerRecord). */
  onLedgerRecord(): Promise<void> {
    return this.stored.onLedgerRecord();
  }

  /** Re-reads the store, e.g. after another window changed it. Never throws. */
  reload(cause: ChangeCause = 'external'): Promise<void> {
    return this.stored.reload(cause);
  }

  state(): AccountState {
    const credentials = this.stored.cachedCredentials();
    const newer = this.stored.behind();
    return {
      // What is stored now is what the window ahead wrote, even if this one cannot read it.
      status: newer?.status ?? statusOf(credentials),
      canRefresh: credentials?.kind === 'oauth' && credentials.refreshToken !== undefined,
      refreshing: this.refreshing !== undefined,
      lastError: this.lastError,
      unreadable: this.stored.unreadable(),
      ...(credentials?.account ? { account: credentials.account } : {}),
      behind: newer !== undefined,
    };
  }

  /** Changes exactly when the stored credentials do (StoredAccount.stamp). */
  storedStamp(): string | undefined {
    return this.stored.stamp();
  }

  /** The stored access token as it is, without refreshing: for listing sessions. */
  storedAccessToken(): string | undefined {
    return this.storedOAuth()?.accessToken;
  }

  /** The settings this account's requests are made with (its profile's region's URLs). */
  settings(): Settings {
    return this.options.settings();
  }

  status(): PublicStatus {
    return this.state().status;
  }

  /** OAuth credentials that serve a session without a new sign-in (see sessionAlive). */
  hasLiveSession(): boolean {
    const stored = this.storedOAuth();
    return stored !== undefined && sessionAlive(stored, this.options.clock.now());
  }

  /** The client id stored, to prefill a prompt. Not a secret in OAuth. */
  storedClientId(): string | undefined {
    return this.storedOAuth()?.clientId;
  }

  /** The stored secret of this client, so re-entering credentials after `invalid_grant` can
   *  keep it instead of asking for it again. */
  storedClientSecret(clientId: string): string | undefined {
    const stored = this.storedOAuth();
    return stored?.clientId === clientId ? stored.clientSecret : undefined;
  }

  /** The stored refresh token of this client, so fixing a wrong secret can keep it instead of
   *  asking for it again; undefined once PandaDoc has rejected it (invalid_grant). */
  storedRefreshToken(clientId: string): string | undefined {
    const stored = this.storedOAuth();
    return stored?.clientId === clientId ? stored.refreshToken : undefined;
  }

  /**
   * A token good for at least the refresh margin: the stored one, or a new one from a refresh.
   * An API key is returned as it is; undefined when nothing is stored.
   */
  async getAccessToken(): Promise<string | undefined> {
    return (await this.usableCredential())?.value;
  }

  /** The value of an `Authorization` header for the stored credentials. */
  async getAuthorizationHeader(): Promise<string | undefined> {
    const credential = await this.usableCredential();
    return credential && authorizationHeader(credential);
  }

  /** Refreshes now, whatever the expiry. Concurrent calls share one request. */
  refresh(): Promise<TokenCredentials> {
    return this.startRefresh(true);
  }

  /**
   * What a caller can send now, with its expiry: the stored token when it stays valid for
   * `validForMs` (the refresh margin unless given), else one from a refresh; the API key as it is.
   * A refresh under way for another caller is shared, whatever it was asked to hold.
   */
  async usableCredential(validForMs = this.options.settings().refreshMarginMs): Promise<UsableCredential | undefined> {
    const credentials = await this.stored.current();
    if (credentials === undefined) {
      return undefined;
    }
    if (credentials.kind === 'apiKey') {
      return { kind: 'apiKey', value: credentials.apiKey };
    }
    if (holdsTokenValidFor(credentials, validForMs, this.options.clock.now())) {
      return { kind: 'oauth', value: credentials.accessToken, expiresAt: credentials.expiresAt };
    }
    if (credentials.refreshToken === undefined) {
      // The grant is dead, but a token that has not expired yet still works until it does.
      if (holdsTokenValidFor(credentials, 0, this.options.clock.now())) {
        return { kind: 'oauth', value: credentials.accessToken, expiresAt: credentials.expiresAt };
      }
      throw deadGrant();
    }
    const refreshed = await this.startRefresh(false, validForMs);
    return { kind: 'oauth', value: refreshed.accessToken, expiresAt: refreshed.expiresAt };
  }

  /**
   * One refresh at a time; every caller meanwhile shares it. Unless forced, a refresh first
   * checks the store: another window may just have stored a token valid for `validForMs`, which
   * then serves without a request (and without racing that window on a rotated refresh token).
   */
  private startRefresh(force: boolean, validForMs?: number): Promise<TokenCredentials> {
    if (!this.refreshing) {
      // One window at a time presents the refresh token: the next one then reads what the first
      // stored instead of racing it with a token PandaDoc may just have rotated.
      const turn = this.stored.turn(OTHER_WINDOW_WAIT_MS, () => refreshStored(this.stored, this.options, force, validForMs));
      this.refreshing = turn.catch((error: unknown) => this.failed(error)).finally(() => {
        // Announced only once `refreshing` is cleared, so listeners see the final state.
        this.refreshing = undefined;
        this.changed.fire('idle');
      });
      this.changed.fire('busy');
    }
    return this.refreshing;
  }

  /** Validates and stores OAuth credentials (the argument of `pandadoc.setCredentials`). */
  async setOAuthCredentials(input: unknown): Promise<void> {
    const value = normalizeOAuthInput(input);
    await this.stored.serialized(() => this.stored.write({ kind: 'oauth', ...value }, 'store'));
    this.options.log.info(
      `[store] OAuth credentials saved (client ${value.clientId}, refresh token ${fingerprint(value.refreshToken)})`,
    );
  }

  /** Stores what a browser sign-in obtained, replacing whatever was stored. */
  async storeSignIn({ clientId, clientSecret, grant }: SignInResult): Promise<void> {
    const { accessToken, refreshToken, expiresAt } = grant;
    // write() hands every secret to the redactor before anything is logged.
    await this.stored.serialized(() => this.stored.write({ kind: 'oauth', clientId, clientSecret, accessToken, refreshToken, expiresAt }, 'store'));
    this.options.log.info(
      `[store] signed in (client ${clientId}, token ${fingerprint(accessToken)}${
        refreshToken ? `, refresh token ${fingerprint(refreshToken)}` : ', no refresh token'
      })`,
    );
  }

  /**
   * Remembers whose credentials these are. Skipped when the credentials changed since `used`
   * was read: the answer would describe someone else's.
   */
  async setAccount(account: AccountInfo, used: string): Promise<boolean> {
    return this.stored.serialized(async () => {
      const latest = await this.stored.readLatest();
      // Behind another window, a write would put back the old credentials over its newer ones.
      if (latest === undefined || identityOf(latest) !== used || this.stored.behind() !== undefined) {
        return false;
      }
      await this.stored.write({ ...latest, account }, 'account');
      return true;
    });
  }

  /** What `setAccount` compares: the stored credentials' identity, changed by any re-entry. */
  identity(): string | undefined {
    const credentials = this.stored.cachedCredentials();
    return credentials && identityOf(credentials);
  }

  /** Validates and stores an API key, replacing whatever was stored; with whose it is, when a
   *  check before storing asked PandaDoc (in the same write). */
  async setApiKey(input: unknown, account?: AccountInfo): Promise<void> {
    const apiKey = normalizeCredential(input, 'apiKey');
    await this.stored.serialized(() => this.stored.write({ kind: 'apiKey', apiKey, ...(account ? { account } : {}) }, 'store'));
    this.options.log.info(`[store] API key saved (${fingerprint(apiKey)})`);
  }

  /** What is stored now, to be put back with `restore` (storedMoves.ts). */
  snapshot(): Promise<Credentials | undefined> {
    return snapshotOf(this.stored);
  }

  /** Puts a `snapshot` back unless other credentials were stored since (storedMoves.ts). */
  restore(previous: Credentials | undefined, replacing: string): Promise<boolean> {
    return restoreSnapshot(this.stored, this.options.log, previous, replacing);
  }

  /** Moves what is stored to another profile's manager (storedMoves.ts). */
  moveTo(target: TokenManager, commit: () => Promise<void>): Promise<void> {
    return moveStored(this.stored, target.stored, commit);
  }

  /** Deletes everything stored. Resolves false when there was nothing to delete. */
  async signOut(): Promise<boolean> {
    return this.stored.serialized(async () => {
      const stored = await this.stored.readState();
      if (stored?.ok && stored.credentials === undefined) {
        return false;
      }
      await this.stored.write(undefined, 'signOut');
      this.options.log.info('[store] signed out: stored credentials deleted');
      return true;
    });
  }

  dispose(): void {
    this.forwarding.dispose();
    this.stored.dispose();
    this.changed.dispose();
  }

  private storedOAuth(): OAuthCredentials | undefined {
    const credentials = this.stored.cachedCredentials();
    return credentials?.kind === 'oauth' ? credentials : undefined;
  }

  /** Records why the refresh failed, for the status bar, and passes the failure on. */
  private failed(error: unknown): never {
    const failure = isAuthError(error) ? error : new AuthError('bad_response', 'Unexpected failure while refreshing.');
    // Behind another window is not a failure of the account: `behind` in the state says it.
    if (failure.code !== 'stale_window') {
      this.lastError = failure;
    }
    throw failure;
  }
}
