/** The API other extensions get from `activate()`: `getApi(1)`, backed by the TokenManager. */
import * as vscode from 'vscode';
import { parseRegion } from '../../core/base/regions';
import { existingName } from '../../core/profiles/profileIndex';
import type { Profiles, ProfilesChange } from '../../core/profiles/profiles';
import { sdkAuthMethod } from '../../core/routes/sdkAuthMethod';
import type { PandaDocAuthApiV1, PandaDocAuthExports, PandaDocAuthStatus } from '../../api/pandadoc-auth';

/** Changes made in this window are always announced; a reload or another window's write only
 *  when it changed what consumers can see. Busy and failure states are not status changes. */
const ALWAYS_ANNOUNCED: ReadonlySet<ProfilesChange> = new Set(['store', 'refresh', 'signOut', 'switch']);
const NEVER_ANNOUNCED: ReadonlySet<ProfilesChange> = new Set(['busy', 'idle', 'account', 'profiles']);

function snapshot(status: PandaDocAuthStatus): PandaDocAuthStatus {
  return Object.freeze({ ...status });
}

export class Api implements vscode.Disposable {
  private readonly statusEmitter = new vscode.EventEmitter<PandaDocAuthStatus>();
  private readonly subscription: vscode.Disposable;
  private announced: string;

  readonly v1: PandaDocAuthApiV1;

  constructor(profiles: Profiles) {
    this.announced = JSON.stringify(profiles.status());
    this.subscription = profiles.onDidChange((cause) => {
      const status = profiles.status();
      const json = JSON.stringify(status);
      if (NEVER_ANNOUNCED.has(cause) || (!ALWAYS_ANNOUNCED.has(cause) && json === this.announced)) {
        return;
      }
      this.announced = json;
      this.statusEmitter.fire(snapshot(status));
    });
    const v1: PandaDocAuthApiV1 = {
      getAccessToken: () => profiles.getAccessToken(),
      getAuthorizationHeader: () => profiles.getAuthorizationHeader(),
      createSdkAuthMethod: () => sdkAuthMethod(() => profiles.getAuthorizationHeader()),
      getStatus: () => snapshot(profiles.status()),
      onDidChangeStatus: this.statusEmitter.event,
      setOAuthCredentials: async (credentials) => (await profiles.storedActiveManager()).setOAuthCredentials(credentials),
      setApiKey: async (apiKey) => (await profiles.storedActiveManager()).setApiKey(apiKey),
      signOut: (options) => (options?.all === true ? profiles.removeAll() : profiles.remove(profiles.activeName())),
      deleteProfile: async (profile) => profiles.remove(existingName({ names: profiles.names() }, String(profile))),
      setRegion: async (profile, region) => profiles.setRegion(String(profile), parseRegion(region)),
    };
    this.v1 = Object.freeze(v1);
  }

  readonly exports: PandaDocAuthExports = Object.freeze({
    getApi: (version: number): PandaDocAuthApiV1 => {
      if (version !== 1) {
        throw new Error(`PandaDoc Auth does not offer API version ${String(version)}; this release offers version 1.`);
      }
      return this.v1;
    },
  });

  dispose(): void {
    this.subscription.dispose();
    this.statusEmitter.dispose();
  }
}
