import * as assert from 'node:assert/strict';
import { formatSince, grantRows, NO_GRANTS, revokedMessage } from '../../src/core/routes/grantList';
import type { Grant } from '../../src/core/routes/workspaceGrants';

describe('the list of workspace grants', () => {
  const since = new Date(2026, 10, 25, 14, 5).getTime();
  const shop = { id: 'file:///home/me/shop', name: 'shop', path: '/home/me/shop' };
  const multi = { id: 'file:///home/me/a\nfile:///home/me/b', name: 'a + b', path: '/home/me/a, /home/me/b' };
  const grants: Grant[] = [
    { workspace: multi, route: 'tasks', profile: 'Default', since },
    { workspace: shop, route: 'terminal', since },
    { workspace: shop, route: 'tasks', profile: 'Production', since },
  ];

  it('lists this window\'s workspace first, every route, with when and where', () => {
    const rows = grantRows(grants, shop.id);
    assert.deepEqual(
      rows.map((row) => [row.label, row.description]),
      [
        ['shop', 'Terminals · the active profile · this window'],
        ['shop', 'Tasks and launch configurations · profile "Production" · this window'],
        ['a + b', 'Tasks and launch configurations · profile "Default"'],
      ],
    );
    assert.equal(rows[0].detail, 'Allowed since 2026-11-25 14:05 · /home/me/shop');
    assert.equal(rows[2].detail, 'Allowed since 2026-11-25 14:05 · /home/me/a, /home/me/b');
    assert.equal(formatSince(new Date(2027, 0, 2, 3, 4).getTime()), '2027-01-02 03:04');
  });

  it('says what was revoked and what that changes, and that there is nothing when empty', () => {
    assert.equal(
      revokedMessage([grants[2]]),
      'Revoked the PandaDoc permission of "shop" (tasks and launch configurations, profile "Production"). The next task or launch configuration there that asks for PandaDoc credentials asks you again.',
    );
    assert.equal(
      revokedMessage(grants),
      'Revoked 3 PandaDoc permissions of "a + b" (tasks and launch configurations, profile "Default"), "shop" (terminals), "shop" (tasks and launch configurations, profile "Production"). New terminals get no PandaDoc variables until they are turned on again. The next task or launch configuration there that asks for PandaDoc credentials asks you again.',
    );
    assert.match(NO_GRANTS, /nothing to revoke/);
  });
});
