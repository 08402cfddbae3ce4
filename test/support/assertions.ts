/** Assertions that never print a secret, even when they fail. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AuthError } from '../../src/core/base/errors';
import { fingerprint } from '../../src/core/base/redact';

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

/** A stand-in for a secret in test output: equal secrets give equal digests. */
export function digest(value: string | undefined): string {
  return value === undefined ? 'undefined' : `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

/** Every string value of a record replaced by its digest, for deepEqual without disclosure. */
export function digestValues(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, digest(value)]));
}

export function assertSameSecret(actual: string | undefined, expected: string | undefined, what: string): void {
  if (actual !== expected) {
    assert.fail(`${what}: ${digest(actual)} is not ${digest(expected)}`);
  }
}

export function assertDifferentSecret(actual: string | undefined, other: string | undefined, what: string): void {
  if (actual === other) {
    assert.fail(`${what}: both are ${digest(actual)}`);
  }
}

/** The AuthError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthError, 'rejects with an AuthError');
    return error;
  }
  assert.fail('expected a rejection');
}
