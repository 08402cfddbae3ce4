/**
 * Arriving from the tools people used before: a Postman environment's credentials imported into
 * a profile, and the refresh request handed back as a curl command (placeholders, never secrets).
 */
import * as vscode from 'vscode';
import { type AccountLookup, isRefusal, type Verified } from '../../core/profiles/accountLookup';
import { describeMember } from '../../core/pandadoc/members';
import { fillOnTrial, type Trial, undoTrial } from '../../core/profiles/profileTrials';
import { shortReason } from '../../core/view/userMessages';
import { buildRefreshCurl, REFRESH_CURL_VARIABLES } from '../../core/tools/curl';
import { AuthError, isAuthError } from '../../core/base/errors';
import { findName } from '../../core/profiles/profileIndex';
import type { Profiles } from '../../core/profiles/profiles';
import { checkPostmanFile, decodePostmanFile, readPostmanFile, unreadablePostmanFile } from '../../core/tools/postmanFile';
import { parsePostmanEnvironment, type PostmanImport } from '../../core/tools/postmanImport';
import { suggestProfileName } from '../../core/tools/postmanNames';
import { registerAfterRead } from '../base/afterRead';
import { COMMAND, COMMAND_TITLE, EXTENSION_ID } from '../base/commandIds';
import { showChoice, showErrorWithButtons, showFailure, showInfo, validityText } from '../ui/notifications';
import { askModal } from '../ui/modal';
import type { RegionCommands } from '../regions/regionCommands';

/** Shipped in the .vsix: the shape of an export, values empty, for the failure messages' button. */
const SAMPLE_ENVIRONMENT = ['media', 'sample.postman_environment.json'];
const CHOOSE_ANOTHER = 'Choose Another File';
const OPEN_SAMPLE = 'Open Sample Environment';

/** The argument of `pandadoc.importPostmanEnvironment` (all optional): it fills in the file,
 *  the profile and the region; the preview question is always asked (SECURITY.md, "Command
 *  arguments"). */
interface ImportRequest {
  /** The file, as a path on the extension host's machine or a URI string. */
  path?: string;
  uri?: string;
  /** The profile to fill (created if missing); by default one named after the environment. */
  profile?: string;
  /** The profile's region (see pandadoc.changeRegion); else the file's base URL says, or the user. */
  region?: unknown;
}

export class ToolCommands {
  constructor(
    private readonly profiles: Profiles,
    private readonly account: AccountLookup,
    private readonly regions: RegionCommands,
  ) {}

  register(): vscode.Disposable[] {
    // Both read the stored profiles: a command started at activation waits for the read.
    return registerAfterRead(this.profiles, {
      [COMMAND.importPostmanEnvironment]: (arg?: ImportRequest) => this.importPostman(arg),
      [COMMAND.copyRefreshAsCurl]: () => this.copyRefreshAsCurl(),
    });
  }

  /** Resolves with the profile filled, once PandaDoc has checked the credentials (the outcome
   *  is shown), or undefined when cancelled or failed (shown). */
  async importPostman(request: ImportRequest = {}): Promise<string | undefined> {
    try {
      const uri = await this.pickFile(request);
      if (!uri) {
        return undefined;
      }
      const parsed = parsePostmanEnvironment(await readSmallFile(uri), this.profiles.regions.regionTable());
      const existing = request.profile === undefined ? undefined : findName(this.profiles.names(), request.profile);
      const profile = existing ?? request.profile?.trim() ?? suggestProfileName(parsed.environmentName, this.profiles.names());
      if (!(await confirmImport(parsed, uri, profile, existing !== undefined))) {
        return undefined;
      }
      const region = await this.regions.forImport(profile, request.region, parsed.region, true);
      if (region === 'cancelled') {
        return undefined;
      }
      const trial = await fillOnTrial(this.profiles, profile, async (manager) => {
        // The profile exists by now (made for the import if need be): its region first, so the
        // check below asks the region the credentials are for.
        await region?.();
        if (parsed.credentials.kind === 'apiKey') {
          await manager.setApiKey(parsed.credentials.apiKey);
        } else {
          const { clientId, clientSecret, refreshToken } = parsed.credentials;
          await manager.setOAuthCredentials({ clientId, clientSecret, refreshToken });
        }
      });
      // Checked at once, as Set OAuth Credentials does: a wrong secret shows now, not as a red
      // status bar later. The answer to the message that follows is not waited for.
      await this.verifyImport(parsed, trial);
      return trial.profile;
    } catch (error) {
      this.showImportFailure(error, request);
      return undefined;
    }
  }

