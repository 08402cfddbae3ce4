import * as assert from 'node:assert/strict';
import { AuthError, type AuthErrorCode } from '../../src/core/base/errors';
import { retryDelay, withRetries } from '../../src/core/pandadoc/retry';
import { ManualClock } from '../support/doubles';

const error = (code: AuthErrorCode, retryAfterMs?: number) => new AuthError(code, code, { retryAfterMs });

describe('retry policy', () => {
  it('backs off exponentially for network errors, 5xx and 429, up to three attempts', () => {
    for (const code of ['network', 'server', 'rate_limited'] as const) {
      assert.deepEqual([1, 2, 3].map((n) => retryDelay(error(code), n)), [1000, 2000, undefined], code);
    }
  });

  it('honours Retry-After up to 30 s, and gives up on longer waits', () => {
    assert.equal(retryDelay(error('rate_limited', 13_000), 1), 13_000);
    assert.equal(retryDelay(error('rate_limited', 0), 1), 0);
    assert.equal(retryDelay(error('rate_limited', 31_000), 1), undefined);
  });

  it('never retries what would fail the same way, nor a timeout', () => {
    for (const code of ['invalid_grant', 'invalid_client', 'rejected', 'bad_response', 'bad_config', 'timeout', 'storage'] as const) {
      assert.equal(retryDelay(error(code), 1), undefined, code);
    }
    assert.equal(retryDelay(new Error('bug'), 1), undefined);
  });

  it('runs attempts until success, sleeping between them', async () => {
    const clock = new ManualClock();
    const retries: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) {
          throw error('server');
        }
        return 'done';
      },
      clock,
      (n) => retries.push(n),
    );
    assert.equal(result, 'done');
    assert.deepEqual(retries, [1, 2]);
    assert.deepEqual(clock.sleeps, [1000, 2000]);
  });
});
