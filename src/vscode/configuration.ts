/** Reads the `pandadoc.*` settings. */
import * as vscode from 'vscode';
import { type Settings, settingsFrom } from '../core/base/settings';

export const SECTION = 'pandadoc';

/**
 * The token settings, from the user's settings only. They are application-scoped, so VS Code
 * already ignores them in workspace settings; reading the global value ourselves keeps that true
 * on any host, so a cloned repository can never point token requests somewhere else, nor leave
 * a copied token on the clipboard.
 */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const userValue = (key: string): unknown => {
    const inspected = config.inspect(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  };
  return settingsFrom({
    apiBaseUrl: userValue('apiBaseUrl'),
    authBaseUrl: userValue('authBaseUrl'),
    redirectUri: userValue('redirectUri'),
    scope: userValue('scope'),
    requestTimeoutSeconds: userValue('requestTimeoutSeconds'),
    refreshMarginMinutes: userValue('refreshMarginMinutes'),
    clipboardClearSeconds: userValue('clipboardClearSeconds'),
  });
}

export function statusBarEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('statusBar.enabled', true);
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
