/**
 * PandaDoc's MCP servers in VS Code: the provider VS Code's chat asks for them, what it offers
 * (core/routes/mcpServers.ts decides), and the Authorization header it fills in just before a
 * server starts. VS Code hands `resolveMcpServerDefinition` the very object `provide` returned
 * (cached, measured in VS Code 1.139), so the header is put on a new definition each time and
 * never on one VS Code keeps: a stale token cannot linger, and no header is in what VS Code may
 * cache of the provider's definitions.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core/base/errors';
import type { Logger } from '../../core/base/logger';
import { fingerprint } from '../../core/base/redact';
import { namedRegionOf } from '../../core/base/regions';
import { quotedName } from '../../core/base/text';
import type { Profiles, ProfilesChange } from '../../core/profiles/profiles';
import type { McpChoices } from '../../core/routes/mcpChoices';
import { decideMcpServers, type McpDecision, type McpFacts, type McpGate, MCP_PROVIDER_ID, McpAccessWatch, type McpOffer } from '../../core/routes/mcpServers';
import { readMcpServerUrl, SECTION } from '../base/configuration';
import type { McpHost, McpHttpServerDefinition } from './mcpApi';

/** `on` while the active profile is turned on: the palette offers Turn Off, else Turn On. */
export const MCP_CONTEXT_KEY = 'pandadoc.mcpServers';

/** Changes that alter nothing offered: a refresh starting or ending (its outcome arrives as
 *  `refresh`), whose account it is, the list of profiles. */
const IGNORED: ReadonlySet<ProfilesChange> = new Set(['busy', 'idle', 'account', 'profiles']);

export interface McpRouteOptions {
  profiles: Profiles;
  choices: McpChoices;
  host: McpHost;
  log: Logger;
}

