import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import { signTelephonyEvent } from '../../src/telephony/webhook-signature';

const SECRET = 'inbound-test-secret-0123456789';
const POPS = `test-pops-${process.pid}-${Date.now()}`;
process.env.TELEPHONY_WEBHOOK_SECRET = SECRET;
process.env.PROVIDER_POPS_CHANNEL = POPS;
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';

let strapi: Core.Strapi;
let w: World;
let token: string;
const DID_A = '+13125559000';
const worker = () => ({ Authorization: `Bearer ${token}` });

const lookup = (callerId: unknown, did: unknown = DID_A) => http(strapi).post('/api/calls/inbound-lookup').set(worker()).send({ data: { callerId, did } });

function signed(body: unknown, { secret = SECRET, ts = Math.floor(Date.now() / 1000), raw }: { secret?: string; ts?: number; raw?: string } = {}) {
  const text = raw ?? JSON.stringify(body);
  return http(strapi)
    .post('/api/telephony/events')
    .set('Content-Type', 'application/json')
    .set('X-Timestamp', String(ts))
    .set('X-Signature', signTelephonyEvent(secret, String(ts), text))
    .send(text);
}

const callRecord = (callId: string) =>
  strapi.db.query('api::call.call').findOne({ where: { attemptId: `webhook:${callId}` }, populate: { account: true, accounts: true, agent: true, client: true } });

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'inb');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { callbackNumber: DID_A } } as any);
  await strapi.documents('api::client.client').update({ documentId: w.clients.b.documentId, data: { callbackNumber: '+442079460000' } } as any);
  // The same US number on an account of client B: a caller to A's number must never see it.
  await strapi.documents('api::account.account').create({
    data: { accountNumber: `${w.prefix}-B-same`, client: w.clients.b.documentId, debtorLastName: 'Other', balance: 10, timezone: 'Europe/London', phones: [{ number: '+13125550103', type: 'mobile', status: 'valid', autodialConsent: false }] },
  } as any);
  await strapi.documents('api::campaign.campaign').create({ data: { name: `${w.prefix} inbound`, client: w.clients.a.documentId, dialMode: 'predictive', state: 'running' } } as any);
}, 600_000); // booting Strapi and building the world takes minutes on a loaded machine

afterAll(async () => {
  await stopStrapi(strapi);
});

