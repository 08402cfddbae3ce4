/**
 * The project's PandaDoc-compatible server, started inside this extension host on 127.0.0.1 and
 * set as `pandadoc.apiBaseUrl` (application scope, so the user settings), as the integration
 * suite's sandbox does. One OAuth client is registered and stored through the API.
 */
import * as vscode from 'vscode';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { PandaDocServer } from '../../support/pandadocServer';

export interface BenchServer {
  server: PandaDocServer;
  client: { clientId: string; clientSecret: string; refreshToken: string };
}

export async function startBenchServer(api: PandaDocAuthApiV1): Promise<BenchServer> {
  const server = await PandaDocServer.start();
  await vscode.workspace.getConfiguration('pandadoc').update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
  const client = server.addClient();
  await api.setOAuthCredentials(client);
  return { server, client };
}
