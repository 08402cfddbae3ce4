/** Reads the `pandadoc.*` settings. */
import * as vscode from 'vscode';
import { DEFAULT_MCP_SERVER_URL, type Settings, settingsFrom } from '../../core/base/settings';

export const SECTION = 'pandadoc';

/**
 * The token settings, from the user's settings only. They are application-scoped, so VS Code
 * already ignores them in workspace settings; reading the global value ourselves keeps that true
 * on any host, so a cloned repository can never point token requests somewhere else, nor leave
 * a copied token on the clipboard.
 */
export function readSettings(): Settings {
  if (cached) {
    return cached;
  }
  const settings = Object.freeze(readFromConfiguration());
  if (caching) {
    cached = settings;
  }
  return settings;
}

/** The settings as last read, while cacheSettings() is on; undefined after a change. */
let cached: Settings | undefined;
let caching = false;

/**
 * Keeps the settings between changes. getAccessToken() reads them on every call, and one read
 * through getConfiguration() and its inspect()s costs about 0.2 ms in the extension host, ten
 * times the rest of the call. They change only through onDidChangeConfiguration, which VS Code
 * fires before a settings update resolves, and which clears the cache.
 */
export function cacheSettings(): vscode.Disposable {
  caching = true;
  const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
    if (affectsSettings(event)) {
      cached = undefined;
    }
  });
  return new vscode.Disposable(() => {
    subscription.dispose();
    caching = false;
    cached = undefined;
  });
}

/** A setting as the user settings give it (or its default): never a workspace's value. */
function userValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = config.inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** `pandadoc.mcpServerUrl`, raw (core/routes/mcpServers.ts checks it), from the user settings
 *  only, like the token settings: a repository cannot send the MCP header elsewhere. */
export function readMcpServerUrl(): string {
  const value = userValue(vscode.workspace.getConfiguration(SECTION), 'mcpServerUrl');
  return typeof value === 'string' ? value : DEFAULT_MCP_SERVER_URL;
}

function readFromConfiguration(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const read = (key: string): unknown => userValue(config, key);
  return settingsFrom({
    apiBaseUrl: read('apiBaseUrl'),
    authBaseUrl: read('authBaseUrl'),
    redirectUri: read('redirectUri'),
    scope: read('scope'),
    requestTimeoutSeconds: read('requestTimeoutSeconds'),
    refreshMarginMinutes: read('refreshMarginMinutes'),
    clipboardClearSeconds: read('clipboardClearSeconds'),
  });
}

export function statusBarEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('statusBar.enabled', true);
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
