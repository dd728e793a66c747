import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

/**
 * Every relation a writer sends, in every shape Strapi 5 links, must point at
 * documents the writer can read: tables of shapes × (type, field) × role, on
 * create and on update, over HTTP against a booted cms on PostgreSQL.
 */
let strapi: Core.Strapi;
let w: World;
let apiToken: string;
let fixtures: { promise: any; promiseA2: any; promiseB1: any; payment: any; callback: any; dnc: any; globalDnc: any };

type Doc = { id: number; documentId: string };
type Role = 'agentA1' | 'supervisorA';
const days = (n: number) => new Date(Date.now() + n * 86400000).toISOString();
const today = () => days(0).slice(0, 10);

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ws');
  apiToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-dialer`, type: 'full-access', lifespan: null } as any)).accessKey;
  const docs = (uid: string) => strapi.documents(uid as any);
  fixtures = {
    promise: await docs('api::promise-to-pay.promise-to-pay').create({ data: { account: w.accounts.a1.documentId, call: w.calls.a1.documentId, agent: w.users.agentA1.id, amount: 10, dueDate: days(5).slice(0, 10) } } as any),
    promiseA2: await docs('api::promise-to-pay.promise-to-pay').create({ data: { account: w.accounts.a2.documentId, call: w.calls.a2.documentId, agent: w.users.agentA2.id, amount: 10, dueDate: days(5).slice(0, 10) } } as any),
    promiseB1: await docs('api::promise-to-pay.promise-to-pay').create({ data: { account: w.accounts.b1.documentId, call: w.calls.b1.documentId, agent: w.users.agentB1.id, amount: 10, dueDate: days(5).slice(0, 10) } } as any),
    payment: await docs('api::payment.payment').create({ data: { account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() } } as any),
    callback: await docs('api::callback.callback').create({ data: { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, owner: w.users.agentA1.id, dueAt: days(1) } } as any),
    dnc: await docs('api::dnc-entry.dnc-entry').create({ data: { phone: '+13125550177', scope: 'client', client: w.clients.a.documentId } } as any),
    globalDnc: await docs('api::dnc-entry.dnc-entry').create({ data: { phone: '+13125550178', scope: 'global' } } as any),
  };
});
afterAll(() => stopStrapi(strapi));

const bearer = (who: string) => (who === 'dialer' ? apiToken : w.tokens[who]);
const as = (who: string) => ({
  get: (url: string) => http(strapi).get(url).set('Authorization', `Bearer ${bearer(who)}`),
  post: (url: string, data: unknown) => http(strapi).post(url).set('Authorization', `Bearer ${bearer(who)}`).send({ data }),
  put: (url: string, data: unknown) => http(strapi).put(url).set('Authorization', `Bearer ${bearer(who)}`).send({ data }),
  del: (url: string) => http(strapi).delete(url).set('Authorization', `Bearer ${bearer(who)}`),
});

/** Every way Strapi 5 accepts to write "link to F" (with A an allowed document where a shape mixes both). */
const FORBIDDEN_SHAPES: Array<[string, (f: Doc, a: Doc) => unknown]> = [
  ['documentId', (f) => f.documentId],
  ['id', (f) => f.id],
  ['id as text', (f) => String(f.id)],
  ['{ documentId }', (f) => ({ documentId: f.documentId })],
  ['{ id }', (f) => ({ id: f.id })],
  ['{ documentId, locale }', (f) => ({ documentId: f.documentId, locale: 'en' })],
  ['[documentId]', (f) => [f.documentId]],
  ['[{ id }]', (f) => [{ id: f.id }]],
  ['connect [documentId]', (f) => ({ connect: [f.documentId] })],
  ['connect [{ id }]', (f) => ({ connect: [{ id: f.id }] })],
  ['connect { documentId }', (f) => ({ connect: { documentId: f.documentId } })],
  ['set [{ documentId }]', (f) => ({ set: [{ documentId: f.documentId }] })],
  ['disconnect [{ documentId }]', (f) => ({ disconnect: [{ documentId: f.documentId }] })],
  ['connect allowed, position before forbidden', (f, a) => ({ connect: [{ documentId: a.documentId, position: { before: f.documentId } }] })],
  ['[allowed, forbidden]', (f, a) => [a.documentId, f.documentId]],
  ['connect [allowed, forbidden]', (f, a) => ({ connect: [{ documentId: a.documentId }, { id: f.id }] })],
  ['{ id: forbidden, documentId: allowed }', (f, a) => ({ connect: [{ id: f.id, documentId: a.documentId }] })],
  ['the admin panel\'s shape', (f) => ({ connect: [{ id: f.id, documentId: f.documentId, locale: null, isTemporary: true, position: { end: true } }], disconnect: [] })],
];

/** Shapes Strapi would not link cleanly: each must be a 400 naming the field, never a 500. */
const MALFORMED_SHAPES: Array<[string, (a: Doc) => unknown]> = [
  ['{ id: [n] }', (a) => ({ id: [a.id] })],
  ['{ id: {} }', () => ({ id: {} })],
  ['{ documentId: n }', (a) => ({ documentId: a.id })],
  ['{ documentId: [d] }', (a) => ({ documentId: [a.documentId] })],
  ['{ locale } alone', () => ({ locale: 'en' })],
  ['id-like text', (a) => `${a.id}abc`],
  ['negative id', () => -1],
  ['{}', () => ({})],
  ['a filter', (a) => ({ documentId: { $ne: a.documentId } })],
  ['an operator object', (a) => ({ $in: [a.id] })],
  ['true', () => true],
  ['set with connect', (a) => ({ set: [a.documentId], connect: [a.documentId] })],
  ['[[documentId]]', (a) => [[a.documentId]]],
  ['a position that is text', (a) => ({ connect: [{ documentId: a.documentId, position: 'first' }] })],
  ['a path', () => '../../admin'],
  ['an unknown id', () => 2147483000],
  ['an unknown documentId', () => 'nosuchdocument00000000000'],
];

type Case = { role: Role; uid: string; url: string; field: string; base: () => Record<string, unknown>; forbidden: () => Doc[]; allowed: () => Doc };

const phone = '+13125550101';
const user = (key: keyof World['users']) => () => w.users[key] as Doc;

/** Create cases: the type, the field, a valid body around it, and what the role may not link there. */
const CREATES: Case[] = [
  { role: 'agentA1', uid: 'api::call.call', url: '/api/calls', field: 'account', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected', dialMode: 'manual' }), forbidden: () => [w.accounts.a2, w.accounts.b1], allowed: () => w.accounts.a1b },
  { role: 'agentA1', uid: 'api::call.call', url: '/api/calls', field: 'campaign', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' }), forbidden: () => [w.campaigns.aNoAgent, w.campaigns.b], allowed: () => w.campaigns.a },
  { role: 'agentA1', uid: 'api::promise-to-pay.promise-to-pay', url: '/api/promises-to-pay', field: 'account', base: () => ({ account: w.accounts.a1.documentId, amount: 25, dueDate: days(7).slice(0, 10) }), forbidden: () => [w.accounts.a2, w.accounts.b1], allowed: () => w.accounts.a1b },
  { role: 'agentA1', uid: 'api::promise-to-pay.promise-to-pay', url: '/api/promises-to-pay', field: 'call', base: () => ({ account: w.accounts.a1.documentId, amount: 25, dueDate: days(7).slice(0, 10) }), forbidden: () => [w.calls.a2, w.calls.b1], allowed: () => w.calls.a1 },
  { role: 'agentA1', uid: 'api::callback.callback', url: '/api/callbacks', field: 'account', base: () => ({ account: w.accounts.a1.documentId, dueAt: days(1) }), forbidden: () => [w.accounts.a2, w.accounts.b1], allowed: () => w.accounts.a1b },
  { role: 'agentA1', uid: 'api::callback.callback', url: '/api/callbacks', field: 'campaign', base: () => ({ account: w.accounts.a1.documentId, dueAt: days(1) }), forbidden: () => [w.campaigns.aNoAgent, w.campaigns.b], allowed: () => w.campaigns.a },
  { role: 'agentA1', uid: 'api::callback.callback', url: '/api/callbacks', field: 'call', base: () => ({ account: w.accounts.a1.documentId, dueAt: days(1) }), forbidden: () => [w.calls.a2, w.calls.b1], allowed: () => w.calls.a1 },
  { role: 'agentA1', uid: 'api::payment.payment', url: '/api/payments', field: 'account', base: () => ({ account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() }), forbidden: () => [w.accounts.a2, w.accounts.b1], allowed: () => w.accounts.a1b },
  { role: 'agentA1', uid: 'api::payment.payment', url: '/api/payments', field: 'promise', base: () => ({ account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() }), forbidden: () => [fixtures.promiseA2, fixtures.promiseB1], allowed: () => fixtures.promise },
  { role: 'supervisorA', uid: 'api::account.account', url: '/api/accounts', field: 'client', base: () => ({ accountNumber: `${w.prefix}-${Math.random().toString(36).slice(2, 10)}`, client: w.clients.a.documentId, debtorLastName: 'New', balance: 10, timezone: 'America/Chicago' }), forbidden: () => [w.clients.b], allowed: () => w.clients.a },
  { role: 'supervisorA', uid: 'api::account.account', url: '/api/accounts', field: 'assignedAgent', base: () => ({ accountNumber: `${w.prefix}-${Math.random().toString(36).slice(2, 10)}`, client: w.clients.a.documentId, debtorLastName: 'New', balance: 10, timezone: 'America/Chicago' }), forbidden: () => [w.users.agentB1, w.users.supervisorB], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::campaign.campaign', url: '/api/campaigns', field: 'client', base: () => ({ name: `${w.prefix} new`, client: w.clients.a.documentId, dialMode: 'progressive' }), forbidden: () => [w.clients.b], allowed: () => w.clients.a },
  { role: 'supervisorA', uid: 'api::campaign.campaign', url: '/api/campaigns', field: 'agents', base: () => ({ name: `${w.prefix} new`, client: w.clients.a.documentId, dialMode: 'progressive' }), forbidden: () => [w.users.agentB1], allowed: user('agentA1') },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'account', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' }), forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'campaign', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' }), forbidden: () => [w.campaigns.b], allowed: () => w.campaigns.a },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'agent', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' }), forbidden: () => [w.users.agentB1], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'accounts', base: () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' }), forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::payment.payment', url: '/api/payments', field: 'account', base: () => ({ account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() }), forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::payment.payment', url: '/api/payments', field: 'promise', base: () => ({ account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() }), forbidden: () => [fixtures.promiseB1], allowed: () => fixtures.promise },
  { role: 'supervisorA', uid: 'api::promise-to-pay.promise-to-pay', url: '/api/promises-to-pay', field: 'account', base: () => ({ account: w.accounts.a1.documentId, amount: 25, dueDate: days(7).slice(0, 10) }), forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::promise-to-pay.promise-to-pay', url: '/api/promises-to-pay', field: 'agent', base: () => ({ account: w.accounts.a1.documentId, amount: 25, dueDate: days(7).slice(0, 10) }), forbidden: () => [w.users.agentB1], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::callback.callback', url: '/api/callbacks', field: 'owner', base: () => ({ account: w.accounts.a1.documentId, dueAt: days(1) }), forbidden: () => [w.users.agentB1], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::callback.callback', url: '/api/callbacks', field: 'call', base: () => ({ account: w.accounts.a1.documentId, dueAt: days(1) }), forbidden: () => [w.calls.b1], allowed: () => w.calls.a1 },
  { role: 'supervisorA', uid: 'api::dnc-entry.dnc-entry', url: '/api/dnc-entries', field: 'client', base: () => ({ phone: '+13125550190', scope: 'client', client: w.clients.a.documentId }), forbidden: () => [w.clients.b], allowed: () => w.clients.a },
];

/** Update cases: the record, and the field the role may write there. */
const UPDATES: Array<Omit<Case, 'base'> & { record: () => Doc }> = [
  { role: 'agentA1', uid: 'api::call.call', url: '/api/calls', field: 'disposition', record: () => w.calls.a1, forbidden: () => [{ id: 2147483000, documentId: 'nosuchdisposition0000000' }], allowed: () => w.dispositions[0] },
  { role: 'supervisorA', uid: 'api::account.account', url: '/api/accounts', field: 'assignedAgent', record: () => w.accounts.a1b, forbidden: () => [w.users.agentB1], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::campaign.campaign', url: '/api/campaigns', field: 'agents', record: () => w.campaigns.aNoAgent, forbidden: () => [w.users.agentB1, w.users.supervisorB], allowed: user('agentA1') },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'account', record: () => w.calls.a2, forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'campaign', record: () => w.calls.a2, forbidden: () => [w.campaigns.b], allowed: () => w.campaigns.a },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'agent', record: () => w.calls.a2, forbidden: () => [w.users.agentB1], allowed: user('agentA2') },
  { role: 'supervisorA', uid: 'api::promise-to-pay.promise-to-pay', url: '/api/promises-to-pay', field: 'account', record: () => fixtures.promise, forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a1 },
  { role: 'supervisorA', uid: 'api::callback.callback', url: '/api/callbacks', field: 'campaign', record: () => fixtures.callback, forbidden: () => [w.campaigns.b], allowed: () => w.campaigns.a },
  { role: 'supervisorA', uid: 'api::callback.callback', url: '/api/callbacks', field: 'owner', record: () => fixtures.callback, forbidden: () => [w.users.agentB1], allowed: user('agentA1') },
  { role: 'supervisorA', uid: 'api::call.call', url: '/api/calls', field: 'accounts', record: () => w.calls.a2, forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a2 },
  { role: 'supervisorA', uid: 'api::payment.payment', url: '/api/payments', field: 'account', record: () => fixtures.payment, forbidden: () => [w.accounts.b1], allowed: () => w.accounts.a1 },
  { role: 'supervisorA', uid: 'api::payment.payment', url: '/api/payments', field: 'promise', record: () => fixtures.payment, forbidden: () => [fixtures.promiseB1], allowed: () => fixtures.promise },
  { role: 'supervisorA', uid: 'api::dnc-entry.dnc-entry', url: '/api/dnc-entries', field: 'client', record: () => fixtures.dnc, forbidden: () => [w.clients.b], allowed: () => w.clients.a },
];

/** What a record links to in `field`, read straight from the database. */
async function linkedIds(uid: string, documentId: string, field: string): Promise<number[]> {
  const row = await strapi.db.query(uid as any).findOne({ where: { documentId }, populate: { [field]: { select: ['id'] } } } as any);
  const value = row?.[field];
  return (Array.isArray(value) ? value : value ? [value] : []).map((v: any) => v.id).sort();
}

async function countLinking(uid: string, field: string, target: Doc): Promise<number> {
  return strapi.db.query(uid as any).count({ where: { [field]: { id: target.id } } } as any);
}

const expectFieldError = (res: any, field: string) => {
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors.map((e: any) => e.path[0])).toContain(field);
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\/work\/|at \w+ \(/);
};

describe('a relation to a document outside the writer\'s scope is refused in every shape', () => {
  const createTable = CREATES.flatMap((c) => FORBIDDEN_SHAPES.map(([shape, make]) => [c.role, c.uid.split('.').pop(), c.field, shape, c, make] as const));
  it.each(createTable)('%s creating a %s with %s as %s: 400, nothing linked', async (_role, _type, _field, _shape, c, make) => {
    for (const f of c.forbidden()) {
      const before = await countLinking(c.uid, c.field, f);
      const res = await as(c.role).post(c.url, { ...c.base(), [c.field]: make(f, c.allowed()) });
      expectFieldError(res, c.field);
      expect(await countLinking(c.uid, c.field, f)).toBe(before);
    }
  });

  const updateTable = UPDATES.flatMap((c) => FORBIDDEN_SHAPES.map(([shape, make]) => [c.role, c.uid.split('.').pop(), c.field, shape, c, make] as const));
  it.each(updateTable)('%s updating a %s\'s %s as %s: 400, links unchanged', async (_role, _type, _field, _shape, c, make) => {
    const record = c.record();
    const before = await linkedIds(c.uid, record.documentId, c.field);
    for (const f of c.forbidden()) {
      const res = await as(c.role).put(`${c.url}/${record.documentId}`, { [c.field]: make(f, c.allowed()) });
      expectFieldError(res, c.field);
    }
    expect(await linkedIds(c.uid, record.documentId, c.field)).toEqual(before);
  });
});

describe('a relation Strapi would not link cleanly is a 400 naming the field, never a 500', () => {
  const writers = [...new Map([...CREATES].map((c) => [`${c.role} ${c.uid} ${c.field}`, c])).values()];
  const table = writers.flatMap((c) => MALFORMED_SHAPES.map(([shape, make]) => [c.role, c.uid.split('.').pop(), c.field, shape, c, make] as const));
  it.each(table)('%s creating a %s with %s as %s', async (_role, _type, _field, _shape, c, make) => {
    const res = await as(c.role).post(c.url, { ...c.base(), [c.field]: make(c.allowed()) });
    expectFieldError(res, c.field);
  });

  it.each(MALFORMED_SHAPES)('the dialer\'s token writing an attempt\'s account as %s', async (_shape, make) => {
    const res = await http(strapi).put(`/api/calls/attempts/${w.prefix}-bad-${Math.random().toString(36).slice(2, 8)}`).set('Authorization', `Bearer ${apiToken}`).send({ data: { account: make(w.accounts.a1), outcome: 'pending' } });
    expectFieldError(res, 'account');
  });
});

describe('allowed targets link in every shape Strapi accepts', () => {
  const ALLOWED_SHAPES: Array<[string, (a: Doc) => unknown]> = [
    ['documentId', (a) => a.documentId],
    ['id', (a) => a.id],
    ['{ documentId }', (a) => ({ documentId: a.documentId })],
    ['{ id }', (a) => ({ id: a.id })],
    ['[documentId]', (a) => [a.documentId]],
    ['connect [{ id }]', (a) => ({ connect: [{ id: a.id }] })],
    ['set [documentId]', (a) => ({ set: [a.documentId] })],
    ['the admin panel\'s shape', (a) => ({ connect: [{ id: a.id, documentId: a.documentId, locale: null, isTemporary: true, position: { end: true } }], disconnect: [] })],
  ];
  const table = CREATES.flatMap((c) => ALLOWED_SHAPES.map(([shape, make]) => [c.role, c.uid.split('.').pop(), c.field, shape, c, make] as const));
  it.each(table)('%s creating a %s with %s as %s', async (_role, _type, _field, _shape, c, make) => {
    const target = c.allowed();
    const res = await as(c.role).post(c.url, { ...c.base(), [c.field]: make(target) });
    expect(res.status).toBe(201);
    expect(await linkedIds(c.uid, res.body.data.documentId, c.field)).toContain(target.id);
  });
});

describe('a component entry\'s id names one of the record\'s own rows', () => {
  const phonesOf = async (documentId: string) => (await strapi.db.query('api::account.account').findOne({ where: { documentId }, populate: { phones: true } } as any)).phones;
  const entry = (p: any) => ({ id: p.id, number: p.number, type: p.type, status: p.status, autodialConsent: p.autodialConsent });
  const ID_SHAPES: Array<[string, (foreign: number) => unknown]> = [
    ['another client\'s phone id', (f) => f],
    ['it as text', (f) => String(f)],
    ['[id]', (f) => [f]],
    ['{}', () => ({})],
    ['-1', () => -1],
    ['an unknown id', () => 2147483000],
  ];
  const table = (['agentA1', 'supervisorA'] as const).flatMap((role) => ID_SHAPES.map(([shape, make]) => [role, shape, make] as const));
  it.each(table)('%s updating an account\'s phones with %s: 400 naming phones[1].id, the other account untouched', async (role, _shape, make) => {
    const theirs = await phonesOf(w.accounts.b1.documentId);
    const mine = await phonesOf(w.accounts.a1.documentId);
    const res = await as(role).put(`/api/accounts/${w.accounts.a1.documentId}`, { phones: [entry(mine[0]), { id: make(theirs[0].id), number: '+13125550199', type: 'mobile', status: 'bad', autodialConsent: false }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: any) => e.path)).toContainEqual(['phones', 1, 'id']);
    expect(await phonesOf(w.accounts.b1.documentId)).toEqual(theirs);
    expect(await phonesOf(w.accounts.a1.documentId)).toEqual(mine);
  });

  it('an entry with the record\'s own id is updated in place', async () => {
    const mine = await phonesOf(w.accounts.a1.documentId);
    const res = await as('agentA1').put(`/api/accounts/${w.accounts.a1.documentId}`, { phones: [{ ...entry(mine[0]), type: 'landline' }] });
    expect(res.status).toBe(200);
    expect((await phonesOf(w.accounts.a1.documentId)).map((p: any) => [p.id, p.type])).toEqual([[mine[0].id, 'landline']]);
  });
});

describe('derived fields are the server\'s', () => {
  it.each([
    ['call', '/api/calls', 'api::call.call', () => ({ account: w.accounts.a1.documentId, phone, outcome: 'connected' })],
    ['promise', '/api/promises-to-pay', 'api::promise-to-pay.promise-to-pay', () => ({ account: w.accounts.a1.documentId, amount: 5, dueDate: days(3).slice(0, 10) })],
    ['callback', '/api/callbacks', 'api::callback.callback', () => ({ account: w.accounts.a1.documentId, dueAt: days(1) })],
    ['payment', '/api/payments', 'api::payment.payment', () => ({ account: w.accounts.a1.documentId, amount: 0.01, paidDate: today() })],
  ])('a %s takes its client from its account, whatever the writer says', async (_type, url, uid, base) => {
    for (const client of [w.clients.b.documentId, null, { set: [] }]) {
      const res = await as('dialer').post(url, { ...base(), client });
      expect(res.status).toBe(201);
      expect(await linkedIds(uid, res.body.data.documentId, 'client')).toEqual([w.clients.a.id]);
    }
  });

  it('a call moved to another account follows that account\'s client, and cannot lose its account', async () => {
    const created = await as('dialer').post('/api/calls', { account: w.accounts.a1.documentId, phone, outcome: 'connected' });
    const id = created.body.data.documentId;
    expect((await as('dialer').put(`/api/calls/${id}`, { account: w.accounts.b1.documentId })).status).toBe(200);
    expect(await linkedIds('api::call.call', id, 'client')).toEqual([w.clients.b.id]);
    for (const account of [null, { set: [] }, { disconnect: [w.accounts.b1.documentId] }, []]) {
      expectFieldError(await as('dialer').put(`/api/calls/${id}`, { account }), 'account');
    }
    expect(await linkedIds('api::call.call', id, 'account')).toEqual([w.accounts.b1.id]);
  });

  it.each([
    ['a call on an account of A in a campaign of B', '/api/calls', () => ({ account: w.accounts.a1.documentId, campaign: w.campaigns.b.documentId, phone, outcome: 'connected' }), 'campaign'],
    ['a callback on an account of A in a campaign of B', '/api/callbacks', () => ({ account: w.accounts.a1.documentId, campaign: w.campaigns.b.documentId, dueAt: days(1) }), 'campaign'],
    ['a promise on one account taken on a call about another', '/api/promises-to-pay', () => ({ account: w.accounts.a1b.documentId, call: w.calls.a1.documentId, amount: 5, dueDate: days(3).slice(0, 10) }), 'call'],
    ['a callback on one account for a call about another', '/api/callbacks', () => ({ account: w.accounts.a1b.documentId, call: w.calls.a1.documentId, dueAt: days(1) }), 'call'],
  ])('refuses %s, even from the dialer', async (_label, url, body, field) => {
    expectFieldError(await as('dialer').post(url, body()), field);
  });

  it.each([
    ['an account', '/api/accounts', () => w.accounts.a2],
    ['a campaign', '/api/campaigns', () => w.campaigns.a],
  ])('%s stays with the client it was created for', async (_label, url, record) => {
    for (const who of ['supervisorA', 'dialer']) {
      expectFieldError(await as(who).put(`${url}/${record().documentId}`, { client: w.clients.b.documentId }), 'client');
      expectFieldError(await as(who).put(`${url}/${record().documentId}`, { client: null }), 'client');
    }
    expect((await as('supervisorA').put(`${url}/${record().documentId}`, { client: w.clients.a.documentId })).status).toBe(200);
  });

  it('a supervisor adds and edits DNC entries of their clients only, never global ones', async () => {
    expectFieldError(await as('supervisorA').post('/api/dnc-entries', { phone: '+13125550191', scope: 'global' }), 'scope');
    expectFieldError(await as('supervisorA').put(`/api/dnc-entries/${fixtures.dnc.documentId}`, { scope: 'global' }), 'scope');
    expect((await as('supervisorA').get(`/api/dnc-entries/${fixtures.globalDnc.documentId}`)).status).toBe(200);
    expect((await as('supervisorA').put(`/api/dnc-entries/${fixtures.globalDnc.documentId}`, { notes: 'x' })).status).toBe(404);
    expect((await as('supervisorA').del(`/api/dnc-entries/${fixtures.globalDnc.documentId}`)).status).toBe(404);
    expect((await as('dialer').post('/api/dnc-entries', { phone: '+13125550192', scope: 'global' })).status).toBe(201);
  });

  it('a do-not-call disposition adds an entry for the call\'s client, not a global one', async () => {
    const cease = w.dispositions.find((d: any) => d.doNotCall);
    const call = await as('agentA1').post('/api/calls', { account: w.accounts.a1.documentId, phone: '+13125550155', outcome: 'connected' });
    expect(call.status).toBe(201);
    expect((await as('agentA1').put(`/api/calls/${call.body.data.documentId}`, { disposition: cease.documentId })).status).toBe(200);
    const entries = await strapi.db.query('api::dnc-entry.dnc-entry').findMany({ where: { phone: '+13125550155' }, populate: { client: { select: ['id'] } } } as any);
    expect(entries.map((e: any) => [e.scope, e.client?.id])).toEqual([['client', w.clients.a.id]]);
  });
});

describe('reading an account through a live call is the dialer\'s grant alone', () => {
  const accountUrl = () => `/api/accounts/${w.accounts.a2.documentId}`;

  it.each([
    ['the agent', 'agentA1'],
    ['a supervisor', 'supervisorA'],
  ])('a pending call written by %s opens nothing', async (_label, writer) => {
    const res = await as(writer).post('/api/calls', { account: writer === 'agentA1' ? w.accounts.a1.documentId : w.accounts.a2.documentId, agent: writer === 'agentA1' ? undefined : w.users.agentA1.id, phone, outcome: 'pending' });
    expect(res.status).toBe(201);
    expect((await as('agentA1').get(accountUrl())).status).toBe(404);
  });

  it('the dialer\'s call opens the account until the account is reassigned', async () => {
    const account = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-live`, client: w.clients.a.documentId, debtorLastName: 'Live', balance: 10, timezone: 'America/Chicago', assignedAgent: w.users.agentA2.id },
    } as any);
    const url = `/api/accounts/${account.documentId}`;
    const rec = await http(strapi).put(`/api/calls/attempts/${w.prefix}-live-${Date.now()}`).set('Authorization', `Bearer ${apiToken}`)
      .send({ data: { account: account.documentId, agent: w.users.agentA1.id, phone: '+13125550103', outcome: 'pending', recordedBy: 'agent' } });
    expect(rec.status).toBe(201);
    expect((await as('agentA1').get(url)).status).toBe(200);
    expect((await as('supervisorA').put(url, { assignedAgent: null })).status).toBe(200);
    expect((await as('agentA1').get(url)).status).toBe(404);
    expect((await as('agentA1').put(url, { notes: 'x' })).status).toBe(404);
  });

  it('who recorded a call cannot be written by anyone but the server', async () => {
    const res = await as('supervisorA').post('/api/calls', { account: w.accounts.a1.documentId, phone, outcome: 'pending', recordedBy: 'dialer' });
    expect(res.status).toBe(201);
    const row = await strapi.db.query('api::call.call').findOne({ where: { documentId: res.body.data.documentId } });
    expect(row.recordedBy).toBe('supervisor');
    await as('supervisorA').put(`/api/calls/${row.documentId}`, { recordedBy: 'dialer' });
    expect((await strapi.db.query('api::call.call').findOne({ where: { documentId: row.documentId } })).recordedBy).toBe('supervisor');
  });
});

