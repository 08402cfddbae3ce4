import * as assert from 'node:assert/strict';
import { SerialState, type StateStore } from '../../src/core/base/stateStore';

const copy = (value: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/**
 * VS Code 1.139's extension-host memento, as its source reads, with the channel to the workbench
 * stepped by hand: `update` changes the local whole value at once and sends a copy of the whole
 * value; the workbench stores it and echoes it back, and the echo replaces the local whole value
 * before the write's promise resolves.
 */
class EchoingMemento implements StateStore {
  private local: Record<string, unknown> = {};
  /** What the workbench holds (what the next window reads). */
  stored: Record<string, unknown> = {};
  private readonly channel: Array<() => void> = [];
  inFlight = 0;
  mostInFlight = 0;

  get(key: string): unknown {
    return this.local[key];
  }

  update(key: string, value: unknown): Promise<void> {
    this.local[key] = value;
    const whole = copy(this.local);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise((resolve) => {
      this.channel.push(() => {
        this.stored = copy(whole);
        this.channel.push(() => {
          this.local = copy(whole);
          this.inFlight--;
          resolve();
        });
      });
    });
  }

  /** Delivers the next message, after the promises waiting on the last one have run. */
  async step(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.channel.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }

  async drain(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.step();
    }
    assert.equal(this.channel.length, 0, 'the channel drained');
  }
}

describe('SerialState: the global state written one write at a time', () => {
  // The turn that lost a Turn On: the status snapshot written, the choice written while the
  // snapshot's echo is on its way, the snapshot written again.
  const race = async (state: StateStore, memento: EchoingMemento) => {
    const writes = [state.update('snapshot', 1)];
    await memento.step(); // the workbench stores the first snapshot; its echo is on its way
    writes.push(state.update('choice', 'on'));
    await memento.step(); // the echo arrives
    writes.push(state.update('snapshot', 2));
    await memento.drain();
    await Promise.all(writes);
  };

  it('the model reproduces the loss: written straight, the choice is gone for good', async () => {
    const memento = new EchoingMemento();
    await race(memento, memento);
    assert.deepEqual(memento.stored, { snapshot: 2 }, 'the third write sent the echo’s whole value, without the choice');
    assert.equal(memento.get('choice'), undefined);
  });

  it('through SerialState, every write is kept, and one write at most is in flight', async () => {
    const memento = new EchoingMemento();
    const state = new SerialState(memento);
    await race(state, memento);
    assert.deepEqual(memento.stored, { snapshot: 2, choice: 'on' });
    assert.equal(state.get('choice'), 'on');
    assert.equal(memento.mostInFlight, 1);
  });

  it('answers the value written before its write has landed, and the latest of several', async () => {
    const memento = new EchoingMemento();
    const state = new SerialState(memento);
    const first = state.update('grant', 'allow');
    const second = state.update('grant', undefined);
    assert.equal(state.get('grant'), undefined, 'the latest write, not the first, not the store');
    const third = state.update('grant', 'allow again');
    assert.equal(state.get('grant'), 'allow again');
    await memento.drain();
    await Promise.all([first, second, third]);
    assert.equal(state.get('grant'), 'allow again');
    assert.deepEqual(memento.stored, { grant: 'allow again' });
  });

  it('a write that fails fails its caller, and the writes after it still land', async () => {
    const failing: StateStore = {
      get: () => undefined,
      update: (key) => (key === 'bad' ? Promise.reject(new Error('storage full')) : Promise.resolve()),
    };
    const kept = new Map<string, unknown>();
    const state = new SerialState({
      get: (key) => kept.get(key),
      update: async (key, value) => {
        await failing.update(key, value);
        kept.set(key, value);
      },
    });
    const bad = state.update('bad', 1);
    const good = state.update('good', 2);
    await assert.rejects(bad, /storage full/);
    await good;
    assert.equal(state.get('good'), 2);
    assert.equal(state.get('bad'), undefined, 'a failed write is not answered as if it had landed');
  });
});
