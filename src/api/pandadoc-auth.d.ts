/**
 * The API of the PandaDoc Auth extension (`pandadoc-tools.pandadoc-auth`), version 1.
 * Copy this file into your extension to type what `activate()` returns:
 *
 *   const ext = vscode.extensions.getExtension<PandaDocAuthExports>('pandadoc-tools.pandadoc-auth');
 *   const api = (await ext?.activate())?.getApi(1);
 *   const header = await api?.getAuthorizationHeader(); // "Bearer ..." or "API-Key ..."
 */
import type { Event } from 'vscode';

export interface PandaDocAuthExports {
  /** The API of the given version. Throws for a version this release does not offer. */
  getApi(version: 1): PandaDocAuthApiV1;
}

export interface PandaDocAuthStatus {
  /** What is stored: nothing, OAuth credentials, or an API key. */
  readonly kind: 'none' | 'oauth' | 'apiKey';
  /** OAuth only: when the access token expires, in ms since the epoch. */
  readonly expiresAt?: number;
  /** The active profile's name (`Default` until the user makes others). */
  readonly profile: string;
}

/** Why a token could not be had. */
export type PandaDocAuthErrorCode =
  /** PandaDoc no longer accepts the refresh token: the user must set credentials again. */
  | 'invalid_grant'
  /** Client id or secret rejected. */
  | 'invalid_client'
  /** Any other OAuth error (invalid_request, invalid_scope, unsupported_grant_type, ...) or a
   *  4xx without one. */
  | 'rejected'
  /** No connection, reset, DNS failure, connection dropped mid-answer. Transient. */
  | 'network'
  /** No complete answer within `pandadoc.requestTimeoutSeconds`. */
  | 'timeout'
  /** A 5xx. Transient. */
  | 'server'
  /** A 429. Transient. */
  | 'rate_limited'
  /** Not a usable token response: HTML, broken JSON, a 200 without `access_token`, a redirect,
   *  an oversized body. */
  | 'bad_response'
  /** The settings do not allow a request (e.g. plain http to a non-loopback host). */
  | 'bad_config'
  /** A credential that fails validation. */
  | 'bad_input'
  /** Nothing is stored that could produce a token. */
  | 'no_credentials'
  /** VS Code's secret storage failed, or holds a value that cannot be read. */
  | 'storage'
  /** PandaDoc's API refused the stored token or key (HTTP 401 or 403), even after a refresh. */
  | 'unauthorized'
  /** Browser sign-in: the user declined access on PandaDoc's page (`error=access_denied`). */
  | 'access_denied'
  /** Browser sign-in: the answer carried another sign-in's `state`; nothing was exchanged. */
  | 'state_mismatch'
  /** Browser sign-in: cancelled by the user. */
  | 'cancelled'
  /** Another window refreshed (PandaDoc rotated the refresh token) and this window cannot read
   *  the new credentials until it reloads: VS Code for the Web and code-server keep secrets per
   *  window. Nothing was removed; reloading the window fixes it. */
  | 'stale_window';

/** What the API's promises reject with. `message` never contains a secret. */
export interface PandaDocAuthError extends Error {
  readonly code: PandaDocAuthErrorCode;
}

