/**
 * Sign In with PandaDoc in the browser (OAuth authorization code). The protocol pieces are in
 * the core (authorization.ts, loopbackListener.ts, codeExchange.ts); this is the VS Code side:
 * the prompts, the browser, the progress notification and the paste box.
 *
 * The answer can arrive two ways, whichever comes first: the one-shot loopback listener (when
 * `pandadoc.redirectUri` is a 127.0.0.1/localhost address and the port is free), or the user
 * pasting the code or the address the browser ended on. The paste box is always offered: VS Code
 * cannot know whether the browser can reach the listener (a remote or web window usually cannot).
 */
import * as vscode from 'vscode';
import type { AccountLookup } from '../../core/profiles/accountLookup';
import { buildAuthorizeUrl, checkSignInSettings, newState, readSignInAnswer, type RedirectTarget } from '../../core/signin/authorization';
import { exchangeAuthorizationCode } from '../../core/pandadoc/tokenEndpoint';
import { AuthError, describeError, isAuthError } from '../../core/base/errors';
import { type LoopbackListener, listenForRedirect } from '../../core/signin/loopbackListener';
import { SIGN_IN_LIMIT_MS, TIME } from '../../core/base/policy';
import type { Profiles } from '../../core/profiles/profiles';
import { runInProfileOrRollBack } from '../../core/profiles/profileTrials';
import { fingerprint } from '../../core/base/redact';
import type { ExchangeOptions } from '../../core/pandadoc/tokenEndpoint';
import type { Settings } from '../../core/base/settings';
import { normalizeCredential } from '../../core/token/validation';
import { COMMAND } from '../base/commandIds';
import { showFailure, showInfo } from '../ui/notifications';
import { promptClient } from '../ui/prompts';
import type { RegionCommands } from '../regions/regionCommands';

/** The argument of `pandadoc.signIn` (all optional). */
export interface SignInRequest {
  /** Sign into this profile, created if it does not exist; the active one by default. */
  profile?: string;
  /** The OAuth application to use instead of the stored or prompted one. */
  clientId?: string;
  clientSecret?: string;
  /** Ask for the client ID (prefilled) and secret even when the profile holds them: after
   *  PandaDoc rejected them, or to sign in with another application. With `clientId` (and no
   *  secret) that ID is the one prefilled. */
  askClient?: boolean;
  /** Why, for the log. */
  reason?: string;
  /** The profile's region: `'global'`, `'eu'`, `{ apiBaseUrl, authBaseUrl }` or `'settings'`;
   *  asked for when a person signs a profile with no credentials in. Kept only once the sign-in
   *  succeeds; a custom one only for a profile that exists, after a person confirms it. */
  region?: unknown;
}

/** `how` says in the log what ended it: "the paste box was closed", "Cancel on the notification". */
const cancelled = (how: string) => new AuthError('cancelled', `Sign-in cancelled (${how}).`);

/** The OAuth application the caller passed, checked; undefined when it passed none, or only an
 *  ID to prefill (`askClient`). */
function givenClient(request: SignInRequest): { clientId: string; clientSecret: string } | undefined {
  if (request.clientId === undefined && request.clientSecret === undefined) {
    return undefined;
  }
  if (request.askClient === true && request.clientSecret === undefined) {
    return undefined;
  }
  return {
    clientId: normalizeCredential(request.clientId, 'clientId'),
    clientSecret: normalizeCredential(request.clientSecret, 'clientSecret'),
  };
}

export class SignIn {
  private running: Promise<string> | undefined;
  /** The profile and client ID of the latest sign-in, once known: what its Retry keeps. */
  private attempt: { profile: string; clientId?: string } | undefined;

  constructor(
    private readonly profiles: Profiles,
    private readonly options: ExchangeOptions,
    private readonly account: AccountLookup,
    private readonly regions: RegionCommands,
  ) {}