describe('POST /api/calls/inbound-lookup (the worker matching a caller)', () => {
  it.each([
    ['national format', '(312) 555-0103'],
    ['E.164', '+13125550103'],
    ['a leading 1', '13125550103'],
    ['a SIP URI', 'sip:+13125550103@trunk'],
  ])('finds the DID client\'s account from %s, never the other client\'s', async (_name, callerId) => {
    const res = await lookup(callerId);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ callerNumber: '+13125550103', callerKind: 'number', did: DID_A, clientDocumentId: w.clients.a.documentId });
    expect(res.body.data.accounts.map((a: any) => a.documentId)).toEqual([w.accounts.a2.documentId]);
    expect(res.body.data.assignedAgentIds).toEqual([w.users.agentA2.id]);
    expect(res.body.data.campaignIds.length).toBe(1);
  });

  it('lists every account of a debtor with several debts', async () => {
    const second = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-A-second`, client: w.clients.a.documentId, debtorLastName: 'Debtor003', balance: 99, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id, phones: [{ number: '+13125550103', type: 'work', status: 'valid', autodialConsent: false }] },
    } as any);
    const res = await lookup('3125550103');
    expect(res.body.data.accounts.map((a: any) => a.documentId).sort()).toEqual([w.accounts.a2.documentId, second.documentId].sort());
    await strapi.documents('api::account.account').delete({ documentId: second.documentId } as any);
  });

  it.each([
    ['an unknown number', '+13125550999', 'number', '+13125550999'],
    ['a withheld number', 'anonymous', 'withheld', null],
    ['something not a number', 'abc', 'invalid', null],
  ])('answers %s with no account', async (_name, callerId, kind, number) => {
    const res = await lookup(callerId);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ callerKind: kind, callerNumber: number, accounts: [] });
  });

  it('reads the caller in the country of the DID\'s client (GB national format for client B)', async () => {
    const res = await lookup('020 7946 0018', '020 7946 0000');
    expect(res.body.data.clientDocumentId).toBe(w.clients.b.documentId);
    expect(res.body.data.accounts.map((a: any) => a.documentId)).toEqual([w.accounts.b1.documentId]);
  });

  it.each([
    ['did missing', { callerId: '+13125550103' }, 'did'],
    ['did an object', { callerId: '+13125550103', did: { $ne: '' } }, 'did'],
    ['callerId an array', { callerId: ['+13125550103'], did: DID_A }, 'callerId'],
  ])('refuses %s, naming the field', async (_name, data, field) => {
    const res = await http(strapi).post('/api/calls/inbound-lookup').set(worker()).send({ data });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it('is the dialer\'s only: an agent is refused', async () => {
    const res = await http(strapi).post('/api/calls/inbound-lookup').set({ Authorization: `Bearer ${w.tokens.agentA1}` }).send({ data: { callerId: '+13125550103', did: DID_A } });
    expect(res.status).toBe(403);
  });

  it('follows a write to a campaign or a client at once (the routes are kept between writes)', async () => {
    const campaignsOf = async (did = DID_A) => (await lookup('+13125550103', did)).body.data;
    const before = await campaignsOf();
    const started = await strapi.documents('api::campaign.campaign').create({ data: { name: `${w.prefix} second line`, client: w.clients.a.documentId, dialMode: 'progressive', state: 'running' } } as any);
    try {
      expect((await campaignsOf()).campaignIds).toEqual([...before.campaignIds, started.documentId]);
      await strapi.documents('api::campaign.campaign').update({ documentId: started.documentId, data: { state: 'paused' } } as any);
      expect((await campaignsOf()).campaignIds).toEqual(before.campaignIds);
      // The client's callback number moves away: its old number now routes to nobody.
      await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { callbackNumber: '+13125559001' } } as any);
      expect(await campaignsOf()).toMatchObject({ clientDocumentId: null, campaignIds: [], accounts: [] });
      expect((await campaignsOf('+13125559001')).clientDocumentId).toBe(w.clients.a.documentId);
    } finally {
      await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { callbackNumber: DID_A } } as any);
      await strapi.documents('api::campaign.campaign').delete({ documentId: started.documentId } as any);
    }
    expect(await campaignsOf()).toMatchObject({ clientDocumentId: w.clients.a.documentId, campaignIds: before.campaignIds });
  });
});

describe('POST /api/telephony/events (another provider\'s webhook)', () => {
  const T0 = Date.now() - 120_000;
  const at = (offsetSec: number) => new Date(T0 + offsetSec * 1000).toISOString();
  const event = (id: string, type: string, callId: string, offsetSec: number, extra: Record<string, unknown> = {}) => ({ id, type, callId, from: '(312) 555-0103', to: DID_A, at: at(offsetSec), ...extra });

  it('refuses a bad signature, another secret, a stale or future timestamp with 401 and records nothing', async () => {
    const body = event('bad-1', 'call.ringing', 'call-bad', 0);
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      await signed(body, { secret: 'wrong-secret' }),
      await signed(body, { ts: now - 301 }),
      await signed(body, { ts: now + 301 }),
      await http(strapi).post('/api/telephony/events').set('Content-Type', 'application/json').send(body),
      await http(strapi).post('/api/telephony/events').set('Content-Type', 'application/json').set('X-Timestamp', String(now)).set('X-Signature', signTelephonyEvent(SECRET, String(now), JSON.stringify(body))).send(JSON.stringify({ ...body, from: '+13125550101' })),
    ];
    expect(cases.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(cases.map((r) => r.body.error.code)).toEqual(['BAD_SIGNATURE', 'STALE_TIMESTAMP', 'STALE_TIMESTAMP', 'MISSING_TIMESTAMP', 'BAD_SIGNATURE']);
    expect(await callRecord('call-bad')).toBeNull();
  });

  it('checks the signature over the bytes received, not a re-serialisation', async () => {
    const raw = `{ "id": "sp-1",  "type": "call.ringing", "callId": "call-spaces", "from": "3125550103", "to": "${DID_A}", "at": "${at(0)}" }`;
    const res = await signed(null, { raw });
    expect(res.status).toBe(200);
  });

  it('refuses a signed body with a bad field with 400 naming it', async () => {
    const res = await signed({ id: 'x-1', type: 'call.exploded', callId: 'c-x', to: DID_A, at: at(0) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('type');
  });

  it('records a call: ringing pops the account to the named agent, answered and ended complete it; a replay changes nothing', async () => {
    const sub = new Redis(process.env.REDIS_URL!);
    const pops: any[] = [];
    await sub.subscribe(POPS);
    sub.on('message', (_c, m) => pops.push(JSON.parse(m)));
    try {
      const ringing = event('ev-r1', 'call.ringing', 'call-1', 0, { agent: w.users.agentA2.username });
      const first = await signed(ringing);
      expect(first.status).toBe(200);
      expect(first.body.data).toEqual({ eventId: 'ev-r1', callId: 'call-1', status: 'ringing', applied: true });
      for (let i = 0; i < 50 && !pops.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(pops).toHaveLength(1);
      expect(pops[0]).toMatchObject({ agentId: w.users.agentA2.id, pop: { accountDocumentId: w.accounts.a2.documentId, phone: '+13125550103', providerCallId: 'call-1', inbound: { did: DID_A, callerKind: 'number' } } });

      expect((await signed(event('ev-a1', 'call.answered', 'call-1', 12))).body.data.status).toBe('answered');
      expect((await signed(event('ev-e1', 'call.ended', 'call-1', 72))).body.data.status).toBe('ended');
      const before = await callRecord('call-1');
      expect(before).toMatchObject({ direction: 'inbound', dialMode: 'inbound', callerNumber: '+13125550103', did: DID_A, outcome: 'connected', recordedBy: 'dialer' });
      expect(Number(before.queueWaitSeconds)).toBe(12);
      expect(Number(before.talkSeconds)).toBe(60);
      expect(before.account.documentId).toBe(w.accounts.a2.documentId);
      expect(before.agent.id).toBe(w.users.agentA2.id);
      expect(before.client.documentId).toBe(w.clients.a.documentId);

      // The provider retries the ringing (with a different time, even): the first answer again, nothing changes, no second pop.
      const again = await signed({ ...ringing, at: at(50) });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const after = await callRecord('call-1');
      expect(after.updatedAt).toEqual(before.updatedAt);
      expect(after.providerState).toEqual(before.providerState);
      await new Promise((r) => setTimeout(r, 100));
      expect(pops).toHaveLength(1);
    } finally {
      sub.disconnect();
    }
  });

  it('reconciles events out of order: ended, then answered, then ringing give the same record', async () => {
    expect((await signed(event('oo-e', 'call.ended', 'call-2', 70))).body.data.status).toBe('ended');
    expect((await callRecord('call-2')).outcome).toBe('abandoned');
    expect((await signed(event('oo-a', 'call.answered', 'call-2', 10))).body.data.status).toBe('ended');
    expect((await signed(event('oo-r', 'call.ringing', 'call-2', 0, { agent: w.users.agentA2.username }))).body.data.status).toBe('ended');
    const call = await callRecord('call-2');
    expect(call).toMatchObject({ outcome: 'connected', direction: 'inbound' });
    expect(Number(call.queueWaitSeconds)).toBe(10);
    expect(Number(call.talkSeconds)).toBe(60);
  });

  it('an unknown caller is recorded on the DID\'s client with no account; a caller who gave up is abandoned', async () => {
    const r1 = await signed({ ...event('u-r', 'call.ringing', 'call-3', 0), from: '+13125550777' });
    expect([r1.status, r1.body]).toEqual([200, { data: { eventId: 'u-r', callId: 'call-3', status: 'ringing', applied: true } }]);
    const r2 = await signed({ ...event('u-e', 'call.ended', 'call-3', 25), from: '+13125550777' });
    expect(r2.status).toBe(200);
    const call = await callRecord('call-3');
    expect(call).toMatchObject({ outcome: 'abandoned', callerNumber: '+13125550777', account: null });
    expect(call.accounts).toEqual([]);
    expect(call.client.documentId).toBe(w.clients.a.documentId);
  });

  it('pops to nobody outside the DID\'s client, even when the provider names them', async () => {
    await signed(event('x-r', 'call.ringing', 'call-4', 0, { agent: w.users.agentB1.username }));
    const call = await callRecord('call-4');
    expect(call.agent).toBeNull();
  });
});

describe('compliance of inbound calls', () => {
  it('an inbound conversation starts the no-call period and is not counted as an attempt', async () => {
    const acc = await strapi.documents('api::account.account').create({
      data: { accountNumber: `${w.prefix}-regf`, client: w.clients.a.documentId, debtorLastName: 'RegF', balance: 50, timezone: 'America/Chicago', phones: [{ number: '+13125550444', type: 'mobile', status: 'valid', autodialConsent: false }] },
    } as any);
    const answeredAt = new Date(Date.now() - 3600_000).toISOString();
    const res = await http(strapi).put(`/api/calls/attempts/inbound-regf-${w.prefix}`).set(worker()).send({
      data: { account: acc.documentId, phone: '+13125550444', direction: 'inbound', dialMode: 'inbound', callerNumber: '+13125550444', did: DID_A, queuedAt: answeredAt, answeredAt, bridgedAt: answeredAt, endedAt: new Date().toISOString(), outcome: 'connected' },
    });
    expect(res.status).toBe(201);
    const rules = await http(strapi).get(`/api/accounts/${acc.documentId}/contact-rules`).set(worker());
    expect(rules.status).toBe(200);
    expect(rules.body.data.attemptsLast7Days).toBe(0);
    expect(rules.body.data.lastConversationAt).toBe(answeredAt);
    expect(rules.body.data.blockedBy).toContain('reg_f_after_conversation');
    const stored = await strapi.db.query('api::account.account').findOne({ where: { documentId: acc.documentId } });
    expect(stored.lastAttemptAt).toBeNull();
  });

  it('an inbound "stop calling" puts the caller\'s number on the client\'s DNC list at once', async () => {
    const cease = await strapi.db.query('api::disposition.disposition').findOne({ where: { code: 'CEASE' } });
    const id = `inbound-cease-${w.prefix}`;
    const base = { account: w.accounts.a2.documentId, phone: '+13125550103', direction: 'inbound', dialMode: 'inbound', callerNumber: '+13125550103', did: DID_A, outcome: 'connected', answeredAt: new Date().toISOString() };
    await http(strapi).put(`/api/calls/attempts/${id}`).set(worker()).send({ data: base });
    expect(await strapi.db.query('api::dnc-entry.dnc-entry').findOne({ where: { phone: '+13125550103' } })).toBeNull();
    const res = await http(strapi).put(`/api/calls/attempts/${id}`).set(worker()).send({ data: { ...base, disposition: cease.documentId } });
    expect(res.status).toBe(200);
    const entry = await strapi.db.query('api::dnc-entry.dnc-entry').findOne({ where: { phone: '+13125550103' }, populate: { client: true } });
    expect(entry).toMatchObject({ scope: 'client', source: 'disposition' });
    expect(entry.client.documentId).toBe(w.clients.a.documentId);
  });
});

describe('an unknown inbound caller: the agent on the call searches the DID\'s client\'s accounts and links one', () => {
  const as = (who: string) => ({ Authorization: `Bearer ${w.tokens[who]}` });
  const search = (attemptId: string, q: unknown, who = 'agentA1') => http(strapi).get(`/api/calls/attempts/${attemptId}/account-search`).query(q === undefined ? {} : { q }).set(as(who));
  const link = (attemptId: string, accountDocumentId: unknown, who = 'agentA1') => http(strapi).post(`/api/calls/attempts/${attemptId}/linked-account`).set(as(who)).send({ data: { accountDocumentId } });
  /** The dialer's record of an unknown caller taken by `agent` on client A's number, as the worker writes it when bridged. */
  const liveUnknownCall = async (suffix: string, agentId: number) => {
    const attemptId = `inb-link-${suffix}-${w.prefix}`;
    const at = new Date().toISOString();
    const res = await http(strapi).put(`/api/calls/attempts/${attemptId}`).set(worker()).send({
      data: { client: w.clients.a.documentId, agent: agentId, campaign: w.campaigns.a.documentId, phone: '+13125550888', callerNumber: '+13125550888', did: DID_A, direction: 'inbound', dialMode: 'inbound', queuedAt: at, answeredAt: at, bridgedAt: at, outcome: 'pending' },
    });
    expect(res.status).toBe(201);
    return attemptId;
  };
  const auditOf = (action: string, entity: string, actorId: number) =>
    strapi.db.query('api::audit-log.audit-log').findMany({ where: { action, entity, actorType: 'user', actorId: String(actorId) }, orderBy: { seq: 'asc' } });

  it('finds the client\'s accounts by name, account number or phone, never another client\'s, and audits each search', async () => {
    const attemptId = await liveUnknownCall('search', w.users.agentA1.id);
    const byName = await search(attemptId, 'pat debtor003');
    expect(byName.status).toBe(200);
    expect(byName.body.data.map((a: any) => a.documentId)).toEqual([w.accounts.a2.documentId]);
    expect(byName.body.data[0]).toEqual({ documentId: w.accounts.a2.documentId, accountNumber: `${w.prefix}-003`, debtorName: 'Pat Debtor003', clientName: w.clients.a.name, balance: 1234.5, currency: 'USD', status: expect.any(String) });
    expect((await search(attemptId, `${w.prefix}-00`)).body.data.map((a: any) => a.accountNumber)).toEqual([`${w.prefix}-001`, `${w.prefix}-002`, `${w.prefix}-003`]);
    expect((await search(attemptId, '(312) 555-0102')).body.data.map((a: any) => a.documentId)).toEqual([w.accounts.a1b.documentId]);
    // Client B's account by its number, its debtor's name and its phone: nothing of client B answers.
    expect((await search(attemptId, `${w.prefix}-004`)).body.data).toEqual([]);
    expect((await search(attemptId, 'Debtor004')).body.data).toEqual([]);
    expect((await search(attemptId, '+13125550103')).body.data.map((a: any) => a.documentId)).toEqual([w.accounts.a2.documentId]);
    // A LIKE wildcard is a character searched, not "everything".
    expect((await search(attemptId, '%%')).body.data).toEqual([]);
    const audited = await auditOf('search', 'api::account.account', w.users.agentA1.id);
    const mine = audited.filter((e: any) => e.changes.attemptId === attemptId);
    expect(mine.map((e: any) => e.changes.q)).toEqual(['pat debtor003', `${w.prefix}-00`, '(312) 555-0102', `${w.prefix}-004`, 'Debtor004', '+13125550103', '%%']);
    expect(mine[0]).toMatchObject({ clientDocumentId: w.clients.a.documentId, changes: { found: [w.accounts.a2.documentId] } });
  });

  it('refuses anyone but the call\'s agent: another agent, the other client\'s agent, a supervisor, the dialer\'s token', async () => {
    const attemptId = await liveUnknownCall('who', w.users.agentA1.id);
    expect((await search(attemptId, 'Debtor', 'agentA2')).status).toBe(404);
    expect((await search(attemptId, 'Debtor', 'agentB1')).status).toBe(404);
    expect((await link(attemptId, w.accounts.a2.documentId, 'agentA2')).status).toBe(404);
    // A supervisor holds no grant for it (the role's permissions refuse before any lookup).
    expect((await search(attemptId, 'Debtor', 'supervisorA')).status).toBe(403);
    expect((await http(strapi).get(`/api/calls/attempts/${attemptId}/account-search?q=Debtor`).set(worker())).status).toBe(403);
    // An outbound call of this agent (the world's c1) opens no search.
    expect((await search(w.calls.a1.attemptId, 'Debtor')).status).toBe(404);
    expect((await search('no-such-call-000', 'Debtor')).status).toBe(404);
  });

  it.each([
    ['q missing', undefined, 'q'],
    ['q one character', 'P', 'q'],
    ['q an array', ['Pat', 'Debtor'], 'q'],
    ['q an object', { $ne: '' }, 'q'],
  ])('refuses %s with 400 naming the field', async (_name, q, field) => {
    const attemptId = await liveUnknownCall(`bad${String(_name).length}`, w.users.agentA1.id);
    const res = await search(attemptId, q);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it('links an account of the client (the agent then reads it, audited as theirs), refuses another client\'s, and nothing after wrap-up', async () => {
    const attemptId = await liveUnknownCall('link', w.users.agentA1.id);
    // a2 is agent A2's: agent A1 does not read it before the link.
    expect((await http(strapi).get(`/api/accounts/${w.accounts.a2.documentId}`).set(as('agentA1'))).status).toBe(404);

    const other = await link(attemptId, w.accounts.b1.documentId);
    expect(other.status).toBe(404);
    expect((await link(attemptId, { documentId: w.accounts.a2.documentId })).status).toBe(400);
    let call = await strapi.db.query('api::call.call').findOne({ where: { attemptId }, populate: { account: true, accounts: true } });
    expect([call.account, call.accounts]).toEqual([null, []]);

    const res = await link(attemptId, w.accounts.a2.documentId);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ documentId: w.accounts.a2.documentId, accountNumber: `${w.prefix}-003`, debtorName: 'Pat Debtor003', phone: { number: '+13125550888' } });
    call = await strapi.db.query('api::call.call').findOne({ where: { attemptId }, populate: { account: true, accounts: true, client: true } });
    expect(call.account.documentId).toBe(w.accounts.a2.documentId);
    expect(call.accounts.map((a: any) => a.documentId)).toEqual([w.accounts.a2.documentId]);
    expect(call.client.documentId).toBe(w.clients.a.documentId);
    expect(call.recordedBy).toBe('dialer');
    const written = (await auditOf('update', 'api::call.call', w.users.agentA1.id)).filter((e: any) => e.entityDocumentId === call.documentId);
    expect(written).toHaveLength(1);
    expect(JSON.stringify(written[0].changes)).toContain(w.accounts.a2.documentId);
    expect((await http(strapi).get(`/api/accounts/${w.accounts.a2.documentId}`).set(as('agentA1'))).status).toBe(200);

    // The dialer's later writes (the caller hangs up, the wrap-up) keep the link; after the wrap-up the call is final.
    const endedAt = new Date().toISOString();
    await http(strapi).put(`/api/calls/attempts/${attemptId}`).set(worker()).send({ data: { account: w.accounts.a2.documentId, accounts: [w.accounts.a2.documentId], direction: 'inbound', outcome: 'connected', endedAt, wrapEndedAt: endedAt } });
    const late = await link(attemptId, w.accounts.a1.documentId);
    expect([late.status, late.body.error.details.code]).toEqual([403, 'CALL_WRAPPED_UP']);
    const lateSearch = await search(attemptId, 'Debtor');
    expect([lateSearch.status, lateSearch.body.error.details.code]).toEqual([403, 'CALL_WRAPPED_UP']);
    expect((await http(strapi).get(`/api/accounts/${w.accounts.a2.documentId}`).set(as('agentA1'))).status).toBe(404);
    call = await strapi.db.query('api::call.call').findOne({ where: { attemptId }, populate: { account: true } });
    expect(call.account.documentId).toBe(w.accounts.a2.documentId);
  });
});
