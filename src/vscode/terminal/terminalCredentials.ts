/**
 * The terminal route in VS Code: the window's EnvironmentVariableCollection as the route's sink
 * (core/routes/terminalCredentials.ts decides what goes in), the gate (a folder open, the user's
 * permission for it, workspace trust), the context key the palette reads, and the events after
 * which the route decides again.
 */
import * as vscode from 'vscode';
import { type Clock, type Scheduler } from '../../core/base/clock';
import type { Logger } from '../../core/base/logger';
import type { Profiles } from '../../core/profiles/profiles';
import { LogLevelWatch, type WindowLogLevel } from '../../core/routes/terminalConsent';
import { TerminalCredentials, type TerminalSink } from '../../core/routes/terminalCredentials';
import { TERMINAL_VARIABLES, type TerminalEnvironment, type TerminalGate } from '../../core/routes/terminalVariables';
import type { WorkspaceGrants } from '../../core/routes/workspaceGrants';
import { COMMAND_TITLE } from '../base/commandIds';
import { affectsSettings } from '../base/configuration';
import { currentWorkspace } from '../base/workspaceIdentity';

/** `on` while the current workspace holds the terminal permission (trusted or not), else `off`:
 *  the palette offers Turn Off, or Turn On. */
export const TERMINAL_CONTEXT_KEY = 'pandadoc.terminalCredentials';

/** Whether the window's terminals may get credentials now. Trust is read each time, not kept:
 *  it can be granted while the window lives (onDidGrantWorkspaceTrust), and taking it back
 *  reloads the window. */
export function terminalGate(grants: WorkspaceGrants): TerminalGate {
  const workspace = currentWorkspace();
  if (workspace === undefined) {
    return 'noWorkspace';
  }
  if (!grants.has(workspace.id, 'terminal')) {
    return 'off';
  }
  return vscode.workspace.isTrusted ? 'on' : 'untrusted';
}

/** What VS Code shows for this extension in the terminal's environment hover. */
function describeForTerminal({ profile, kind }: TerminalEnvironment): string {
  const names = TERMINAL_VARIABLES.filter((name) => kind === 'oauth' || name !== 'PANDADOC_ACCESS_TOKEN').map((name) => `\`${name}\``);
  return (
    `PandaDoc credentials of the profile "${profile}" (${kind === 'oauth' ? 'an OAuth token, renewed before it expires' : 'an API key'}): ` +
    `${names.join(', ')}. Every program started in this terminal can read them. ` +
    `To stop, run **PandaDoc: ${COMMAND_TITLE.turnOffTerminalCredentials}** and relaunch the terminal.`
  );
}

/** The window's terminal environment. Not persistent: VS Code keeps the collection in memory for
 *  this extension host only, never in its workspace storage. (What VS Code does with a running
 *  terminal's environment is another matter, which the Turn On question tells: terminalConsent.ts.) */
class CollectionSink implements TerminalSink {
  private opened = false;

  constructor(private readonly collection: vscode.EnvironmentVariableCollection) {}

  /** Set before anything is put in: VS Code caches a persistent collection (the default) for the
   *  workspace, and would hand back and apply the cached one at the next start. */
  open(): void {
    if (!this.opened) {
      this.opened = true;
      this.collection.persistent = false;
    }
  }

  give(environment: TerminalEnvironment): void {
    this.open();
    for (const name of TERMINAL_VARIABLES) {
      const value = environment.variables[name];
      if (value === undefined) {
        this.collection.delete(name);
      } else {
        this.collection.replace(name, value);
      }
    }
    this.collection.description = describeForTerminal(environment);
  }

  withdraw(): void {
    this.open();
    this.collection.clear();
    this.collection.description = undefined;
  }
}

export interface TerminalRouteOptions {
  profiles: Profiles;
  grants: WorkspaceGrants;
  collection: vscode.EnvironmentVariableCollection;
  clock: Pick<Clock, 'now'>;
  scheduler: Scheduler;
  log: Logger;
}

/** The route, wired to what changes its gate once started. Dispose it to stop (the collection is
 *  emptied). */
export class TerminalRoute implements vscode.Disposable {
  readonly credentials: TerminalCredentials;
  private readonly sink: CollectionSink;
  private subscriptions: vscode.Disposable[] = [];
  private lastGate: TerminalGate | undefined;
  /** Unset, the key reads as `off` in the manifest's when clauses: nothing to send at start. */
  private lastKey = 'off';
  /** At the Debug and Trace levels VS Code logs terminals' environments: said once in our log. */
  private readonly logLevel = new LogLevelWatch();

  constructor(private readonly options: TerminalRouteOptions) {
    this.sink = new CollectionSink(options.collection);
    this.credentials = new TerminalCredentials({
      source: options.profiles,
      gate: () => terminalGate(options.grants),
      sink: this.sink,
      clock: options.clock,
      scheduler: options.scheduler,
      log: options.log,
    });
  }

  /**
   * Opens the collection and follows what changes the gate. Nothing of it is needed for the
   * status: activation starts it once activate() has returned (src/extension.ts), and its first
   * decision (the grants, the token) waits for the store's read besides.
   */
  start(): void {
    const { options } = this;
    this.sink.open();
    const gateMayHaveChanged = () => this.onGateChange();
    this.subscriptions = [
      options.grants.onDidChange(gateMayHaveChanged),
      vscode.workspace.onDidGrantWorkspaceTrust(gateMayHaveChanged),
      vscode.workspace.onDidChangeWorkspaceFolders(gateMayHaveChanged),
      // Another window may have turned it on or off for this workspace (the grants are shared,
      // but only this window's changes are announced): looked at again when this one is used.
      vscode.window.onDidChangeWindowState((state) => state.focused && gateMayHaveChanged()),
      vscode.workspace.onDidChangeConfiguration((event) => affectsSettings(event) && void this.credentials.update()),
      vscode.env.onDidChangeLogLevel(() => this.checkLogLevel()),
    ];
    void options.profiles.whenRead().then(() => this.onGateChange());
  }

  /** Decides again when the gate is not what it was; always keeps the context key right. */
  private onGateChange(): void {
    const gate = terminalGate(this.options.grants);
    const key = gate === 'off' || gate === 'noWorkspace' ? 'off' : 'on';
    if (key !== this.lastKey) {
      this.lastKey = key;
      void vscode.commands.executeCommand('setContext', TERMINAL_CONTEXT_KEY, key);
    }
    if (gate !== this.lastGate) {
      this.lastGate = gate;
      void this.credentials.update();
    }
    this.checkLogLevel();
  }

  private checkLogLevel(): void {
    const warning = this.logLevel.update(this.lastGate === 'on', vscode.LogLevel[vscode.env.logLevel] as WindowLogLevel);
    if (warning !== undefined) {
      this.options.log.warn(warning);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.credentials.dispose();
    this.sink.withdraw();
  }
}
