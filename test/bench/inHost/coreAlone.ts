/**
 * The core's refresh alone, inside this extension host: a TokenManager of the bench's own (not
 * the extension's) with an in-memory store, the real NodeFetchSender, a logger that drops every
 * line, and the same local server. Set beside the raw request and the full API call, it says how
 * much of a refresh is the core's own work and how much is VS Code's SecretStorage and events.
 */
import { performance } from 'node:perf_hooks';
import { profileKey } from '../../../src/core/token/credentials';
import { TokenManager } from '../../../src/core/token/tokenManager';
import { MemoryStore } from '../../support/doubles';
import { benchExchangeOptions } from '../coreOptions';

/** Milliseconds of `count` forced refreshes (the server's tokens are due at once), after two unmeasured. */
export async function coreRefreshTimes(url: string, client: { clientId: string; clientSecret: string; refreshToken: string }, count: number): Promise<number[]> {
  const manager = new TokenManager({
    store: new MemoryStore(),
    key: profileKey('Default'),
    ...benchExchangeOptions(url),
  });
  try {
    await manager.initialize();
    await manager.setOAuthCredentials(client);
    const times: number[] = [];
    for (let i = 0; i < count + 2; i++) {
      const started = performance.now();
      await manager.getAccessToken();
      if (i >= 2) {
        times.push(performance.now() - started);
      }
    }
    return times;
  } finally {
    manager.dispose();
  }
}
