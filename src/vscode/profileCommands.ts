/** `pandadoc.switchProfile`: pick a profile, or make a new one. */
import * as vscode from 'vscode';
import { profileNameProblem } from '../core/profiles/profileIndex';
import type { ProfileSummary, Profiles } from '../core/profiles/profiles';
import { COMMAND } from './commandIds';
import { showFailure } from './notifications';

const KIND_LABELS: Record<ProfileSummary['kind'], string> = {
  none: 'nothing stored',
  oauth: 'OAuth',
  apiKey: 'API key',
};

type Item = vscode.QuickPickItem & { profile?: string; create?: boolean };

export class ProfileCommands {
  constructor(private readonly profiles: Profiles) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(COMMAND.switchProfile, (arg?: unknown) => this.switchProfile(arg))];
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
    const signIn = 'Sign In with Browser';
    const setKey = 'Set API Key';
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
