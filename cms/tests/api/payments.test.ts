import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { localClock } from '../../src/compliance/local-time';
import { addDays } from '../../src/payments/promise-state';

let strapi: Core.Strapi;
// The job as the booted cms runs it (its compiled modules, not this test's copy of the sources).
const evaluatePromises = (): Promise<{ ran: boolean }> => (strapi.service('api::payment.payment') as any).evaluatePromises();
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'pay');
});
afterAll(() => stopStrapi(strapi));

const as = (who: string) => ({
  get: (url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens[who]}`),
  post: (url: string, data: unknown) => http(strapi).post(url).set('Authorization', `Bearer ${w.tokens[who]}`).send({ data }),
  put: (url: string, data: unknown) => http(strapi).put(url).set('Authorization', `Bearer ${w.tokens[who]}`).send({ data }),
  del: (url: string) => http(strapi).delete(url).set('Authorization', `Bearer ${w.tokens[who]}`),
});
// Dates on client A's calendar (New York, the default zone): payments count by the client's day, and
// the UTC date is already tomorrow there every evening.
const today = () => localClock(new Date(), 'America/New_York').date;
const daysFromToday = (n: number) => addDays(today(), n);
const account = (documentId: string) => strapi.db.query('api::account.account').findOne({ where: { documentId } });
let n = 0;
const newAccount = (agent: any, balance = 500) => strapi.documents('api::account.account').create({
  data: { accountNumber: `${w.prefix}-p${n++}`, client: w.clients.a.documentId, debtorLastName: 'Payer', balance, timezone: 'America/Chicago', assignedAgent: agent.id },
} as any);

describe('recording a payment', () => {
  it('an agent records one on their account: source agent, the account\'s currency, the balance and last payment date follow, audited', async () => {
    const acc = await newAccount(w.users.agentA1, 500);
    const claimed = await as('agentA1').post('/api/payments', { account: acc.documentId, amount: 120.5, paidDate: today(), source: 'import' });
    expect(claimed.status).toBe(403);
    expect(claimed.body.error.message).toContain('source');
    const res = await as('agentA1').post('/api/payments', { account: acc.documentId, amount: 120.5, paidDate: today(), method: 'card', reference: 'AUTH-1' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ source: 'agent', currency: 'USD' });
    expect(Number((await account(acc.documentId)).balance)).toBe(379.5);
    expect(String((await account(acc.documentId)).lastPaymentDate).slice(0, 10)).toBe(today());
    const audit = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entity: 'api::payment.payment', entityDocumentId: res.body.data.documentId } });
    expect(audit.map((a: any) => a.action)).toEqual(['create']);
    const balanceAudit = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entity: 'api::account.account', entityDocumentId: acc.documentId, action: 'update' } });
    expect(balanceAudit.some((a: any) => a.changes?.balance)).toBe(true);
  });

  it('a supervisor corrects and removes one: the balance follows, and lastPaymentDate goes back to the latest payment left', async () => {
    const acc = await newAccount(w.users.agentA2, 300);
    const older = await as('supervisorA').post('/api/payments', { account: acc.documentId, amount: 50, paidDate: daysFromToday(-10) });
    const newer = await as('supervisorA').post('/api/payments', { account: acc.documentId, amount: 100, paidDate: daysFromToday(-2) });
    expect([older.status, newer.status]).toEqual([201, 201]);
    expect(Number((await account(acc.documentId)).balance)).toBe(150);
    expect((await as('supervisorA').put(`/api/payments/${newer.body.data.documentId}`, { amount: 80 })).status).toBe(200);
    expect(Number((await account(acc.documentId)).balance)).toBe(170);
    expect((await as('supervisorA').del(`/api/payments/${newer.body.data.documentId}`)).status).toBe(204);
    const after = await account(acc.documentId);
    expect(Number(after.balance)).toBe(250);
    expect(String(after.lastPaymentDate).slice(0, 10)).toBe(daysFromToday(-10));
  });

  it.each<[string, string, () => Record<string, unknown>, number, string | null]>([
    ['an agent on another agent\'s account', 'agentA1', () => ({ account: w.accounts.a2.documentId, amount: 10, paidDate: today() }), 400, 'account'],
    ['a supervisor on another client\'s account', 'supervisorA', () => ({ account: w.accounts.b1.documentId, amount: 10, paidDate: today() }), 400, 'account'],
    ['another currency than the account\'s', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 10, paidDate: today(), currency: 'EUR' }), 400, 'currency'],
    ['a zero amount', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 0, paidDate: today() }), 400, 'amount'],
    ['three decimals', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 1.005, paidDate: today() }), 400, 'amount'],
    ['a paid date next month', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 10, paidDate: daysFromToday(40) }), 400, 'paidDate'],
    ['no paid date', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 10 }), 400, 'paidDate'],
    ['an unknown method', 'supervisorA', () => ({ account: w.accounts.a1.documentId, amount: 10, paidDate: today(), method: 'bitcoin' }), 400, 'method'],
    ['an analyst', 'analystA', () => ({ account: w.accounts.a1.documentId, amount: 10, paidDate: today() }), 403, null],
  ])('is refused: %s', async (_name, who, data, status, field) => {
    const res = await as(who).post('/api/payments', data());
    expect(res.status).toBe(status);
    if (field) expect(res.body.error.details.errors.map((e: any) => e.path[0])).toContain(field);
  });

  it('a promise on another account of the same client is refused', async () => {
    const ptp = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: w.accounts.a2.documentId, amount: 10, dueDate: today() } } as any);
    const res = await as('supervisorA').post('/api/payments', { account: w.accounts.a1.documentId, amount: 10, paidDate: today(), promise: ptp.documentId });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['promise']);
  });

  it('an agent can neither change nor delete a payment, and reads only those of their accounts', async () => {
    const own = await as('agentA1').post('/api/payments', { account: w.accounts.a1.documentId, amount: 5, paidDate: today() });
    const other = await as('supervisorA').post('/api/payments', { account: w.accounts.a2.documentId, amount: 5, paidDate: today() });
    expect((await as('agentA1').put(`/api/payments/${own.body.data.documentId}`, { amount: 1 })).status).toBe(403);
    expect((await as('agentA1').del(`/api/payments/${own.body.data.documentId}`)).status).toBe(403);
    expect((await as('agentA1').get(`/api/payments/${other.body.data.documentId}`)).status).toBe(404);
    const list = (await as('agentA1').get('/api/payments?pagination[pageSize]=100')).body.data.map((p: any) => p.documentId);
    expect(list).toContain(own.body.data.documentId);
    expect(list).not.toContain(other.body.data.documentId);
    expect((await as('supervisorB').get(`/api/payments/${own.body.data.documentId}`)).status).toBe(404);
    expect((await as('analystA').get(`/api/payments/${own.body.data.documentId}`)).status).toBe(200);
  });
});

describe('promises move by rule', () => {
  it('a payment reaching the amount keeps the promise at once and is linked to it', async () => {
    const acc = await newAccount(w.users.agentA1);
    const ptp = await as('agentA1').post('/api/promises-to-pay', { account: acc.documentId, amount: 100, dueDate: daysFromToday(5) });
    await as('agentA1').post('/api/payments', { account: acc.documentId, amount: 60, paidDate: today() });
    let row = await strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: ptp.body.data.documentId } });
    expect(row).toMatchObject({ state: 'pending' });
    expect(Number(row.paidAmount)).toBe(60);
    const second = await as('agentA1').post('/api/payments', { account: acc.documentId, amount: 40, paidDate: today() });
    row = await strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: ptp.body.data.documentId } });
    expect(row.state).toBe('kept');
    const linked = await strapi.db.query('api::payment.payment').findOne({ where: { documentId: second.body.data.documentId }, populate: { promise: true } });
    expect(linked.promise.documentId).toBe(ptp.body.data.documentId);
  });

  it('nobody sets kept or broken by hand; cancelling is allowed', async () => {
    const ptp = await as('agentA1').post('/api/promises-to-pay', { account: w.accounts.a1.documentId, amount: 10, dueDate: daysFromToday(3) });
    const kept = await as('supervisorA').put(`/api/promises-to-pay/${ptp.body.data.documentId}`, { state: 'kept' });
    expect(kept.status).toBe(400);
    expect(kept.body.error.details.errors[0].path).toEqual(['state']);
    expect((await as('agentA1').put(`/api/promises-to-pay/${ptp.body.data.documentId}`, { state: 'pending', notes: 'same state is fine' })).status).toBe(200);
    expect((await as('agentA1').put(`/api/promises-to-pay/${ptp.body.data.documentId}`, { state: 'cancelled' })).status).toBe(200);
  });

  it('the job breaks a promise whose grace ended, raises a callback for the agent who took it, once, and one process runs it at a time', async () => {
    const acc = await newAccount(w.users.agentA2);
    // A promise taken 20 days ago, due 10 days ago (grace 3 days by config): nothing paid.
    const ptp = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: acc.documentId, amount: 75, dueDate: daysFromToday(-10), agent: w.users.agentA2.id } } as any);
    await strapi.db.connection('promises_to_pay').where({ id: ptp.id }).update({ created_at: new Date(Date.now() - 20 * 86_400_000) });
    // A partly paid one on another account.
    const acc2 = await newAccount(w.users.agentA1);
    const ptp2 = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: acc2.documentId, amount: 75, dueDate: daysFromToday(-10), agent: w.users.agentA1.id } } as any);
    await strapi.db.connection('promises_to_pay').where({ id: ptp2.id }).update({ created_at: new Date(Date.now() - 20 * 86_400_000) });
    // Paid 12 days ago (inside the window) but recorded only now, and a late one after the grace that does not count.
    await strapi.documents('api::payment.payment').create({ data: { account: acc2.documentId, amount: 25, paidDate: daysFromToday(-12) } } as any);
    await strapi.documents('api::payment.payment').create({ data: { account: acc2.documentId, amount: 50, paidDate: daysFromToday(-1) } } as any);

    const [first, concurrent] = await Promise.all([evaluatePromises(), evaluatePromises()]);
    expect([first.ran, concurrent.ran].sort()).toEqual([false, true]);
    const load = (id: string) => strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: id }, populate: { brokenCallback: { populate: { owner: true } } } });
    const broken = await load(ptp.documentId);
    expect(broken.state).toBe('broken');
    expect(broken.brokenCallback.owner.id).toBe(w.users.agentA2.id);
    const partial = await load(ptp2.documentId);
    expect(partial.state).toBe('partially_kept');
    expect(Number(partial.paidAmount)).toBe(25);
    expect(partial.brokenCallback.owner.id).toBe(w.users.agentA1.id);

    const again = await evaluatePromises();
    expect(again.ran).toBe(true);
    const callbacks = await strapi.db.query('api::callback.callback').count({ where: { account: { documentId: { $in: [acc.documentId, acc2.documentId] } } } });
    expect(callbacks).toBe(2);
    const audits = await strapi.db.query('api::audit-log.audit-log').count({ where: { entity: 'api::promise-to-pay.promise-to-pay', entityDocumentId: ptp.documentId, action: 'update' } });
    expect(audits).toBe(1);
  });

  it('the job links the payments it counts without setting off a second evaluation: one callback for a partly kept promise', async () => {
    const acc = await newAccount(w.users.agentA1);
    // The payment comes first (no promise yet to settle), then the promise it falls inside, taken 20 days ago.
    const payment = await strapi.documents('api::payment.payment').create({ data: { account: acc.documentId, amount: 20, paidDate: daysFromToday(-12) } } as any);
    const ptp = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: acc.documentId, amount: 90, dueDate: daysFromToday(-10), agent: w.users.agentA1.id } } as any);
    await strapi.db.connection('promises_to_pay').where({ id: ptp.id }).update({ created_at: new Date(Date.now() - 20 * 86_400_000) });
    await evaluatePromises();
    const row = await strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: ptp.documentId } });
    expect(row.state).toBe('partially_kept');
    const linked = await strapi.db.query('api::payment.payment').findOne({ where: { documentId: payment.documentId }, populate: { promise: true } });
    expect(linked.promise.documentId).toBe(ptp.documentId);
    expect(await strapi.db.query('api::callback.callback').count({ where: { account: { documentId: acc.documentId } } })).toBe(1);
  });

  it('a client may turn the callback off', async () => {
    await strapi.documents('api::client.client').update({ documentId: w.clients.b.documentId, data: { callbackOnBrokenPromise: false, promiseGraceDays: 0 } } as any);
    const ptp = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: w.accounts.b1.documentId, amount: 10, dueDate: daysFromToday(-2), agent: w.users.agentB1.id } } as any);
    await strapi.db.connection('promises_to_pay').where({ id: ptp.id }).update({ created_at: new Date(Date.now() - 5 * 86_400_000) });
    await evaluatePromises();
    const row = await strapi.db.query('api::promise-to-pay.promise-to-pay').findOne({ where: { documentId: ptp.documentId }, populate: { brokenCallback: true } });
    expect(row.state).toBe('broken');
    expect(row.brokenCallback).toBeNull();
  });
});
