/**
 * What a bench window's extension host hands to the runner: one JSON file per window in the run's
 * private state folder (`window-<n>.json`). Plain data only: never a token or a client secret.
 */
import * as path from 'node:path';

/** The extension host's environment the runner sets for each bench window. */
export const BENCH_ENV = {
  stateDir: 'PANDADOC_BENCH_STATE_DIR',
  window: 'PANDADOC_BENCH_WINDOW',
  tasks: 'PANDADOC_BENCH_TASKS',
  /** What the window before left stored (`StoredState`): what this window's activation reads. */
  found: 'PANDADOC_BENCH_FOUND',
  /** What this window leaves stored for the next one. */
  leave: 'PANDADOC_BENCH_LEAVE',
} as const;

/**
 * What an activation reads from SecretStorage: nothing (a new user), or OAuth credentials with an
 * access token good for a day (a signed-in user: every profile read finds a value to parse, and
 * the status bar shows the time left). Placeholder values the bench makes up; no server.
 */
export type StoredState = 'nothing' | 'signedIn';

/** The built-in extension every figure with a reference compares against. */
export const REFERENCE_ID = 'vscode.github-authentication';

export type BenchTask = 'activation' | 'refresh' | 'hotPath' | 'concurrency' | 'taskInput' | 'terminal' | 'mcp';

/**
 * One extension's activation in one window, from the extension host's own performance marks
 * (`code/extHost/willLoadExtensionCode/<id>` ... `code/extHost/didActivateExtension/<id>`,
 * taken with Date.now(), so whole milliseconds).
 */
export interface ActivationTimes {
  /** `require` of its entry file (evaluating the bundle). */
  loadMs: number;
  /** Its `activate()` call and the promise it returned. */
  activateMs: number;
  /** loadMs + activateMs: the extension's own module load + activate(), what is compared. */
  ownMs: number;
  /** From the first mark to the last: also VS Code building its ExtensionContext (storage,
   *  secrets), which runs alongside the load and waits on the workbench; reported, not compared. */
  spanMs: number;
  /** When its code began to load, in milliseconds since the extension host process started. */
  startedAtMs: number;
}

export interface ActivationWindow {
  /** The extension host's pid, to find its log (and the activation events there). */
  pid: number;
  /** What was stored when this window's extension host started. */
  found: StoredState;
  /** `getApi(1).getStatus().kind` the moment this extension's activate() had resolved: `oauth`
   *  for a signed-in user, or a consumer would see the wrong state. */
  statusAtActivate: string;
  /** Activation from the status snapshot: whether it answered from one, how long after activate()
   *  returned the store had been read (when a correction fires, if any), whether it corrected,
   *  and when the status bar item first showed the right state (ms since the host started). */
  snapshot?: { used: boolean; readAfterReturnMs: number; corrected: boolean; statusBarRightMs: number };
  /** When `run()` was entered, in milliseconds since the extension host process started. */
  runEnteredMs: number;
  /** `isActive` of each when `run()` was entered. */
  activeAtRun: { ours: boolean; reference: boolean };
  /** Whether each one's activation had already begun when `run()` was entered: then timing
   *  `await extension.activate()` from the bench would time a wait, not an activation. */
  begunAtRun: { ours: boolean; reference: boolean };
  ours: ActivationTimes;
  reference: ActivationTimes;
}

export interface RefreshFigures {
  /** Milliseconds of each forced refresh through getApi(1).getAccessToken(), in run order. */
  getAccessTokenMs: number[];
  /** The floor's three parts, sampled interleaved with the refreshes (one of each per round, the
   *  order rotating): one raw POST of the same form to the same server, one SecretStorage get
   *  and one store of a value the size of the stored credentials, under a key of the bench's own. */
  rawMs: number[];
  secretGetMs: number[];
  secretStoreMs: number[];
  /** Token requests the server received during the measured calls of each kind. */
  requests: { getAccessToken: number; raw: number };
  /** Bytes of the credentials the extension stores (what the get and store samples carry). */
  storedBytes: number;
  breakdown: RefreshBreakdown;
  /** The same pairs, fewer, with the server holding each answer `latencyMs` first: what the
   *  extension adds next to a real PandaDoc round trip rather than a loopback one. */
  withLatency: { latencyMs: number; getAccessTokenMs: number[]; rawMs: number[] };
}

/**
 * Where a forced refresh's time goes, from more refreshes with the extension's SecretStorage and
 * the window ledger's file calls timed (after the measured ones, so the timing above is not
 * disturbed). Per instrumented refresh, in milliseconds, along the caller's path:
 */
