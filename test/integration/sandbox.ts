/**
 * What every integration test runs against: the real extension (the esbuild bundle, activated by
 * VS Code) and the project's PandaDoc-compatible server on 127.0.0.1, started inside this
 * extension host and set as `pandadoc.apiBaseUrl` in the user settings. Nothing here depends on
 * which host runs the suite (code-server's payload or @vscode/test-electron).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SNAPSHOT_KEY } from '../../src/core/profiles/statusSnapshot';
import type { PandaDocAuthApiV1, PandaDocAuthExports, PandaDocAuthStatus } from '../../src/api/pandadoc-auth';
import { LEGACY_CREDENTIALS_KEY, profileKey } from '../../src/core/token/credentials';
import { DEFAULT_PROFILE, PROFILES_KEY } from '../../src/core/profiles/profileIndex';
import type { RegionStore } from '../../src/core/profiles/regionStore';
import type { StateStore } from '../../src/core/base/stateStore';
import type { McpChoices } from '../../src/core/routes/mcpChoices';
import { CONSENT_BUTTON, type ConsentAnswer } from '../../src/core/routes/taskConsent';
import type { WorkspaceGrants } from '../../src/core/routes/workspaceGrants';
import type { McpRoute } from '../../src/vscode/mcp/mcpServers';
import { EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { handOverSecrets } from '../host/leakCheck';
import { digest } from '../support/assertions';
import { PANDADOC_EXPIRES_IN, PandaDocServer } from '../support/pandadocServer';

/** What the extension exports in ExtensionMode.Test only (see src/extension.ts). */
export interface TestingExports extends PandaDocAuthExports {
  /** The extension's own SecretStorage, the key of the active profile's value, and the folder
   *  VS Code writes the extension's logs to; the last messages shown in notifications (never a
   *  secret), oldest first. */
  testing: {
    secrets: vscode.SecretStorage;
    storageKey(): string;
    logUri: vscode.Uri;
    shownMessages(): readonly string[];
    /** The modal questions asked, oldest first (their messages; VS Code refuses the dialogs in a
     *  test window, which reads as Cancel). */
    askedModals(): readonly string[];
    /** How many modal questions were asked in all. */
    modalsAskedInAll(): number;
    /** Answers the next modal question with a button's label (undefined: Cancel), as a person would. */
    answerModal(label: string | undefined): void;
    clearModalAnswers(): void;
    /** Presses a button of the last failure shown, as a user would; false when it has none. */
    pressButton(label: string): boolean;
    /** Each profile's region; `useTable` points the named regions at test servers. */
    regions: RegionStore;
    /** The workspace grants (terminal and tasks routes), to grant before a test. */
    grants: WorkspaceGrants;
    /** The extension's global state, where the status snapshot is kept (statusSnapshot.ts). */
    globalState: StateStore;
    /** How activation went: from the snapshot or not, getStatus() the moment activate() returned,
     *  and how long after that the store had been read (undefined until it has). */
    startup: { fromSnapshot: boolean; statusAtReturn: PandaDocAuthStatus; returnedAtMs: number; readAfterReturnMs: number | undefined; corrected: boolean };
    /** Which profiles are turned on for VS Code's chat. */
    mcpChoices: McpChoices;
    /** The MCP server provider; undefined where VS Code has no MCP API. */
    mcp: McpRoute | undefined;
  };
}

export interface Sandbox {
  server: PandaDocServer;
  extension: vscode.Extension<TestingExports>;
  api: PandaDocAuthApiV1;
  secrets: vscode.SecretStorage;
  /** The raw value of the active profile in the extension's real SecretStorage. */
  stored(): Promise<string | undefined>;
  storedJson(): Promise<Record<string, unknown> | undefined>;
  /** What the PandaDoc output channel holds so far, from the file VS Code writes it to. */
  channelLog(): Promise<string>;
}

/** Short, so the timeout case is quick; retries of 5xx still wait 1 s and 2 s. */
export const TIMEOUT_SECONDS = 2;

let sandboxPromise: Promise<Sandbox> | undefined;

