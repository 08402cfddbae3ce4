import * as assert from 'node:assert/strict';
import { AuthError } from '../../src/core/base/errors';
import { TERMINAL_MAX_SLEEP_MS, TERMINAL_RENEW_LEAD_MS, TERMINAL_RETRY_MAX_MS, TIME } from '../../src/core/base/policy';
import { decideTerminal, nextLookInMs, retryDelay, type TerminalGate, type TerminalState } from '../../src/core/routes/terminalVariables';
import { digestValues } from '../support/assertions';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const MARGIN = 5 * TIME.MINUTE;
const TOKEN = 'a'.repeat(40);
const KEY = 'k'.repeat(40);
const oauth = (expiresAt: number) => ({ kind: 'oauth' as const, value: TOKEN, expiresAt });
const apiKey = { kind: 'apiKey' as const, value: KEY };

function state(overrides: Partial<TerminalState>): TerminalState {
  return { gate: 'on', profile: 'Default', credential: oauth(NOW + 365 * TIME.DAY), apiBaseUrl: 'https://api.pandadoc.eu/', now: NOW, marginMs: MARGIN, ...overrides };
}

describe('terminal variables: what new terminals get in each state', () => {
  it('OAuth: the whole header, the token alone and the profile’s API base URL (its region’s, normalised)', () => {
    const decision = decideTerminal(state({}));
    assert.ok('give' in decision);
    assert.deepEqual(digestValues(decision.give.variables), digestValues({
      PANDADOC_AUTHORIZATION: `Bearer ${TOKEN}`,
      PANDADOC_ACCESS_TOKEN: TOKEN,
      PANDADOC_API_BASE_URL: 'https://api.pandadoc.eu',
    }));
    assert.equal(decision.give.kind, 'oauth');
    assert.equal(decision.give.profile, 'Default');
    assert.equal(decision.give.expiresAt, NOW + 365 * TIME.DAY);
  });

  it('an API key: `API-Key <key>` and the base URL, no access token', () => {
    const decision = decideTerminal(state({ credential: apiKey, apiBaseUrl: 'http://127.0.0.1:8080' }));
    assert.ok('give' in decision);
    assert.deepEqual(Object.keys(decision.give.variables).sort(), ['PANDADOC_API_BASE_URL', 'PANDADOC_AUTHORIZATION']);
    assert.equal(decision.give.variables.PANDADOC_AUTHORIZATION, `API-Key ${KEY}`);
    assert.equal(decision.give.variables.PANDADOC_API_BASE_URL, 'http://127.0.0.1:8080');
    assert.equal(decision.give.expiresAt, undefined);
  });

  it('nothing while off, untrusted or without a folder, whatever is stored', () => {
    for (const gate of ['off', 'untrusted', 'noWorkspace'] satisfies TerminalGate[]) {
      assert.deepEqual(decideTerminal(state({ gate })), { absent: gate });
      assert.deepEqual(decideTerminal(state({ gate, credential: apiKey })), { absent: gate });
    }
  });

  it('nothing when signed out', () => {
    assert.deepEqual(decideTerminal(state({ credential: undefined })), { absent: 'signedOut' });
  });

  it('a token is given only while it holds the refresh margin; an expired one never', () => {
    assert.ok('give' in decideTerminal(state({ credential: oauth(NOW + MARGIN + 1) })));
    assert.deepEqual(decideTerminal(state({ credential: oauth(NOW + MARGIN) })), { absent: 'expiring' });
    assert.deepEqual(decideTerminal(state({ credential: oauth(NOW - 1) })), { absent: 'expiring' });
    assert.deepEqual(decideTerminal(state({ credential: { kind: 'oauth', value: TOKEN } })), { absent: 'expiring' }, 'no expiry known');
    assert.ok('give' in decideTerminal(state({ credential: oauth(NOW + 1), marginMs: 0 })), 'a margin of 0 minutes');
  });

  it('nothing when the base URL is one tokens may not be sent to', () => {
    for (const apiBaseUrl of ['http://api.example.test', 'ftp://127.0.0.1', 'https://user:pass@api.pandadoc.com', 'not a url']) {
      assert.deepEqual(decideTerminal(state({ apiBaseUrl })), { absent: 'badUrl' }, apiBaseUrl);
    }
  });
});

