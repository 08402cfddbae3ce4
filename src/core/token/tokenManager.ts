/**
 * The token lifecycle: what is stored, when a token is fresh, the refresh exchange, and the
 * guarantees around it: one request for any number of concurrent callers, new tokens stored
 * (in one write) before anyone hears of success, and stored credentials untouched by any failure.
 */
import { createHash } from 'node:crypto';
import {
  type AccountInfo,
  type Credentials,
  type OAuthCredentials,
  parseCredentials,
  secretsOf,
  serializeCredentials,
  type StoredState,
} from './credentials';
import { type Disposable, Emitter } from '../base/emitter';
import { AuthError, describeError, isAuthError } from '../base/errors';
import { fingerprint } from '../base/redact';
import { type ExchangeOptions, exchangeRefreshToken } from '../pandadoc/tokenEndpoint';
import type { SecretStore } from '../base/secretStore';
import type { TokenGrant } from '../pandadoc/tokenEndpoint';
import { normalizeCredential, normalizeOAuthInput } from './validation';
import type { AccountState, ChangeCause, PublicStatus } from './status';
import { type LedgerEntry, stampOf, type WindowLedger } from './windowLedger';
import { Sequencer } from '../base/sequencer';

export interface TokenManagerOptions extends ExchangeOptions {
  store: SecretStore;
  /** The SecretStorage key of the one account this manager looks after (`profileKey(name)`). */
  key: string;
  /** Shared with the other windows; without it, this window trusts its store alone. */
  ledger?: WindowLedger;
}

/** How long a refresh waits for another window's refresh of the same account: past that, the
 *  other window is taken as gone (it has its own request timeout, and retries, to finish in). */
const OTHER_WINDOW_WAIT_MS = 60_000;
/** Enough for the writes whose ledger news can still be on its way back to this window. */
const OWN_STAMPS_KEPT = 16;

/** A successful token response, as the sign-in stores it. */
export interface SignInResult {
  clientId: string;
  clientSecret: string;
  grant: TokenGrant;
}

/** OAuth credentials that hold an access token: what a refresh yields. */
type TokenCredentials = OAuthCredentials & { accessToken: string };

function deadGrant(): AuthError {
  return new AuthError('invalid_grant', 'PandaDoc rejected the refresh token earlier; set credentials again.');
}

/** The client (or key) the credentials belong to, as a digest, so it can be held and compared
 *  without holding another copy of a secret. A refresh keeps it; re-entering changes it. */
function identityOf(credentials: Credentials): string {
  const source =
    credentials.kind === 'apiKey' ? `apiKey\n${credentials.apiKey}` : `oauth\n${credentials.clientId}\n${credentials.clientSecret}`;
  return createHash('sha256').update(source).digest('hex');
}

/** Same client and same refresh token: a refresh result for `a` still applies to `b`. */
function sameGrant(a: Credentials | undefined, b: OAuthCredentials): a is OAuthCredentials {
  return (
    a?.kind === 'oauth' &&
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.refreshToken === b.refreshToken
  );
}

export class TokenManager implements Disposable {
  private readonly changed = new Emitter<ChangeCause>();
  /** Fires after every change of what is stored or of the refresh state. */
  readonly onDidChange = this.changed.event;

  private cached: StoredState | undefined;
  private loading: Promise<{ state: StoredState; stamp: string }> | undefined;
  private refreshing: Promise<TokenCredentials> | undefined;
  private lastError: AuthError | undefined;
  /** Counts writes, so a read that started before one is not taken as newer. */
  private writeCount = 0;
  /** Serialises read-compare-write sequences within this window. */
  private readonly writes = new Sequencer();
  /** `stampOf` the value this window last read or wrote. */
  private viewStamp: string | undefined;
  /** The ledger's stamp when this window first read the store: a write the store did not hold
   *  even then is lost (overwritten), not waiting behind a reload. */
  private stampAtLoad: string | undefined;
  /** The other window's write this window's store cannot show, while that lasts. */
  private ahead: LedgerEntry | undefined;
  /** Stamps of this window's own latest writes: the ledger reports those back too. */
  private readonly ownStamps: string[] = [];

  constructor(private readonly options: TokenManagerOptions) {}

  /** Reads what is stored. Never throws and never touches the network: safe for activation. */
  async initialize(): Promise<void> {
    const [entry] = await Promise.all([this.options.ledger?.read(this.options.key), this.reload('load')]);
    this.stampAtLoad = entry?.stamp;
  }

