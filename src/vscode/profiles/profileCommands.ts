/** The profile commands: switch to a profile or make a new one, rename one, delete one. */
import * as vscode from 'vscode';
import { DEFAULT_PROFILE, findName, profileNameProblem } from '../../core/profiles/profileIndex';
import type { ProfileSummary, Profiles } from '../../core/profiles/profiles';
import { registerAfterRead } from '../base/afterRead';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { askModal } from '../ui/modal';
import { showFailure, showInfo } from '../ui/notifications';

const KIND_LABELS: Record<ProfileSummary['kind'], string> = {
  none: 'nothing stored',
  oauth: 'OAuth',
  apiKey: 'API key',
};

type Item = vscode.QuickPickItem & { profile?: string; create?: boolean };

export class ProfileCommands {
  constructor(private readonly profiles: Profiles) {}

  register(): vscode.Disposable[] {
    // The lists these offer are the stored ones: read before a command started at activation acts.
    return registerAfterRead(this.profiles, {
      [COMMAND.switchProfile]: (arg?: unknown) => this.switchProfile(arg),
      [COMMAND.renameProfile]: (arg?: unknown) => this.renameProfile(arg),
      [COMMAND.deleteProfile]: (arg?: unknown) => this.deleteProfile(arg),
    });
  }

  /**
   * With `{ profile?, to }`: renames it (the active one by default), or rejects. Without: the
   * profile to rename (asked only when there are several), then its new name. Resolves with the
   * new name, or undefined when cancelled or failed (shown).
   */
  async renameProfile(arg?: unknown): Promise<string | undefined> {
    if (arg !== undefined) {
      const { profile, to } = (arg ?? {}) as { profile?: unknown; to?: unknown };
      if ((profile !== undefined && typeof profile !== 'string') || typeof to !== 'string') {
        throw new Error('pandadoc.renameProfile takes { profile?: string, to: string }.');
      }
      return this.profiles.rename(profile ?? this.profiles.activeName(), to);
    }
    const profile = await this.pickProfile('Rename PandaDoc Profile', 'Choose the profile to rename');
    if (profile === undefined) {
      return undefined;
    }
    const others = this.profiles.names().filter((name) => name !== profile);
    const to = await vscode.window.showInputBox({
      title: `Rename PandaDoc Profile "${profile}"`,
      prompt: `A new name for the profile "${profile}". Its credentials stay with it.`,
      value: profile,
      ignoreFocusOut: true,
      validateInput: (value) => profileNameProblem(value, others),
    });
    if (to === undefined || to.trim() === profile) {
      return undefined;
    }
    try {
      const renamed = await this.profiles.rename(profile, to);
      showInfo(`Renamed the PandaDoc profile "${profile}" to "${renamed}".`);
      return renamed;
    } catch (error) {
      showFailure(error);
      return undefined;
    }
  }

  /**
   * The profile to delete (`{ profile }` fills it in; else asked only when there are several),
   * then a confirmation that names it and what goes with it, always: no argument answers it.
   * Resolves true when something was deleted.
   */
  async deleteProfile(arg?: unknown): Promise<boolean> {
    const given = (arg ?? {}) as { profile?: unknown };
    if (given.profile !== undefined && typeof given.profile !== 'string') {
      throw new Error('pandadoc.deleteProfile takes { profile?: string }.');
    }
    const profile =
      typeof given.profile === 'string'
        ? findName(this.profiles.names(), given.profile)
        : await this.pickProfile('Delete PandaDoc Profile', 'Choose the profile to delete');
    if (profile === undefined) {
      if (typeof given.profile === 'string') {
        throw new Error(`There is no PandaDoc profile named "${given.profile}".`);
      }
      return false;
    }
    const last = this.profiles.names().length === 1;
    // The one profile left is emptied instead, since one must be active: said, never silent.
    const instead = last ? ` It is the only profile, so an empty profile "${DEFAULT_PROFILE}" takes its place.` : '';
    const kind = (await this.profiles.summaries()).find((summary) => summary.name === profile)?.kind ?? 'none';
    const holds = {
      none: 'It holds no credentials.',
      oauth: "Its OAuth credentials are deleted from VS Code's secret storage; PandaDoc itself is not told.",
      apiKey: "Its API key is deleted from VS Code's secret storage; PandaDoc itself is not told.",
    }[kind];
    const button = 'Delete Profile';
    const choice = await askModal({ message: `Delete the PandaDoc profile "${profile}"?`, detail: `${holds}${instead}`, keep: 'Keep Profile', buttons: [button] });
    if (choice !== button) {
      return false;
    }
    try {
      const deleted = await this.profiles.remove(profile);
      showInfo(
        deleted
          ? `Deleted the PandaDoc profile "${profile}".${last ? instead : ` The profile "${this.profiles.activeName()}" is active.`}`
          : `The PandaDoc profile "${profile}" is the only one and empty: there is nothing to delete.`,
      );
      return deleted;
    } catch (error) {
      showFailure(error);
      return false;
    }
  }

