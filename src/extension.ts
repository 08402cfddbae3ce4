/**
 * Wiring only: build the services, register the commands, return the API.
 * Activation reads the status snapshot and nothing else, and returns: SecretStorage is read right
 * after (statusSnapshot.ts), and what the status does not need starts then too (the terminal
 * route, the menus' context keys). No network, so it cannot fail offline.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { PandaDocAuthExports } from './api/pandadoc-auth';
import { systemClock, systemScheduler } from './core/base/clock';
import { profileKey } from './core/token/credentials';
import { NodeFetchSender } from './core/pandadoc/nodeFetchSender';
import { Profiles } from './core/profiles/profiles';
import { RedactingLogger, Redactor } from './core/base/redact';
import { AccountLookup } from './core/profiles/accountLookup';
import { RegionStore } from './core/profiles/regionStore';
import { McpChoices } from './core/routes/mcpChoices';
import { WorkspaceGrants } from './core/routes/workspaceGrants';
import { SerialState } from './core/base/stateStore';
import { FileWindowLedger } from './core/token/windowLedger';
import { Api } from './vscode/api/api';
import { registerAuthenticationProvider } from './vscode/api/authProvider';
import { SecretClipboard } from './vscode/credentials/clipboard';
import { CredentialCommands } from './vscode/credentials/credentialCommands';
import { TokenCommands } from './vscode/credentials/tokenCommands';
import { cacheSettings, readSettings } from './vscode/base/configuration';
import { registerActionsMenu } from './vscode/status/actionsMenu';
import { trackCredentialKind } from './vscode/status/contextKeys';
import { GrantsCommand } from './vscode/grants/grantsCommand';
import { findMcpHost } from './vscode/mcp/mcpApi';
import { McpCommands } from './vscode/mcp/mcpCommands';
import { McpRoute } from './vscode/mcp/mcpServers';
import { ProfileCommands } from './vscode/profiles/profileCommands';
import { lastActiveProfile, rememberActiveProfile } from './vscode/profiles/profileHint';
import { answerNextModal, askedModals, clearModalAnswers, modalsAskedInAll } from './vscode/ui/modal';
import { pressButton, shownMessages, useFailureContext } from './vscode/ui/notifications';
import { RegionCommands } from './vscode/regions/regionCommands';
import { registerSignInCommands, SignIn } from './vscode/signin/signIn';
import { StatusBar } from './vscode/status/statusBar';
import { keepStatusSnapshot, readStatusSnapshot } from './vscode/status/statusSnapshot';
import { TaskInputCommand } from './vscode/tasks/taskInput';
import { TerminalCommands } from './vscode/terminal/terminalCommands';
import { TerminalRoute } from './vscode/terminal/terminalCredentials';
import { ToolCommands } from './vscode/tools/toolCommands';

export async function activate(context: vscode.ExtensionContext): Promise<PandaDocAuthExports> {
  const settingsCache = cacheSettings();
  const version = String(context.extension.packageJSON.version);
  const channel = vscode.window.createOutputChannel('PandaDoc', { log: true });
  const redactor = new Redactor();
  const log = new RedactingLogger(channel, redactor);
  // Every window of this VS Code shares the global storage folder: the ledger of writes and the
  // refresh turn live there (no secret, see windowLedger.ts).
  const ledger = new FileWindowLedger(path.join(context.globalStorageUri.fsPath, 'windows'), { log });
  // Every writer of the global state (the snapshot, the profile hint, regions, grants, the chat's
  // choices) shares one queue: two writes in flight can lose one (see SerialState).
  const globalState = new SerialState(context.globalState);
  settleState = () => globalState.settled();
  const services = {
    store: context.secrets,
    http: new NodeFetchSender(),
    clock: systemClock,
    settings: readSettings,
    log,
    redactor,
    ledger,
    userAgent: `pandadoc-auth-vscode/${version}`,
  };
  // Each profile's region: not a secret, and out of any workspace's reach (regionStore.ts).
  const profiles = new Profiles({ ...services, regions: new RegionStore(globalState) });
  // The status the last window stored, if this version wrote it: the UI and the API start from
  // it, and the store is read right after activate() returns, correcting it if need be. Without
  // one (a first install, an update, a corrupt value) the store is read first, as before.
  const snapshot = readStatusSnapshot(globalState, version);
  if (snapshot) {
    profiles.presume(snapshot);
  }
  const read = profiles.initialize(snapshot?.profile ?? lastActiveProfile(globalState));
  if (!snapshot) {
    await read;
  }
  const api = new Api(profiles);
  const account = new AccountLookup(profiles, services);
  const regions = new RegionCommands(profiles);
  const signIn = new SignIn(profiles, services, account, regions);
  const clipboard = new SecretClipboard(log);
  const tokenCommands = new TokenCommands(profiles, channel, log, account, clipboard);
  const grants = new WorkspaceGrants(globalState, systemClock);
  // The task grants are per profile: they follow a rename and go with a removed profile.
  const grantsFollowProfiles = profiles.followNames(grants);
  // New terminals get the active profile's credentials in the workspaces the user allowed.
  const terminals = new TerminalRoute({ profiles, grants, collection: context.environmentVariableCollection, clock: systemClock, scheduler: systemScheduler, log });
  // PandaDoc's MCP servers for VS Code's chat, per profile, once the person turned them on. The
  // API arrived in VS Code 1.101: before that, the feature is left out (mcpApi.ts). Registered
  // before activate() returns, unlike the terminal route: VS Code asks for the definitions as soon
  // as the activation it caused (onMcpCollection) is done, and a start before then does nothing.
  const mcpChoices = new McpChoices(globalState, systemClock);
  const mcpHost = findMcpHost();
  const mcp = mcpHost === undefined ? undefined : new McpRoute({ profiles, choices: mcpChoices, host: mcpHost, log });
  if (mcpHost === undefined) {
    log.info(`[mcp] VS Code ${vscode.version} cannot take MCP servers from an extension (1.101 or later can): PandaDoc's tools in chat are left out`);
  }
  context.subscriptions.push(
    settingsCache,
    channel,
    profiles,
    api,
    clipboard,
    grants,
    grantsFollowProfiles,
    terminals,
    mcpChoices,
    profiles.followNames(mcpChoices),
    ...(mcp === undefined ? [] : [mcp]),
    new StatusBar(profiles),
    rememberActiveProfile(globalState, profiles),
    keepStatusSnapshot(globalState, profiles, version, log),
    useFailureContext(regions.failureContext()),
    ...regions.register(),
    ...tokenCommands.register(),
    ...new CredentialCommands(profiles, log, account, regions, tokenCommands).register(),
    ...registerActionsMenu(profiles),
    ...registerSignInCommands(signIn),
    ...new ProfileCommands(profiles).register(),
    ...new ToolCommands(profiles, account, regions).register(),
    ...new TaskInputCommand(profiles, grants, log).register(),
    ...new GrantsCommand(grants, log, mcpChoices).register(),
    ...new TerminalCommands(grants, terminals, () => profiles.activeName()).register(),
    ...new McpCommands(profiles, mcpChoices, mcpHost !== undefined, log).register(),
    registerAuthenticationProvider(profiles, signIn, log),
    // Another window stored, refreshed, switched or deleted: follow it.
    context.secrets.onDidChange((event) => void profiles.onSecretChange(event.key)),
    // The same news where SecretStorage does not carry it between windows.
    ledger,
    ledger.onDidRecord((key) => void profiles.onLedgerRecord(key)),
  );
  // Not needed to answer the status, so started once activate() has returned (issue 22): the
  // terminal route (the collection's first write, its six listeners, then its first decision
  // after the store's read) and the context keys of the palette's menus. The commands above are
  // registered already, so a command that activated the extension finds them.
  const afterReturn = setImmediate(() => {
    terminals.start();
    context.subscriptions.push(trackCredentialKind(profiles));
  });
  context.subscriptions.push({ dispose: () => clearImmediate(afterReturn) });
  // Only for this extension's own integration tests (VS Code sets Test mode only when it runs
  // the extension from source with a test runner): lets them check what the real SecretStorage
  // holds, and read the log VS Code writes for the output channel. An installed extension never
  // exposes it.
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    // When activate() returned, what getStatus() said then, and how long after it the store had
    // been read (when a correction, if any, fired): for the after-reload test and the bench.
    // Times in ms since the extension host started; the status bar item was made just before.
    const returnedAt = performance.now();
    const startup = {
      fromSnapshot: snapshot !== undefined,
      statusAtReturn: api.v1.getStatus(),
      returnedAtMs: returnedAt,
      readAfterReturnMs: undefined as number | undefined,
      corrected: false,
    };
    void read.then(() => {
      startup.readAfterReturnMs = performance.now() - returnedAt;
      startup.corrected = JSON.stringify(api.v1.getStatus()) !== JSON.stringify(startup.statusAtReturn);
    });
    const testing = {
      startup,
      globalState,
      secrets: context.secrets,
      storageKey: () => profileKey(profiles.activeName()),
      logUri: context.logUri,
      shownMessages,
      askedModals,
      modalsAskedInAll,
      answerModal: answerNextModal,
      clearModalAnswers,
      pressButton,
      regions: profiles.regions,
      grants,
      // What new terminals get, when it changes, and the window's collection itself: the tests
      // compare its values with the token they expect (never printed).
      terminals: terminals.credentials,
      terminalCollection: context.environmentVariableCollection,
      // The chat's MCP servers: the choices, and the provider (what it offers, and its resolve,
      // which the tests and the bench call as VS Code does).
      mcpChoices,
      mcp,
    };
    return { ...api.exports, testing } as PandaDocAuthExports;
  }
  return api.exports;
}

/** Set by activate(): the global state's queue, which deactivate() lets land. */
let settleState: (() => Promise<void>) | undefined;

/** Everything is disposed through context.subscriptions. VS Code waits a few seconds at most for
 *  the promise, ample for a write of the global state still queued (the status snapshot after a
 *  last store, say) to land before the window goes, so the next window starts from it. */
export function deactivate(): Promise<void> | undefined {
  return settleState?.();
}