describe('populate on a write is scoped like a read', () => {
  it('a PUT populating an account the writer cannot read returns it empty', async () => {
    const moved = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-pw`, client: w.clients.a.documentId, debtorLastName: 'Moved', balance: 10, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id, phones: [{ number: '+13125550166', type: 'mobile', status: 'valid', autodialConsent: false }] },
    } as any);
    const call = await strapi.documents('api::call.call').create({ data: { account: moved.documentId, agent: w.users.agentA1.id, outcome: 'connected' } } as any);
    await strapi.documents('api::account.account').update({ documentId: moved.documentId, data: { assignedAgent: w.users.agentA2.id } } as any);
    for (const query of ['populate[account][populate]=phones', 'populate=*', 'populate[0]=account', 'populate[account]=true']) {
      const res = await as('agentA1').put(`/api/calls/${call.documentId}?${query}`, { notes: 'wrap' });
      expect(res.status).toBe(200);
      expect(res.body.data.account ?? null).toBeNull();
      expect(JSON.stringify(res.body)).not.toContain('+13125550166');
    }
    const created = await as('agentA1').post(`/api/promises-to-pay?populate[call][populate][account][populate]=phones`, { account: w.accounts.a1.documentId, amount: 5, dueDate: days(3).slice(0, 10), call: w.calls.a1.documentId });
    expect(created.status).toBe(201);
    expect(created.body.data.call.account.documentId).toBe(w.accounts.a1.documentId);
  });
});

describe('an analyst writes nothing', () => {
  it.each([
    ['/api/accounts'], ['/api/calls'], ['/api/promises-to-pay'], ['/api/callbacks'], ['/api/dnc-entries'], ['/api/campaigns'], ['/api/payments'],
  ])('POST %s is forbidden', async (url) => {
    expect((await as('analystA').post(url, { account: w.accounts.a1.documentId })).status).toBe(403);
  });
});
