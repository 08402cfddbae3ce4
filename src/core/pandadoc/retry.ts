/** When and how long to wait before trying a failed request again. */
import type { Clock } from '../base/clock';
import { type AuthError, isAuthError } from '../base/errors';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, MAX_ATTEMPTS, RETRY_AFTER_CAP_MS } from '../base/policy';

/**
 * The wait before attempt `attempt + 1`, or undefined when the failure is final. Only transient
 * failures are retried (network, 5xx, 429); a 4xx would fail the same way again. A timeout is not
 * retried: the user has already waited the whole timeout once.
 */
export function retryDelay(error: unknown, attempt: number): number | undefined {
  if (!isAuthError(error) || !error.transient || attempt >= MAX_ATTEMPTS) {
    return undefined;
  }
  const retryAfterMs = error.details.retryAfterMs;
  if (error.code === 'rate_limited' && retryAfterMs !== undefined) {
    return retryAfterMs <= RETRY_AFTER_CAP_MS ? retryAfterMs : undefined;
  }
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
}

/** Runs `attempt` until it succeeds or fails for good, sleeping on `clock` between tries. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  clock: Clock,
  onRetry: (n: number, error: AuthError, delayMs: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delayMs = retryDelay(error, n);
      if (delayMs === undefined) {
        throw error;
      }
      onRetry(n, error as AuthError, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
