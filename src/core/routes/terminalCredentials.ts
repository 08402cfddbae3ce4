/**
 * The terminal route at work: keeps what new integrated terminals get (terminalVariables.ts
 * decides it) in step with the active profile, the workspace's permission and the clock, and
 * renews the token ahead of time so that opening a terminal never waits for the network.
 *
 * - It decides again on every change of the profiles (store, refresh, switch, sign-out, another
 *   window's write, a region) and whenever the adapter says the gate or the settings changed.
 *   Those reads never refresh a token that is still valid: renewing is the timer's job.
 * - One timer: at the token's renewal time (the refresh margin plus a lead before expiry), at
 *   most an hour away. Renewing goes through the profile's TokenManager, which shares a refresh
 *   under way and lets only one window present the refresh token.
 * - A renewal that fails is logged once (later failures of the same streak at debug level) and
 *   tried again with backoff. New terminals keep the token while it still holds the refresh
 *   margin; from then on they get nothing until a refresh succeeds.
 */
import type { Clock, Scheduler } from '../base/clock';
import { type Disposable, Emitter, type Event } from '../base/emitter';
import { describeError } from '../base/errors';
import type { Logger } from '../base/logger';
import { TERMINAL_RENEW_LEAD_MS } from '../base/policy';
import { fingerprint } from '../base/redact';
import type { ProfilesChange } from '../profiles/profiles';
import type { UsableCredential } from '../token/credentials';
import type { TokenManager } from '../token/tokenManager';
import {
  decideTerminal,
  nextLookInMs,
  renewalDueAt,
  type TerminalDecision,
  type TerminalEnvironment,
  type TerminalGate,
} from './terminalVariables';

/** Where the decisions go: the window's terminal environment (the adapter's). */
export interface TerminalSink {
  give(environment: TerminalEnvironment): void;
  withdraw(): void;
}

/** The profiles, as far as the route needs them (Profiles is one). */
export interface TerminalSource {
  readonly onDidChange: Event<ProfilesChange>;
  activeName(): string;
  activeManager(): Pick<TokenManager, 'usableCredential' | 'settings' | 'storedAccessToken' | 'state'>;
}

export interface TerminalCredentialsOptions {
  source: TerminalSource;
  /** Whether this window's terminals may have credentials now (trust, permission, a folder). */
  gate: () => TerminalGate;
  sink: TerminalSink;
  clock: Pick<Clock, 'now'>;
  scheduler: Scheduler;
  log: Logger;
}

/** Changes that alter nothing the terminals get: a refresh starting or ending (its outcome
 *  arrives as `refresh`), whose account it is, the list of profiles. */
const IGNORED: ReadonlySet<ProfilesChange> = new Set(['busy', 'idle', 'account', 'profiles']);


function describeGiven({ profile, kind, expiresAt, variables }: TerminalEnvironment): string {
  const secret = (variables.PANDADOC_AUTHORIZATION ?? '').replace(/^\S+ /, '');
  const what = kind === 'apiKey' ? `API key ${fingerprint(secret)}` : `token ${fingerprint(secret)}, valid until ${new Date(expiresAt ?? 0).toISOString()}`;
  return `the credentials of "${profile}" (${what}) for ${variables.PANDADOC_API_BASE_URL ?? '?'}`;
}

/** The stored token as it is, read without any request: what stays usable after a failed read. */
function storedToken(manager: ReturnType<TerminalSource['activeManager']>): UsableCredential | undefined {
  const state = manager.state();
  const value = manager.storedAccessToken();
  // Behind another window, the status is that window's and the token this one's: no pair.
  if (state.behind || state.status.kind !== 'oauth' || value === undefined || state.status.expiresAt === undefined) {
    return undefined;
  }
  return { kind: 'oauth', value, expiresAt: state.status.expiresAt };
}

export class TerminalCredentials implements Disposable {
  private readonly changed = new Emitter<TerminalDecision>();
  /** Fires when what new terminals get has changed (after the sink has it). */
  readonly onDidChange = this.changed.event;

  private readonly subscription: Disposable;
  /** Each run's number: a run that finds a newer one started while it waited gives way. */
  private generation = 0;
  private latest: Promise<void> = Promise.resolve();
  private timer: Disposable | undefined;
  private failures = 0;
  private failureLogged = false;
  private decision: TerminalDecision = { absent: 'off' };
  /** What the sink holds, to give it only what changed; undefined when it holds nothing. */
  private given: string | undefined;

  constructor(private readonly options: TerminalCredentialsOptions) {
    this.subscription = options.source.onDidChange((cause) => {
      if (!IGNORED.has(cause)) {
        void this.update();
      }
    });
  }

  /** What new terminals get now. */
  current(): TerminalDecision {
    return this.decision;
  }

