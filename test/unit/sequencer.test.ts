import * as assert from 'node:assert/strict';
import { Sequencer } from '../../src/core/base/sequencer';

describe('Sequencer', () => {
  it('runs one task at a time, in the order queued', async () => {
    const sequencer = new Sequencer();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([sequencer.queue(task('a', 20)), sequencer.queue(task('b', 1)), sequencer.queue(task('c', 5))]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(events, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('rejects only the caller of a failed task; the next one still runs', async () => {
    const sequencer = new Sequencer();
    const failed = sequencer.queue(() => Promise.reject(new Error('boom')));
    const next = sequencer.queue(() => Promise.resolve('next'));
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'next');
  });
});
