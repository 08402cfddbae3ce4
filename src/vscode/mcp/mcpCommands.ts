/**
 * Turn On / Turn Off PandaDoc Tools in Chat: the active profile's choice (core/routes/mcpChoices.ts,
 * global state, never a setting). Turning on asks every time, whoever calls: an argument (a
 * task's `command` input can pass one) is ignored, since arguments never widen trust.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/base/logger';
import { quotedName } from '../../core/base/text';
import { namedRegionOf } from '../../core/base/regions';
import type { Profiles } from '../../core/profiles/profiles';
import type { McpChoices } from '../../core/routes/mcpChoices';
import { turnOnMcpQuestion } from '../../core/routes/mcpServers';
import { COMMAND, COMMAND_TITLE } from '../base/commandIds';
import { readMcpServerUrl } from '../base/configuration';
import { askToTurnOn } from '../ui/modal';
import { showFailure, showInfo, showTrustFirst } from '../ui/notifications';

export class McpCommands {
  /** `supported`: this VS Code has the MCP provider API (1.101 or later). */
  constructor(
    private readonly profiles: Profiles,
    private readonly choices: McpChoices,
    private readonly supported: boolean,
    private readonly log: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [
      // No argument is passed on: none may skip the question.
      vscode.commands.registerCommand(COMMAND.turnOnMcpServers, () => this.turnOn()),
      vscode.commands.registerCommand(COMMAND.turnOffMcpServers, () => this.turnOff()),
    ];
  }

  /** Resolves true when the active profile is turned on. */
  async turnOn(): Promise<boolean> {
    if (!this.supported) {
      showInfo(`PandaDoc's tools in chat need VS Code 1.101 or later, which lets an extension offer MCP servers; this VS Code is ${vscode.version}.`);
      return false;
    }
    const profile = this.profiles.activeName();
    if (!vscode.workspace.isTrusted) {
      showTrustFirst("This window is in Restricted Mode: PandaDoc's tools are never offered to chat in a workspace you have not trusted. Trust it first, then turn them on.");
      return false;
    }
    if (this.choices.isOn(profile)) {
      showInfo(`PandaDoc's tools are already offered to VS Code's chat for the profile ${quotedName(profile)}.`);
      return true;
    }
    const region = namedRegionOf(this.profiles.settingsFor(profile), this.profiles.regions.regionTable()) ?? 'custom';
    const question = turnOnMcpQuestion(profile, region, readMcpServerUrl(), COMMAND_TITLE.turnOffMcpServers);
    if (!(await askToTurnOn(question))) {
      return false;
    }
    try {
      await this.choices.turnOn(profile);
    } catch (error) {
      showFailure(error);
      return false;
    }
    this.log.info(`[mcp] turned on PandaDoc's tools in chat for "${profile}"`);
    showInfo(
      `PandaDoc's MCP servers are offered to VS Code's chat for the profile ${quotedName(profile)}. Start them from the chat's tools, or with MCP: List Servers.`,
    );
    return true;
  }

  /** Resolves true when the active profile was on. */
  async turnOff(): Promise<boolean> {
    const profile = this.profiles.activeName();
    let was: boolean;
    try {
      was = await this.choices.turnOff(profile);
    } catch (error) {
      showFailure(error);
      return false;
    }
    if (!was) {
      showInfo(`PandaDoc's tools are not offered to VS Code's chat for the profile ${quotedName(profile)}: there is nothing to turn off.`);
      return false;
    }
    this.log.info(`[mcp] turned off PandaDoc's tools in chat for "${profile}"`);
    showInfo(`PandaDoc's MCP servers are no longer offered to VS Code's chat for the profile ${quotedName(profile)}; VS Code stops the ones running.`);
    return true;
  }
}
