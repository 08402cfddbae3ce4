/**
 * A profile's region in VS Code: the quick pick that asks for it where a profile gets its first
 * credentials, `pandadoc.changeRegion`, and what a failure's message needs to offer the other
 * region. The rules are the core's (base/regions.ts, profiles/regionStore.ts, view/regionHint.ts).
 */
import * as vscode from 'vscode';
import { AuthError } from '../../core/base/errors';
import { checkBaseUrl, type Settings } from '../../core/base/settings';
import { customRegion, describeRegion, namedRegionOf, parseRegion, type Region, REGION_NAMES, type RegionId, withRegion } from '../../core/base/regions';
import { findName } from '../../core/profiles/profileIndex';
import type { Profiles } from '../../core/profiles/profiles';
import { regionHint } from '../../core/view/regionHint';
import { COMMAND } from '../base/commandIds';
import { readSettings } from '../base/configuration';
import { askModal } from '../ui/modal';
import { type FailureContext, showFailure, showInfo } from '../ui/notifications';

type Item = vscode.QuickPickItem & { choice?: Region; custom?: true };

const cancelled = () => new AuthError('cancelled', 'Cancelled.');

function hostOf(url: string): string {
  return new URL(url).host;
}

/** A region picked for credentials not stored yet: the settings to check them with, and what
 *  stores the region once they are (a region picked for a sign-in or credentials that never
 *  arrive is not kept). */
export interface RegionStep {
  readonly settings: Settings;
  apply(): Promise<void>;
}

const CHANGE_REGION = 'Change Region';
const USE_ADDRESS = 'Send Requests There';
const KEEP_REGION = 'Keep Region';

/** The argument of `pandadoc.changeRegion`: a region, or `{ profile?, region }`. */
function readArgument(arg: unknown): { profile?: string; choice: Region } {
  const { profile, region } =
    typeof arg === 'object' && arg !== null && 'region' in arg ? (arg as { profile?: unknown; region: unknown }) : { profile: undefined, region: arg };
  if (profile !== undefined && typeof profile !== 'string') {
    throw new AuthError('bad_input', 'pandadoc.changeRegion takes a region, or { profile: string, region }.');
  }
  return { ...(profile === undefined ? {} : { profile }), choice: parseRegion(region) };
}

