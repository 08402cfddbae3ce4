/**
 * The palette commands. Each one settles promptly: failures are shown (not awaited) and the
 * command resolves; only invalid arguments from a programmatic caller make it reject.
 */
import * as vscode from 'vscode';
import { AuthError } from '../core/base/errors';
import type { AccountLookup } from '../core/profiles/accountLookup';
import type { Logger } from '../core/base/logger';
import { displayName } from '../core/pandadoc/members';
import { formatTimeLeft } from '../core/view/statusView';
import type { Profiles } from '../core/profiles/profiles';
import type { SecretClipboard } from './clipboard';
import { COMMAND } from './commandIds';
import { showFailure, showInfo } from './notifications';
import { promptApiKey, promptOAuthCredentials } from './prompts';
import type { RegionCommands } from './regionCommands';

interface SignOutOptions {
  confirm?: boolean;
  /** Every profile, not only the active one. */
  all?: boolean;
}

function validityText(expiresAt: number | undefined): string {
  return expiresAt === undefined
    ? ''
    : ` Valid for ${formatTimeLeft(expiresAt - Date.now())} (until ${new Date(expiresAt).toLocaleString()}).`;
}

/** Shows a spinner in the status bar area while `task` runs: unobtrusive, no dismissing. */
function withSpinner<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, task);
}

export class Commands {
  constructor(
    private readonly profiles: Profiles,
    private readonly channel: vscode.LogOutputChannel,
    private readonly log: Logger,
    private readonly account: AccountLookup,
    private readonly clipboard: SecretClipboard,
    private readonly regions: RegionCommands,
  ) {}

  /** The active profile's account: what every command but the profile ones acts on. */
  private get manager() {
    return this.profiles.activeManager();
  }

  register(): vscode.Disposable[] {
    const handlers: Record<string, (...args: never[]) => unknown> = {
      [COMMAND.setCredentials]: (arg?: unknown) => this.setCredentials(arg),
      [COMMAND.setApiKey]: (arg?: unknown) => this.setApiKey(arg),
      [COMMAND.refreshToken]: () => this.refreshToken(),
      [COMMAND.copyAccessToken]: () => this.copyAccessToken(),
      [COMMAND.signOut]: (arg?: SignOutOptions) => this.signOut(arg),
      [COMMAND.showLog]: () => this.channel.show(),
      [COMMAND.showActions]: () => this.showActions(),
      [COMMAND.showAccount]: () => this.showAccount(),
    };
    return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
  }

  /** With an argument object: validate and store, or reject. Without: ask, store, verify. */
  async setCredentials(arg?: unknown): Promise<void> {
    if (arg !== undefined) {
      await this.manager.setOAuthCredentials(arg);
      return;
    }
    if (!(await this.regions.askBeforeCredentials())) {
      return;
    }
    const answers = await promptOAuthCredentials(
      this.manager.storedClientId(),
      (clientId) => this.manager.storedClientSecret(clientId) !== undefined,
    );
    if (!answers) {
      return;
    }
    const input = {
      ...answers,
      clientSecret: answers.clientSecret ?? this.manager.storedClientSecret(answers.clientId),
    };
    if (await this.attempt('setCredentials', () => this.manager.setOAuthCredentials(input))) {
      // Verify at once, so a typo shows up now rather than at the next API call; then learn whose
      // they are, for the status bar and the Accounts menu.
      if (await this.refreshToken('PandaDoc credentials saved and verified.')) {
        await this.account.lookupQuietly();
      }
    }
  }

  async setApiKey(arg?: unknown): Promise<void> {
    if (arg !== undefined) {
      await this.manager.setApiKey(arg);
      return;
    }
    if (this.manager.status().kind === 'oauth') {
      const replace = await vscode.window.showWarningMessage(
        'Replace the stored PandaDoc OAuth credentials with an API key?',
        { modal: true },
        'Replace',
      );
      if (replace !== 'Replace') {
        return;
      }
    }
    if (!(await this.regions.askBeforeCredentials())) {
      return;
    }
    const apiKey = await promptApiKey();
    if (apiKey !== undefined && (await this.attempt('setApiKey', () => this.manager.setApiKey(apiKey)))) {
      showInfo('PandaDoc API key saved.');
    }
  }

  /** Resolves true when a new token was stored. */
  async refreshToken(successPrefix = 'PandaDoc token refreshed.'): Promise<boolean> {
    if (this.manager.status().kind === 'apiKey') {
      showInfo('An API key does not expire and cannot be refreshed.');
      return false;
    }
    return this.attempt(
      'refreshToken',
      async () => {
        const credentials = await withSpinner('Refreshing PandaDoc token', () => this.manager.refresh());
        showInfo(`${successPrefix}${validityText(credentials.expiresAt)}`);
      },
      () => this.refreshToken(successPrefix),
    );
  }