  /**
   * Another window recorded a write of this account. Re-read the store (where secrets are shared,
   * it holds the write); if it still does not, this window is behind until it reloads.
   */
  async onLedgerRecord(): Promise<void> {
    const entry = await this.options.ledger?.read(this.options.key);
    if (entry === undefined || entry.stamp === this.viewStamp || this.ownStamps.includes(entry.stamp)) {
      return;
    }
    await this.reload();
    const ahead = this.unreadable(entry) ? entry : undefined;
    if (ahead?.stamp !== this.ahead?.stamp) {
      this.ahead = ahead;
      this.changed.fire('external');
    }
  }

  /** Re-reads the store, e.g. after another window changed it. Never throws. */
  async reload(cause: ChangeCause = 'external'): Promise<void> {
    const writesBefore = this.writeCount;
    let state: StoredState;
    let stamp: string | undefined;
    try {
      ({ state, stamp } = await this.readStore());
    } catch (error) {
      this.options.log.error(`[storage] ${describeError(error)}`);
      state = { ok: false, reason: 'secret storage could not be read' };
    }
    // A write of ours that finished while this read was pending is newer than what it read.
    if (this.writeCount === writesBefore) {
      this.cached = state;
      this.viewStamp = stamp;
      if (this.ahead?.stamp === stamp) {
        this.ahead = undefined;
      }
    }
    this.changed.fire(cause);
  }

  state(): AccountState {
    const credentials = this.storedCredentials();
    return {
      // What is stored now is what the window ahead wrote, even if this one cannot read it.
      status: this.ahead?.status ?? this.publicStatus(credentials),
      canRefresh: credentials?.kind === 'oauth' && credentials.refreshToken !== undefined,
      refreshing: this.refreshing !== undefined,
      lastError: this.lastError,
      unreadable: this.cached?.ok === false,
      ...(credentials?.account ? { account: credentials.account } : {}),
      behind: this.ahead !== undefined,
    };
  }

  /** The stored access token as it is, without refreshing: for listing sessions. */
  storedAccessToken(): string | undefined {
    return this.storedOAuth()?.accessToken;
  }

  status(): PublicStatus {
    return this.state().status;
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
    if (credential === undefined) {
      return undefined;
    }
    return credential.kind === 'apiKey' ? `API-Key ${credential.value}` : `Bearer ${credential.value}`;
  }

  /** Refreshes now, whatever the expiry. Concurrent calls share one request. */
  refresh(): Promise<TokenCredentials> {
    return this.startRefresh(true);
  }

  private async usableCredential(): Promise<{ kind: 'oauth' | 'apiKey'; value: string } | undefined> {
    const credentials = await this.current();
    if (credentials === undefined) {
      return undefined;
    }
    if (credentials.kind === 'apiKey') {
      return { kind: 'apiKey', value: credentials.apiKey };
    }
    if (this.holdsTokenValidFor(credentials, this.options.settings().refreshMarginMs)) {
      return { kind: 'oauth', value: credentials.accessToken };
    }
    if (credentials.refreshToken === undefined) {
      // The grant is dead, but a token that has not expired yet still works until it does.
      if (this.holdsTokenValidFor(credentials, 0)) {
        return { kind: 'oauth', value: credentials.accessToken };
      }
      throw deadGrant();
    }
    return { kind: 'oauth', value: (await this.startRefresh(false)).accessToken };
  }

  /** Holds an access token that stays valid for at least `marginMs` from now. */
  private holdsTokenValidFor(credentials: OAuthCredentials, marginMs: number): credentials is TokenCredentials {
    const { accessToken, expiresAt } = credentials;
    return accessToken !== undefined && expiresAt !== undefined && expiresAt - marginMs > this.options.clock.now();
  }

