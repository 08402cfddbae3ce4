/**
 * The workspace grants as Manage Workspace Permissions... lists them (every route, every
 * workspace, not only this window's), and what it says after revoking some.
 */
import { quotedName } from '../base/text';
import type { McpChoice } from './mcpChoices';
import type { Grant, Route } from './workspaceGrants';

/** What each route hands out, in the words of the list and the messages. */
export const ROUTE_LABEL: Record<Route, string> = {
  terminal: 'Terminals',
  tasks: 'Tasks and launch configurations',
};

export interface GrantRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly grant: Grant;
}

export const NO_GRANTS =
  "No workspace is allowed your PandaDoc credentials in its terminals, tasks or launch configurations, and no profile is turned on in VS Code's chat: there is nothing to revoke.";

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-11-25 14:05`, in local time: when a grant was given. */
export function formatSince(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${twoDigits(d.getMonth() + 1)}-${twoDigits(d.getDate())} ${twoDigits(d.getHours())}:${twoDigits(d.getMinutes())}`;
}

/**
 * One row per grant (the tasks route one per profile), this window's workspace first (the one a
 * user most likely came for), then the others as `WorkspaceGrants.list()` orders them. The detail
 * names where the workspace is, since two folders can share a name.
 */
export function grantRows(grants: readonly Grant[], currentId: string | undefined): GrantRow[] {
  const current = grants.filter((grant) => grant.workspace.id === currentId);
  const others = grants.filter((grant) => grant.workspace.id !== currentId);
  return [...current, ...others].map((grant) => ({
    label: grant.workspace.name,
    description: `${ROUTE_LABEL[grant.route]}${whose(grant)}${grant.workspace.id === currentId ? ' · this window' : ''}`,
    detail: `Allowed since ${formatSince(grant.since)} · ${grant.workspace.path}`,
    grant,
  }));
}

/** Whose credentials a grant hands out: the tasks route one profile's, the terminal route the
 *  active profile's, whichever it is when a terminal starts. */
function whose(grant: Grant): string {
  return grant.profile === undefined ? ' · the active profile' : ` · profile ${quotedName(grant.profile)}`;
}

/** What each route does once revoked. */
const AFTER_REVOKE: Record<Route, string> = {
  terminal: 'New terminals get no PandaDoc variables until they are turned on again.',
  tasks: 'The next task or launch configuration there that asks for PandaDoc credentials asks you again.',
};

/** What was taken back, by workspace and route, and what that changes. */
export function revokedMessage(revoked: readonly Grant[]): string {
  const list = revoked
    .map((grant) => `${quotedName(grant.workspace.name)} (${ROUTE_LABEL[grant.route].toLowerCase()}${grant.profile === undefined ? '' : `, profile ${quotedName(grant.profile)}`})`)
    .join(', ');
  const routes = (Object.keys(AFTER_REVOKE) as Route[]).filter((route) => revoked.some((grant) => grant.route === route));
  const what = revoked.length === 1 ? 'the PandaDoc permission' : `${revoked.length} PandaDoc permissions`;
  return [`Revoked ${what} of ${list}.`, ...routes.map((route) => AFTER_REVOKE[route])].join(' ');
}

/** The label of a profile's row for PandaDoc's tools in VS Code's chat (mcpChoices.ts). */
export const MCP_ROW_LABEL = "VS Code's chat (MCP)";

export interface McpRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly choice: McpChoice;
}

/** One row per profile turned on for VS Code's chat: not a workspace's, every window's. */
export function mcpRows(choices: readonly McpChoice[]): McpRow[] {
  return choices.map((choice) => ({
    label: MCP_ROW_LABEL,
    description: `PandaDoc tools · profile ${quotedName(choice.profile)}`,
    detail: `Allowed since ${formatSince(choice.since)} · every window`,
    choice,
  }));
}

/** What was turned off in chat, and what that changes. */
export function revokedMcpMessage(profiles: readonly string[]): string {
  return `Turned off PandaDoc's tools in VS Code's chat for ${profiles.map(quotedName).join(', ')}: VS Code no longer offers PandaDoc's MCP servers with ${profiles.length === 1 ? 'that profile' : 'those profiles'}.`;
}
