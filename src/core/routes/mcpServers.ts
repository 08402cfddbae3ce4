/**
 * PandaDoc's MCP servers offered to VS Code's chat: which ones, for which profile, region and
 * choice, what the Turn On question says, and what the log says when VS Code's own gate
 * (`chat.mcp.access`) keeps them from starting. The adapter (src/vscode/mcp/) only asks VS Code.
 *
 * - **The docs-and-API server** (developers.pandadoc.com, run by ReadMe): its `execute-request`
 *   tool makes live API calls with the `Authorization` header of the client's configuration. The
 *   adapter fills that header in `resolveMcpServerDefinition`, just before each start, from the
 *   active profile: never in what `provideMcpServerDefinitions` returns, which VS Code caches.
 * - **The official agent server** (mcp.pandadoc.com): its own OAuth, which VS Code performs
 *   itself. None of our credentials. Its EU address is not published, so it is offered to a
 *   profile of the global region (or a custom one) only.
 */
import { AuthError } from '../base/errors';
import type { RegionId } from '../base/regions';
import { checkBaseUrl, DEFAULT_MCP_SERVER_URL } from '../base/settings';
import { quotedName } from '../base/text';

/** `contributes.mcpServerDefinitionProviders[0].id`; the activation event is
 *  `onMcpCollection:<id>` (VS Code 1.139, measured in ../shared/VSCODE-HOST.md). */
export const MCP_PROVIDER_ID = 'pandadoc.mcpServers';
export { DEFAULT_MCP_SERVER_URL };
export const AGENT_SERVER_URL = 'https://mcp.pandadoc.com/v1/mcp';

/** The labels are the servers' names in VS Code, and part of their ids
 *  (`<extension id>/<label>`, as `workbench.mcp.startServer` takes them). */
export const MCP_LABEL = {
  docs: 'PandaDoc Docs and API',
  /** A profile's whose API is not the global one (see searchOnly): the docs server without
   *  credentials. */
  docsSearch: 'PandaDoc Docs (search only, no live API calls)',
  agent: 'PandaDoc Agent (its own sign-in)',
} as const;

/** `on`: the active profile is turned on and the workspace trusted; `untrusted`: turned on, but
 *  the window is in Restricted Mode, where nothing is offered. */
export type McpGate = 'on' | 'off' | 'untrusted';

export interface McpFacts {
  readonly gate: McpGate;
  /** What the active profile holds. */
  readonly kind: 'none' | 'oauth' | 'apiKey';
  /** Where the active profile's API calls go: a named region, or another server. */
  readonly region: RegionId | 'custom';
  /** `pandadoc.mcpServerUrl` as the user settings give it (raw: checked here). */
  readonly docsUrl: string;
}

export interface McpOffer {
  readonly label: string;
  readonly uri: string;
  /** The adapter fills in the active profile's `Authorization` header when it starts. */
  readonly credentials: boolean;
}

export interface McpDecision {
  readonly offers: readonly McpOffer[];
  /** Why the docs server is left out, for the log; undefined when it is offered or all is off. */
  readonly docsLeftOut?: string;
}

/** The servers to offer now. Nothing at all until the person turned the active profile on. */
export function decideMcpServers({ gate, kind, region, docsUrl }: McpFacts): McpDecision {
  if (gate !== 'on') {
    return { offers: [] };
  }
  const agent: McpOffer[] = region === 'eu' ? [] : [{ label: MCP_LABEL.agent, uri: AGENT_SERVER_URL, credentials: false }];
  let uri: string;
  try {
    uri = checkBaseUrl(docsUrl, 'mcpServerUrl');
  } catch (error) {
    return { offers: agent, docsLeftOut: error instanceof AuthError ? error.message : 'pandadoc.mcpServerUrl is not a URL.' };
  }
  if (searchOnly(region, uri)) {
    return { offers: [{ label: MCP_LABEL.docsSearch, uri, credentials: false }, ...agent] };
  }
  if (kind === 'none') {
    return { offers: agent, docsLeftOut: 'the active profile holds no credentials' };
  }
  return { offers: [{ label: MCP_LABEL.docs, uri, credentials: true }, ...agent] };
}

/**
 * Whether the docs server gets no credentials: PandaDoc's (ReadMe's) docs server makes its live
 * calls to the global API, the only one PandaDoc's API reference lists, where an EU profile's
 * credentials, or those of a profile on a server of its own (a sandbox, say), do not work. Only a
 * docs server of the person's own choosing (`pandadoc.mcpServerUrl`) gets the latter's.
 */
function searchOnly(region: RegionId | 'custom', docsUrl: string): boolean {
  return region === 'eu' || (region === 'custom' && docsUrl === DEFAULT_MCP_SERVER_URL);
}

/** Where a URL sends the header, as the question names it: the default's host with who runs it. */
function destination(docsUrl: string): string {
  try {
    const uri = checkBaseUrl(docsUrl, 'mcpServerUrl');
    const host = new URL(uri).host;
    return uri === DEFAULT_MCP_SERVER_URL ? `${host}, PandaDoc's documentation site run by ReadMe` : `${host} (pandadoc.mcpServerUrl)`;
  } catch {
    return 'the address of pandadoc.mcpServerUrl, which is not valid now';
  }
}

export interface McpQuestion {
  readonly message: string;
  readonly detail: string;
}

/** The modal question of Turn On: whose account, what an agent can do with it, where the header
 *  goes, and how to take it back. */
export function turnOnMcpQuestion(profile: string, region: RegionId | 'custom', docsUrl: string, turnOffTitle: string): McpQuestion {
  // Compared as decideMcpServers compares it: the address as checked (a trailing slash dropped).
  const live = searchOnly(region, docsUrl.replace(/\/+$/, ''))
    ? `This profile's API is ${region === 'eu' ? 'the EU region' : 'a server of its own'}, not the global one the docs server's live calls go to: it is offered for searching only, without your credentials.`
    : `When the docs server starts, VS Code sends your credentials (an Authorization header, renewed before it expires) to ${destination(docsUrl)}, which passes them to PandaDoc's API for its live calls.`;
  return {
    message: `Let agents in VS Code's chat use PandaDoc with the profile ${quotedName(profile)}?`,
    detail: [
      `VS Code's chat gets PandaDoc's MCP servers: the docs and API server, and PandaDoc's official agent server${region === 'eu' ? ' (not for EU profiles: add its EU address by hand)' : ''}, which signs in on its own.`,
      `An agent can then act with the account of ${quotedName(profile)}: read, create and send documents. VS Code asks you before each tool call unless you allow one for longer.`,
      live,
      `Only for this profile, in every window, never in Restricted Mode. The credentials are never written to mcp.json or your settings. Manage Workspace Permissions... takes it back, as does PandaDoc: ${turnOffTitle}.`,
    ].join('\n\n'),
  };
}

/**
 * The log's one line about `chat.mcp.access` (or the policy that sets it): at `none`, VS Code
 * starts no MCP server and says nothing (measured in VS Code 1.139), so the person who turned the
 * feature on would see nothing happen. Said once when turned on with access off, and again only
 * after the state changed.
 */
export class McpAccessWatch {
  private warned = false;

  update(on: boolean, access: string | undefined): string | undefined {
    const blocked = on && access === 'none';
    const warn = blocked && !this.warned;
    this.warned = blocked;
    return warn
      ? "[mcp] VS Code's setting chat.mcp.access is \"none\" (or a policy sets it): VS Code starts no MCP server, PandaDoc's included, and says nothing. Set it to \"all\" to use PandaDoc's tools in chat."
      : undefined;
  }
}
