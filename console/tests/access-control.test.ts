import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { homeRouteOf, roleAccessControl, roleMay } from '../src/providers/access-control-provider';
import { SessionStore, type SessionUser } from '../src/providers/session-store';

describe('which role opens which page', () => {
  const cases: Array<[string, string, boolean]> = [
    ['agent', 'workspace', true],
    ['agent', 'accounts', true],
    ['agent', 'wallboard', false],
    ['supervisor', 'workspace', false],
    ['supervisor', 'wallboard', true],
    ['supervisor', 'accounts', true],
    ['analyst', 'accounts', true],
    ['analyst', 'wallboard', true],
    ['analyst', 'workspace', false],
    ['authenticated', 'accounts', false],
    ['agent', 'no-such-page', false],
    ['agent', 'callbacks', true],
    ['supervisor', 'callbacks', true],
    ['analyst', 'callbacks', false],
  ];
  for (const [role, resource, may] of cases) {
    it(`${role} ${may ? 'may' : 'may not'} open ${resource}`, async () => {
      assert.equal(roleMay(role, resource), may);
      const store = new SessionStore(null);
      store.set({ jwt: 'x', refreshToken: 'y', user: { id: 1, documentId: 'd', username: 'u', role, clients: [] } satisfies SessionUser });
      assert.equal((await roleAccessControl(store).can({ resource, action: 'list' })).can, may);
    });
  }

  it('lets nobody in when signed out', async () => {
    assert.equal((await roleAccessControl(new SessionStore(null)).can({ resource: 'accounts', action: 'list' })).can, false);
  });

});

describe('who may change what they read', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['agent', 'accounts', 'edit', true],
    ['supervisor', 'accounts', 'edit', true],
    ['analyst', 'accounts', 'show', true],
    ['analyst', 'accounts', 'edit', false],
    ['analyst', 'accounts', 'delete', false],
    ['supervisor', 'accounts', 'reassign', true],
    ['agent', 'accounts', 'reassign', false],
    ['analyst', 'accounts', 'reassign', false],
    ['analyst', 'wallboard', 'list', true],
    ['agent', 'wallboard', 'list', false],
  ];
  for (const [role, resource, action, may] of cases) {
    it(`${role} ${may ? 'may' : 'may not'} ${action} ${resource}`, async () => {
      const store = new SessionStore(null);
      store.set({ jwt: 'x', refreshToken: 'y', user: { id: 1, documentId: 'd', username: 'u', role, clients: [] } satisfies SessionUser });
      assert.equal((await roleAccessControl(store).can({ resource, action })).can, may);
    });
  }
});

describe('where each role lands', () => {
  for (const [role, home] of [['agent', '/workspace'], ['supervisor', '/wallboard'], ['analyst', '/accounts'], [null, '/accounts']] as const) {
    it(`${role ?? 'no role'}: ${home}`, () => assert.equal(homeRouteOf(role), home));
  }
});
