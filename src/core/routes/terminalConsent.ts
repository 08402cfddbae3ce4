/**
 * What the Turn On question for terminals says, and the log's warning about VS Code's own logs:
 * both tell what VS Code itself may write of a terminal's environment, which the extension's
 * `persistent = false` does not govern. Worded here, from the settings' values, so the unit tests
 * read them.
 */
import { quotedName } from '../base/text';
import type { WorkspaceRef } from './workspaceGrants';

/** `terminal.integrated.enablePersistentSessions` and
 *  `terminal.integrated.persistentSessionReviveProcess`, as the window reads them. */
export interface TerminalPersistence {
  readonly enabled: boolean;
  /** `onExit` (VS Code's default), `onExitAndWindowClose` or `never`. */
  readonly revive: string;
}

export const TERMINAL_VARIABLE_NAMES = 'PANDADOC_AUTHORIZATION, PANDADOC_ACCESS_TOKEN (OAuth) and PANDADOC_API_BASE_URL';

/**
 * What VS Code does with the environment of the terminals open when it shuts them down. With
 * persistent sessions on, it saves their state, environment included, to revive them (VS Code
 * 1.139's terminal service: on quit for `onExit`, also on closing the window for
 * `onExitAndWindowClose`, never for `never`); with them off it saves nothing.
 */
export function persistenceSentence({ enabled, revive }: TerminalPersistence): string {
  if (!enabled) {
    return 'VS Code does not save them either: persistent terminal sessions are off (terminal.integrated.enablePersistentSessions).';
  }
  if (revive === 'never') {
    return 'VS Code does not save them either: persistent terminal sessions are on, but terminal.integrated.persistentSessionReviveProcess is "never", so no terminal is revived.';
  }
  const when = revive === 'onExitAndWindowClose' ? 'you close the window or quit' : 'you quit';
  return (
    `But VS Code itself can write them to disk: persistent terminal sessions are on (terminal.integrated.enablePersistentSessions), and with terminal.integrated.persistentSessionReviveProcess ${JSON.stringify(revive)} ` +
    `VS Code saves the environment of the terminals still open when ${when}, these credentials included, in its storage for the workspace, to revive them at the next start. ` +
    'Close those terminals first, or set terminal.integrated.persistentSessionReviveProcess to "never".'
  );
}

export interface TurnOnQuestion {
  readonly message: string;
  readonly detail: string;
}

/**
 * The modal question of Turn On: which workspace and where, that new terminals get the
 * credentials of whichever profile is active when they start (not only `activeProfile`, the one
 * now), who can read them, and what is written to disk and by whom.
 */
export function turnOnQuestion(workspace: WorkspaceRef, activeProfile: string, persistence: TerminalPersistence, turnOffTitle: string): TurnOnQuestion {
  return {
    message: `Give new terminals of ${quotedName(workspace.name)} your PandaDoc credentials?`,
    detail: [
      `The workspace is at ${workspace.path}`,
      `New integrated terminals of this workspace get ${TERMINAL_VARIABLE_NAMES} of whichever PandaDoc profile is active when they start (now ${quotedName(activeProfile)}): switching profiles switches what new terminals get. ` +
        'The values are kept current as the token is refreshed, and the tasks and debug sessions that run in a terminal get them too. Every program started there can read them and send them anywhere.',
      `Only in this workspace, and never while it is in Restricted Mode. PandaDoc Auth never writes the values to disk. ${persistenceSentence(persistence)}`,
      `At the Debug or Trace log level, VS Code writes a terminal's whole environment into its own logs. PandaDoc: ${turnOffTitle} takes it back.`,
    ].join('\n\n'),
  };
}

/** The window's log level, as `vscode.LogLevel` names it. */
export type WindowLogLevel = 'Off' | 'Trace' | 'Debug' | 'Info' | 'Warning' | 'Error';

/** Whether VS Code writes a launched terminal's or task's whole environment into its logs. */
function logsEnvironments(level: WindowLogLevel): boolean {
  return level === 'Trace' || level === 'Debug';
}

export function logLevelWarning(level: WindowLogLevel): string {
  return (
    `[terminal] the window's log level is ${level}: at that level VS Code writes the whole environment of each terminal and task it starts, PANDADOC_AUTHORIZATION included, ` +
    "into its own logs (ptyhost.log, remoteagent.log, a server's output). Set the level back to Info (Developer: Set Log Level...), or turn the terminals' credentials off."
  );
}

/**
 * Decides when to warn in the log: once when the terminal route turns on at a Debug or Trace
 * level, and once each time the level changes to one of them while it is on; never again for the
 * same state, so a gate decided again does not repeat it.
 */
export class LogLevelWatch {
  private on = false;
  private level: WindowLogLevel | undefined;

  /** The warning to log now, if any. */
  update(on: boolean, level: WindowLogLevel): string | undefined {
    const warn = on && logsEnvironments(level) && (!this.on || level !== this.level);
    this.on = on;
    this.level = level;
    return warn ? logLevelWarning(level) : undefined;
  }
}