  /**
   * One refresh at a time; every caller meanwhile shares it. Unless forced, a refresh first
   * checks the store: another window may just have stored a fresh token, which then serves
   * without a request (and without racing that window on a rotated refresh token).
   */
  private startRefresh(force: boolean): Promise<TokenCredentials> {
    if (!this.refreshing) {
      // One window at a time presents the refresh token: the next one then reads what the first
      // stored instead of racing it with a token PandaDoc may just have rotated.
      const once = () => this.refreshOnce(force);
      const turn = this.options.ledger ? this.options.ledger.exclusive(this.options.key, OTHER_WINDOW_WAIT_MS, once) : once();
      this.refreshing = turn.finally(() => {
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
    await this.exclusive(() => this.write({ kind: 'oauth', ...value }, 'store'));
    this.options.log.info(
      `[store] OAuth credentials saved (client ${fingerprint(value.clientId)}, refresh token ${fingerprint(value.refreshToken)})`,
    );
  }

  /** Stores what a browser sign-in obtained, replacing whatever was stored. */
  async storeSignIn({ clientId, clientSecret, grant }: SignInResult): Promise<void> {
    const { accessToken, refreshToken, expiresAt } = grant;
    // write() hands every secret to the redactor before anything is logged.
    await this.exclusive(() => this.write({ kind: 'oauth', clientId, clientSecret, accessToken, refreshToken, expiresAt }, 'store'));
    this.options.log.info(
      `[store] signed in (client ${fingerprint(clientId)}, token ${fingerprint(accessToken)}${
        refreshToken ? `, refresh token ${fingerprint(refreshToken)}` : ', no refresh token'
      })`,
    );
  }

  /**
   * Remembers whose credentials these are. Skipped when the credentials changed since `used`
   * was read: the answer would describe someone else's.
   */
  async setAccount(account: AccountInfo, used: string): Promise<boolean> {
    return this.exclusive(async () => {
      const latest = await this.readLatest();
      // Behind another window, a write would put back the old credentials over its newer ones.
      if (latest === undefined || identityOf(latest) !== used || this.ahead !== undefined) {
        return false;
      }
      await this.write({ ...latest, account }, 'account');
      return true;
    });
  }

  /** What `setAccount` compares: the stored credentials' identity, changed by any re-entry. */
  identity(): string | undefined {
    const credentials = this.storedCredentials();
    return credentials && identityOf(credentials);
  }

  /** Validates and stores an API key, replacing whatever was stored. */
  async setApiKey(input: unknown): Promise<void> {
    const apiKey = normalizeCredential(input, 'apiKey');
    await this.exclusive(() => this.write({ kind: 'apiKey', apiKey }, 'store'));
    this.options.log.info(`[store] API key saved (${fingerprint(apiKey)})`);
  }

  /** Deletes everything stored. Resolves false when there was nothing to delete. */
  async signOut(): Promise<boolean> {
    return this.exclusive(async () => {
      const stored = await this.readStore().then(({ state }) => state, () => undefined);
      if (stored?.ok && stored.credentials === undefined) {
        return false;
      }
      await this.write(undefined, 'signOut');
      this.options.log.info('[store] signed out: stored credentials deleted');
      return true;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** What the last read or write left in the cache; undefined when nothing or unreadable. */
  private storedCredentials(): Credentials | undefined {
    return this.cached?.ok ? this.cached.credentials : undefined;
  }

  private storedOAuth(): OAuthCredentials | undefined {
    const credentials = this.storedCredentials();
    return credentials?.kind === 'oauth' ? credentials : undefined;
  }

  private publicStatus(credentials: Credentials | undefined): PublicStatus {
    if (credentials === undefined) {
      return { kind: 'none' };
    }
    if (credentials.kind === 'apiKey') {
      return { kind: 'apiKey' };
    }
    return credentials.expiresAt === undefined ? { kind: 'oauth' } : { kind: 'oauth', expiresAt: credentials.expiresAt };
  }

  private async current(): Promise<Credentials | undefined> {
    if (!this.cached) {
      this.loading ??= this.readStore().finally(() => {
        this.loading = undefined;
      });
      const { state, stamp } = await this.loading;
      this.cached = state;
      this.viewStamp = stamp;
    }
    if (!this.cached.ok) {
      throw new AuthError('storage', `The stored credentials cannot be read (${this.cached.reason}); set them again.`);
    }
    return this.cached.credentials;
  }

  private async readStore(): Promise<{ state: StoredState; stamp: string }> {
    let text: string | undefined;
    try {
      text = await this.options.store.get(this.options.key);
    } catch {
      throw new AuthError('storage', 'VS Code could not read its secret storage.');
    }
    const state = parseCredentials(text);
    if (state.ok) {
      this.options.redactor.remember(secretsOf(state.credentials));
    } else {
      this.options.log.error(`[storage] the stored credentials cannot be read (${state.reason}); set them again`);
    }
    return { state, stamp: stampOf(text) };
  }

  /** The only place that changes what is stored: one secret value, written in one call. */
  private async write(credentials: Credentials | undefined, cause: ChangeCause): Promise<void> {
    this.options.redactor.remember(secretsOf(credentials));
    const text = credentials === undefined ? undefined : serializeCredentials(credentials);
    try {
      if (text === undefined) {
        await this.options.store.delete(this.options.key);
      } else {
        await this.options.store.store(this.options.key, text);
      }
    } catch {
      throw new AuthError('storage', 'VS Code could not write its secret storage.');
    }
    this.writeCount++;
    this.cached = { ok: true, credentials };
    this.viewStamp = stampOf(text);
    this.ownStamps.push(this.viewStamp);
    this.ownStamps.splice(0, this.ownStamps.length - OWN_STAMPS_KEPT);
    this.ahead = undefined;
    this.lastError = undefined;
    // Announced before the ledger is written: SecretStorage's own change event for this write
    // may arrive meanwhile, and must find the state it reports already announced.
    this.changed.fire(cause);
    await this.options.ledger?.record(this.options.key, { stamp: this.viewStamp, status: this.publicStatus(credentials) }).catch((error: unknown) => {
      // The other windows then learn of it at their next refresh instead (see afterInvalidGrant).
      this.options.log.warn(`[storage] could not tell other windows of the write: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.writes.queue(task);
  }

  private async refreshOnce(force: boolean): Promise<TokenCredentials> {
    try {
      // Read the store, not the cache: another window may have rotated the token a moment ago.
      const credentials = await this.readLatest();
      if (credentials?.kind !== 'oauth') {
        throw new AuthError('no_credentials', 'No PandaDoc OAuth credentials are stored.');
      }
      if (!force && this.holdsTokenValidFor(credentials, this.options.settings().refreshMarginMs)) {
        return credentials;
      }
      if (credentials.refreshToken === undefined) {
        throw deadGrant();
      }
      let grant: TokenGrant;
      try {
        grant = await exchangeRefreshToken(this.options, credentials, credentials.refreshToken);
      } catch (error) {
        if (isAuthError(error) && error.code === 'invalid_grant') {
          return await this.afterInvalidGrant(credentials, error);
        }
        throw error;
      }
      return await this.storeGrant(credentials, grant);
    } catch (error) {
      const failure = isAuthError(error) ? error : new AuthError('bad_response', 'Unexpected failure while refreshing.');
      // Behind another window is not a failure of the account: `behind` in the state says it.
      if (failure.code !== 'stale_window') {
        this.lastError = failure;
      }
      throw failure;
    }
  }

  /** Stores a successful answer, unless the credentials it belongs to were replaced meanwhile. */
  private storeGrant(used: OAuthCredentials, grant: TokenGrant): Promise<TokenCredentials> {
    return this.exclusive(async () => {
      const latest = await this.readLatest();
      if (!sameGrant(latest, used)) {
        // Signed out, replaced, or refreshed by another window while we waited: what the user
        // or the other window stored wins over our answer.
        this.options.log.warn('[refresh] the stored credentials changed during the refresh; keeping the newer ones');
        return this.adopt(latest);
      }
      const next: TokenCredentials = {
        ...used,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken ?? used.refreshToken,
        expiresAt: grant.expiresAt,
      };
      await this.write(next, 'refresh');
      return next;
    });
  }

  /**
   * PandaDoc refused the refresh token. If another window rotated it meanwhile, its newer
   * credentials are the live ones. Otherwise the grant is dead: the refresh token is dropped, the
   * client id and secret (and an access token that has not expired) are kept.
   */
  private afterInvalidGrant(used: OAuthCredentials, error: AuthError): Promise<TokenCredentials> {
    return this.exclusive(async () => {
      const latest = await this.readLatest();
      if (!sameGrant(latest, used)) {
        this.options.log.info('[refresh] another window stored newer credentials; using them');
        return this.adopt(latest, error);
      }
      const ahead = await this.newerElsewhere();
      if (ahead) {
        // The refresh token is alive in the other window's write, which this window's store
        // cannot show: dropping it here would sign every window out at their next reload.
        this.ahead = ahead;
        this.changed.fire('external');
        this.options.log.warn('[refresh] another window refreshed, and this window cannot read its credentials until it reloads; nothing was removed');
        throw new AuthError('stale_window', 'Another window refreshed the token; reload this window to use it.', { oauthError: 'invalid_grant' });
      }
      const { clientId, clientSecret, accessToken, expiresAt, account } = used;
      await this.write({ kind: 'oauth', clientId, clientSecret, accessToken, expiresAt, account }, 'refresh');
      this.options.log.warn('[refresh] PandaDoc no longer accepts the refresh token; it was removed, client kept');
      throw error;
    });
  }

  /** Newer credentials found instead of ours: use them when they hold a token. */
  private adopt(latest: Credentials | undefined, failure?: AuthError): TokenCredentials {
    this.changed.fire('external');
    if (latest?.kind === 'oauth' && latest.accessToken) {
      return { ...latest, accessToken: latest.accessToken };
    }
    throw failure ?? new AuthError('no_credentials', 'The credentials were removed or replaced during the refresh.');
  }

  /** The other window's write, when this window's store cannot show it and reloading would. */
  private async newerElsewhere(): Promise<LedgerEntry | undefined> {
    const entry = await this.options.ledger?.read(this.options.key);
    return entry && this.unreadable(entry) ? entry : undefined;
  }

  /** A write this window's store does not show, made after the window loaded (one made before
   *  was lost, and a reload would not bring it). */
  private unreadable(entry: LedgerEntry): boolean {
    return entry.stamp !== this.viewStamp && entry.stamp !== this.stampAtLoad;
  }

  private async readLatest(): Promise<Credentials | undefined> {
    const { state, stamp } = await this.readStore();
    this.cached = state;
    this.viewStamp = stamp;
    return state.ok ? state.credentials : undefined;
  }
}
