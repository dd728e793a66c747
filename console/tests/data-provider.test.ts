/**
 * The Strapi data provider and the auth provider against a booted cms (PostgreSQL, the real
 * REST API, its scoping and its sessions): no mocks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpError } from '@refinedev/core';
import { cmsAuthProvider } from '../src/providers/auth-provider';
import { strapiDataProvider } from '../src/providers/data-provider';
import { SessionStore } from '../src/providers/session-store';
import { startCms, type CmsInfo } from './support/live-stack';

let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
const DOCUMENT_ID = /^[a-z0-9]{24}$/;

before(async () => {
  cms = await startCms({ ACCOUNTS: '30', AGENTS: '2' });
  info = cms.info;
});
after(() => cms?.stop());

const as = (token: string) => strapiDataProvider({ cmsUrl: info.url, token: () => token });

describe('the Strapi 5 data provider on a real cms', () => {
  it('lists a page with its total, records keyed by documentId', async () => {
    const { data, total } = await as(info.apiToken).getList({ resource: 'accounts', pagination: { currentPage: 2, pageSize: 5 }, sorters: [{ field: 'accountNumber', order: 'asc' }] });
    assert.equal(total, 34); // 30 accounts and the four the dialer must never call
    // W-dnc, W-eighth, W-late, W-talked and W000000 sort first ('-' before '0')
    assert.deepEqual(data.map((a) => a.accountNumber), ['W000001', 'W000002', 'W000003', 'W000004', 'W000005']);
    for (const a of data) {
      assert.match(String(a.id), DOCUMENT_ID);
      assert.equal(a.id, a.documentId);
    }
  });

});

describe('filters and sorting in Strapi syntax', () => {
  const cases: Array<[string, Parameters<ReturnType<typeof as>['getList']>[0]['filters'], string[]]> = [
    ['eq', [{ field: 'accountNumber', operator: 'eq', value: 'W000003' }], ['W000003']],
    ['in', [{ field: 'accountNumber', operator: 'in', value: ['W000001', 'W000002'] }], ['W000001', 'W000002']],
    ['case-insensitive contains', [{ field: 'debtorLastName', operator: 'contains', value: 'DEBTOR2' }], ['W000002', 'W000020', 'W000021', 'W000022', 'W000023', 'W000024', 'W000025', 'W000026', 'W000027', 'W000028', 'W000029']],
    ['or', [{ operator: 'or', value: [{ field: 'accountNumber', operator: 'eq', value: 'W000004' }, { field: 'debtorLastName', operator: 'eq', value: 'dnc' }] }], ['W-dnc', 'W000004']],
    ['a relation path', [{ field: 'client.code', operator: 'eq', value: 'WTB' }, { field: 'balance', operator: 'lt', value: 102 }], ['W000000', 'W000001']],
  ];
  for (const [name, filters, expected] of cases) {
    it(name, async () => {
      const { data } = await as(info.apiToken).getList({ resource: 'accounts', pagination: { pageSize: 100 }, filters, sorters: [{ field: 'accountNumber', order: 'asc' }] });
      assert.deepEqual(data.map((a) => a.accountNumber), expected);
    });
  }

  it('sorts descending', async () => {
    const { data } = await as(info.apiToken).getList({ resource: 'accounts', pagination: { pageSize: 3 }, sorters: [{ field: 'balance', order: 'desc' }], filters: [{ field: 'accountNumber', operator: 'startswith', value: 'W0' }] });
    assert.deepEqual(data.map((a) => a.balance), [129, 128, 127]);
  });
});

describe('records by documentId', () => {
  it('getOne and getMany address records by documentId, with populate', async () => {
    const dp = as(info.apiToken);
    const { data: list } = await dp.getList({ resource: 'accounts', pagination: { pageSize: 3 }, sorters: [{ field: 'accountNumber', order: 'asc' }], filters: [{ field: 'accountNumber', operator: 'startswith', value: 'W0' }] });
    const { data: one } = await dp.getOne({ resource: 'accounts', id: list[1].id!, meta: { populate: ['phones'] } });
    assert.equal(one.accountNumber, list[1].accountNumber);
    assert.equal(one.phones[0].number, '+13122000001');
    const { data: many } = await dp.getMany!({ resource: 'accounts', ids: [list[2].id!, list[0].id!] });
    assert.deepEqual(many.map((a) => a.accountNumber).sort(), [list[0].accountNumber, list[2].accountNumber]);
  });

  it('creates, updates and deletes', async () => {
    const dp = as(info.apiToken);
    const { data: created } = await dp.create({ resource: 'dnc-entries', variables: { phone: '+13125550199', scope: 'global', reason: 'other' } });
    assert.match(String(created.id), DOCUMENT_ID);
    const { data: updated } = await dp.update({ resource: 'dnc-entries', id: created.id!, variables: { reason: 'litigation' } });
    assert.equal(updated.reason, 'litigation');
    await dp.deleteOne({ resource: 'dnc-entries', id: created.id! });
    await assert.rejects(dp.getOne({ resource: 'dnc-entries', id: created.id! }), (e: HttpError) => e.statusCode === 404);
  });

  it("reads with the signed-in user's own scope: an agent sees only the accounts assigned to them", async () => {
    const { data, total } = await as(info.agents[0].jwt).getList({ resource: 'accounts', pagination: { pageSize: 100 } });
    assert.equal(total, 15);
    assert.ok(data.every((a) => Number(a.accountNumber.slice(1)) % 2 === 0));
  });
});

describe("cms's errors", () => {
  it('maps validation errors onto the fields that caused them', async () => {
    const dp = as(info.apiToken);
    const { data: list } = await dp.getList({ resource: 'accounts', pagination: { pageSize: 1 } });
    await assert.rejects(dp.update({ resource: 'accounts', id: list[0].id!, variables: { balance: 1e12, currency: 'dollars' } }), (e: HttpError) => {
      assert.equal(e.statusCode, 400);
      assert.deepEqual(Object.keys(e.errors ?? {}).sort(), ['balance', 'currency']);
      return true;
    });
  });

  it('says 401 for a missing or ended session', async () => {
    await assert.rejects(as('not-a-token').getList({ resource: 'accounts' }), (e: HttpError) => e.statusCode === 401);
  });
});

describe('the auth provider on a real cms', () => {
  const signIn = async () => {
    const store = new SessionStore(null);
    const auth = cmsAuthProvider({ cmsUrl: info.url, store, idleLogoutMinutes: 30 });
    const result = await auth.login({ username: info.agents[0].username, password: info.password });
    return { store, auth, result };
  };
  const sessionStatus = async (jwt: string) => (await fetch(`${info.url}/api/session`, { headers: { Authorization: `Bearer ${jwt}` } })).status;

  it("signs in with cms's users-permissions and learns the role from /api/session", async () => {
    const { store, auth, result } = await signIn();
    try {
      assert.deepEqual(result, { success: true, redirectTo: '/workspace' });
      assert.deepEqual(await auth.getIdentity!(), { id: info.agents[0].id, name: info.agents[0].username, role: 'agent' });
      assert.equal(await auth.getPermissions!(), 'agent');
      assert.deepEqual(await auth.check(), { authenticated: true });
      assert.equal(store.get()!.user.clients[0].code, 'WTB');
    } finally {
      auth.dispose();
    }
  });

  it('refuses a wrong password without signing in', async () => {
    const store = new SessionStore(null);
    const auth = cmsAuthProvider({ cmsUrl: info.url, store, idleLogoutMinutes: 30 });
    const result = await auth.login({ username: info.agents[0].username, password: 'not-the-password-1' });
    auth.dispose();
    assert.equal(result.success, false);
    assert.equal(store.get(), null);
  });

  it('on a 401 refreshes once with rotation: new tokens, the login still valid, concurrent 401s sharing one refresh', async () => {
    const { store, auth } = await signIn();
    try {
      const before = store.get()!;
      // Two requests failing together must not both present the refresh token: cms would read the second as a theft.
      const [a, b] = await Promise.all([auth.onError({ statusCode: 401 }), auth.onError({ statusCode: 401 })]);
      assert.deepEqual([a, b], [{}, {}]);
      const after = store.get()!;
      assert.notEqual(after.refreshToken, before.refreshToken);
      assert.notEqual(after.jwt, before.jwt);
      assert.equal(await sessionStatus(after.jwt), 200);
    } finally {
      auth.dispose();
    }
  });

  it('logs out after a time without activity, and cms ends the session', { timeout: 20_000 }, async () => {
    const store = new SessionStore(null);
    let idle!: () => void;
    const loggedOut = new Promise<void>((resolve) => (idle = resolve));
    const auth = cmsAuthProvider({ cmsUrl: info.url, store, idleLogoutMinutes: 0.03, onIdleLogout: () => idle() });
    try {
      await auth.login({ username: info.agents[1].username, password: info.password });
      const jwt = store.get()!.jwt;
      await loggedOut;
      assert.equal(store.get(), null);
      const deadline = Date.now() + 5_000;
      while ((await sessionStatus(jwt)) !== 401) {
        assert.ok(Date.now() < deadline, 'the token still works 5 s after the idle logout');
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      auth.dispose();
    }
  });

  it('logs out: cms refuses the access token within seconds and the store is empty', async () => {
    const { store, auth } = await signIn();
    const jwt = store.get()!.jwt;
    assert.deepEqual(await auth.logout({}), { success: true, redirectTo: '/login' });
    auth.dispose();
    assert.equal(store.get(), null);
    const deadline = Date.now() + 5_000;
    while ((await sessionStatus(jwt)) !== 401) {
      assert.ok(Date.now() < deadline, 'the token still works 5 s after logout');
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});