  /** Decides again from what is stored, e.g. after the gate or the settings changed. Makes a
   *  request only when the stored token has expired. Turned off, it withdraws before it returns. */
  update(): Promise<void> {
    return this.start(false);
  }

  /** Resolves once the latest decision is applied (runs started meanwhile included). */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.latest;
      await seen;
    } while (seen !== this.latest);
  }

  dispose(): void {
    this.generation++;
    this.timer?.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private start(renewing: boolean): Promise<void> {
    this.latest = this.run(renewing).catch((error: unknown) => this.options.log.error(`[terminal] unexpected failure: ${describeError(error)}`));
    return this.latest;
  }

  /** `renewing`: the timer's run, which refreshes a token that is due. */
  private async run(renewing: boolean): Promise<void> {
    const generation = ++this.generation;
    this.timer?.dispose();
    this.timer = undefined;
    if (renewing) {
      // Counted now, not once read: the refresh's own event starts a run that supersedes this
      // one, and a token that is due again at once (one shorter-lived than the margin and the
      // lead) must then meet the backoff, not a renewal at once, and another, and another.
      this.failures++;
    }
    const { source, clock } = this.options;
    const gate = this.options.gate();
    const profile = source.activeName();
    const manager = source.activeManager();
    const settings = manager.settings();
    const marginMs = settings.refreshMarginMs;
    let credential: UsableCredential | undefined;
    let error: unknown;
    if (gate === 'on') {
      try {
        credential = await manager.usableCredential(renewing ? marginMs + TERMINAL_RENEW_LEAD_MS : 0);
      } catch (failure) {
        error = failure;
        credential = storedToken(manager);
      }
      if (generation !== this.generation) {
        return;
      }
    }
    const now = clock.now();
    this.endStreakUnlessDue(gate, credential, error, marginMs, now);
    const decision: TerminalDecision =
      credential === undefined && error !== undefined ? { absent: 'unavailable' } : decideTerminal({ gate, profile, credential, apiBaseUrl: settings.apiBaseUrl, now, marginMs });
    this.apply(decision);
    const wait = nextLookInMs({ gate, credential, error, now, marginMs, failures: this.failures });
    if (error !== undefined) {
      this.logFailure(error, decision, wait);
    }
    if (wait !== undefined) {
      this.timer = this.options.scheduler.after(wait, () => this.start(true));
    }
  }

  /** `failures` counts the renewals since a token that was not due: any such token ends it. */
  private endStreakUnlessDue(gate: TerminalGate, credential: UsableCredential | undefined, error: unknown, marginMs: number, now: number): void {
    const due = credential?.kind === 'oauth' && credential.expiresAt !== undefined && renewalDueAt(credential.expiresAt, marginMs) <= now;
    if (gate !== 'on' || (!due && error === undefined)) {
      if (this.failureLogged && gate === 'on') {
        this.options.log.info('[terminal] the token for new terminals was renewed after earlier failures');
      }
      this.failures = 0;
      this.failureLogged = false;
    }
  }

  private apply(decision: TerminalDecision): void {
    const before = this.decision;
    this.decision = decision;
    if ('absent' in decision && decision.absent === 'untrusted' && !('absent' in before && before.absent === 'untrusted')) {
      // The one surprising absence: turned on, yet nothing. Said once, for whoever wonders why.
      this.options.log.info('[terminal] turned on for this workspace, which is not trusted: new terminals get nothing until it is');
    }
    const key = 'give' in decision ? JSON.stringify(decision.give) : undefined;
    if (key === this.given) {
      return;
    }
    const had = this.given !== undefined;
    this.given = key;
    if ('give' in decision) {
      this.options.sink.give(decision.give);
      this.options.log.info(`[terminal] new terminals of this workspace get ${describeGiven(decision.give)}`);
    } else {
      this.options.sink.withdraw();
      if (had) {
        this.options.log.info(`[terminal] new terminals no longer get PandaDoc credentials (${decision.absent})`);
      }
    }
    this.changed.fire(decision);
  }

  /** Once per streak of failures at warning level; the rest of the streak at debug level. */
  private logFailure(error: unknown, decision: TerminalDecision, wait: number | undefined): void {
    const kept = 'give' in decision ? `new terminals still get the current token (valid until ${new Date(decision.give.expiresAt ?? 0).toISOString()})` : 'new terminals get none for now';
    const next = wait === undefined ? 'not tried again until the credentials change' : `next try in ${Math.ceil(wait / 1000)} s`;
    const line = `[terminal] could not renew the token for new terminals (${describeError(error)}): ${kept}; ${next}`;
    if (this.failureLogged) {
      this.options.log.debug(line);
    } else {
      this.failureLogged = true;
      this.options.log.warn(line);
    }
  }
}