describe('terminal variables: when to look again and renew', () => {
  const due = (expiresAt: number) => expiresAt - MARGIN - TERMINAL_RENEW_LEAD_MS;
  const look = (overrides: Partial<Parameters<typeof nextLookInMs>[0]>) =>
    nextLookInMs({ gate: 'on', credential: oauth(NOW + 365 * TIME.DAY), now: NOW, marginMs: MARGIN, failures: 0, ...overrides });

  it('a token far from expiry: at most an hour of sleep (no timer overflow, clock jumps caught up)', () => {
    assert.equal(look({}), TERMINAL_MAX_SLEEP_MS);
  });

  it('renews the margin plus the lead before expiry', () => {
    const expiresAt = NOW + 40 * TIME.MINUTE;
    assert.equal(look({ credential: oauth(expiresAt) }), due(expiresAt) - NOW);
    assert.equal(due(expiresAt) - NOW, 25 * TIME.MINUTE);
  });

  it('a token found due: renewed at once; after failures, with backoff, and looked at when it leaves the margin', () => {
    const expiresAt = NOW + MARGIN + 8 * TIME.MINUTE; // due 2 minutes ago
    assert.equal(look({ credential: oauth(expiresAt) }), 0);
    assert.equal(look({ credential: oauth(expiresAt), failures: 1 }), 1 * TIME.MINUTE);
    assert.equal(look({ credential: oauth(expiresAt), failures: 2 }), 2 * TIME.MINUTE);
    assert.equal(look({ credential: oauth(expiresAt), failures: 3 }), 4 * TIME.MINUTE);
    assert.equal(look({ credential: oauth(expiresAt), failures: 9 }), 8 * TIME.MINUTE, 'the moment it leaves the margin, before 15 minutes');
    // Inside the margin already: the backoff alone, up to its maximum.
    assert.equal(look({ credential: oauth(NOW + 60_000), failures: 9 }), TERMINAL_RETRY_MAX_MS);
  });

  it('the backoff doubles from a minute to a quarter of an hour', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 20].map((n) => retryDelay(n) / TIME.MINUTE), [1, 2, 4, 8, 15, 15, 15]);
  });

  it('a failure a retry may get past is tried again; one it cannot, not until something changes', () => {
    const expiring = oauth(NOW + 60_000);
    assert.equal(look({ credential: expiring, error: new AuthError('network', 'down'), failures: 2 }), 2 * TIME.MINUTE);
    assert.equal(look({ credential: undefined, error: new AuthError('timeout', 'slow'), failures: 1 }), 1 * TIME.MINUTE);
    assert.equal(look({ credential: undefined, error: new AuthError('invalid_grant', 'dead'), failures: 1 }), undefined);
    assert.equal(look({ credential: expiring, error: new AuthError('invalid_client', 'no'), failures: 1 }), undefined);
    // Still given: looked at again when it leaves the margin, to stop giving it.
    const stillGiven = oauth(NOW + MARGIN + 3 * TIME.MINUTE);
    assert.equal(look({ credential: stillGiven, error: new AuthError('invalid_client', 'no'), failures: 1 }), 3 * TIME.MINUTE);
  });

  it('nothing to watch: off, signed out, an API key', () => {
    assert.equal(look({ gate: 'off' }), undefined);
    assert.equal(look({ gate: 'untrusted', credential: oauth(NOW + 1) }), undefined);
    assert.equal(look({ credential: undefined }), undefined);
    assert.equal(look({ credential: apiKey }), undefined);
  });
});
