import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'mx');
});
afterAll(() => stopStrapi(strapi));

const as = (who: string) => ({
  get: (url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens[who]}`),
  post: (url: string, data: unknown) => http(strapi).post(url).set('Authorization', `Bearer ${w.tokens[who]}`).send({ data }),
  put: (url: string, data: unknown) => http(strapi).put(url).set('Authorization', `Bearer ${w.tokens[who]}`).send({ data }),
  del: (url: string) => http(strapi).delete(url).set('Authorization', `Bearer ${w.tokens[who]}`),
});
const ids = (res: any) => (res.body.data as any[]).map((d) => d.documentId).sort();
const accountNumbers = (res: any) => (res.body.data as any[]).map((d) => d.accountNumber).sort();

describe('agent', () => {
  it('lists only the accounts assigned to them', async () => {
    const res = await as('agentA1').get('/api/accounts?pagination[pageSize]=100');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([w.accounts.a1.documentId, w.accounts.a1b.documentId].sort());
  });

  it.each([
    ['another agent of the same client', 'a2'],
    ['another client', 'b1'],
  ])('gets 404 reading an account of %s by id', async (_label, key) => {
    const res = await as('agentA1').get(`/api/accounts/${(w.accounts as any)[key].documentId}`);
    expect(res.status).toBe(404);
  });

  it('reads their own account with its phones', async () => {
    const res = await as('agentA1').get(`/api/accounts/${w.accounts.a1.documentId}?populate=phones`);
    expect(res.status).toBe(200);
    expect(res.body.data.phones[0].number).toBe('+13125550101');
  });

  it('cannot reach other accounts by filter', async () => {
    const byNumber = await as('agentA1').get(`/api/accounts?filters[accountNumber][$eq]=${w.accounts.a2.accountNumber}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.data).toHaveLength(0);
    const byAgent = await as('agentA1').get(`/api/accounts?filters[$or][0][assignedAgent][id][$eq]=${w.users.agentA2.id}&filters[$or][1][id][$gt]=0`);
    expect([200, 400]).toContain(byAgent.status);
    if (byAgent.status === 200) expect(accountNumbers(byAgent)).not.toContain(w.accounts.a2.accountNumber);
  });

  it('cannot use a filter on a user password as an oracle', async () => {
    const res = await as('agentA1').get('/api/accounts?filters[assignedAgent][password][$startsWith]=$');
    expect(res.status).toBe(400);
  });

  it('cannot reach other accounts or users through populate', async () => {
    const calls = await as('agentA1').get('/api/calls?populate=*');
    expect(calls.status).toBe(200);
    expect(calls.body.data.map((c: any) => c.documentId)).toEqual([w.calls.a1.documentId]);
    const body = JSON.stringify(calls.body);
    expect(body).not.toContain(w.accounts.a2.accountNumber);
    expect(body).not.toContain('password');

    const clients = await as('agentA1').get('/api/clients?populate=*');
    expect(clients.status).toBe(200);
    expect(clients.body.data.map((c: any) => c.documentId)).toEqual([w.clients.a.documentId]);
    expect(JSON.stringify(clients.body)).not.toContain(w.users.agentA2.username);

    const accounts = await as('agentA1').get('/api/accounts?populate[assignedAgent]=true&populate[client][populate][members]=true');
    expect(JSON.stringify(accounts.body)).not.toMatch(/password|resetPasswordToken|\$2[aby]\$/);
    expect(JSON.stringify(accounts.body)).not.toContain(w.users.agentA2.username);
  });

  it('does not see an account reassigned away from them through their old call', async () => {
    const moved = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-mv`, client: w.clients.a.documentId, debtorLastName: 'Moved', balance: 10, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id },
    } as any);
    const call = await strapi.documents('api::call.call').create({ data: { account: moved.documentId, agent: w.users.agentA1.id, outcome: 'connected', wrapEndedAt: new Date().toISOString() } } as any);
    await strapi.documents('api::account.account').update({ documentId: moved.documentId, data: { assignedAgent: w.users.agentA2.id } } as any);
    const res = await as('agentA1').get(`/api/calls/${call.documentId}?populate=account`);
    expect(res.status).toBe(200);
    expect(res.body.data.account).toBeNull();
  });

  it('sees an account assigned to someone else while on a live call about it, and not after the wrap-up', async () => {
    const url = `/api/accounts/${w.accounts.a2.documentId}`;
    expect((await as('agentA1').get(url)).status).toBe(404);
    const call = await strapi.documents('api::call.call').create({ data: { account: w.accounts.a2.documentId, agent: w.users.agentA1.id, outcome: 'pending', recordedBy: 'dialer' } } as any);
    expect((await as('agentA1').get(url)).status).toBe(200);
    expect((await as('agentA1').put(url, { notes: 'spoke to debtor' })).status).toBe(200);
    await strapi.documents('api::call.call').update({ documentId: call.documentId, data: { outcome: 'connected' } } as any);
    expect((await as('agentA1').get(url)).status).toBe(200);
    await strapi.documents('api::call.call').update({ documentId: call.documentId, data: { wrapEndedAt: new Date().toISOString() } } as any);
    expect((await as('agentA1').get(url)).status).toBe(404);
  });

  it('updates notes and status of their account but not balance, client or assignment', async () => {
    const ok = await as('agentA1').put(`/api/accounts/${w.accounts.a1.documentId}`, { notes: 'Debtor asked for a call on Friday', status: 'dispute' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.status).toBe('dispute');
    for (const [field, value] of [['balance', 1], ['client', w.clients.b.documentId], ['assignedAgent', w.users.agentA1.id]] as const) {
      const res = await as('agentA1').put(`/api/accounts/${w.accounts.a1.documentId}`, { [field]: value });
      expect(res.status).toBe(403);
      expect(res.body.error.details.fields).toContain(field);
    }
    const stored = await strapi.documents('api::account.account').findOne({ documentId: w.accounts.a1.documentId } as any);
    expect(Number(stored.balance)).toBe(1234.5);
  });

  it('gets 404 updating or deleting an account not assigned to them, and 403 deleting their own', async () => {
    expect((await as('agentA1').put(`/api/accounts/${w.accounts.a2.documentId}`, { notes: 'x' })).status).toBe(404);
    expect((await as('agentA1').del(`/api/accounts/${w.accounts.a1.documentId}`)).status).toBe(403);
    expect((await as('agentA1').post('/api/accounts', { accountNumber: 'X', debtorLastName: 'X', balance: 1, timezone: 'UTC', client: w.clients.a.documentId })).status).toBe(403);
  });

  it('records calls on their own accounts as themself, never on others', async () => {
    const ok = await as('agentA1').post('/api/calls?populate=agent', { account: w.accounts.a1.documentId, phone: '+13125550101', direction: 'outbound', dialMode: 'manual', outcome: 'connected' });
    expect(ok.status).toBe(201);
    const stored = await strapi.documents('api::call.call').findOne({ documentId: ok.body.data.documentId, populate: ['agent', 'client'] } as any);
    expect(stored.agent.id).toBe(w.users.agentA1.id);
    expect(stored.client.documentId).toBe(w.clients.a.documentId);
    const other = await as('agentA1').post('/api/calls', { account: w.accounts.a2.documentId, outcome: 'connected' });
    expect(other.status).toBe(400);
    expect(other.body.error.details.errors[0].path).toEqual(['account']);
    expect((await as('agentA1').get(`/api/calls/${w.calls.a2.documentId}`)).status).toBe(404);
    expect((await as('agentA1').put(`/api/calls/${w.calls.a1.documentId}`, { notes: 'left voicemail', disposition: w.dispositions[0].documentId })).status).toBe(200);
    expect((await as('agentA1').put(`/api/calls/${w.calls.a1.documentId}`, { talkSeconds: 999 })).status).toBe(403);
  });

  it('makes promises and callbacks only on their accounts', async () => {
    const ptp = await as('agentA1').post('/api/promises-to-pay', { account: w.accounts.a1.documentId, amount: 100, dueDate: '2026-12-01' });
    expect(ptp.status).toBe(201);
    expect((await as('agentA1').post('/api/promises-to-pay', { account: w.accounts.a2.documentId, amount: 100, dueDate: '2026-12-01' })).status).toBe(400);
    const cb = await as('agentA1').post('/api/callbacks', { account: w.accounts.a1.documentId, dueAt: '2026-12-01T15:00:00Z', phone: '312 555 0101' });
    expect(cb.status).toBe(201);
    expect(cb.body.data.phone).toBe('+13125550101');
    expect((await as('agentA2').get(`/api/promises-to-pay/${ptp.body.data.documentId}`)).status).toBe(404);
    expect((await as('agentA1').del(`/api/promises-to-pay/${ptp.body.data.documentId}`)).status).toBe(403);
  });

  it('reads the campaigns they are on, and dispositions, and nothing of DNC, audit or users', async () => {
    const campaigns = await as('agentA1').get('/api/campaigns');
    expect(ids(campaigns)).toEqual([w.campaigns.a.documentId]);
    expect((await as('agentA1').get(`/api/campaigns/${w.campaigns.aNoAgent.documentId}`)).status).toBe(404);
    expect((await as('agentA1').put(`/api/campaigns/${w.campaigns.a.documentId}`, { state: 'running' })).status).toBe(403);
    expect((await as('agentA1').get('/api/dispositions')).status).toBe(200);
    expect((await as('agentA1').post('/api/dispositions', { code: 'X', label: 'x' })).status).toBe(403);
    for (const url of ['/api/dnc-entries', '/api/audit-logs', '/api/audit-logs/verify', '/api/users', `/api/users/${w.users.agentA2.id}`]) {
      expect([url, (await as('agentA1').get(url)).status]).toEqual([url, 403]);
    }
  });
});

describe('supervisor', () => {
  it('sees every account of their clients and none of others', async () => {
    const res = await as('supervisorA').get(`/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}&pagination[pageSize]=100`);
    expect(accountNumbers(res)).toEqual(expect.arrayContaining([w.accounts.a1.accountNumber, w.accounts.a2.accountNumber]));
    expect(accountNumbers(res)).not.toContain(w.accounts.b1.accountNumber);
    expect((await as('supervisorA').get(`/api/accounts/${w.accounts.b1.documentId}`)).status).toBe(404);
    expect((await as('supervisorA').get(`/api/calls/${w.calls.b1.documentId}`)).status).toBe(404);
    expect((await as('supervisorA').get(`/api/campaigns/${w.campaigns.b.documentId}`)).status).toBe(404);
  });

  it('writes within their clients only', async () => {
    const created = await as('supervisorA').post('/api/accounts', { accountNumber: `${w.prefix}-s1`, client: w.clients.a.documentId, debtorLastName: 'New', balance: 50, timezone: 'America/Denver', assignedAgent: w.users.agentA2.id });
    expect(created.status).toBe(201);
    const elsewhere = await as('supervisorA').post('/api/accounts', { accountNumber: `${w.prefix}-s2`, client: w.clients.b.documentId, debtorLastName: 'New', balance: 50, timezone: 'America/Denver' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details.errors[0].path).toEqual(['client']);
    const assignOutside = await as('supervisorA').put(`/api/accounts/${created.body.data.documentId}`, { assignedAgent: w.users.agentB1.id });
    expect(assignOutside.status).toBe(400);
    const move = await as('supervisorA').put(`/api/accounts/${created.body.data.documentId}`, { client: w.clients.b.documentId });
    expect(move.status).toBe(400);
    expect((await as('supervisorA').put(`/api/accounts/${created.body.data.documentId}`, { balance: 75.25 })).body.data.balance).toBe(75.25);
    expect((await as('supervisorA').put(`/api/accounts/${w.accounts.b1.documentId}`, { balance: 1 })).status).toBe(404);
    expect((await as('supervisorA').del(`/api/accounts/${w.accounts.b1.documentId}`)).status).toBe(404);
    expect((await as('supervisorA').del(`/api/accounts/${created.body.data.documentId}`)).status).toBe(204);
    const campaign = await as('supervisorA').post('/api/campaigns', { name: 'Sup campaign', client: w.clients.a.documentId, dialMode: 'predictive' });
    expect(campaign.status).toBe(201);
    expect((await as('supervisorA').post('/api/campaigns', { name: 'Sup campaign', client: w.clients.b.documentId })).status).toBe(400);
  });

  it('reads global DNC entries and their clients\' entries, not other clients\'', async () => {
    const global = await strapi.documents('api::dnc-entry.dnc-entry').create({ data: { phone: '+13125550199', scope: 'global', reason: 'litigation' } } as any);
    const other = await strapi.documents('api::dnc-entry.dnc-entry').create({ data: { phone: '020 7946 0999', scope: 'client', client: w.clients.b.documentId } } as any);
    const own = await as('supervisorA').post('/api/dnc-entries', { phone: '(312) 555-0177', scope: 'client', client: w.clients.a.documentId, reason: 'debtor_request' });
    expect(own.status).toBe(201);
    expect(own.body.data.phone).toBe('+13125550177');
    const list = ids(await as('supervisorA').get('/api/dnc-entries?pagination[pageSize]=100'));
    expect(list).toEqual(expect.arrayContaining([global.documentId, own.body.data.documentId]));
    expect(list).not.toContain(other.documentId);
    expect((await as('supervisorA').post('/api/dnc-entries', { phone: '+13125550100', scope: 'client', client: w.clients.b.documentId })).status).toBe(400);
  });

  it('reads the users of their clients only, without secrets', async () => {
    const res = await as('supervisorA').get('/api/users?populate=*');
    expect(res.status).toBe(200);
    const names = res.body.map((u: any) => u.username);
    expect(names).toEqual(expect.arrayContaining([w.users.agentA1.username, w.users.agentA2.username]));
    expect(names).not.toContain(w.users.agentB1.username);
    expect(JSON.stringify(res.body)).not.toMatch(/"password"|resetPasswordToken|confirmationToken/);
    expect((await as('supervisorA').get(`/api/users/${w.users.agentB1.id}`)).status).toBe(404);
    const populated = await as('supervisorA').get(`/api/accounts/${w.accounts.a2.documentId}?populate=*`);
    expect(populated.body.data.assignedAgent.username).toBe(w.users.agentA2.username);
    expect(JSON.stringify(populated.body)).not.toMatch(/"password"|resetPasswordToken/);
  });

  it('reads the audit trail of their clients and can verify it', async () => {
    const res = await as('supervisorA').get('/api/audit-logs?pagination[pageSize]=100&sort=seq:desc');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(new Set(res.body.data.map((e: any) => e.clientDocumentId))).toEqual(new Set([w.clients.a.documentId]));
    expect((await as('supervisorA').get('/api/audit-logs/verify')).status).toBe(200);
  });
});

describe('analyst', () => {
  it('reads everything of their clients', async () => {
    expect(accountNumbers(await as('analystA').get(`/api/accounts?filters[accountNumber][$startsWith]=${w.prefix}`))).toEqual(
      expect.arrayContaining([w.accounts.a1.accountNumber, w.accounts.a2.accountNumber]),
    );
    expect((await as('analystA').get(`/api/calls/${w.calls.a2.documentId}`)).status).toBe(200);
    expect((await as('analystA').get(`/api/accounts/${w.accounts.b1.documentId}`)).status).toBe(404);
    expect((await as('analystA').get('/api/audit-logs')).status).toBe(200);
  });

  it.each([
    ['post', '/api/accounts'],
    ['put', '/api/accounts/:a1'],
    ['del', '/api/accounts/:a1'],
    ['post', '/api/calls'],
    ['put', '/api/calls/:c1'],
    ['post', '/api/campaigns'],
    ['post', '/api/promises-to-pay'],
    ['post', '/api/callbacks'],
    ['post', '/api/dnc-entries'],
    ['post', '/api/dispositions'],
    ['get', '/api/audit-logs/verify'],
  ])('is refused %s %s', async (method, path) => {
    const url = path.replace(':a1', w.accounts.a1.documentId).replace(':c1', w.calls.a1.documentId);
    const client = as('analystA') as any;
    const res = method === 'get' || method === 'del' ? await client[method](url) : await client[method](url, { notes: 'x' });
    expect(res.status).toBe(403);
  });
});

describe('anonymous', () => {
  it.each(['/api/accounts', '/api/calls', '/api/campaigns', '/api/dispositions', '/api/audit-logs', '/api/session', '/api/users'])('is refused %s', async (url) => {
    expect((await http(strapi).get(url)).status).toBe(403);
  });
});