  /** Signs in and resolves with the account's label; rejects with an AuthError. A sign-in
   *  already under way is joined, not started twice. */
  run(request: SignInRequest = {}): Promise<string> {
    this.running ??= this.perform(request)
      .catch((error: unknown) => {
        // Every ending is in the log, which the failure's notification offers to show.
        this.options.log.warn(`[sign-in] ended without signing in: ${describeError(error)}`);
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * What Retry after `error` runs: the same profile the sign-in ran in (the active one may have
   * changed since, and one made for it was removed again), and after invalid_client the client
   * asked for again with the ID that was used prefilled, not retyped.
   */
  retryRequest(request: SignInRequest, error: unknown): SignInRequest {
    const attempt = this.attempt;
    const again: SignInRequest = attempt === undefined ? { ...request } : { ...request, profile: attempt.profile };
    if (isAuthError(error) && error.code === 'invalid_client') {
      return { ...again, askClient: true, clientId: attempt?.clientId ?? request.clientId, clientSecret: undefined };
    }
    return again;
  }

  private async perform(request: SignInRequest): Promise<string> {
    this.attempt = undefined;
    // Started at activation (a command, an extension's createSession): the profiles first.
    await this.profiles.whenRead();
    // Everything that can be refused without the network is refused before a profile is created
    // or switched to, so a bad setting or argument leaves the profiles as they were.
    const given = givenClient(request);
    const { settings, apply } = await this.regions.forSignIn(request.profile ?? this.profiles.activeName(), request.region, given === undefined);
    const checked = { settings, redirect: checkSignInSettings(settings).redirect, given, applyRegion: apply };
    const signIn = () => this.signInActive(request, checked);
    // A profile made for a sign-in that is cancelled or fails goes again.
    return request.profile === undefined ? signIn() : runInProfileOrRollBack(this.profiles, request.profile, signIn);
  }

  /** The sign-in itself, into the active profile, with what `perform` checked. */
  private async signInActive(
    request: SignInRequest,
    { settings, redirect, given, applyRegion }: { settings: Settings; redirect: RedirectTarget; given: { clientId: string; clientSecret: string } | undefined; applyRegion: () => Promise<void> },
  ): Promise<string> {
    const { log } = this.options;
    const manager = this.profiles.activeManager();
    this.attempt = { profile: this.profiles.activeName() };
    const client = given ?? (await this.client(request));
    this.attempt.clientId = client.clientId;
    const state = newState();
    const authorizeUrl = buildAuthorizeUrl({
      authBaseUrl: settings.authBaseUrl,
      clientId: client.clientId,
      redirectUri: redirect.uri,
      scope: settings.scope,
      state,
    });
    log.info(
      `[sign-in] profile "${this.profiles.activeName()}", client ${client.clientId}, redirect ${redirect.uri}${
        request.reason ? ` (${request.reason})` : ''
      }`,
    );
    let listener: LoopbackListener | undefined;
    let portProblem: string | undefined;
    if (redirect.loopback) {
      try {
        listener = await listenForRedirect({ port: redirect.loopback.port, path: redirect.loopback.path, state });
        log.info(`[sign-in] listening on 127.0.0.1:${listener.port} for the browser's answer`);
      } catch (error) {
        portProblem = isAuthError(error) ? error.message : `VS Code cannot listen on port ${redirect.loopback.port}.`;
        log.warn(`[sign-in] ${portProblem} Offering to paste the answer instead.`);
      }
    }
    const { code } = await this.waitForCode(authorizeUrl, state, listener, portProblem);
    log.info(`[sign-in] received a code (${fingerprint(code)}); exchanging it`);
    const grant = await exchangeAuthorizationCode({ ...this.options, settings: () => settings }, { ...client, code, redirectUri: redirect.uri });
    // The region goes with the credentials: one picked for a sign-in that did not complete is
    // not kept.
    await applyRegion();
    await manager.storeSignIn({ ...client, grant });
    const member = await this.account.lookupQuietly();
    return member?.email ?? `profile "${this.profiles.activeName()}"`;
  }

  /** The OAuth application stored in the active profile, or asked for. */
  private async client(request: SignInRequest): Promise<{ clientId: string; clientSecret: string }> {
    const manager = this.profiles.activeManager();
    const storedId = manager.storedClientId();
    const storedSecret = storedId === undefined ? undefined : manager.storedClientSecret(storedId);
    if (storedId !== undefined && storedSecret !== undefined && request.askClient !== true) {
      return { clientId: storedId, clientSecret: storedSecret };
    }
    const answers = await promptClient(request.askClient === true && request.clientId !== undefined ? request.clientId : storedId);
    if (!answers) {
      throw cancelled('Escape in the client ID or secret box');
    }
    return {
      clientId: normalizeCredential(answers.clientId, 'clientId'),
      clientSecret: normalizeCredential(answers.clientSecret, 'clientSecret'),
    };
  }

  /** Opens the browser and waits for the code: from the listener, the paste box, or neither
   *  within the limit. The notification's Cancel ends it. */
  private waitForCode(
    authorizeUrl: string,
    state: string,
    listener: LoopbackListener | undefined,
    portProblem: string | undefined,
  ): Thenable<{ code: string }> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Signing in to PandaDoc',
        cancellable: true,
      },
      (progress, token) => {
        progress.report({
          message: `continue in the browser (up to ${Math.round(SIGN_IN_LIMIT_MS / TIME.MINUTE)} minutes)…`,
        });
        const box = vscode.window.createInputBox();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const answer = new Promise<{ code: string }>((resolve, reject) => {
          box.title = 'Sign In with PandaDoc';
          box.ignoreFocusOut = true;
          box.placeholder = 'Paste the address the browser ended on, or the code';
          box.prompt = listener
            ? 'Finish in the browser; VS Code picks up the answer by itself. If the browser ends on a page that cannot be reached, paste its address here.'
            : `${portProblem ?? 'pandadoc.redirectUri is not a 127.0.0.1 address.'} After signing in, paste the address the browser ends on (or the code) here.`;
          box.onDidChangeValue(() => {
            box.validationMessage = undefined;
          });
          box.onDidAccept(() => {
            try {
              resolve(readSignInAnswer(box.value, state));
            } catch (error) {
              if (isAuthError(error) && error.code === 'bad_input') {
                box.validationMessage = error.message;
                return;
              }
              reject(error);
            }
          });
          // Escape ends the sign-in, as the box says, listener or not: the notification closes with
          // it and the log says so. So does another quick input taking its place (the API does not
          // tell the two apart). A box closed because the answer arrived is already settled.
          box.onDidHide(() => reject(cancelled('the paste box was closed')));
          token.onCancellationRequested(() => reject(cancelled('Cancel on the notification')));
          timer = setTimeout(
            () => reject(new AuthError('timeout', 'No sign-in answer arrived in time.', { flow: 'sign-in' })),
            SIGN_IN_LIMIT_MS,
          );
          listener?.answer.then(resolve, reject);
          box.show();
          void vscode.env.openExternal(vscode.Uri.parse(authorizeUrl, true)).then((opened) => {
            if (opened) {
              return;
            }
            // False when the person answered No to VS Code's "Open external website?" (as likely as
            // a missing browser, and not a failure): say so, and offer the link on a button rather
            // than as text in the prompt, where a long address cannot be copied whole.
            box.prompt = 'The sign-in page was not opened (declined, or no browser to open it). The Copy Link button of this box copies its address: open it in a browser, sign in, then paste the address it ends on here.';
            box.buttons = [{ iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy Link' }];
            box.onDidTriggerButton(() => {
              void vscode.env.clipboard.writeText(authorizeUrl).then(() => {
                box.prompt = 'Sign-in link copied. Open it in a browser, sign in, then paste the address it ends on here.';
              });
            });
          });
        });
        return answer.finally(() => {
          clearTimeout(timer);
          box.dispose();
          void listener?.close();
        });
      },
    );
  }
}

/** Shows why a sign-in failed (a cancel is not a failure). Retry signs in again into the same
 *  profile, asking for the client (ID prefilled) when PandaDoc rejected it. */
export function showSignInFailure(error: unknown, retry: SignInRequest): void {
  if (isAuthError(error) && error.code === 'cancelled') {
    return;
  }
  showFailure(error, () => vscode.commands.executeCommand(COMMAND.signIn, retry), {
    ...(retry.profile === undefined ? {} : { profile: retry.profile }),
    // The same retry, at the other region (after invalid_client: the client asked for again).
    retryAt: (region) => vscode.commands.executeCommand(COMMAND.signIn, { ...retry, region }),
  });
}

/** `pandadoc.signIn`: resolves true when signed in; every failure is shown once, with Retry. */
export function registerSignInCommands(signIn: SignIn): vscode.Disposable[] {
  const command = async (request?: SignInRequest): Promise<boolean> => {
    try {
      const label = await signIn.run(request ?? {});
      showInfo(`Signed in to PandaDoc as ${label}.`);
      return true;
    } catch (error) {
      showSignInFailure(error, signIn.retryRequest(request ?? {}, error));
      return false;
    }
  };
  return [vscode.commands.registerCommand(COMMAND.signIn, command)];
}