export interface RefreshBreakdown {
  callMs: number[];
  /** Call start to the first SecretStorage get: the ledger's refresh turn (mkdir of the lock). */
  beforeReadMs: number[];
  /** The first get: the stored credentials, in case another window refreshed. */
  firstGetMs: number[];
  /** First get's end to the start of the get before the store: the POST, its answer parsed. */
  exchangeMs: number[];
  /** The get just before the store (the credentials re-read inside the write sequence). */
  recheckGetMs: number[];
  storeMs: number[];
  /** The store's end to the call's end: the ledger record (mkdir, write, rename), the turn's
   *  release (rm of the lock), the change events. */
  afterStoreMs: number[];
  /** Of all that, the ledger's own file calls on the caller's path (mkdir, writeFile, rename,
   *  rm), summed. */
  ledgerFsMs: number[];
  /** SecretStorage and ledger calls counted per refresh (range over the refreshes). */
  counts: { get: number; store: number; ledgerFs: number }[];
  /** Forced refreshes of the core alone in this extension host: a TokenManager of its own with
   *  an in-memory store, the real NodeFetchSender, the same server. No SecretStorage, no events
   *  reaching VS Code. */
  coreInMemoryMs: number[];
}

/** Microseconds of one call: percentiles over the calls. */
export interface MicroSeconds {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface HotPathFigures {
  calls: number;
  warmUp: number;
  /** getApi(1).getAccessToken() with a valid token, each call timed on its own. */
  us: MicroSeconds;
  /** Wall time of the measured calls over their number (timer overhead included once). */
  meanUs: number;
  /** Token requests during the measured calls (0: none refreshed). */
  requests: number;
  distinctTokens: number;
  /** The same timing of other calls, for scale. */
  scale: { getStatus: MicroSeconds; emptyAsync: MicroSeconds; readSettings: MicroSeconds };
  /** Self time of more calls under the CPU profiler, by script (shares of 1% and more). */
  profile: { samples: number; calls: number; byScript: { script: string; share: number }[] } | { error: string };
}

export interface ConcurrencyFigures {
  calls: number;
  /** Token requests the server received while they ran. */
  requests: number;
  /** Distinct tokens the calls resolved with (1 when they all shared one refresh). */
  distinctTokens: number;
  rejected: number;
  ms: number;
}

/**
 * The task input answering a workspace that holds the tasks grant, the token fresh:
 * `executeCommand('pandadoc.taskCredential')`, as VS Code calls an input of type `command`.
 */
export interface TaskInputFigures {
  calls: number;
  warmUp: number;
  us: MicroSeconds;
  /** Token requests, distinct answers and consent questions during the measured calls: 0, 1, 0. */
  requests: number;
  distinctValues: number;
  questions: number;
  /** For scale, timed the same way: executeCommand of a command of the bench's own that returns
   *  a string at once (the floor of any command input), and getApi(1).getAuthorizationHeader(). */
  scale: { noopCommand: MicroSeconds; header: MicroSeconds };
}

/** The docs MCP server's resolveMcpServerDefinition (inHost/mcpResolve.ts): with a token good for
 *  a day (no request) and with one due for refresh (each call refreshes first). */
export interface McpResolveFigures {
  fresh: { calls: number; us: MicroSeconds; requests: number; withHeader: number };
  due: { calls: number; us: MicroSeconds; requests: number; withHeader: number };
  /** For scale: getApi(1).getAuthorizationHeader() with the token due, timed the same way. */
  scale: { header: MicroSeconds };
}

/** From a refresh to the terminal route's variables (inHost/terminal.ts), in ms per sample. */
export interface TerminalFigures {
  /** From running Refresh Token to the collection holding the new header. */
  fromCallMs: number[];
  /** From the refresh's announcement (stored, onDidChangeStatus) to the same. */
  afterStoredMs: number[];
  /** Processes started in a new terminal right after: how many saw the new header, and how long
   *  from the refresh's start until each had written what it saw. */
  process: { samples: number; sawNewToken: number; ms: number[] };
}

export interface WindowResult {
  window: number;
  activation?: ActivationWindow;
  refresh?: RefreshFigures;
  hotPath?: HotPathFigures;
  concurrency?: ConcurrencyFigures;
  taskInput?: TaskInputFigures;
  terminal?: TerminalFigures;
  mcp?: McpResolveFigures;
  /** A task that threw: its message (never holding a secret: the bench puts none in errors). */
  errors: string[];
}

export function windowFile(stateDir: string, window: number): string {
  return path.join(stateDir, `window-${window}.json`);
}