export class RegionCommands {
  constructor(private readonly profiles: Profiles) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(COMMAND.changeRegion, (arg?: unknown) => this.changeRegion(arg))];
  }

  /**
   * `pandadoc.changeRegion`: asks, or, with an argument, asks a person to confirm the region it
   * names for a profile that exists (an argument fills in the question, never answers it: see
   * SECURITY.md, "Command arguments"). Resolves with the region in a few words, or undefined when
   * cancelled. Nothing is sent.
   */
  async changeRegion(arg?: unknown): Promise<string | undefined> {
    const { profile: named = this.profiles.activeName(), choice } = arg === undefined ? { choice: undefined } : readArgument(arg);
    const profile = findName(this.profiles.names(), named);
    if (profile === undefined) {
      throw new AuthError('bad_input', `There is no PandaDoc profile named "${named}": a region is set only for a profile that exists.`);
    }
    const chosen = choice === undefined ? await this.pick(profile, true).catch(() => undefined) : (await this.confirmGiven(profile, choice)) ? choice : undefined;
    if (chosen === undefined) {
      return undefined;
    }
    try {
      await this.profiles.setRegion(profile, chosen);
    } catch (error) {
      showFailure(error);
      return undefined;
    }
    const described = this.profiles.describeRegion(profile);
    const holds = await this.holdsCredentials(profile);
    showInfo(`The PandaDoc profile "${profile}" now uses the region ${described}.${holds ? ' Its credentials are unchanged.' : ''}`);
    return described;
  }

  /**
   * Before a profile gets its first credentials (Set OAuth Credentials, Set API Key): asks for
   * its region, unless it has one or already holds credentials (profiles made before regions go
   * on as they were, with no question). Resolves with the step that stores it along with the
   * credentials, or undefined when the user cancelled.
   */
  async askBeforeCredentials(profile: string = this.profiles.activeName()): Promise<RegionStep | undefined> {
    const keep: RegionStep = { settings: this.profiles.settingsFor(profile), apply: () => Promise.resolve() };
    if (!(await this.needsRegion(profile))) {
      return keep;
    }
    const chosen = await this.pick(profile, false).catch(() => undefined);
    return chosen === undefined ? undefined : this.stepFor(profile, chosen);
  }

  /**
   * The region of a browser sign-in into `profile`: the one given as the argument (a Custom one
   * only for a profile that exists, and confirmed by a person), or asked for when the profile has
   * no credentials yet and the caller is a person (gave no client). Resolves with the settings to
   * sign in with and `apply`, which the sign-in calls once it has succeeded.
   */
  async forSignIn(profile: string, given: unknown, interactive: boolean): Promise<RegionStep> {
    const choice = await this.choose(profile, given, interactive);
    return choice === undefined ? { settings: this.profiles.settingsFor(profile), apply: () => Promise.resolve() } : this.stepFor(profile, choice, true);
  }

  /** The step for `choice` in `profile`; `active`: stored in whichever profile is active then
   *  (a sign-in may make its profile first). */
  private stepFor(profile: string, region: Region, active = false): RegionStep {
    return {
      settings: withRegion(this.profiles.settingsFor(profile), region, this.profiles.regions.regionTable()),
      apply: () => this.profiles.setRegion(active ? this.profiles.activeName() : profile, region),
    };
  }

  /**
   * The region of a Postman import into `profile`: the argument's, else the file's base URL's,
   * else asked for as before other credentials. The file's is taken only while the settings name
   * one of PandaDoc's regions: settings pointed at a server of the user's own (a proxy, a test
   * server) are a choice a file does not override; and a file names only PandaDoc's regions.
   * Resolves with what stores it once the profile exists, undefined when there is nothing to
   * store, or `cancelled`.
   */
  async forImport(
    profile: string,
    given: unknown,
    fromFile: RegionId | undefined,
    interactive: boolean,
  ): Promise<(() => Promise<void>) | undefined | 'cancelled'> {
    const fileCounts = fromFile !== undefined && namedRegionOf(readSettings(), this.profiles.regions.regionTable()) !== undefined;
    let choice: Region | undefined;
    try {
      choice = await this.choose(profile, given ?? (fileCounts ? fromFile : undefined), interactive);
    } catch (error) {
      if (error instanceof AuthError && error.code === 'cancelled') {
        return 'cancelled';
      }
      throw error;
    }
    return choice === undefined ? undefined : () => this.profiles.setRegion(profile, choice);
  }

  /**
   * The question an argument's region needs. A Custom region sends the profile's client secret
   * and refresh token to an address that is not PandaDoc's at its next refresh: it is set only
   * for a profile that exists (rejects otherwise), after a person confirms the address. A change
   * by `pandadoc.changeRegion` is confirmed whatever it names (`always`). Resolves false when
   * the person did not confirm.
   */
  private async confirmGiven(profile: string, choice: Region, always = true): Promise<boolean> {
    const custom = choice.kind === 'custom';
    if (!custom && !always) {
      return true;
    }
    const existing = findName(this.profiles.names(), profile);
    if (existing === undefined) {
      throw new AuthError('bad_input', `A custom region is set only for a PandaDoc profile that exists, and "${profile}" does not: make it first, then run Change Region.`);
    }
    const urls = withRegion(this.profiles.settingsFor(existing), choice, this.profiles.regions.regionTable());
    const origin = 'A command was run with this region as its argument: by a keybinding, another extension, or a task or launch configuration of this workspace.';
    if (custom) {
      const answer = await askModal({
        message: `Send the requests of the PandaDoc profile "${existing}" to ${hostOf(urls.apiBaseUrl)}?`,
        detail:
          `Token requests would go to ${urls.apiBaseUrl} and sign-ins to ${urls.authBaseUrl}: not PandaDoc's own addresses. ` +
          `At its next refresh, the profile's client ID, client secret and refresh token are sent there, and whoever runs that server can act in your PandaDoc account.\n\n${origin} Confirm only an address you gave yourself.`,
        keep: KEEP_REGION,
        buttons: [USE_ADDRESS],
      });
      return answer === USE_ADDRESS;
    }
    const answer = await askModal({
      message: `Move the PandaDoc profile "${existing}" to the region ${describeRegion(urls, this.profiles.regions.regionTable(), choice.kind === 'settings')}?`,
      detail: `${(await this.holdsCredentials(existing)) ? 'Its credentials are unchanged; its' : 'Its'} token requests then go to ${urls.apiBaseUrl}, and sign-ins to ${urls.authBaseUrl}.\n\n${origin}`,
      keep: KEEP_REGION,
      buttons: [CHANGE_REGION],
      severity: 'info',
    });
    return answer === CHANGE_REGION;
  }

  /** The region given, else asked for when a person fills a profile that needs one. */
  private async choose(profile: string, given: unknown, interactive: boolean): Promise<Region | undefined> {
    if (given !== undefined) {
      const choice = parseRegion(given);
      if (!(await this.confirmGiven(profile, choice, false))) {
        throw cancelled();
      }
      return choice;
    }
    return interactive && (await this.needsRegion(profile)) ? this.pick(profile, false) : undefined;
  }

  /** What a failure's message needs: where the profile sends requests, and the region hint. */
  failureContext(): FailureContext {
    const target = (profile: string | undefined) => profile ?? this.profiles.activeName();
    return {
      apiBaseUrl: (profile) => this.profiles.settingsFor(target(profile)).apiBaseUrl,
      hint: (error, profile) => regionHint(error, this.profiles.settingsFor(target(profile)), this.profiles.regions.regionTable()),
      useRegion: (profile, region: RegionId) => this.profiles.setRegion(target(profile), { kind: region }),
    };
  }

  /** Whether the profile holds something (or something unreadable): "its credentials are
   *  unchanged" is said only then. */
  private holdsCredentials(profile: string): Promise<boolean> {
    return this.profiles.manager(profile).then((m) => m.status().kind !== 'none' || m.state().unreadable, () => false);
  }

  private async needsRegion(profile: string): Promise<boolean> {
    const name = findName(this.profiles.names(), profile);
    if (name === undefined) {
      // To be made: it has no region yet, whatever was once kept under its name.
      return true;
    }
    return this.profiles.regions.get(name) === undefined && (await this.profiles.manager(name)).status().kind === 'none';
  }

  /** Rejects with `cancelled` when the user presses Escape. "As in Settings" is offered first
   *  when the settings name a server of their own (it is then the default), or `always`. */
  private async pick(profile: string, always: boolean): Promise<Region> {
    const title = `PandaDoc Region of "${profile}"`;
    const table = this.profiles.regions.regionTable();
    const settings = readSettings();
    const fromSettings = always || namedRegionOf(settings, table) !== 'global';
    const named = (id: RegionId): Item => ({
      label: id === 'global' ? 'Global' : 'EU',
      description: `${hostOf(table[id].authBaseUrl)} · API ${hostOf(table[id].apiBaseUrl)}`,
      choice: { kind: id },
    });
    const current = this.profiles.regions.get(profile);
    const items: Item[] = [
      ...(fromSettings ? [{ label: 'As in Settings', description: `API ${hostOf(settings.apiBaseUrl)}`, choice: { kind: 'settings' as const } }] : []),
      named('global'),
      named('eu'),
      {
        label: 'Custom...',
        description: current?.kind === 'custom' ? `API ${hostOf(current.apiBaseUrl)}` : 'your own API and sign-in addresses',
        custom: true,
      },
    ];
    // Changing a region, the one in use is marked: "As in Settings" also for a profile with none
    // of its own, which follows the settings all the same.
    const inUse = current === undefined ? (always ? 'settings' : undefined) : current.kind;
    for (const item of items) {
      const kind = item.custom ? 'custom' : item.choice?.kind;
      if (inUse !== undefined && kind === inUse) {
        item.description = `current · ${item.description ?? ''}`;
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: `Where is this PandaDoc account? The address bar shows it while you are logged in: ${hostOf(table.global.authBaseUrl)} (global) or ${hostOf(table.eu.authBaseUrl)} (${REGION_NAMES.eu})`,
      ignoreFocusOut: true,
    });
    if (picked === undefined) {
      throw cancelled();
    }
    return picked.custom ? this.askCustom(title) : (picked.choice as Region);
  }

  private async askCustom(title: string): Promise<Region> {
    const ask = async (setting: 'apiBaseUrl' | 'authBaseUrl', step: string, prompt: string): Promise<string> => {
      const value = await vscode.window.showInputBox({
        title: `${title} (${step})`,
        prompt,
        ignoreFocusOut: true,
        validateInput: (text) => {
          try {
            checkBaseUrl(text, setting, 'This address');
            return undefined;
          } catch (error) {
            return error instanceof AuthError ? error.message : 'Not a URL.';
          }
        },
      });
      if (value === undefined) {
        throw cancelled();
      }
      return value;
    };
    const api = await ask('apiBaseUrl', '1/2', 'API base URL: token requests go to {this}/oauth2/access_token (https; http only to 127.0.0.1)');
    const auth = await ask('authBaseUrl', '2/2', 'Sign-in base URL: the browser opens {this}/oauth2/authorize');
    return customRegion(api, auth);
  }
}
