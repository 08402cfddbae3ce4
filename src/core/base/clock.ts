/** Time as the token lifecycle sees it. Injected so tests control it and nothing waits for real. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs a task later, cancellably: the timers of the core, injected like the clock so that a
 *  test fires them as it moves its clock (and can await what the task returns). */
export interface Scheduler {
  after(ms: number, task: () => unknown): { dispose(): void };
}

export const systemScheduler: Scheduler = {
  after: (ms, task) => {
    const timer = setTimeout(task, ms);
    return { dispose: () => clearTimeout(timer) };
  },
};
