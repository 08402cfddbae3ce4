/**
 * Manage Workspace Permissions...: every workspace grant there is (terminals; tasks and launch
 * configurations, per profile; this window's workspace and all the others), and every profile
 * turned on for VS Code's chat, checked to be revoked. Revoking fires WorkspaceGrants.onDidChange
 * or McpChoices.onDidChange, which the routes that hand credentials out follow.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/base/logger';
import { quotedName } from '../../core/base/text';
import { grantRows, mcpRows, NO_GRANTS, revokedMcpMessage, revokedMessage } from '../../core/routes/grantList';
import type { McpChoice, McpChoices } from '../../core/routes/mcpChoices';
import type { Grant, WorkspaceGrants } from '../../core/routes/workspaceGrants';
import { COMMAND } from '../base/commandIds';
import { showFailure, showInfo } from '../ui/notifications';
import { currentWorkspace } from '../base/workspaceIdentity';

type Item = vscode.QuickPickItem & ({ grant: Grant } | { choice: McpChoice });

export class GrantsCommand {
  constructor(
    private readonly grants: WorkspaceGrants,
    private readonly log: Logger,
    private readonly mcp: McpChoices,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(COMMAND.manageWorkspacePermissions, () => this.manage())];
  }

  /** Resolves with how many grants were revoked, chat's included (0 when none were chosen, or there were none). */
  async manage(): Promise<number> {
    const rows = grantRows(this.grants.list(), currentWorkspace()?.id);
    const chat = mcpRows(this.mcp.list());
    if (rows.length === 0 && chat.length === 0) {
      showInfo(NO_GRANTS);
      return 0;
    }
    const items: Item[] = [
      ...rows.map(({ label, description, detail, grant }) => ({ label, description, detail, grant })),
      ...chat.map(({ label, description, detail, choice }) => ({ label, description, detail, choice })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Manage Workspace Permissions',
      placeHolder: 'Check the permissions to revoke, then press Enter',
      canPickMany: true,
      ignoreFocusOut: true,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === undefined || picked.length === 0) {
      return 0;
    }
    const revoked: Grant[] = [];
    const turnedOff: string[] = [];
    try {
      for (const item of picked) {
        if ('choice' in item) {
          if (await this.mcp.turnOff(item.choice.profile)) {
            turnedOff.push(item.choice.profile);
          }
        } else if (await this.grants.revoke(item.grant.workspace.id, item.grant.route, item.grant.profile)) {
          revoked.push(item.grant);
        }
      }
    } catch (error) {
      showFailure(error);
    }
    if (turnedOff.length > 0) {
      this.log.info(`[mcp] turned off PandaDoc's tools in chat for ${turnedOff.map(quotedName).join(', ')} (Manage Workspace Permissions)`);
      showInfo(revokedMcpMessage(turnedOff));
    }
    if (revoked.length > 0) {
      this.log.info(
        `[grants] revoked ${revoked.map((grant) => `${grant.route}${grant.profile === undefined ? '' : ` of the profile ${quotedName(grant.profile)}`} of ${quotedName(grant.workspace.name)}`).join(', ')}`,
      );
      showInfo(revokedMessage(revoked));
    }
    return revoked.length + turnedOff.length;
  }
}
