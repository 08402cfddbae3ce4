/**
 * Scopes as the authentication provider speaks them. PandaDoc's scope is `read+write` (one word,
 * as its reference writes it) or `read`, and its answers spell the same grant
 * "read write read+write"; a consumer may ask in either spelling.
 */

/** The scopes a session granted with the configured `pandadoc.scope` carries. */
export function sessionScopes(configured: string): string[] {
  const words = configured
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const scopes = new Set<string>();
  for (const word of words) {
    scopes.add(word);
    // `read+write` grants `read` and `write`, so a consumer asking for `read` is served by it.
    for (const part of word.split('+')) {
      if (part !== '') {
        scopes.add(part);
      }
    }
  }
  return [...scopes];
}

/** Whether a session with `granted` serves a request for `requested` (empty asks for any). */
export function scopesCovered(requested: readonly string[], granted: readonly string[]): boolean {
  const have = new Set(granted);
  return requested.every((scope) => have.has(scope) || (scope.includes('+') && scope.split('+').every((part) => have.has(part))));
}