  /** Resolves true when a token was put on the clipboard. */
  async copyAccessToken(): Promise<boolean> {
    return this.attempt(
      'copyAccessToken',
      async () => {
        const token = await withSpinner('Getting PandaDoc token', () => this.manager.getAccessToken());
        if (token === undefined) {
          throw new AuthError('no_credentials', 'Nothing to copy.');
        }
        const clearNotice = await this.clipboard.copy(token);
        const status = this.manager.status();
        showInfo(
          status.kind === 'apiKey'
            ? `PandaDoc API key copied to the clipboard.${clearNotice}`
            : `PandaDoc access token copied to the clipboard.${validityText(status.expiresAt)}${clearNotice}`,
        );
      },
      () => this.copyAccessToken(),
    );
  }

  /**
   * Signs the active profile out (deletes its credentials and the profile), or every profile with
   * `{ all: true }`. Asks first unless `{ confirm: false }`; with several profiles the question
   * offers both. Resolves true when something was deleted.
   */
  async signOut(options?: SignOutOptions): Promise<boolean> {
    const profile = this.profiles.activeName();
    const several = this.profiles.names().length > 1;
    if (!several && this.manager.status().kind === 'none' && !this.manager.state().unreadable) {
      showInfo('No PandaDoc credentials are stored.');
      return false;
    }
    let all = options?.all === true;
    if (options?.confirm !== false) {
      const one = several ? `Sign Out of "${profile}"` : 'Sign Out';
      const every = 'Sign Out of All Profiles';
      const choice = await vscode.window.showWarningMessage(
        several ? `Sign out of the PandaDoc profile "${profile}"?` : 'Sign out of PandaDoc?',
        {
          modal: true,
          detail: several
            ? `This deletes the profile "${profile}" and its credentials from VS Code's secret storage, or every profile with "${every}". PandaDoc itself is not told.`
            : "This deletes the stored PandaDoc credentials from VS Code's secret storage. PandaDoc itself is not told.",
        },
        ...(several ? [one, every] : [one]),
      );
      if (choice === undefined) {
        return false;
      }
      all = choice === every;
    }
    let deleted = false;
    await this.attempt('signOut', async () => {
      deleted = all ? await this.profiles.removeAll() : await this.profiles.remove(profile);
    });
    if (deleted) {
      showInfo(
        all
          ? 'Signed out of every PandaDoc profile: the stored credentials were deleted.'
          : several
            ? `Signed out of the PandaDoc profile "${profile}": it and its credentials were deleted.`
            : 'Signed out of PandaDoc: the stored credentials were deleted.',
      );
    }
    return deleted;
  }

  /** Who the active profile's credentials belong to, asked of PandaDoc. Resolves with the
   *  member's email, or undefined after a failure (which is shown). */
  async showAccount(): Promise<string | undefined> {
    let email: string | undefined;
    await this.attempt(
      'showAccount',
      async () => {
        const member = await withSpinner('Asking PandaDoc who you are', () => this.account.lookup());
        email = member.email;
        const where = [member.workspaceName && `workspace ${member.workspaceName}`, member.role && `role ${member.role}`]
          .filter(Boolean)
          .join(', ');
        // The answer and the request behind it are also in the output channel (AccountLookup).
        const profile = this.profiles.activeName();
        showInfo(`PandaDoc profile "${profile}", region ${this.profiles.describeRegion(profile)}: ${displayName(member)} <${member.email}>${where ? `, ${where}` : ''}.`);
      },
      () => this.showAccount(),
    );
    return email;
  }

  /** The status bar's menu: the actions that make sense for what is stored. */
  async showActions(): Promise<void> {
    const { status, unreadable } = this.manager.state();
    const kind = status.kind;
    const canSignOut = kind !== 'none' || unreadable || this.profiles.names().length > 1;
    const items: (vscode.QuickPickItem & { command: string })[] = [
      ...(kind === 'oauth' ? [{ label: '$(refresh) Refresh Token', command: COMMAND.refreshToken }] : []),
      ...(kind !== 'none'
        ? [
            { label: `$(copy) Copy ${kind === 'apiKey' ? 'API Key' : 'Access Token'}`, command: COMMAND.copyAccessToken },
            { label: '$(account) Show Account', command: COMMAND.showAccount },
          ]
        : []),
      { label: '$(sign-in) Sign In with Browser...', command: COMMAND.signIn },
      { label: '$(arrow-swap) Switch Profile...', command: COMMAND.switchProfile },
      { label: '$(key) Set OAuth Credentials...', command: COMMAND.setCredentials },
      { label: '$(key) Set API Key...', command: COMMAND.setApiKey },
      { label: '$(file-add) Import Credentials from Postman Environment...', command: COMMAND.importPostmanEnvironment },
      { label: '$(output) Show Log', command: COMMAND.showLog },
      ...(canSignOut ? [{ label: '$(sign-out) Sign Out', command: COMMAND.signOut }] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `PandaDoc (profile ${this.profiles.activeName()})`,
      placeHolder: 'Choose an action',
    });
    if (picked) {
      await vscode.commands.executeCommand(picked.command);
    }
  }

  /** Runs a step; resolves true when it succeeded, else logs the code, shows the one message and
   *  resolves false. */
  private async attempt(name: string, task: () => Promise<unknown>, retry?: () => unknown): Promise<boolean> {
    try {
      await task();
      return true;
    } catch (error) {
      this.log.warn(`[${name}] failed: ${error instanceof AuthError ? error.code : 'unexpected error'}`);
      showFailure(error, retry);
      return false;
    }
  }
}