export interface PandaDocAuthApiV1 {
  /**
   * A valid access token, refreshed first when it has expired or expires within the refresh
   * margin (`pandadoc.refreshMarginMinutes`); for an API key, the key; undefined when nothing is
   * stored. Rejects with a PandaDocAuthError when a needed refresh fails. Concurrent calls share
   * one refresh.
   */
  getAccessToken(): Promise<string | undefined>;
  /** `Bearer <token>` or `API-Key <key>`, ready for an Authorization header; undefined when
   *  nothing is stored. Rejects like getAccessToken. */
  getAuthorizationHeader(): Promise<string | undefined>;
  /**
   * An auth method for PandaDoc's official Node SDK (`pandadoc-node-client`), for its
   * `authMethods.default`. The SDK calls `applySecurityAuthentication` before every request;
   * it sets the `Authorization` header from getAuthorizationHeader(), so each request carries a
   * token fresh for the refresh margin (or the API key) of the profile active at that moment,
   * however long the SDK's configuration is kept. With nothing stored it rejects with a
   * PandaDocAuthError of code `no_credentials` and the SDK sends nothing; a failed refresh
   * rejects as getAccessToken does. The SDK passes the rejection on unchanged. It gives out
   * nothing that getAuthorizationHeader() does not.
   *
   *   import { createConfiguration, MembersApi, ServerConfiguration } from 'pandadoc-node-client';
   *   const config = createConfiguration({
   *     baseServer: new ServerConfiguration('https://api.pandadoc.com', {}), // .eu for the EU region
   *     authMethods: { default: api.createSdkAuthMethod() },
   *   });
   *   const member = await new MembersApi(config).detailsCurrentMember();
   */
  createSdkAuthMethod(): PandaDocSdkAuthMethod;
  /** What is stored, without any secret. */
  getStatus(): PandaDocAuthStatus;
  /** Fires when credentials are stored, refreshed or removed, or another profile becomes
   *  active, in this window or another one. */
  readonly onDidChangeStatus: Event<PandaDocAuthStatus>;

  // Writing, since 0.3.0. These act at once, with no question: they are for extensions, which
  // already run in the same process with the same rights (SECURITY.md, "A malicious extension").
  // The commands that do the same (`pandadoc.setCredentials`, `pandadoc.signOut`, ...) always ask
  // a person first, whatever their arguments, because a workspace's tasks.json and launch.json
  // can run any command with any arguments; they cannot reach `getApi(1)`. Each rejects with a
  // PandaDocAuthError (`bad_input` for a value that fails validation, `storage` when VS Code's
  // secret storage fails) and stores nothing then. None of them makes a network request.

  /** Stores OAuth credentials in the active profile, replacing what it holds. Validated, not
   *  checked with PandaDoc: the next getAccessToken() refreshes with them. */
  setOAuthCredentials(credentials: PandaDocOAuthCredentials): Promise<void>;
  /** Stores an API key in the active profile, replacing what it holds. Not checked with PandaDoc. */
  setApiKey(apiKey: string): Promise<void>;
  /** Deletes the active profile and its credentials (the only profile is emptied instead), or
   *  with `{ all: true }` every profile. PandaDoc itself is not told. Resolves false when nothing
   *  was stored. */
  signOut(options?: { all?: boolean }): Promise<boolean>;
  /** Deletes the named profile and its credentials; rejects with `bad_input` when there is no
   *  such profile. Resolves false when it was the only profile and empty. */
  deleteProfile(profile: string): Promise<boolean>;
  /** Sets where the named profile's requests go; rejects with `bad_input` when there is no such
   *  profile. A custom region's URLs follow the settings' rules: `https:`, plain `http:` only to
   *  loopback. */
  setRegion(profile: string, region: PandaDocRegion): Promise<void>;
}

/** What setOAuthCredentials() stores. */
export interface PandaDocOAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  /** A current access token and when it expires (ms since the epoch), if you have one. */
  readonly accessToken?: string;
  readonly expiresAt?: number;
}

/** PandaDoc's own regions, `settings` (follow `pandadoc.apiBaseUrl` and `pandadoc.authBaseUrl`),
 *  or a custom pair of base URLs. */
export type PandaDocRegion = 'global' | 'eu' | 'settings' | { readonly apiBaseUrl: string; readonly authBaseUrl: string };

/** The one part of the SDK's `RequestContext` the auth method uses. Declared here so this file
 *  needs none of the SDK's types; the SDK's own context fits it. */
export interface PandaDocSdkRequestContext {
  setHeaderParam(name: string, value: string): void;
}

/** What createSdkAuthMethod() returns: it fits the SDK's `SecurityAuthentication`. */
export interface PandaDocSdkAuthMethod {
  /** `pandadoc-auth`. The SDK does not call it. */
  getName(): string;
  /** Sets a fresh `Authorization` header; rejects, and so stops the request, when there is none. */
  applySecurityAuthentication(context: PandaDocSdkRequestContext): Promise<void>;
}
