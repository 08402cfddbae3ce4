/**
 * The commands that use the active profile's credentials without changing them: Refresh Token,
 * Copy Access Token, Show Account, Show Log. Each one settles promptly: failures are shown (not
 * awaited) and the command resolves.
 */
import * as vscode from 'vscode';
import { AuthError } from '../../core/base/errors';
import type { AccountLookup } from '../../core/profiles/accountLookup';
import type { Logger } from '../../core/base/logger';
import { describeMember } from '../../core/pandadoc/members';
import { copiedMessage } from '../../core/tools/clipboardClear';
import type { Profiles } from '../../core/profiles/profiles';
import { registerAfterRead } from '../base/afterRead';
import { COMMAND } from '../base/commandIds';
import { showFailure, showInfo, validityText } from '../ui/notifications';
import type { SecretClipboard } from './clipboard';

/** Shows a spinner in the status bar area while `task` runs: unobtrusive, no dismissing. */
export function withSpinner<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, task);
}

/** Runs a step; resolves true when it succeeded, else logs the code, shows the one message and
 *  resolves false. */
export async function attempt(log: Logger, name: string, task: () => Promise<unknown>, retry?: () => unknown): Promise<boolean> {
  try {
    await task();
    return true;
  } catch (error) {
    log.warn(`[${name}] failed: ${error instanceof AuthError ? error.code : 'unexpected error'}`);
    showFailure(error, retry);
    return false;
  }
}

export class TokenCommands {
  constructor(
    private readonly profiles: Profiles,
    private readonly channel: vscode.LogOutputChannel,
    private readonly log: Logger,
    private readonly account: AccountLookup,
    private readonly clipboard: SecretClipboard,
  ) {}

  register(): vscode.Disposable[] {
    return registerAfterRead(this.profiles, {
      [COMMAND.refreshToken]: () => this.refreshToken(),
      [COMMAND.copyAccessToken]: () => this.copyAccessToken(),
      [COMMAND.showLog]: () => this.channel.show(),
      [COMMAND.showAccount]: () => this.showAccount(),
    });
  }

  /** Resolves true when a new token was stored. */
  async refreshToken(successPrefix = 'PandaDoc token refreshed.'): Promise<boolean> {
    if (this.profiles.activeManager().status().kind === 'apiKey') {
      showInfo('This profile holds an API key: it does not expire, and stays valid until it is revoked in PandaDoc.');
      return false;
    }
    return attempt(
      this.log,
      'refreshToken',
      async () => {
        const credentials = await withSpinner('Refreshing PandaDoc token', () => this.profiles.activeManager().refresh());
        showInfo(`${successPrefix}${validityText(credentials.expiresAt)}`);
      },
      () => this.refreshToken(successPrefix),
    );
  }

  /** Resolves true when a token was put on the clipboard. */
  async copyAccessToken(): Promise<boolean> {
    return attempt(
      this.log,
      'copyAccessToken',
      async () => {
        const token = await withSpinner('Getting PandaDoc token', () => this.profiles.activeManager().getAccessToken());
        if (token === undefined) {
          throw new AuthError('no_credentials', 'Nothing to copy.');
        }
        const plan = await this.clipboard.copy(token);
        const status = this.profiles.activeManager().status();
        showInfo(
          status.kind === 'apiKey'
            ? copiedMessage('API key', '', plan)
            : copiedMessage('access token', validityText(status.expiresAt), plan),
        );
      },
      () => this.copyAccessToken(),
    );
  }

  /** Who the active profile's credentials belong to, asked of PandaDoc. Resolves with the
   *  member's email, or undefined after a failure (which is shown). */
  async showAccount(): Promise<string | undefined> {
    let email: string | undefined;
    await attempt(
      this.log,
      'showAccount',
      async () => {
        const member = await withSpinner('Asking PandaDoc who you are', () => this.account.lookup());
        email = member.email;
        // The answer and the request behind it are also in the output channel (AccountLookup).
        const profile = this.profiles.activeName();
        showInfo(`PandaDoc profile "${profile}", region ${this.profiles.describeRegion(profile)}: ${describeMember(member)}.`);
      },
      () => this.showAccount(),
    );
    return email;
  }
}
