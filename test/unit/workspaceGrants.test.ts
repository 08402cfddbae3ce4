import * as assert from 'node:assert/strict';
import { memoryState } from '../../src/core/base/stateStore';
import { GRANTS_KEY, WorkspaceGrants } from '../../src/core/routes/workspaceGrants';

describe('WorkspaceGrants', () => {
  const shop = { id: 'file:///home/me/shop', name: 'shop' };
  const api = { id: 'file:///home/me/api', name: 'api' };
  let now = 1_000;
  const clock = { now: () => now };

  it('grants nothing until asked, and nothing to a window without a workspace', () => {
    const grants = new WorkspaceGrants(memoryState(), clock);
    assert.equal(grants.has(shop.id, 'terminal'), false);
    assert.equal(grants.has(undefined, 'terminal'), false);
    assert.deepEqual(grants.list(), []);
  });

  it('keeps each route of each workspace apart, and lists them by name', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'tasks');
    now = 2_000;
    await grants.grant(api, 'terminal');
    await grants.grant(shop, 'terminal');
    assert.equal(grants.has(shop.id, 'tasks'), true);
    assert.equal(grants.has(api.id, 'tasks'), false);
    assert.deepEqual(
      grants.list().map((g) => [g.workspace.name, g.route, g.since]),
      [['api', 'terminal', 2_000], ['shop', 'terminal', 2_000], ['shop', 'tasks', 1_000]],
    );
    // Another instance on the same state (the next window) sees the same.
    assert.equal(new WorkspaceGrants(state, clock).has(api.id, 'terminal'), true);
  });

  it('revokes one route, then removes the workspace with its last one', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'tasks');
    await grants.grant(shop, 'terminal');
    assert.equal(await grants.revoke(shop.id, 'tasks'), true);
    assert.equal(grants.has(shop.id, 'tasks'), false);
    assert.equal(grants.has(shop.id, 'terminal'), true);
    assert.equal(await grants.revoke(shop.id, 'tasks'), false);
    assert.equal(await grants.revoke(shop.id, 'terminal'), true);
    assert.equal(state.get(GRANTS_KEY), undefined);
  });

  it('announces each change made here', async () => {
    const grants = new WorkspaceGrants(memoryState(), clock);
    let heard = 0;
    grants.onDidChange(() => (heard += 1));
    await grants.grant(shop, 'terminal');
    await grants.revoke(shop.id, 'terminal');
    await grants.revoke(shop.id, 'terminal');
    assert.equal(heard, 2);
  });

  it('reads a damaged store as granting nothing it cannot read', async () => {
    const state = memoryState();
    await state.update(GRANTS_KEY, {
      [shop.id]: { name: 'shop', terminal: 'yes', tasks: 5 },
      [api.id]: 'always',
      '__proto__': { terminal: 1 },
      other: { terminal: 7 },
    });
    const grants = new WorkspaceGrants(state, clock);
    assert.equal(grants.has(shop.id, 'terminal'), false);
    assert.equal(grants.has(shop.id, 'tasks'), true);
    assert.equal(grants.has(api.id, 'terminal'), false);
    assert.equal(grants.has('toString', 'terminal'), false);
    assert.deepEqual(grants.list().map((g) => g.workspace.name), ['other', 'shop']);
  });

  it('keeps a grant of a workspace whose id is a property of every object, read again from JSON', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    const odd = { id: '__proto__', name: 'odd' };
    await grants.grant(odd, 'terminal');
    await grants.grant({ id: 'constructor', name: 'ctor' }, 'tasks');
    const reloaded = memoryState();
    await reloaded.update(GRANTS_KEY, JSON.parse(JSON.stringify(state.get(GRANTS_KEY))));
    for (const read of [grants, new WorkspaceGrants(reloaded, clock)]) {
      assert.equal(read.has('__proto__', 'terminal'), true);
      assert.equal(read.has('constructor', 'tasks'), true);
      assert.equal(read.has('constructor', 'terminal'), false);
      assert.deepEqual(read.list().map((g) => [g.workspace.id, g.route]), [['constructor', 'tasks'], ['__proto__', 'terminal']]);
    }
    assert.equal(await grants.revoke('__proto__', 'terminal'), true);
    assert.equal(grants.has('__proto__', 'terminal'), false);
  });

  it('writes again when the global state loses the write to an echo of an earlier one', async () => {
    // As VS Code's memento does when the workbench echoes a write made just before: the value
    // read back is the earlier one.
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'terminal');
    const earlier = state.get(GRANTS_KEY);
    let lost = 1;
    const echoing = {
      get: (key: string) => state.get(key),
      update: async (key: string, value: unknown) => {
        await state.update(key, lost-- > 0 ? earlier : value);
      },
    };
    const revoking = new WorkspaceGrants(echoing, clock);
    assert.equal(await revoking.revoke(shop.id, 'terminal'), true);
    assert.equal(state.get(GRANTS_KEY), undefined, 'revoked for good');
    lost = 5;
    await assert.rejects(revoking.grant(api, 'tasks'), (error: Error & { code?: string }) => error.code === 'storage');
  });

  it('says so when VS Code cannot save, and grants nothing', async () => {
    const grants = new WorkspaceGrants({ get: () => undefined, update: () => Promise.reject(new Error('disk full')) }, clock);
    await assert.rejects(grants.grant(shop, 'tasks'), (error: Error & { code?: string }) => error.code === 'storage' && !/disk/.test(error.message));
    assert.equal(grants.has(shop.id, 'tasks'), false);
  });
});
