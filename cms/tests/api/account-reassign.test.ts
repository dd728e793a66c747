import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let apiToken: string;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'rea');
  apiToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-bi`, type: 'full-access', lifespan: null } as any)).accessKey;
});
afterAll(() => stopStrapi(strapi));

const ACCOUNT = 'api::account.account';
const AUDIT = 'api::audit-log.audit-log';
const reassign = (token: string, data: unknown, requestId?: string) => {
  const req = http(strapi).post('/api/accounts/reassign').set('Authorization', `Bearer ${token}`);
  if (requestId) req.set('X-Request-Id', requestId);
  return req.send({ data });
};
const agentOf = async (documentId: string) =>
  (await strapi.db.query(ACCOUNT).findOne({ where: { documentId }, populate: { assignedAgent: { select: ['documentId'] } } } as any))?.assignedAgent?.documentId ?? null;
const myAccounts = async (token: string) =>
  (await http(strapi).get(`/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}&fields[0]=accountNumber&sort=accountNumber`).set('Authorization', `Bearer ${token}`)).body.data.map((a: any) => a.accountNumber);

/** Accounts inserted as rows, the way an import lands them, fast enough for thousands. */
async function insertAccounts(client: any, count: number, label: string, agentId: number): Promise<void> {
  const knex = strapi.db.connection;
  const meta = strapi.db.metadata.get(ACCOUNT as any) as any;
  const clientLink = meta.attributes.client.joinTable;
  const agentLink = meta.attributes.assignedAgent.joinTable;
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    const n = Math.min(1000, count - start);
    const rows = Array.from({ length: n }, (_, k) => ({
      document_id: crypto.randomBytes(12).toString('hex').slice(0, 24), account_number: `${w.prefix}-${label}-${String(start + k).padStart(5, '0')}`,
      debtor_last_name: `Bulk${start + k}`, balance: 100, currency: 'USD', days_past_due: 30, status: 'open', timezone: 'America/Chicago', created_at: now, updated_at: now, published_at: now,
    }));
    const inserted = await knex(meta.tableName).insert(rows, ['id']);
    await knex(clientLink.name).insert(inserted.map((r: any) => ({ [clientLink.joinColumn.name]: r.id, [clientLink.inverseJoinColumn.name]: client.id })));
    await knex(agentLink.name).insert(inserted.map((r: any) => ({ [agentLink.joinColumn.name]: r.id, [agentLink.inverseJoinColumn.name]: agentId })));
  }
}

describe('POST /api/accounts/reassign', () => {
  it('moves the selected accounts to an agent of their client, audits each one and answers the counts', async () => {
    const ids = [w.accounts.a1.documentId, w.accounts.a1b.documentId];
    const before = await strapi.db.query(ACCOUNT).findOne({ where: { documentId: ids[0] } } as any);
    const res = await reassign(w.tokens.supervisorA, { documentIds: ids, agent: w.users.agentA2.documentId }, 'reassign-test-0001');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ matched: 2, reassigned: 2, unchanged: 0, agent: { documentId: w.users.agentA2.documentId, username: w.users.agentA2.username } });

    // The agents' own lists changed: what they see is what cms scopes them to.
    expect(await myAccounts(w.tokens.agentA2)).toEqual([`${w.prefix}-001`, `${w.prefix}-002`, `${w.prefix}-003`]);
    expect(await myAccounts(w.tokens.agentA1)).toEqual([]);

    const after = await strapi.db.query(ACCOUNT).findOne({ where: { documentId: ids[0] } } as any);
    expect(new Date(after.assignedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const entry = (await strapi.db.query(AUDIT).findMany({ where: { entityDocumentId: ids[0] }, orderBy: { seq: 'desc' }, limit: 1 }))[0];
    expect(entry).toMatchObject({
      action: 'update', entity: ACCOUNT, actorType: 'user', actorId: String(w.users.supervisorA.id), requestId: 'reassign-test-0001', clientDocumentId: w.clients.a.documentId,
    });
    expect(entry.changes).toEqual({
      assignedAgent: { before: w.users.agentA1.documentId, after: w.users.agentA2.documentId },
      assignedAt: { before: before.assignedAt ? new Date(before.assignedAt).toISOString() : null, after: new Date(after.assignedAt).toISOString() },
    });

    // Asking again changes nothing and records nothing.
    const seq = Number((await strapi.db.query(AUDIT).findOne({ orderBy: { seq: 'desc' } })).seq);
    const again = await reassign(w.tokens.supervisorA, { documentIds: ids, agent: w.users.agentA2.documentId });
    expect(again.body.data).toMatchObject({ matched: 2, reassigned: 0, unchanged: 2 });
    expect(Number((await strapi.db.query(AUDIT).findOne({ orderBy: { seq: 'desc' } })).seq)).toBe(seq);
  });

  it('reassigns every account a list filter matches, and only those of the writer’s clients', async () => {
    // The prefix matches client B's account too: the writer's scope leaves it out.
    const res = await reassign(w.tokens.supervisorA, { filters: { accountNumber: { $startsWith: w.prefix } }, agent: w.users.agentA1.documentId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ matched: 3, reassigned: 3, unchanged: 0 });
    expect(await agentOf(w.accounts.b1.documentId)).toBe(w.users.agentB1.documentId);
    expect(await myAccounts(w.tokens.agentA1)).toEqual([`${w.prefix}-001`, `${w.prefix}-002`, `${w.prefix}-003`]);

    // A filter naming another client's accounts reaches none of them.
    const outside = await reassign(w.tokens.supervisorA, { filters: { client: { documentId: { $eq: w.clients.b.documentId } } }, agent: w.users.agentA2.documentId });
    expect(outside.status).toBe(200);
    expect(outside.body.data).toMatchObject({ matched: 0, reassigned: 0 });
    expect(await agentOf(w.accounts.b1.documentId)).toBe(w.users.agentB1.documentId);
  });

  const cases: Array<[string, () => [string, unknown], number, Array<string | number> | null]> = [
    ['ids of another client', () => [w.tokens.supervisorA, { documentIds: [w.accounts.a1.documentId, w.accounts.b1.documentId], agent: w.users.agentA2.documentId }], 400, ['documentIds', 1]],
    ['ids that do not exist', () => [w.tokens.supervisorA, { documentIds: ['nosuchaccount000000000000'], agent: w.users.agentA2.documentId }], 400, ['documentIds', 0]],
    ['an agent of another client', () => [w.tokens.supervisorA, { documentIds: [w.accounts.a1.documentId], agent: w.users.agentB1.documentId }], 400, ['agent']],
    ['an agent not of the accounts’ client (API token)', () => [apiToken, { documentIds: [w.accounts.b1.documentId], agent: w.users.agentA2.documentId }], 400, ['agent']],
    ['a user who is not an agent', () => [w.tokens.supervisorA, { documentIds: [w.accounts.a1.documentId], agent: w.users.analystA.documentId }], 400, ['agent']],
    ['no agent', () => [w.tokens.supervisorA, { documentIds: [w.accounts.a1.documentId] }], 400, ['agent']],
    ['an empty selection', () => [w.tokens.supervisorA, { documentIds: [], agent: w.users.agentA2.documentId }], 400, ['documentIds']],
    ['no selection', () => [w.tokens.supervisorA, { agent: w.users.agentA2.documentId }], 400, ['documentIds']],
    ['an empty filter (every account)', () => [w.tokens.supervisorA, { filters: {}, agent: w.users.agentA2.documentId }], 400, ['filters']],
    ['ids and a filter', () => [w.tokens.supervisorA, { documentIds: [w.accounts.a1.documentId], filters: { status: 'open' }, agent: w.users.agentA2.documentId }], 400, ['filters']],
    ['a filter on a private field', () => [w.tokens.supervisorA, { filters: { assignedAgent: { password: { $startsWith: '$' } } }, agent: w.users.agentA2.documentId }], 400, ['filters', 'assignedAgent', 'password']],
    ['another client’s supervisor', () => [w.tokens.supervisorB, { documentIds: [w.accounts.a1.documentId], agent: w.users.agentB1.documentId }], 400, ['documentIds', 0]],
    ['an analyst', () => [w.tokens.analystA, { documentIds: [w.accounts.a1.documentId], agent: w.users.agentA2.documentId }], 403, null],
    ['an agent', () => [w.tokens.agentA1, { documentIds: [w.accounts.a1.documentId], agent: w.users.agentA1.documentId }], 403, null],
  ];

  it.each(cases)('refuses %s, naming the field, and changes nothing', async (_label, shape, status, path) => {
    const seq = Number((await strapi.db.query(AUDIT).findOne({ orderBy: { seq: 'desc' } })).seq);
    const agents = await Promise.all([w.accounts.a1, w.accounts.b1].map((a) => agentOf(a.documentId)));
    const [token, data] = shape();
    const res = await reassign(token, data);
    expect(res.status).toBe(status);
    if (path) expect(res.body.error.details.errors.map((e: any) => e.path)).toContainEqual(path);
    expect(await Promise.all([w.accounts.a1, w.accounts.b1].map((a) => agentOf(a.documentId)))).toEqual(agents);
    expect(Number((await strapi.db.query(AUDIT).findOne({ orderBy: { seq: 'desc' } })).seq)).toBe(seq);
  });

  it('reassigns 10,000 accounts by filter in one request, chunked, with 10,000 audit entries and the chain intact', async () => {
    await insertAccounts(w.clients.a, 10_000, 'bulk', w.users.agentA1.id);
    const started = Date.now();
    const res = await reassign(w.tokens.supervisorA, { filters: { accountNumber: { $startsWith: `${w.prefix}-bulk-` } }, agent: w.users.agentA2.documentId }, 'reassign-test-bulk');
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ matched: 10_000, reassigned: 10_000, unchanged: 0 });
    console.log(`reassigned 10,000 accounts in ${ms} ms`);
    expect(await strapi.db.query(AUDIT).count({ where: { requestId: 'reassign-test-bulk' } })).toBe(10_000);
    const count = await http(strapi).get(`/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}-bulk-&pagination[pageSize]=1`).set('Authorization', `Bearer ${w.tokens.agentA2}`);
    expect(count.body.meta.pagination.total).toBe(10_000);
    const verify = await http(strapi).get('/api/audit-logs/verify').set('Authorization', `Bearer ${w.tokens.supervisorA}`);
    expect(verify.body).toMatchObject({ ok: true, brokenAt: null });
  });
});

describe('GET /api/accounts/agents', () => {
  it('lists the agents of the reader’s clients with their clients, no one else', async () => {
    const res = await http(strapi).get('/api/accounts/agents').set('Authorization', `Bearer ${w.tokens.supervisorA}`);
    expect(res.status).toBe(200);
    const mine = res.body.data.filter((a: any) => a.username.startsWith(w.prefix));
    expect(mine).toEqual([
      { documentId: w.users.agentA1.documentId, username: w.users.agentA1.username, clients: [w.clients.a.documentId] },
      { documentId: w.users.agentA2.documentId, username: w.users.agentA2.username, clients: [w.clients.a.documentId] },
    ]);
    expect((await http(strapi).get('/api/accounts/agents').set('Authorization', `Bearer ${w.tokens.analystA}`)).status).toBe(403);
  });
});
