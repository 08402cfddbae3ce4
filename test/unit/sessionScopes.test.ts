import * as assert from 'node:assert/strict';
import { scopesCovered, sessionScopes } from '../../src/core/token/sessionScopes';

describe('authentication session scopes', () => {
  it('reads pandadoc.scope in either spelling PandaDoc uses', () => {
    assert.deepEqual(sessionScopes('read+write'), ['read+write', 'read', 'write']);
    assert.deepEqual(sessionScopes(' read '), ['read']);
    assert.deepEqual(sessionScopes('read write'), ['read', 'write']);
  });

  it('serves a request the configured scope covers, and nothing more', () => {
    const full = sessionScopes('read+write');
    assert.equal(scopesCovered([], full), true);
    assert.equal(scopesCovered(['read+write'], full), true);
    assert.equal(scopesCovered(['read'], full), true);
    assert.equal(scopesCovered(['read', 'write'], full), true);
    const readOnly = sessionScopes('read');
    assert.equal(scopesCovered(['read+write'], readOnly), false);
    assert.equal(scopesCovered(['write'], readOnly), false);
    assert.equal(scopesCovered(['admin'], full), false);
    assert.equal(scopesCovered(['read+write'], sessionScopes('read write')), true);
  });
});
