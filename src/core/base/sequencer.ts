/**
 * Runs tasks one at a time, in the order they were queued: for read-compare-write sequences on
 * one stored value, which would otherwise interleave at every await. A failed task rejects its
 * own caller only; the next task still runs.
 */
export class Sequencer {
  private last: Promise<unknown> = Promise.resolve();

  queue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task);
    this.last = result.catch(() => undefined);
    return result;
  }
}