export function sandbox(): Promise<Sandbox> {
  sandboxPromise ??= start();
  return sandboxPromise;
}

async function start(): Promise<Sandbox> {
  const server = await PandaDocServer.start();
  const config = vscode.workspace.getConfiguration('pandadoc');
  await config.update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
  await config.update('requestTimeoutSeconds', TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
  // The browser sign-in goes to the same server, and its answer to a free loopback port.
  await config.update('authBaseUrl', server.url, vscode.ConfigurationTarget.Global);
  await config.update('redirectUri', `http://127.0.0.1:${await freePort()}/callback`, vscode.ConfigurationTarget.Global);
  const extension = vscode.extensions.getExtension<TestingExports>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this host`);
  }
  const exported = await extension.activate();
  const { secrets, storageKey, logUri } = exported.testing;
  const stored = () => Promise.resolve(secrets.get(storageKey()));
  return {
    server,
    extension,
    api: exported.getApi(1),
    secrets,
    stored,
    storedJson: async () => {
      const text = await stored();
      return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
    },
    channelLog: async () => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'PandaDoc.log')));
      } catch {
        return ''; // Nothing written yet.
      }
    },
  };
}

let euServerPromise: Promise<PandaDocServer> | undefined;

/** A second PandaDoc-compatible server, standing for the EU region in the region tests. */
export function euServer(): Promise<PandaDocServer> {
  euServerPromise ??= PandaDocServer.start();
  return euServerPromise;
}

/**
 * Runs `task` with the named regions pointed at test servers: global at the sandbox's server, EU
 * at `euServer()`. PandaDoc's real hosts are never contacted; the table is put back after.
 */
export async function withTestRegions<T>(task: (servers: { global: PandaDocServer; eu: PandaDocServer }) => Promise<T>): Promise<T> {
  const { server, extension } = await sandbox();
  const eu = await euServer();
  const { regions } = extension.exports.testing;
  regions.useTable({ global: { apiBaseUrl: server.url, authBaseUrl: server.url }, eu: { apiBaseUrl: eu.url, authBaseUrl: eu.url } });
  try {
    return await task({ global: server, eu });
  } finally {
    regions.useTable(undefined);
    eu.clearFaults();
  }
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Signs every profile out, revokes the workspace grants and clears queued faults, so each test
 *  starts from nothing stored or allowed, in the one profile "Default". */
export async function reset(): Promise<void> {
  const { server, extension } = await sandbox();
  server.clearFaults();
  // No workspace allowed the terminal or task routes either: a test that grants one must not
  // hand it to the next (the terminal route would refresh in the background with the grant).
  const { grants, clearModalAnswers, mcpChoices } = extension.exports.testing;
  clearModalAnswers();
  for (const grant of grants.list()) {
    await grants.revoke(grant.workspace.id, grant.route);
  }
  // Nor is any profile turned on for VS Code's chat.
  for (const choice of mcpChoices.list()) {
    await mcpChoices.turnOff(choice.profile);
  }
  await (await sandbox()).api.signOut({ all: true });
}

/** Answers the task input's next consent question as a person would: a button, or Cancel
 *  (`deny`). The question is a modal one like any other (answerModal). */
export async function answerConsent(answer: ConsentAnswer | 'deny'): Promise<void> {
  (await sandbox()).extension.exports.testing.answerModal(answer === 'deny' ? undefined : CONSENT_BUTTON[answer]);
}

/** Registers a client on the sandbox server and stores its credentials through the API (the
 *  command would ask a person first). */
export async function signIn(): Promise<{ clientId: string; clientSecret: string; refreshToken: string }> {
  const { server, api } = await sandbox();
  const client = server.addClient();
  await api.setOAuthCredentials(client);
  return client;
}

/** Runs `task` with `pandadoc.apiBaseUrl` set to `url` in the user settings, then restores the sandbox's. */
export async function withApiBaseUrl<T>(url: string, task: () => Promise<T>): Promise<T> {
  const { server } = await sandbox();
  const config = vscode.workspace.getConfiguration('pandadoc');
  await config.update('apiBaseUrl', url, vscode.ConfigurationTarget.Global);
  try {
    return await task();
  } finally {
    await config.update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
  }
}

/** Runs `task` while the sandbox server issues access tokens that live `seconds` (60 is inside
 *  the 5-minute refresh margin: due as soon as issued), then PandaDoc's year again. */
export async function withTokenLifetime<T>(seconds: number, task: () => Promise<T>): Promise<T> {
  const { server } = await sandbox();
  server.expiresIn = seconds;
  try {
    return await task();
  } finally {
    server.expiresIn = PANDADOC_EXPIRES_IN;
  }
}

/** Runs `task` with `pandadoc.<key>` set to `value` in the user settings, then puts back what the
 *  user settings held before (nothing included). */
export async function withUserSetting<T>(key: string, value: unknown, task: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('pandadoc');
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await task();
  } finally {
    await config.update(key, before, vscode.ConfigurationTarget.Global);
  }
}

/** Waits until `check` resolves true, polling; fails naming `what` after `ms`. For what happens
 *  on its own time: a timer in the extension, a log line written asynchronously. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error(`${what} did not happen within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the next status event, or rejects after `ms`. */
export function nextStatus(api: PandaDocAuthApiV1, ms = 5000): Promise<ReturnType<PandaDocAuthApiV1['getStatus']>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no onDidChangeStatus within ${ms} ms`));
    }, ms);
    const subscription = api.onDidChangeStatus((status) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(status);
    });
  });
}

/**
 * After the whole suite, when a harness gave a state folder: leave credentials stored for the
 * after-reload phase (with a digest of what it must find) and, when the harness runs a leak check,
 * hand over every secret the run used, so it can search the user-data folder and the output for
 * them. The folder is outside the scanned one and the harness deletes the file after the scan.
 */
after(async function () {
  const stateDir = process.env.PANDADOC_TEST_STATE_DIR;
  if (!stateDir || !sandboxPromise) {
    return;
  }
  this.timeout(20_000);
  const { server, api, storedJson, secrets } = await sandbox();
  await reset();
  await signIn();
  const token = await api.getAccessToken();
  // Leave the account as version 0.1 stored it (its one key, its fields, no profiles), so the
  // next extension host proves the migration in the real SecretStorage.
  const current = (await storedJson()) ?? {};
  const legacy = JSON.stringify({
    version: 1,
    kind: 'oauth',
    clientId: current.clientId,
    clientSecret: current.clientSecret,
    refreshToken: current.refreshToken,
    accessToken: current.accessToken,
    expiresAt: current.expiresAt,
  });
  const status = api.getStatus();
  const { globalState } = (await sandbox()).extension.exports.testing;
  // The snapshot follows the status in the same turn, but VS Code's memento can lose a write to an
  // echo, which the extension then writes again: wait until it holds this status.
  const holdsStatus = () => (globalState.get(SNAPSHOT_KEY) as { expiresAt?: number } | undefined)?.expiresAt === status.expiresAt;
  for (let waited = 0; !holdsStatus() && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const signedIn = globalState.get(SNAPSHOT_KEY);
  await secrets.store(LEGACY_CREDENTIALS_KEY, legacy);
  await secrets.delete(PROFILES_KEY);
  await secrets.delete(profileKey(DEFAULT_PROFILE));
  // This window follows the deletes and snapshots "none"; once it has, put back the snapshot of
  // the signed-in status, which the 0.1 value now stored says too: the next window's activation
  // answers from it (checked there), and the migration's read agrees.
  for (let waited = 0; api.getStatus().kind !== 'none' && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await globalState.update(SNAPSHOT_KEY, signedIn);
  const expected = { legacy: digest(legacy), token: digest(token), status };
  fs.writeFileSync(path.join(stateDir, 'reload-expect.json'), JSON.stringify(expected));
  if (process.env.PANDADOC_TEST_LEAK_CHECK === '1') {
    handOverSecrets(stateDir, server.issued, server.issuedCodes);
  }
});
