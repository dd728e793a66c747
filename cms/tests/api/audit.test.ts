import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'aud');
});
afterAll(() => stopStrapi(strapi));

const AUDIT = 'api::audit-log.audit-log';
const entriesFor = (entityDocumentId: string) =>
  strapi.db.query(AUDIT).findMany({ where: { entityDocumentId }, orderBy: { seq: 'asc' } });
const table = () => (strapi.db.metadata.get(AUDIT) as any).tableName as string;
const verify = async () => (await http(strapi).get('/api/audit-logs/verify').set('Authorization', `Bearer ${w.tokens.supervisorA}`)).body;

describe('audit entries', () => {
  it('records a REST update with actor, request id and the before and after of each changed field', async () => {
    const res = await http(strapi)
      .put(`/api/accounts/${w.accounts.a1.documentId}`)
      .set('Authorization', `Bearer ${w.tokens.supervisorA}`)
      .set('X-Request-Id', 'test-request-0001')
      .send({ data: { balance: 900, notes: 'Settled part by card' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('test-request-0001');
    const entry = (await entriesFor(w.accounts.a1.documentId)).pop();
    expect(entry).toMatchObject({
      action: 'update',
      entity: 'api::account.account',
      actorType: 'user',
      actorId: String(w.users.supervisorA.id),
      actorName: w.users.supervisorA.username,
      requestId: 'test-request-0001',
      clientDocumentId: w.clients.a.documentId,
    });
    expect(entry.changes).toEqual({ balance: { before: 1234.5, after: 900 }, notes: { before: null, after: 'Settled part by card' } });
  });

  it('records direct service writes: create, update of components and relations, delete', async () => {
    const created = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-svc`, client: w.clients.a.documentId, debtorLastName: 'Service', balance: 10, timezone: 'UTC', phones: [{ number: '+13125550150', type: 'mobile', status: 'valid', autodialConsent: false }] },
    } as any);
    await strapi.documents('api::account.account').update({
      documentId: created.documentId,
      data: { assignedAgent: w.users.agentA2.id, phones: [{ number: '+13125550150', type: 'mobile', status: 'dnc', autodialConsent: false }] },
    } as any);
    await strapi.documents('api::account.account').delete({ documentId: created.documentId } as any);

    const [create, update, remove] = await entriesFor(created.documentId);
    expect(create).toMatchObject({ action: 'create', actorType: 'system', clientDocumentId: w.clients.a.documentId });
    expect(create.changes.accountNumber).toEqual({ before: null, after: `${w.prefix}-svc` });
    expect(create.changes.client).toEqual({ before: null, after: w.clients.a.documentId });
    expect(update.action).toBe('update');
    expect(Object.keys(update.changes).sort()).toEqual(['assignedAgent', 'assignedAt', 'phones']);
    expect(update.changes.assignedAgent).toEqual({ before: null, after: w.users.agentA2.documentId });
    expect(update.changes.phones.before[0]).toMatchObject({ number: '+13125550150', status: 'valid' });
    expect(update.changes.phones.after[0]).toMatchObject({ number: '+13125550150', status: 'dnc' });
    expect(remove).toMatchObject({ action: 'delete' });
    expect(remove.changes.balance).toEqual({ before: 10, after: null });
  });

  it('records users and role grants, with secrets redacted', async () => {
    const user = await strapi.plugin('users-permissions').service('user').add({
      username: `${w.prefix}_newhire`, email: `${w.prefix}_newhire@test.example.com`, password: 'Fresh-start-2026', provider: 'local', confirmed: true,
      role: (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } })).id,
    });
    const [created] = await entriesFor(user.documentId);
    expect(created).toMatchObject({ action: 'create', entity: 'plugin::users-permissions.user' });
    expect(created.changes.username.after).toBe(`${w.prefix}_newhire`);
    expect(created.changes.password).toEqual({ before: null, after: '[redacted]' });
    expect(JSON.stringify(created.changes)).not.toContain('Fresh-start-2026');

    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'analyst' } });
    const grant = await strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'api::account.account.count', role: role.id } });
    const [granted] = await entriesFor(grant.documentId);
    expect(granted).toMatchObject({ action: 'create', entity: 'plugin::users-permissions.permission' });
    expect(granted.changes.action.after).toBe('api::account.account.count');
    await strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: grant.id } });
    expect((await entriesFor(grant.documentId)).map((e: any) => e.action)).toEqual(['create', 'delete']);
  });
});

describe('writes from the admin panel and API tokens', () => {
  it('records an admin-panel edit with the admin as actor', async () => {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    const email = `${w.prefix}@admin.example.com`;
    await strapi.service('admin::user').create({ email, firstname: 'Ada', lastname: 'Admin', password: 'Admin-pass-2026', isActive: true, roles: [superAdmin.id] });
    const login = await http(strapi).post('/admin/login').send({ email, password: 'Admin-pass-2026' });
    expect(login.status).toBe(200);
    const res = await http(strapi)
      .put(`/content-manager/collection-types/api::account.account/${w.accounts.a2.documentId}`)
      .set('Authorization', `Bearer ${login.body.data.token}`)
      .send({ balance: 321 });
    expect(res.status).toBe(200);
    const entry = (await entriesFor(w.accounts.a2.documentId)).pop();
    expect(entry).toMatchObject({ action: 'update', actorType: 'admin', actorName: email });
    expect(entry.changes.balance).toEqual({ before: 1234.5, after: 321 });
  });

  it('lets a full-access API token verify the chain and records its writes under its name', async () => {
    const token = await strapi.service('admin::api-token').create({ name: `${w.prefix}-bi`, type: 'full-access', lifespan: null });
    const auth = { Authorization: `Bearer ${token.accessKey}` };
    expect((await http(strapi).get('/api/audit-logs/verify').set(auth)).body).toMatchObject({ ok: true });
    const res = await http(strapi).put(`/api/accounts/${w.accounts.b1.documentId}`).set(auth).send({ data: { notes: 'from the worker' } });
    expect(res.status).toBe(200);
    expect((await entriesFor(w.accounts.b1.documentId)).pop()).toMatchObject({ actorType: 'api-token', actorName: `${w.prefix}-bi` });
    const readOnly = await strapi.service('admin::api-token').create({ name: `${w.prefix}-ro`, type: 'read-only', lifespan: null });
    const denied = await http(strapi).put(`/api/accounts/${w.accounts.b1.documentId}`).set('Authorization', `Bearer ${readOnly.accessKey}`).send({ data: { notes: 'x' } });
    expect(denied.status).toBe(403);
  });
});

describe('the chain', () => {
  it('verifies end to end', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, brokenAt: null });
    expect(report.entries).toBe(await strapi.db.query(AUDIT).count({}));
  });

  it('detects a hand-edited entry at that entry', async () => {
    const target = (await entriesFor(w.accounts.a1.documentId))[0];
    const knex = strapi.db.connection;
    await knex(table()).where({ id: target.id }).update({ actor_name: 'someone-else' });
    try {
      expect(await verify()).toMatchObject({ ok: false, brokenAt: Number(target.seq) });
    } finally {
      await knex(table()).where({ id: target.id }).update({ actor_name: target.actorName });
    }
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted entry at the entry after it', async () => {
    const victim = (await entriesFor(w.accounts.a2.documentId))[0];
    const knex = strapi.db.connection;
    const row = await knex(table()).where({ id: victim.id }).first();
    await knex(table()).where({ id: victim.id }).delete();
    try {
      expect(await verify()).toMatchObject({ ok: false, brokenAt: Number(victim.seq) + 1 });
    } finally {
      await knex(table()).insert(row);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('cannot be rewritten through any API', async () => {
    const entry = (await entriesFor(w.accounts.a1.documentId))[0];
    const auth = { Authorization: `Bearer ${w.tokens.supervisorA}` };
    expect([404, 405]).toContain((await http(strapi).post('/api/audit-logs').set(auth).send({ data: { action: 'create' } })).status);
    expect([404, 405]).toContain((await http(strapi).put(`/api/audit-logs/${entry.documentId}`).set(auth).send({ data: { actorName: 'x' } })).status);
    expect([404, 405]).toContain((await http(strapi).delete(`/api/audit-logs/${entry.documentId}`).set(auth)).status);
    await expect(strapi.documents(AUDIT).update({ documentId: entry.documentId, data: { actorName: 'x' } } as any)).rejects.toThrow(/append-only/);
    await expect(strapi.documents(AUDIT).delete({ documentId: entry.documentId } as any)).rejects.toThrow(/append-only/);
    await expect(strapi.db.query(AUDIT).update({ where: { id: entry.id }, data: { actorName: 'x' } })).rejects.toThrow(/append-only/);
    await expect(strapi.db.query(AUDIT).delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    expect((await verify()).ok).toBe(true);
  });

  it('stays linear under concurrent writes', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http(strapi).put(`/api/accounts/${w.accounts.a2.documentId}`).set('Authorization', `Bearer ${w.tokens.supervisorA}`).send({ data: { notes: `note ${i}` } }),
      ),
    );
    expect(await verify()).toMatchObject({ ok: true });
  });
});
