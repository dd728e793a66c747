import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let token: string;
const DAY = 86_400_000;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'wrap');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
});

afterAll(async () => {
  await stopStrapi(strapi);
});

const as = (who: string) => ({ Authorization: `Bearer ${w.tokens[who]}` });
const rulesOf = (documentId: string, auth: Record<string, string>) => http(strapi).get(`/api/accounts/${documentId}/contact-rules`).set(auth);

describe('GET /api/accounts/:id/contact-rules', () => {
  it('counts the attempts on the debt in the last 7 days, whoever made them, and says when the next call is allowed', async () => {
    const acc = w.accounts.a1b;
    const at = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    // Another agent's calls count too (Regulation F counts per debt), and one older than 7 days does not.
    for (const [days, outcome, agent] of [[1, 'no_answer', w.users.agentA2], [2, 'busy', w.users.agentA1], [9, 'no_answer', w.users.agentA1]] as const) {
      await strapi.documents('api::call.call').create({ data: { account: acc.documentId, agent: agent.id, phone: acc.phones[0].number, direction: 'outbound', outcome, queuedAt: at(days), dialedAt: at(days) } } as any);
    }
    const conversation = at(3);
    await strapi.documents('api::call.call').create({ data: { account: acc.documentId, agent: w.users.agentA1.id, phone: acc.phones[0].number, direction: 'outbound', outcome: 'connected', queuedAt: conversation, dialedAt: conversation } } as any);

    const res = await rulesOf(acc.documentId, as('agentA1'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ attemptsLast7Days: 3, maxAttempts: 7, periodDays: 7, lastConversationAt: conversation, timezone: 'America/Chicago', callingWindow: { start: '08:00', end: '21:00' } });
    expect(res.body.data.blockedBy).toContain('reg_f_after_conversation');
    // No call within 7 days of the conversation, and then only inside the debtor's window.
    expect(Date.parse(res.body.data.nextCallAllowedAt)).toBeGreaterThanOrEqual(Date.parse(conversation) + 7 * DAY);
    expect(Date.parse(res.body.data.nextCallAllowedAt)).toBeLessThan(Date.parse(conversation) + 8 * DAY);
  });

  it('is scoped like every read: another agent\'s account and another client\'s answer 404', async () => {
    expect((await rulesOf(w.accounts.a1.documentId, as('agentA1'))).status).toBe(200);
    expect((await rulesOf(w.accounts.a2.documentId, as('agentA1'))).status).toBe(404);
    expect((await rulesOf(w.accounts.a1.documentId, as('supervisorB'))).status).toBe(404);
    expect((await rulesOf(w.accounts.a1.documentId, as('supervisorA'))).status).toBe(200);
    expect((await rulesOf(w.accounts.a1.documentId, as('analystA'))).status).toBe(200);
    expect((await rulesOf('nosuchdocumentid000000000', as('supervisorA'))).status).toBe(404);
    expect((await http(strapi).get(`/api/accounts/${w.accounts.a1.documentId}/contact-rules`)).status).toBe(403);
  });
});

describe('a wrap-up recorded by the dialer', () => {
  const put = (attemptId: string, data: unknown) => http(strapi).put(`/api/calls/attempts/${attemptId}`).set({ Authorization: `Bearer ${token}` }).send({ data });

  it('creates the promise and the callback once, linked to the call, its account and its agent, in the audit trail', async () => {
    const attemptId = `${w.prefix}-wrap-1`;
    const ptp = w.dispositions.find((d: any) => d.code === 'PTP');
    const base = { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, agent: w.users.agentA1.id, phone: w.accounts.a1.phones[0].number, direction: 'outbound', outcome: 'connected', queuedAt: new Date().toISOString() };
    expect((await put(attemptId, base)).status).toBe(201);
    const dueAt = new Date(Date.now() + 2 * DAY).toISOString();
    const wrapUp = { ...base, disposition: ptp.documentId, notes: 'will pay Friday', promise: { amount: 150.25, dueDate: '2030-01-15', paymentMethod: 'card' }, scheduledCallback: { dueAt } };
    // Sent twice, as a retried record job would: one promise, one callback.
    expect((await put(attemptId, wrapUp)).status).toBe(200);
    expect((await put(attemptId, wrapUp)).status).toBe(200);

    const call = await strapi.db.query('api::call.call').findOne({ where: { attemptId }, populate: { disposition: true } });
    expect(call.disposition.code).toBe('PTP');
    const promises = await strapi.db.query('api::promise-to-pay.promise-to-pay').findMany({ where: { call: { id: call.id } }, populate: { account: true, client: true, agent: true } });
    expect(promises).toHaveLength(1);
    expect(promises[0]).toMatchObject({ amount: 150.25, dueDate: '2030-01-15', paymentMethod: 'card', state: 'pending' });
    expect(promises[0].account.documentId).toBe(w.accounts.a1.documentId);
    expect(promises[0].client.documentId).toBe(w.clients.a.documentId);
    expect(promises[0].agent.id).toBe(w.users.agentA1.id);
    const callbacks = await strapi.db.query('api::callback.callback').findMany({ where: { call: { id: call.id } }, populate: { account: true, owner: true, campaign: true } });
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ state: 'scheduled', phone: w.accounts.a1.phones[0].number });
    expect(new Date(callbacks[0].dueAt).toISOString()).toBe(dueAt);
    expect(callbacks[0].owner.id).toBe(w.users.agentA1.id);
    expect(callbacks[0].campaign.documentId).toBe(w.campaigns.a.documentId);

    // The agent reads both with their own rights.
    const mine = await http(strapi).get(`/api/promises-to-pay?filters[account][documentId][$eq]=${w.accounts.a1.documentId}`).set(as('agentA1'));
    expect(mine.body.data.map((p: any) => Number(p.amount))).toContain(150.25);
    const audit = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entityDocumentId: promises[0].documentId } });
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses a promise cms would refuse anywhere else, naming the field', async () => {
    const ptp = w.dispositions.find((d: any) => d.code === 'PTP');
    const res = await put(`${w.prefix}-wrap-2`, { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, phone: w.accounts.a1.phones[0].number, outcome: 'connected', disposition: ptp.documentId, promise: { amount: -5, dueDate: '2030-01-15' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/amount/);
    expect(await strapi.db.query('api::call.call').findOne({ where: { attemptId: `${w.prefix}-wrap-2` } })).toBeNull();
  });
});
