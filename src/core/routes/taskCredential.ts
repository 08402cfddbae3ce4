/**
 * The answer to one `${input:...}` of a task or launch configuration: the value asked for
 * (taskInput.ts), of the profile asked for, once the workspace may have it (taskConsent.ts).
 *
 * What can be known without the user is checked before the question (the argument, the
 * profile, that something usable is stored), so nobody is asked to allow what would fail anyway;
 * the token itself is fetched after it (a refresh, when it is due, goes to the network).
 */
import { AuthError } from '../base/errors';
import type { Logger } from '../base/logger';
import { fingerprint } from '../base/redact';
import { Sequencer } from '../base/sequencer';
import { quotedName } from '../base/text';
import { findName } from '../profiles/profileIndex';
import type { Profiles } from '../profiles/profiles';
import { deadGrant } from '../token/freshness';
import { type ConsentAnswer, type ConsentQuestion, consentQuestion, consentStep, type Refusal, refusalMessage } from './taskConsent';
import { describeTaskValue, isSecretValue, parseTaskInput, type TaskInputRequest } from './taskInput';
import type { WorkspaceGrants, WorkspaceRef } from './workspaceGrants';

/** What the adapter knows of the window and the user. */
export interface TaskCredentialHost {
  workspace(): WorkspaceRef | undefined;
  trusted(): boolean;
  /** Shows the modal question; resolves with the answer, undefined when there was none. */
  ask(question: ConsentQuestion): PromiseLike<ConsentAnswer | undefined>;
  /** The manage command's palette title, which the question names. */
  readonly manageTitle: string;
}

export type TaskCredentialOutcome =
  | { readonly ok: true; readonly value: string }
  /** Not allowed: `message` says why. */
  | { readonly ok: false; readonly refusal: Refusal; readonly message: string }
  /** A failure of the argument or the account (an AuthError, shown as every failure is). */
  | { readonly ok: false; readonly refusal?: undefined; readonly error: unknown; readonly profile?: string };

function nothingStored(profile: string): AuthError {
  return new AuthError('no_credentials', `Nothing is stored in the profile "${profile}".`);
}

type ProfilesView = Pick<Profiles, 'activeName' | 'names' | 'manager' | 'settingsFor'>;

export class TaskCredentials {
  /** One question at a time: a second input waiting meanwhile sees the first one's "always"
   *  (which covers it only when it asks for the same profile). */
  private readonly asking = new Sequencer();

  constructor(
    private readonly profiles: ProfilesView,
    private readonly grants: Pick<WorkspaceGrants, 'has' | 'grant'>,
    private readonly host: TaskCredentialHost,
    private readonly log: Logger,
  ) {}

  async answer(argument: unknown): Promise<TaskCredentialOutcome> {
    let profile: string | undefined;
    try {
      const request = parseTaskInput(argument);
      profile = this.profileOf(request);
      if (!isSecretValue(request.value)) {
        // The base URL is no secret (the settings show it): no question, no folder needed.
        this.log.info(`[tasks] gave the API base URL of "${profile}"`);
        return { ok: true, value: this.profiles.settingsFor(profile).apiBaseUrl };
      }
      const manager = await this.profiles.manager(profile);
      const kind = manager.status().kind;
      if (kind === 'none') {
        throw nothingStored(profile);
      }
      if (request.value === 'token' && kind === 'apiKey') {
        throw new AuthError(
          'bad_input',
          `The PandaDoc profile "${profile}" holds an API key, which has no OAuth token. Ask for "authorization" instead: "API-Key <key>" is the whole Authorization header.`,
        );
      }
      if (kind === 'oauth' && !manager.hasLiveSession()) {
        throw deadGrant();
      }
      const what = describeTaskValue(request.value, kind);
      const allowed = await this.asking.queue(() => this.consent(what, profile as string));
      if (!allowed.ok) {
        return allowed;
      }
      const value = request.value === 'token' ? await manager.getAccessToken() : await manager.getAuthorizationHeader();
      if (value === undefined) {
        throw nothingStored(profile);
      }
      this.log.info(`[tasks] gave ${what} of "${profile}" (${fingerprint(value)}) to the workspace ${quotedName(allowed.workspace.name)} (${allowed.how})`);
      return { ok: true, value };
    } catch (error) {
      this.log.warn(`[tasks] gave nothing: ${error instanceof AuthError ? error.code : 'unexpected error'}`);
      return { ok: false, error, ...(profile === undefined ? {} : { profile }) };
    }
  }

  /** The profile's name as stored; rejects when there is none of that name. */
  private profileOf(request: TaskInputRequest): string {
    if (request.profile === undefined) {
      return this.profiles.activeName();
    }
    const found = findName(this.profiles.names(), request.profile);
    if (found === undefined) {
      throw new AuthError('bad_input', `There is no PandaDoc profile named "${request.profile}".`);
    }
    return found;
  }

  private async consent(
    what: string,
    profile: string,
  ): Promise<{ ok: true; workspace: WorkspaceRef; how: string } | { ok: false; refusal: Refusal; message: string }> {
    const workspace = this.host.workspace();
    const step = consentStep({ workspace, trusted: this.host.trusted(), granted: this.grants.has(workspace?.id, 'tasks', profile) });
    if (step.kind === 'refuse') {
      this.log.info(`[tasks] gave nothing${workspace ? ` to the workspace ${quotedName(workspace.name)}` : ''}: ${step.reason}`);
      return { ok: false, refusal: step.reason, message: refusalMessage(step.reason, workspace?.name) };
    }
    if (step.kind === 'allow') {
      return { ok: true, workspace: step.workspace, how: 'allowed always' };
    }
    const answer = await this.host.ask(consentQuestion(step.workspace, what, profile, this.host.manageTitle));
    if (answer === undefined) {
      this.log.info(`[tasks] gave nothing to the workspace ${quotedName(step.workspace.name)}: denied`);
      return { ok: false, refusal: 'denied', message: refusalMessage('denied', step.workspace.name) };
    }
    if (answer === 'always') {
      await this.grants.grant(step.workspace, 'tasks', profile);
      this.log.info(`[tasks] the workspace ${quotedName(step.workspace.name)} is allowed always for the profile "${profile}"`);
    }
    return { ok: true, workspace: step.workspace, how: answer === 'always' ? 'allowed always, just now' : 'allowed once' };
  }
}
