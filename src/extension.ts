/**
 * Wiring only: build the services, register the commands, return the API.
 * Activation reads the secret store and nothing else: no network, so it cannot fail offline.
 */
import * as vscode from 'vscode';
import type { PandaDocAuthExports } from './api/pandadoc-auth';
import { systemClock } from './core/clock';
import { CREDENTIALS_KEY } from './core/credentials';
import { NodeFetchSender } from './core/nodeFetchSender';
import { RedactingLogger, Redactor } from './core/redact';
import { TokenManager } from './core/tokenManager';
import { Api } from './vscode/api';
import { Commands } from './vscode/commands';
import { readSettings } from './vscode/configuration';
import { trackCredentialKind } from './vscode/contextKeys';
import { StatusBar } from './vscode/statusBar';

export async function activate(context: vscode.ExtensionContext): Promise<PandaDocAuthExports> {
  const channel = vscode.window.createOutputChannel('PandaDoc', { log: true });
  const redactor = new Redactor();
  const log = new RedactingLogger(channel, redactor);
  const manager = new TokenManager({
    store: context.secrets,
    http: new NodeFetchSender(),
    clock: systemClock,
    settings: readSettings,
    log,
    redactor,
    userAgent: `pandadoc-auth-vscode/${String(context.extension.packageJSON.version)}`,
  });
  // Read what is stored before the UI and API exist, so they start from the real state.
  await manager.initialize();
  const api = new Api(manager);
  context.subscriptions.push(
    channel,
    manager,
    api,
    new StatusBar(manager),
    trackCredentialKind(manager),
    ...new Commands(manager, channel, log).register(),
    // Another window stored, refreshed or deleted: follow it.
    context.secrets.onDidChange((event) => event.key === CREDENTIALS_KEY && void manager.reload()),
  );
  // Only for this extension's own integration tests (VS Code sets Test mode only when it runs
  // the extension from source with a test runner): lets them check what the real SecretStorage
  // holds. An installed extension never exposes it.
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    return { ...api.exports, testing: { secrets: context.secrets, storageKey: CREDENTIALS_KEY } } as PandaDocAuthExports;
  }
  return api.exports;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
