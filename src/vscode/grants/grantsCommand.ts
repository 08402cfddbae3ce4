/**
 * Manage Workspace Permissions...: every workspace grant there is (terminals; tasks and launch
 * configurations, per profile; this window's workspace and all the others), checked to be revoked. Revoking
 * fires WorkspaceGrants.onDidChange, which the routes that hand credentials out follow.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/base/logger';
import { quotedName } from '../../core/base/text';
import { grantRows, NO_GRANTS, revokedMessage } from '../../core/routes/grantList';
import type { Grant, WorkspaceGrants } from '../../core/routes/workspaceGrants';
import { COMMAND } from '../base/commandIds';
import { showFailure, showInfo } from '../ui/notifications';
import { currentWorkspace } from '../base/workspaceIdentity';

type Item = vscode.QuickPickItem & { grant: Grant };

export class GrantsCommand {
  constructor(
    private readonly grants: WorkspaceGrants,
    private readonly log: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(COMMAND.manageWorkspacePermissions, () => this.manage())];
  }

  /** Resolves with how many grants were revoked (0 when none were chosen, or there were none). */
  async manage(): Promise<number> {
    const rows = grantRows(this.grants.list(), currentWorkspace()?.id);
    if (rows.length === 0) {
      showInfo(NO_GRANTS);
      return 0;
    }
    const items: Item[] = rows.map(({ label, description, detail, grant }) => ({ label, description, detail, grant }));
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
    try {
      for (const { grant } of picked) {
        if (await this.grants.revoke(grant.workspace.id, grant.route, grant.profile)) {
          revoked.push(grant);
        }
      }
    } catch (error) {
      showFailure(error);
    }
    if (revoked.length > 0) {
      this.log.info(
        `[grants] revoked ${revoked.map((grant) => `${grant.route}${grant.profile === undefined ? '' : ` of the profile ${quotedName(grant.profile)}`} of ${quotedName(grant.workspace.name)}`).join(', ')}`,
      );
      showInfo(revokedMessage(revoked));
    }
    return revoked.length;
  }
}