  private async verifyImport(parsed: PostmanImport, trial: Trial): Promise<void> {
    const apiKey = parsed.credentials.kind === 'apiKey';
    const what = apiKey ? 'an API key' : 'OAuth credentials';
    const where = `from the Postman environment "${parsed.environmentName}" into the ${trial.created ? 'new ' : ''}profile "${trial.profile}"`;
    const unchanged = 'The file was not changed.';
    let verified: Verified;
    try {
      verified = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Checking the imported credentials with PandaDoc' },
        () => this.account.verify(),
      );
    } catch (error) {
      const reason = error instanceof AuthError ? shortReason(error) : 'unexpected error';
      if (!isRefusal(error)) {
        showInfo(`Imported ${what} ${where}, now active, but they could not be verified: ${reason}. They are kept; ${apiKey ? 'Show Account' : 'Refresh Token'} tries again. ${unchanged}`);
        return;
      }
      void this.offerUndo(trial, `Imported ${what} ${where}, but PandaDoc rejected ${apiKey ? 'it' : 'them'}: ${reason}. ${
        trial.created ? `Don't Keep removes the profile "${trial.profile}" again.` : `Don't Keep puts back what "${trial.profile}" held before.`
      } ${unchanged}`, apiKey ? COMMAND_TITLE.setApiKey : error.code === 'invalid_grant' ? COMMAND_TITLE.signIn : COMMAND_TITLE.setCredentials);
      return;
    }
    const owner = verified.member ? ` They belong to ${describeMember(verified.member)}.` : '';
    showInfo(`Imported and verified ${what} ${where}, now active.${validityText(verified.expiresAt)}${owner} ${unchanged}`);
  }

  /** The rejection, with Don't Keep (put back what was there), a command that fixes it and Show Log. */
  private async offerUndo(trial: Trial, message: string, fix: string): Promise<void> {
    const undo = "Don't Keep";
    const choice = await showChoice('error', message, undo, fix, COMMAND_TITLE.showLog);
    if (choice === fix) {
      const command = Object.entries(COMMAND_TITLE).find(([, title]) => title === fix)?.[0] as keyof typeof COMMAND;
      await vscode.commands.executeCommand(COMMAND[command]);
    } else if (choice === COMMAND_TITLE.showLog) {
      await vscode.commands.executeCommand(COMMAND.showLog);
    } else if (choice === undo) {
      try {
        const undone = await undoTrial(this.profiles, trial);
        showInfo(
          !undone
            ? `The profile "${trial.profile}" has changed since the import, so it was left as it is.`
            : trial.created
              ? `Removed the profile "${trial.profile}" again; "${this.profiles.activeName()}" is active.`
              : `Put back what the profile "${trial.profile}" held before; "${this.profiles.activeName()}" is active.`,
        );
      } catch (error) {
        showFailure(error);
      }
    }
  }

  /**
   * A file that is not a usable export (bad_input) gets buttons that lead on: pick another file,
   * or open the sample to see the shape. Anything else is shown as every other failure is.
   */
  private showImportFailure(error: unknown, request: ImportRequest): void {
    if (!isAuthError(error) || error.code !== 'bad_input') {
      showFailure(error);
      return;
    }
    void showErrorWithButtons(error.message, CHOOSE_ANOTHER, OPEN_SAMPLE).then(async (choice) => {
      if (choice === CHOOSE_ANOTHER) {
        await this.importPostman({ profile: request.profile });
      } else if (choice === OPEN_SAMPLE) {
        await openSampleEnvironment();
      }
    });
  }

  /** Resolves with the command text it put on the clipboard (it holds no secret). */
  async copyRefreshAsCurl(): Promise<string | undefined> {
    try {
      const settings = this.profiles.settingsFor(this.profiles.activeName());
      const text = buildRefreshCurl({ apiBaseUrl: settings.apiBaseUrl, scope: settings.scope });
      await vscode.env.clipboard.writeText(text);
      showInfo(`Refresh request copied as curl. Set ${Object.values(REFRESH_CURL_VARIABLES).join(', ')} in your shell first; it holds no secret itself.`);
      return text;
    } catch (error) {
      showFailure(error);
      return undefined;
    }
  }

  private async pickFile(request: ImportRequest): Promise<vscode.Uri | undefined> {
    if (request.uri !== undefined) {
      return vscode.Uri.parse(request.uri, true);
    }
    if (request.path !== undefined) {
      return vscode.Uri.file(request.path);
    }
    const picked = await vscode.window.showOpenDialog({
      title: 'Import Credentials from Postman Environment',
      defaultUri: await dialogStart(),
      openLabel: 'Import',
      canSelectMany: false,
      filters: { 'Postman environment': ['json'], 'All files': ['*'] },
    });
    return picked?.[0];
  }
}

/**
 * Where the file dialog opens: at a Postman environment export in the workspace when there is
 * one, else in the workspace folder; with no folder open, VS Code's own default.
 */
async function dialogStart(): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder === undefined) {
    return undefined;
  }
  const [found] = await vscode.workspace.findFiles('**/*.postman_environment.json', '**/node_modules/**', 1);
  return found ?? folder;
}

/** The sample export as a new untitled editor: fill it in, save it, import it. The installed
 *  file itself is never opened, so nobody edits the extension by mistake. */
async function openSampleEnvironment(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) {
    return;
  }
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, ...SAMPLE_ENVIRONMENT));
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: new TextDecoder('utf-8').decode(bytes) });
  await vscode.window.showTextDocument(document);
}

/** The file's text, by the rules of postmanFile.ts: a regular file, at most 1 MiB, strict UTF-8. */
async function readSmallFile(uri: vscode.Uri): Promise<string> {
  if (uri.scheme === 'file') {
    return readPostmanFile(uri.fsPath);
  }
  // Another file system (a virtual workspace): what VS Code calls a file, within the limit.
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    checkPostmanFile({ isFile: (stat.type & vscode.FileType.File) !== 0, size: stat.size });
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    throw error instanceof AuthError ? error : unreadablePostmanFile();
  }
  return decodePostmanFile(bytes);
}

/** Shows what will be imported, by name and fingerprint only, and asks. */
async function confirmImport(parsed: PostmanImport, uri: vscode.Uri, profile: string, replacing: boolean): Promise<boolean> {
  const lines = parsed.found.map(
    (entry) => `${entry.imported ? '✓' : '–'} ${entry.key} (${entry.fingerprint})${entry.note ? `: ${entry.note}` : ''}`,
  );
  const action = 'Import';
  const file = uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
  const choice = await askModal({
    message: `Import from the Postman environment "${parsed.environmentName}" into ${replacing ? 'the existing' : 'a new'} profile "${profile}"?`,
    detail: `From ${file}:\n${lines.join('\n')}\n\n${replacing ? 'Its current credentials are replaced. ' : ''}The file is only read, never changed.`,
    keep: "Don't Import",
    buttons: [action],
  });
  return choice === action;
}
