/**
 * The commands that change what the active profile holds: Set OAuth Credentials, Set API Key
 * (each verified with PandaDoc, with Put Back after a refusal), Sign Out. Each one settles
 * promptly: failures are shown (not awaited) and the command resolves; only invalid arguments
 * from a programmatic caller make it reject.
 */
import * as vscode from 'vscode';
import { AuthError } from '../../core/base/errors';
import { type AccountLookup, accountInfoOf, isRefusal } from '../../core/profiles/accountLookup';
import type { Logger } from '../../core/base/logger';
import { describeMember } from '../../core/pandadoc/members';
import { shortReason } from '../../core/view/userMessages';
import type { Profiles } from '../../core/profiles/profiles';
import { fillOnTrial, type Trial, undoTrial } from '../../core/profiles/profileTrials';
import { registerAfterRead } from '../base/afterRead';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { showChoice, showFailure, showInfo, validityText } from '../ui/notifications';
import { askModal } from '../ui/modal';
import { promptApiKey, promptOAuthCredentials } from '../ui/prompts';
import { confirmGiven, givenApiKey, givenOAuth } from './givenCredentials';
import type { RegionCommands, RegionStep } from '../regions/regionCommands';
import { attempt, type TokenCommands, withSpinner } from './tokenCommands';

/** The argument of `pandadoc.signOut`: it fills in the question, never answers it. */
interface SignOutOptions {
  /** Every profile, not only the active one: the question for all of them is asked at once. */
  all?: boolean;
}

export class CredentialCommands {
  constructor(
    private readonly profiles: Profiles,
    private readonly log: Logger,
    private readonly account: AccountLookup,
    private readonly regions: RegionCommands,
    private readonly token: TokenCommands,
  ) {}

  /** The active profile's account: what these commands act on. */
  private get manager() {
    return this.profiles.activeManager();
  }

  register(): vscode.Disposable[] {
    return registerAfterRead(this.profiles, {
      [COMMAND.setCredentials]: (arg?: unknown) => this.setCredentials(arg),
      [COMMAND.setApiKey]: (arg?: unknown) => this.setApiKey(arg),
      [COMMAND.signOut]: (arg?: SignOutOptions) => this.signOut(arg),
    });
  }

  /**
   * Asks, stores, verifies. An argument (`{ clientId, clientSecret, refreshToken }`) fills in the
   * answers, but a person still answers a modal question that names the profile and what it
   * replaces (see SECURITY.md, "Command arguments"); a `clientId` alone is prefilled. Invalid
   * arguments reject. Other extensions store without a question through the API.
   */
  async setCredentials(arg?: unknown): Promise<void> {
    const given = givenOAuth(arg);
    if (given !== undefined && 'complete' in given) {
      if (!(await confirmGiven(this.profiles, given.complete))) {
        return;
      }
      const region = await this.regions.askBeforeCredentials();
      if (region !== undefined) {
        await this.storeAndVerify(given.complete, region);
      }
      return;
    }
    const region = await this.regions.askBeforeCredentials();
    if (region === undefined) {
      return;
    }
    const answers = await promptOAuthCredentials(given?.clientId ?? this.manager.storedClientId(), {
      secret: (clientId) => this.manager.storedClientSecret(clientId) !== undefined,
      refreshToken: (clientId) => this.manager.storedRefreshToken(clientId) !== undefined,
    });
    if (!answers) {
      return;
    }
    const input = {
      ...answers,
      clientSecret: answers.clientSecret ?? this.manager.storedClientSecret(answers.clientId),
      refreshToken: answers.refreshToken ?? this.manager.storedRefreshToken(answers.clientId),
    };
    await this.storeAndVerify(input, region);
  }

  /**
   * Stores (the region picked for them first: one picked for credentials never stored is not
   * kept), then verifies at once, so a typo shows up now rather than at the next API call; then
   * learns whose they are, for the status bar and the Accounts menu. Over credentials the profile
   * held, the new ones are stored on trial: if PandaDoc refuses them, **Put Back** restores what
   * it held, so one mistyped value does not cost a working sign-in. A refused first entry stays,
   * so the fix can keep what was right (an empty box keeps the stored value).
   */
  private async storeAndVerify(input: unknown, region: RegionStep): Promise<void> {
    const profile = this.profiles.activeName();
    const held = this.manager.status().kind !== 'none';
    let trial: Trial | undefined;
    const stored = await attempt(this.log, 'setCredentials', async () => {
      trial = await fillOnTrial(this.profiles, profile, async (manager) => {
        await region.apply();
        await manager.setOAuthCredentials(input);
      });
    });
    if (!stored || trial === undefined) {
      return;
    }
    try {
      const credentials = await withSpinner('Checking the credentials with PandaDoc', () => this.manager.refresh());
      showInfo(`PandaDoc credentials saved and verified.${validityText(credentials.expiresAt)}`);
      await this.account.lookupQuietly();
    } catch (error) {
      this.log.warn(`[setCredentials] not verified: ${error instanceof AuthError ? error.code : 'unexpected error'}`);
      if (held && isRefusal(error)) {
        void this.offerPutBack(trial, error);
      } else {
        showFailure(error, () => this.token.refreshToken('PandaDoc credentials saved and verified.'));
      }
    }
  }

