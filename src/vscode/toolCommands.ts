/**
 * Arriving from the tools people used before: a Postman environment's credentials imported into
 * a profile, and the refresh request handed back as a curl command (placeholders, never secrets).
 */
import * as vscode from 'vscode';
import type { AccountLookup } from '../core/profiles/accountLookup';
import { buildRefreshCurl, REFRESH_CURL_VARIABLES } from '../core/tools/curl';
import { AuthError } from '../core/base/errors';
import { findName } from '../core/profiles/profileIndex';
import type { Profiles } from '../core/profiles/profiles';
import { checkPostmanFile, decodePostmanFile, readPostmanFile, unreadablePostmanFile } from '../core/tools/postmanFile';
import { parsePostmanEnvironment, type PostmanImport } from '../core/tools/postmanImport';
import { suggestProfileName } from '../core/tools/postmanNames';
import { COMMAND } from './commandIds';
import { showFailure, showInfo } from './notifications';
import type { RegionCommands } from './regionCommands';

/** The argument of `pandadoc.importPostmanEnvironment` (all optional). */
interface ImportRequest {
  /** The file, as a path on the extension host's machine or a URI string. */
  path?: string;
  uri?: string;
  /** The profile to fill (created if missing); by default one named after the environment. */
  profile?: string;
  /** `false` skips the preview question (scripts, tests). */
  confirm?: boolean;
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
      const parsed = parsePostmanEnvironment(await readSmallFile(uri), this.profiles.regions.regionTable());
      const existing = request.profile === undefined ? undefined : findName(this.profiles.names(), request.profile);
      const profile = existing ?? request.profile?.trim() ?? suggestProfileName(parsed.environmentName, this.profiles.names());
      if (request.confirm !== false && !(await confirmImport(parsed, profile, existing !== undefined))) {
        return undefined;
      }
      const region = await this.regions.forImport(profile, request.region, parsed.region, request.confirm !== false);
      if (region === 'cancelled') {
        return undefined;
      }
      if (existing === undefined) {
        await this.profiles.create(profile, { activate: false });
      }
      await region?.();
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
      showFailure(error);
      return undefined;
    }
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
      openLabel: 'Import',
      canSelectMany: false,
      filters: { 'Postman environment': ['json'], 'All files': ['*'] },
    });
    return picked?.[0];
  }
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
