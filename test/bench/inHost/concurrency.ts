/**
 * 1000 callers of `getApi(1).getAccessToken()` at once, on stored credentials whose access token
 * has expired: the server must receive exactly one token request, and every caller the token it
 * answered with.
 */
import { performance } from 'node:perf_hooks';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { PANDADOC_EXPIRES_IN } from '../../support/pandadocServer';
import type { ConcurrencyFigures } from '../handOver';
import type { BenchServer } from './localServer';

export const CONCURRENT_CALLS = 1000;
/** Waited after the last caller has its answer, so a late second request would still be seen. */
const SETTLE_MS = 500;

export async function measureConcurrency(api: PandaDocAuthApiV1, { server, client }: BenchServer): Promise<ConcurrencyFigures> {
  server.expiresIn = PANDADOC_EXPIRES_IN;
  // A placeholder access token that expired a second ago, beside a live refresh token.
  const expired = { ...client, refreshToken: server.grant(client.clientId), accessToken: 'e'.repeat(40), expiresAt: Date.now() - 1000 };
  await api.setOAuthCredentials(expired);
  const before = server.tokenRequests().length;
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: CONCURRENT_CALLS }, () => api.getAccessToken()));
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const tokens = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  return {
    calls: CONCURRENT_CALLS,
    requests: server.tokenRequests().length - before,
    distinctTokens: new Set(tokens).size,
    rejected: outcomes.length - tokens.length,
    ms,
  };
}