  /** PandaDoc refused credentials that replaced others: say so, and offer to put those back. */
  private async offerPutBack(trial: Trial, error: AuthError): Promise<void> {
    const putBack = 'Put Back';
    const choice = await showChoice(
      'error',
      `PandaDoc refused the credentials just saved in the profile "${trial.profile}": ${shortReason(error)}. Put Back restores what it held before; ${COMMAND_TITLE.setCredentials} lets you correct them.`,
      putBack,
      COMMAND_TITLE.setCredentials,
      COMMAND_TITLE.showLog,
    );
    if (choice === putBack) {
      try {
        showInfo(
          (await undoTrial(this.profiles, trial))
            ? `Put back what the PandaDoc profile "${trial.profile}" held before.`
            : `The PandaDoc profile "${trial.profile}" has changed since, so it was left as it is.`,
        );
      } catch (undoError) {
        showFailure(undoError);
      }
    } else if (choice === COMMAND_TITLE.setCredentials) {
      await vscode.commands.executeCommand(COMMAND.setCredentials);
    } else if (choice === COMMAND_TITLE.showLog) {
      await vscode.commands.executeCommand(COMMAND.showLog);
    }
  }

  /** Asks, checks with PandaDoc, stores. An argument (the key, or `{ apiKey }`) fills in the key;
   *  a person still answers a modal question before it is stored. */
  async setApiKey(arg?: unknown): Promise<void> {
    const given = givenApiKey(arg);
    if (given !== undefined) {
      if (!(await confirmGiven(this.profiles, given))) {
        return;
      }
    } else if (this.manager.status().kind === 'oauth') {
      const replace = await askModal({
        message: `Replace the OAuth credentials of the PandaDoc profile "${this.profiles.activeName()}" with an API key?`,
        detail: "The OAuth credentials are deleted from VS Code's secret storage once the key is saved. PandaDoc itself is not told.",
        keep: 'Keep OAuth Credentials',
        buttons: ['Replace'],
      });
      if (replace !== 'Replace') {
        return;
      }
    }
    const region = await this.regions.askBeforeCredentials();
    if (region === undefined) {
      return;
    }
    const typed = given ?? (await promptApiKey());
    if (typed === undefined) {
      return;
    }
    // Checked before it is stored, with one who-am-I call: a key PandaDoc refuses is not saved.
    // The check asks the region just picked, which is stored only with the key.
    let checked: Awaited<ReturnType<AccountLookup['checkApiKey']>> | undefined;
    let unchecked: unknown;
    try {
      checked = await withSpinner('Checking the API key with PandaDoc', () => this.account.checkApiKey(typed, region.settings));
    } catch (error) {
      if (isRefusal(error) || (error instanceof AuthError && error.code === 'bad_input')) {
        this.log.warn(`[setApiKey] not saved: ${error instanceof AuthError ? error.code : 'unexpected error'}`);
        showFailure(error);
        return;
      }
      unchecked = error;
    }
    const account = checked && accountInfoOf(checked.member);
    const saved = await attempt(this.log, 'setApiKey', async () => {
      await region.apply();
      await this.manager.setApiKey(checked?.apiKey ?? typed, account);
    });
    if (!saved) {
      return;
    }
    if (checked) {
      showInfo(`PandaDoc API key checked and saved: it belongs to ${describeMember(checked.member)}.`);
    } else {
      showInfo(`PandaDoc API key saved, but not checked: ${unchecked instanceof AuthError ? shortReason(unchecked) : 'unexpected error'}. Show Account checks it again.`);
    }
  }

  /**
   * Signs the active profile out (deletes its credentials and the profile), or every profile.
   * Always asks: with several profiles the question offers both; `{ all: true }` goes straight
   * to the question for all of them. No argument answers it. Resolves true when something was
   * deleted.
   */
  async signOut(options?: SignOutOptions): Promise<boolean> {
    const profile = this.profiles.activeName();
    const several = this.profiles.names().length > 1;
    if (!several && this.manager.status().kind === 'none' && !this.manager.state().unreadable) {
      showInfo('No PandaDoc credentials are stored.');
      return false;
    }
    let all = options?.all === true && several;
    if (all) {
      if (!(await this.confirmSignOutOfAll())) {
        return false;
      }
    } else {
      const one = several ? `Sign Out of "${profile}"` : 'Sign Out';
      const every = 'Sign Out of All Profiles';
      const choice = await askModal({
        message: several ? `Sign out of the PandaDoc profile "${profile}"?` : 'Sign out of PandaDoc?',
        detail: several
          ? `This deletes the profile "${profile}" and its credentials from VS Code's secret storage, or every profile with "${every}". PandaDoc itself is not told.`
          : "This deletes the stored PandaDoc credentials from VS Code's secret storage. PandaDoc itself is not told.",
        keep: 'Stay Signed In',
        buttons: several ? [one, every] : [one],
      });
      if (choice === undefined) {
        return false;
      }
      all = choice === every;
      if (all && !(await this.confirmSignOutOfAll())) {
        return false;
      }
    }
    let deleted = false;
    await attempt(this.log, 'signOut', async () => {
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

  /**
   * The second, explicit question before every profile goes: it names how many, and its only
   * button says so too, so a stray click or Enter on the first question cannot take them all.
   */
  private async confirmSignOutOfAll(): Promise<boolean> {
    const names = this.profiles.names();
    const button = `Sign Out of All ${names.length} Profiles`;
    const choice = await askModal({
      message: `Sign out of all ${names.length} PandaDoc profiles?`,
      detail: `This deletes ${names.map((name) => `"${name}"`).join(', ')} and their credentials from VS Code's secret storage. PandaDoc itself is not told.`,
      keep: 'Stay Signed In',
      buttons: [button],
    });
    return choice === button;
  }
}