  /** The active profile when it is the only one; else the one the user picks (active first). */
  private async pickProfile(title: string, placeHolder: string): Promise<string | undefined> {
    const summaries = await this.profiles.summaries();
    if (summaries.length === 1) {
      return summaries[0].name;
    }
    const ordered = [...summaries].sort((a, b) => Number(b.active) - Number(a.active));
    const picked = await vscode.window.showQuickPick(
      ordered.map((summary) => ({
        label: summary.name,
        description: [summary.active ? 'active' : undefined, KIND_LABELS[summary.kind], summary.account?.email].filter(Boolean).join(' · '),
        profile: summary.name,
      })),
      { title, placeHolder },
    );
    return picked?.profile;
  }

  /**
   * With a name (or `{ profile, create }`): switch to it, creating it when `create` is true;
   * rejects for an unknown name. Without: a quick pick of the profiles and "New Profile...".
   * Resolves with the active profile's name afterwards.
   */
  async switchProfile(arg?: unknown): Promise<string> {
    if (arg !== undefined) {
      const { profile, create } = typeof arg === 'string' ? { profile: arg, create: false } : (arg as { profile?: unknown; create?: boolean });
      if (typeof profile !== 'string') {
        throw new Error('pandadoc.switchProfile takes a profile name or { profile: string, create?: boolean }.');
      }
      if (create === true) {
        await this.profiles.switchToOrCreate(profile);
      } else {
        await this.profiles.switchTo(profile);
      }
      return this.profiles.activeName();
    }
    const summaries = await this.profiles.summaries();
    const items: Item[] = [
      ...summaries.map((summary) => ({
        label: `${summary.active ? '$(check)' : '$(blank)'} ${summary.name}`,
        description: [KIND_LABELS[summary.kind], summary.account?.email].filter(Boolean).join(' · '),
        profile: summary.name,
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(add) New Profile...', create: true },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'PandaDoc Profiles',
      placeHolder: `Active: ${this.profiles.activeName()}. Choose a profile, or make a new one`,
    });
    try {
      if (picked?.profile !== undefined) {
        await this.profiles.switchTo(picked.profile);
      } else if (picked?.create) {
        const name = await vscode.window.showInputBox({
          title: 'New PandaDoc Profile',
          prompt: 'A name, e.g. "Production" or "Sandbox". It becomes the active profile; then sign in or set credentials.',
          ignoreFocusOut: true,
          validateInput: (value) => profileNameProblem(value, this.profiles.names()),
        });
        if (name !== undefined) {
          await this.profiles.create(name);
          void this.offerCredentials(name.trim());
        }
      }
    } catch (error) {
      showFailure(error);
    }
    return this.profiles.activeName();
  }

  /** A new profile is empty: say how to fill it, without waiting for an answer. */
  private async offerCredentials(name: string): Promise<void> {
    const signIn = COMMAND_TITLE.signIn;
    const setKey = COMMAND_TITLE.setApiKey;
    const choice = await vscode.window.showInformationMessage(
      `PandaDoc profile "${name}" created and active. Sign in, or set an API key, to fill it.`,
      signIn,
      setKey,
    );
    if (choice === signIn) {
      await vscode.commands.executeCommand(COMMAND.signIn);
    } else if (choice === setKey) {
      await vscode.commands.executeCommand(COMMAND.setApiKey);
    }
  }
}
