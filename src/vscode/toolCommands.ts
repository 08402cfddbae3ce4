/**
 * Arriving from the tools people used before: a Postman environment's credentials imported into
 * a profile, and the refresh request handed back as a curl command (placeholders, never secrets).
 */
import * as vscode from 'vscode';
import type { AccountLookup } from '../core/profiles/accountLookup';
import { buildRefreshCurl, REFRESH_CURL_VARIABLES } from '../core/tools/curl';
import { AuthError, isAuthError } from '../core/base/errors';
import { findName } from '../core/profiles/profileIndex';
import type { Profiles } from '../core/profiles/profiles';
import { MAX_POSTMAN_FILE_LENGTH } from '../core/tools/postmanExport';
import { parsePostmanEnvironment, type PostmanImport } from '../core/tools/postmanImport';
import { suggestProfileName } from '../core/tools/postmanNames';
import { COMMAND, EXTENSION_ID } from './commandIds';
import { readSettings } from './configuration';
import { showErrorWithButtons, showFailure, showInfo } from './notifications';

/** Shipped in the .vsix: the shape of an export, values empty, for the failure messages' button. */
const SAMPLE_ENVIRONMENT = ['media', 'sample.postman_environment.json'];
const CHOOSE_ANOTHER = 'Choose Another File';
const OPEN_SAMPLE = 'Open Sample Environment';

/** The argument of `pandadoc.importPostmanEnvironment` (all optional). */
interface ImportRequest {
  /** The file, as a path on the extension host's machine or a URI string. */
  path?: string;
  uri?: string;
  /** The profile to fill (created if missing); by default one named after the environment. */
  profile?: string;
  /** `false` skips the preview question (scripts, tests). */
  confirm?: boolean;
}

export class ToolCommands {
  constructor(
    private readonly profiles: Profiles,
    private readonly account: AccountLookup,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(COMMAND.importPostmanEnvironment, (arg?: ImportRequest) => this.importPostman(arg)),
      vscode.commands.registerCommand(COMMAND.copyRefreshAsCurl, () => this.copyRefreshAsCurl()),
    ];
  }

  /** Resolves with the profile filled, or undefined when cancelled or failed (shown). */
  async importPostman(request: ImportRequest = {}): Promise<string | undefined> {
    try {
      const uri = await this.pickFile(request);
      if (!uri) {
        return undefined;
      }
      const parsed = parsePostmanEnvironment(await readSmallFile(uri));
      const existing = request.profile === undefined ? undefined : findName(this.profiles.names(), request.profile);
      const profile = existing ?? request.profile?.trim() ?? suggestProfileName(parsed.environmentName, this.profiles.names());
      if (request.confirm !== false && !(await confirmImport(parsed, profile, existing !== undefined))) {
        return undefined;
      }
      if (existing === undefined) {
        await this.profiles.create(profile, { activate: false });
      }
      const manager = await this.profiles.manager(profile);
      if (parsed.credentials.kind === 'apiKey') {
        await manager.setApiKey(parsed.credentials.apiKey);
      } else {
        const { clientId, clientSecret, refreshToken } = parsed.credentials;
        await manager.setOAuthCredentials({ clientId, clientSecret, refreshToken });
      }
      await this.profiles.switchTo(profile);
      showInfo(
        `Imported ${parsed.credentials.kind === 'apiKey' ? 'an API key' : 'OAuth credentials'} from the Postman environment "${parsed.environmentName}" into the profile "${profile}", now active. The file was not changed.`,
      );
      void this.account.lookupQuietly();
      return profile;
    } catch (error) {
      this.showImportFailure(error, request);
      return undefined;
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
        await this.importPostman({ profile: request.profile, confirm: request.confirm });
      } else if (choice === OPEN_SAMPLE) {
        await openSampleEnvironment();
      }
    });
  }

  /** Resolves with the command text it put on the clipboard (it holds no secret). */
  async copyRefreshAsCurl(): Promise<string | undefined> {
    try {
      const settings = readSettings();
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

async function readSmallFile(uri: vscode.Uri): Promise<string> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    // Not even read when it is far larger than any export (someone picked the wrong file).
    if (stat.size > MAX_POSTMAN_FILE_LENGTH) {
      throw new AuthError('bad_input', 'That file is larger than 1 MiB: it is not a Postman environment export.');
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    if (error instanceof AuthError) {
      throw error;
    }
    throw new AuthError('bad_input', 'The file could not be read. Check that it exists and that VS Code may read it.');
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Shows what will be imported, by name and fingerprint only, and asks. */
async function confirmImport(parsed: PostmanImport, profile: string, replacing: boolean): Promise<boolean> {
  const lines = parsed.found.map(
    (entry) => `${entry.imported ? '✓' : '–'} ${entry.key} (${entry.fingerprint})${entry.note ? `: ${entry.note}` : ''}`,
  );
  const action = 'Import';
  const choice = await vscode.window.showWarningMessage(
    `Import from the Postman environment "${parsed.environmentName}" into ${replacing ? 'the existing' : 'a new'} profile "${profile}"?`,
    {
      modal: true,
      detail: `${lines.join('\n')}\n\n${replacing ? 'Its current credentials are replaced. ' : ''}The file is only read, never changed.`,
    },
    action,
  );
  return choice === action;
}
