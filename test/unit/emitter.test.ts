import * as assert from 'node:assert/strict';
import { Emitter } from '../../src/core/base/emitter';

describe('Emitter', () => {
  it('delivers to every listener, even when one throws', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('a consumer bug');
    });
    emitter.event((value) => seen.push(value));
    emitter.fire(1);
    assert.deepEqual(seen, [1]);
  });

  it('stops delivering to a disposed listener and after dispose', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const subscription = emitter.event((value) => seen.push(value));
    emitter.fire(1);
    subscription.dispose();
    emitter.fire(2);
    emitter.event((value) => seen.push(value * 10));
    emitter.dispose();
    emitter.fire(3);
    assert.deepEqual(seen, [1]);
  });
});
