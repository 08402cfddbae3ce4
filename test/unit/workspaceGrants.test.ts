import * as assert from 'node:assert/strict';
import { memoryState } from '../../src/core/base/stateStore';
import { GRANTS_KEY, WorkspaceGrants, workspaceRef } from '../../src/core/routes/workspaceGrants';

describe('WorkspaceGrants', () => {
  const shop = { id: 'file:///home/me/shop', name: 'shop', path: '/home/me/shop' };
  const api = { id: 'file:///home/me/api', name: 'api', path: '/home/me/api' };
  let now = 1_000;
  const clock = { now: () => now };

  it('grants nothing until asked, and nothing to a window without a workspace', () => {
    const grants = new WorkspaceGrants(memoryState(), clock);
    assert.equal(grants.has(shop.id, 'terminal'), false);
    assert.equal(grants.has(undefined, 'terminal'), false);
    assert.deepEqual(grants.list(), []);
  });

  it('keeps each route of each workspace apart, the tasks route per profile, and lists them by name', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'tasks', 'Sandbox');
    now = 2_000;
    await grants.grant(api, 'terminal');
    await grants.grant(shop, 'terminal');
    assert.equal(grants.has(shop.id, 'tasks', 'Sandbox'), true);
    assert.equal(grants.has(shop.id, 'tasks', 'Production'), false, 'another profile is asked again');
    assert.equal(grants.has(shop.id, 'tasks'), false, 'never without a profile');
    assert.equal(grants.has(api.id, 'tasks', 'Sandbox'), false);
    assert.deepEqual(
      grants.list().map((g) => [g.workspace.name, g.route, g.profile, g.since]),
      [['api', 'terminal', undefined, 2_000], ['shop', 'terminal', undefined, 2_000], ['shop', 'tasks', 'Sandbox', 1_000]],
    );
    assert.equal(grants.list()[2].workspace.path, '/home/me/shop');
    // Another instance on the same state (the next window) sees the same.
    assert.equal(new WorkspaceGrants(state, clock).has(api.id, 'terminal'), true);
    await assert.rejects(grants.grant(shop, 'tasks'), /per profile/);
  });

  it('revokes one route, one profile or every profile, then removes the workspace with its last one', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'tasks', 'Sandbox');
    await grants.grant(shop, 'tasks', 'Production');
    await grants.grant(shop, 'terminal');
    assert.equal(await grants.revoke(shop.id, 'tasks', 'Sandbox'), true);
    assert.equal(grants.has(shop.id, 'tasks', 'Sandbox'), false);
    assert.equal(grants.has(shop.id, 'tasks', 'Production'), true);
    assert.equal(await grants.revoke(shop.id, 'tasks', 'Sandbox'), false);
    await grants.grant(shop, 'tasks', 'Sandbox');
    assert.equal(await grants.revoke(shop.id, 'tasks'), true, 'every profile');
    assert.deepEqual(grants.list().map((g) => g.route), ['terminal']);
    assert.equal(await grants.revoke(shop.id, 'tasks'), false);
    assert.equal(await grants.revoke(shop.id, 'terminal'), true);
    assert.equal(state.get(GRANTS_KEY), undefined);
  });

  it('moves a profile\'s task grants with a rename, and the new name inherits nothing of another profile', async () => {
    const grants = new WorkspaceGrants(memoryState(), clock);
    await grants.grant(shop, 'tasks', 'Production');
    await grants.grant(api, 'tasks', 'Production');
    // A grant still kept under the name the renamed profile takes (a profile once called so).
    await grants.grant(shop, 'tasks', 'Sandbox');
    await grants.grant(api, 'terminal');
    // Sandbox, granted in shop, became Old Sandbox: its grant goes with it.
    await grants.renamed('Sandbox', 'Old Sandbox');
    assert.equal(grants.has(shop.id, 'tasks', 'Old Sandbox'), true);
    assert.equal(grants.has(shop.id, 'tasks', 'Sandbox'), false);
    // Production (granted in both) renamed to Sandbox: Sandbox has Production's grants, no more.
    await grants.revoke(shop.id, 'tasks', 'Production');
    await grants.renamed('Production', 'Sandbox');
    assert.equal(grants.has(shop.id, 'tasks', 'Sandbox'), false, 'no grant inherited in shop');
    assert.equal(grants.has(api.id, 'tasks', 'Sandbox'), true, 'Production\'s own grant moved');
    assert.equal(grants.has(api.id, 'tasks', 'Production'), false);
    assert.equal(grants.has(api.id, 'terminal'), true, 'the terminal grant is the workspace\'s');
    // A stale entry under the new name, in another case, is dropped too.
    await grants.grant(shop, 'tasks', 'staging');
    await grants.grant(shop, 'tasks', 'Old Sandbox');
    await grants.renamed('Old Sandbox', 'Staging');
    assert.deepEqual(grants.list().filter((g) => g.workspace.id === shop.id).map((g) => g.profile), ['Staging']);
  });

  it('drops a removed profile\'s task grants in every workspace', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    await grants.grant(shop, 'tasks', 'Production');
    await grants.grant(api, 'tasks', 'Production');
    await grants.grant(api, 'tasks', 'Sandbox');
    await grants.removed('Production');
    assert.deepEqual(grants.list().map((g) => [g.workspace.name, g.profile]), [['api', 'Sandbox']]);
    await grants.removed('Sandbox');
    assert.equal(state.get(GRANTS_KEY), undefined);
  });

  it('does not honour a tasks grant stored by 0.2.0 for every profile, and drops it at the next write', async () => {
    const state = memoryState();
    await state.update(GRANTS_KEY, { [shop.id]: { name: 'shop', tasks: 5 }, [api.id]: { name: 'api', terminal: 6, tasks: 7 } });
    const grants = new WorkspaceGrants(state, clock);
    for (const profile of ['Default', 'Production']) {
      assert.equal(grants.has(shop.id, 'tasks', profile), false);
      assert.equal(grants.has(api.id, 'tasks', profile), false);
    }
    assert.equal(grants.has(api.id, 'terminal'), true);
    assert.deepEqual(grants.list().map((g) => [g.workspace.name, g.route]), [['api', 'terminal']]);
    await grants.grant(api, 'tasks', 'Default');
    assert.deepEqual(state.get(GRANTS_KEY), { [api.id]: { name: 'api', path: '/home/me/api', terminal: 6, tasksByProfile: { Default: now } } });
  });

  it('announces each change made here', async () => {
    const grants = new WorkspaceGrants(memoryState(), clock);
    let heard = 0;
    grants.onDidChange(() => (heard += 1));
    await grants.grant(shop, 'terminal');
    await grants.revoke(shop.id, 'terminal');
    await grants.revoke(shop.id, 'terminal');
    await grants.removed('Nobody');
    assert.equal(heard, 2);
  });

  it('reads a damaged store as granting nothing it cannot read', async () => {
    const state = memoryState();
    await state.update(GRANTS_KEY, {
      [shop.id]: { name: 'shop', terminal: 'yes', tasksByProfile: { Default: 5, Bad: 'x' } },
      [api.id]: 'always',
      '__proto__': { terminal: 1 },
      other: { terminal: 7 },
      listed: { terminal: 8, tasksByProfile: 'all' },
    });
    const grants = new WorkspaceGrants(state, clock);
    assert.equal(grants.has(shop.id, 'terminal'), false);
    assert.equal(grants.has(shop.id, 'tasks', 'Default'), true);
    assert.equal(grants.has(shop.id, 'tasks', 'Bad'), false);
    assert.equal(grants.has(shop.id, 'tasks', 'toString'), false);
    assert.equal(grants.has(api.id, 'terminal'), false);
    assert.equal(grants.has('toString', 'terminal'), false);
    assert.deepEqual(grants.list().map((g) => g.workspace.name), ['listed', 'other', 'shop']);
  });

  it('cleans a stored name a repository chose, and the name of a window\'s workspace', async () => {
    const state = memoryState();
    await state.update(GRANTS_KEY, { [shop.id]: { name: 'shop\n[tasks] forged\u202e', terminal: 1 } });
    assert.equal(new WorkspaceGrants(state, clock).list()[0].workspace.name, 'shop\ufffd[tasks] forged\ufffd');
    assert.deepEqual(
      workspaceRef({ folders: [{ uri: 'file:///home/me/a%0Ab', path: '/home/me/a\nb', name: 'a\nb' }], name: 'a\r\nb "x"\u2066' }),
      { id: 'file:///home/me/a%0Ab', name: 'a\ufffdb "x"\ufffd', path: '/home/me/a\ufffdb' },
    );
    assert.deepEqual(
      workspaceRef({ file: { uri: 'file:///w/team.code-workspace', path: '/w/team.code-workspace' }, folders: [], name: 'team (Workspace)' }),
      { id: 'file:///w/team.code-workspace', name: 'team (Workspace)', path: '/w/team.code-workspace' },
    );
    assert.equal(workspaceRef({ folders: [] }), undefined);
    const two = workspaceRef({ folders: [{ uri: 'file:///b', path: '/b', name: 'b' }, { uri: 'file:///a', path: '/a', name: 'a' }] });
    assert.deepEqual(two, { id: 'file:///a\nfile:///b', name: 'b', path: '/b, /a' });
  });

  it('keeps a grant of a workspace whose id is a property of every object, read again from JSON', async () => {
    const state = memoryState();
    const grants = new WorkspaceGrants(state, clock);
    const odd = { id: '__proto__', name: 'odd', path: '/odd' };
    await grants.grant(odd, 'terminal');
    await grants.grant({ id: 'constructor', name: 'ctor', path: '/ctor' }, 'tasks', '__proto__');
    const reloaded = memoryState();
    await reloaded.update(GRANTS_KEY, JSON.parse(JSON.stringify(state.get(GRANTS_KEY))));
    for (const read of [grants, new WorkspaceGrants(reloaded, clock)]) {
      assert.equal(read.has('__proto__', 'terminal'), true);
      assert.equal(read.has('constructor', 'tasks', '__proto__'), true, 'a profile named __proto__ keeps its grant too');
      assert.equal(read.has('constructor', 'tasks', 'toString'), false);
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
    await assert.rejects(revoking.grant(api, 'tasks', 'Default'), (error: Error & { code?: string }) => error.code === 'storage');
  });

  it('says so when VS Code cannot save, and grants nothing', async () => {
    const grants = new WorkspaceGrants({ get: () => undefined, update: () => Promise.reject(new Error('disk full')) }, clock);
    await assert.rejects(grants.grant(shop, 'tasks', 'Default'), (error: Error & { code?: string }) => error.code === 'storage' && !/disk/.test(error.message));
    assert.equal(grants.has(shop.id, 'tasks', 'Default'), false);
  });
});