export class McpRoute implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** What VS Code hears as onDidChangeMcpServerDefinitions. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Bumped when what a server would be started with changes: the definitions' version, so VS
   *  Code sees a running server's definition as changed (and stops it, to start it again on
   *  demand). Never secret-derived. */
  private generation = 0;
  /** What the last announcement offered (see offerKey): VS Code is told only when it changes. */
  private lastOffer: string | undefined;
  private lastKey = 'off';
  private lastLog: string | undefined;
  private readonly access = new McpAccessWatch();

  constructor(private readonly options: McpRouteOptions) {
    const changed = () => this.update();
    this.subscriptions = [
      this.changed,
      options.host.register(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: this.changed.event,
        provideMcpServerDefinitions: () => this.provide(),
        resolveMcpServerDefinition: (server) => this.resolve(server),
      }),
      options.profiles.onDidChange((cause) => !IGNORED.has(cause) && changed()),
      options.choices.onDidChange(changed),
      vscode.workspace.onDidGrantWorkspaceTrust(changed),
      vscode.workspace.onDidChangeConfiguration((event) => (event.affectsConfiguration(`${SECTION}.mcpServerUrl`) || event.affectsConfiguration('chat.mcp.access')) && changed()),
      // Another window may have turned it on or off (the choices are shared, but only this
      // window's changes are announced): looked at again when this one is used. update() tells
      // VS Code only what changed.
      vscode.window.onDidChangeWindowState((state) => state.focused && this.update()),
    ];
    this.update();
  }

  /** What is offered now, and why the docs server is not (the `testing` export reads it). */
  decision(): McpDecision {
    return decideMcpServers(this.facts());
  }

  /** The gate and the choice may have changed: tell VS Code, keep the palette's key right. */
  update(): void {
    const gate = this.gate();
    const key = gate === 'off' ? 'off' : 'on';
    if (key !== this.lastKey) {
      this.lastKey = key;
      void vscode.commands.executeCommand('setContext', MCP_CONTEXT_KEY, key);
    }
    const decision = this.decision();
    this.logDecision(gate, decision);
    const warning = this.access.update(gate === 'on', vscode.workspace.getConfiguration('chat.mcp').get<string>('access'));
    if (warning !== undefined) {
      this.options.log.warn(warning);
    }
    // Every announcement makes VS Code ask again, and a new version stops a running server; and
    // VS Code waits for 500 ms without one before it applies any (measured in VS Code 1.139). So
    // an event that changes nothing offered (SecretStorage's echo of our own write, a choice for
    // another profile, an unrelated setting) is not announced.
    const offer = this.offerKey(decision.offers);
    if (offer !== this.lastOffer) {
      this.lastOffer = offer;
      this.generation++;
      this.changed.fire();
    }
  }

  /** What VS Code would start now: the offers, and whose credentials, as they are stored now. */
  private offerKey(offers: readonly McpOffer[]): string {
    const { profiles } = this.options;
    const credentials = offers.some((offer) => offer.credentials) ? [profiles.activeName(), profiles.activeManager().storedStamp() ?? 'unread', profiles.state().status] : [];
    return JSON.stringify([offers, credentials]);
  }

  /** The definitions, without any header: VS Code caches what this returns. */
  provide(): McpHttpServerDefinition[] {
    return this.decision().offers.map((offer) => this.definition(offer, {}));
  }

  /**
   * Just before a server starts: a new definition, with the active profile's current header for
   * the docs server (refreshed first when it is within the margin), or undefined, which VS Code
   * takes as "do not start", when it is no longer offered or there is no credential to give.
   */
  async resolve(server: McpHttpServerDefinition): Promise<McpHttpServerDefinition | undefined> {
    const offer = this.decision().offers.find((candidate) => candidate.label === server.label);
    const profile = quotedName(this.options.profiles.activeName());
    // Said as a warning: the person asked for the server (through the chat) and gets none.
    const notStarting = (why: string) => void this.options.log.warn(`[mcp] not starting ${quotedName(server.label)}: ${why}`);
    if (offer === undefined) {
      return notStarting('PandaDoc no longer offers it');
    }
    if (!offer.credentials) {
      return this.definition(offer, {});
    }
    let header: string | undefined;
    try {
      header = await this.options.profiles.getAuthorizationHeader();
    } catch (error) {
      return notStarting(`the credentials of ${profile} could not be renewed (${describeError(error)})`);
    }
    if (header === undefined) {
      return notStarting(`the profile ${profile} holds no credentials`);
    }
    this.options.log.info(`[mcp] "${offer.label}" starts at ${offer.uri} with the credentials of ${profile} (${header.split(' ')[0]} ${fingerprint(header.replace(/^\S+ /, ''))})`);
    return this.definition(offer, { Authorization: header });
  }


  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private definition(offer: McpOffer, headers: Record<string, string>): McpHttpServerDefinition {
    // The agent server holds none of our credentials: nothing of ours makes it outdated.
    return this.options.host.definition(offer.label, offer.uri, headers, offer.credentials ? String(this.generation) : '1');
  }

  private gate(): McpGate {
    if (!this.options.choices.isOn(this.options.profiles.activeName())) {
      return 'off';
    }
    return vscode.workspace.isTrusted ? 'on' : 'untrusted';
  }

  private facts(): McpFacts {
    const { profiles } = this.options;
    const profile = profiles.activeName();
    return {
      gate: this.gate(),
      kind: profiles.state().status.kind,
      region: namedRegionOf(profiles.settingsFor(profile), profiles.regions.regionTable()) ?? 'custom',
      docsUrl: readMcpServerUrl(),
    };
  }

  /** One line when what is offered changes (labels and addresses only). */
  private logDecision(gate: McpGate, { offers, docsLeftOut }: McpDecision): void {
    const profile = this.options.profiles.activeName();
    const line =
      gate === 'off'
        ? undefined
        : gate === 'untrusted'
          ? `[mcp] turned on for "${profile}", but this workspace is in Restricted Mode: nothing is offered to VS Code's chat until it is trusted`
          : `[mcp] offered to VS Code's chat for "${profile}": ${offers.map((offer) => `"${offer.label}" (${offer.uri}${offer.credentials ? ', with the profile’s credentials' : ''})`).join(', ') || 'nothing'}${docsLeftOut === undefined ? '' : `; the docs server is left out: ${docsLeftOut}`}`;
    const logged = line ?? (this.lastLog === undefined ? undefined : "[mcp] nothing is offered to VS Code's chat");
    if (logged !== undefined && logged !== this.lastLog) {
      this.options.log.info(logged);
    }
    this.lastLog = line;
  }
}
