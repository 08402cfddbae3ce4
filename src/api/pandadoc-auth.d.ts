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
}

export type PandaDocAuthErrorCode =
  | 'invalid_grant'
  | 'invalid_client'
  | 'rejected'
  | 'network'
  | 'timeout'
  | 'server'
  | 'rate_limited'
  | 'bad_response'
  | 'bad_config'
  | 'bad_input'
  | 'no_credentials'
  | 'storage';

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
  /** What is stored, without any secret. */
  getStatus(): PandaDocAuthStatus;
  /** Fires when credentials are stored, refreshed or removed, in this window or another one. */
  readonly onDidChangeStatus: Event<PandaDocAuthStatus>;
}
