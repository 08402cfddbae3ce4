/** Assertions that never print a secret, even when they fail. */
import * as assert from 'node:assert/strict';
import { fingerprint } from '../../src/core/redact';

/** Fails, naming only fingerprints, when any secret appears in `text`. */
export function assertNoSecrets(text: string, secrets: Iterable<string | undefined>, where = 'text'): void {
  for (const secret of secrets) {
    if (secret && text.includes(secret)) {
      assert.fail(`a secret (${fingerprint(secret)}) appears in ${where}`);
    }
  }
}

/** Byte-for-byte equality of two stored values, reported without showing them. */
export function assertSameStored(actual: string | undefined, expected: string | undefined, what: string): void {
  if (actual !== expected) {
    assert.fail(`${what} changed (${actual === undefined ? 'deleted' : `${actual.length} bytes`})`);
  }
}
