import type { Core } from '@strapi/strapi';
import { localClock } from '../../src/compliance/local-time';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let token: string;
let campaign: any;
const DAY = 86_400_000;

/** A fixed-offset zone where it is now mid-day, and one where it is now night: the test works at any hour. */
function zoneWhere(test: (hour: number) => boolean): string {
  for (let h = -12; h <= 14; h++) {
    const tz = h === 0 ? 'Etc/GMT' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
    if (test(Math.floor(localClock(new Date(), tz).minutes / 60))) return tz;
  }
  throw new Error('no zone');
}
const DAYTIME = zoneWhere((h) => h >= 10 && h <= 18);
const NIGHT = zoneWhere((h) => h >= 23 || h <= 5);

const worker = () => ({ Authorization: `Bearer ${token}` });
const accounts: Record<string, any> = {};

async function account(key: string, phone: string, overrides: Record<string, unknown> = {}) {
  accounts[key] = await strapi.documents('api::account.account').create({
    data: {
      accountNumber: `${w.prefix}-${key}`, client: w.clients.a.documentId, debtorLastName: key, balance: 500, timezone: DAYTIME,
      phones: [{ number: phone, type: 'mobile', status: 'valid', autodialConsent: true, consentDate: '2025-01-01T00:00:00Z', consentSource: 'original_creditor' }],
      ...overrides,
    },
  } as any);
  return accounts[key];
}

async function pastCall(acc: any, daysAgo: number, outcome: string, phone = acc.phones?.[0]?.number) {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  await strapi.documents('api::call.call').create({ data: { account: acc.documentId, phone, outcome, queuedAt: at, dialedAt: at, direction: 'outbound' } } as any);
}

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'dial');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  campaign = await strapi.documents('api::campaign.campaign').create({
    data: { name: `${w.prefix} live`, client: w.clients.a.documentId, dialMode: 'predictive', state: 'running', retryDelayMinutes: 120, accountFilter: { balance: { min: 100 } } },
  } as any);
  // Accounts made by buildWorld have balance 1234.5 and Chicago time: park them out of this campaign's way.
  for (const a of [w.accounts.a1, w.accounts.a1b, w.accounts.a2]) await strapi.documents('api::account.account').update({ documentId: a.documentId, data: { status: 'closed' } } as any);

  await account('ok', '+13125550201');
  await account('noconsent', '+13125550202', { phones: [{ number: '+13125550202', type: 'landline', status: 'valid', autodialConsent: false }] });
  await account('dnc', '+13125550203');
  await strapi.documents('api::dnc-entry.dnc-entry').create({ data: { phone: '+13125550203', scope: 'client', client: w.clients.a.documentId, reason: 'debtor_request' } } as any);
  await account('late', '+13125550204', { timezone: NIGHT });
  await account('talked', '+13125550205');
  await pastCall(accounts.talked, 3, 'connected');
  await account('busy7', '+13125550206');
  for (let i = 0; i < 7; i++) await pastCall(accounts.busy7, 1 + i * 0.5, 'no_answer');
  await account('disputed', '+13125550207', { status: 'dispute' });
  await account('small', '+13125550208', { balance: 50 });
  await account('called-back', '+13125550209');
  await pastCall(accounts['called-back'], 1, 'connected');
  await strapi.documents('api::callback.callback').create({
    data: { account: accounts['called-back'].documentId, phone: '+13125550209', dueAt: new Date(Date.now() - 60_000).toISOString(), owner: w.users.agentA2.id },
  } as any);
});
afterAll(() => stopStrapi(strapi));

const hopper = async (auth = worker(), query = '') => http(strapi).get(`/api/campaigns/${campaign.documentId}/dialable?limit=50${query}`).set(auth);

describe('the hopper', () => {
  it('offers the due callback first, then every dialable account, and nothing that breaks a rule', async () => {
    const res = await hopper();
    expect(res.status).toBe(200);
    const items = res.body.data.items;
    expect(items[0]).toMatchObject({ kind: 'callback', accountNumber: `${w.prefix}-called-back`, phone: '+13125550209', preferredAgentId: w.users.agentA2.id });
    const numbers = items.map((i: any) => i.accountNumber);
    expect(numbers.sort()).toEqual([`${w.prefix}-called-back`, `${w.prefix}-noconsent`, `${w.prefix}-ok`].sort());
    expect(items.find((i: any) => i.accountNumber.endsWith('noconsent')).reservedAgentRequired).toBe(true);
    expect(items.find((i: any) => i.accountNumber.endsWith('-ok')).reservedAgentRequired).toBe(false);
    expect(res.body.data.refusals).toMatchObject({ dnc: 1, reg_f_after_conversation: 1, reg_f_7_in_7: 1 });
    // Reasons come only when nothing dials.
    expect(res.body.data.nothingToDial).toBeNull();
  });

  it('hands back a receipt of the facts it checked', async () => {
    const item = (await hopper()).body.data.items.find((i: any) => i.accountNumber.endsWith('-ok'));
    expect(item.receipt).toMatchObject({ timezone: DAYTIME, onDnc: false, autodialConsent: true, accountAttemptsLast7Days: 0, campaign: campaign.documentId });
    expect(item.receipt.ruleSet).toEqual(expect.any(String));
  });

  it("carries the account summary the agent's screen pop paints from", async () => {
    await strapi.documents('api::account.account').update({ documentId: accounts.ok.documentId, data: { debtorFirstName: 'Ada', daysPastDue: 45, currency: 'EUR' } } as any);
    const item = (await hopper()).body.data.items.find((i: any) => i.accountNumber.endsWith('-ok'));
    expect(item.account).toEqual({
      documentId: accounts.ok.documentId,
      accountNumber: `${w.prefix}-ok`,
      debtorName: 'Ada ok',
      clientName: w.clients.a.name,
      balance: 500,
      currency: 'EUR',
      daysPastDue: 45,
      status: 'open',
      timezone: DAYTIME,
      callingWindow: { start: '08:00', end: '21:00' },
      phone: { number: '+13125550201', type: 'mobile', autodialConsent: true, consentDate: '2025-01-01T00:00:00.000Z', consentSource: 'original_creditor' },
    });
    const consentless = (await hopper()).body.data.items.find((i: any) => i.accountNumber.endsWith('noconsent'));
    expect(consentless.account.phone).toEqual({ number: '+13125550202', type: 'landline', autodialConsent: false, consentDate: null, consentSource: null });
  });

  it("narrows the calling window on the summary to the campaign's own", async () => {
    await strapi.documents('api::campaign.campaign').update({ documentId: campaign.documentId, data: { callWindowStart: '09:15', callWindowEnd: '20:30' } } as any);
    try {
      const items = (await hopper()).body.data.items;
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item.account.callingWindow).toEqual({ start: '09:15', end: '20:30' });
    } finally {
      await strapi.documents('api::campaign.campaign').update({ documentId: campaign.documentId, data: { callWindowStart: '08:00', callWindowEnd: '21:00' } } as any);
    }
  });

  it('leaves out numbers the dialer says are in flight', async () => {
    const items = (await hopper(worker(), '&exclude=%2B13125550201')).body.data.items;
    expect(items.map((i: any) => i.phone)).not.toContain('+13125550201');
  });

  it('leaves out accounts the dialer holds an attempt of that cms has no record of yet, whatever the phone', async () => {
    const res = (await hopper(worker(), `&excludeAccounts=${accounts.ok.documentId}`)).body.data;
    expect(res.items.map((i: any) => i.accountNumber)).not.toContain(`${w.prefix}-ok`);
    expect(res.items.map((i: any) => i.accountNumber)).toContain(`${w.prefix}-noconsent`);
    expect(res.refusals.in_flight).toBe(1);
  });

  it('checks one account again on request, with the same rules (a preview about to be dialed)', async () => {
    const one = (await hopper(worker(), `&account=${accounts['called-back'].documentId}`)).body.data.items;
    expect(one.map((i: any) => [i.kind, i.accountNumber])).toEqual([['callback', `${w.prefix}-called-back`]]);
    expect((await hopper(worker(), `&account=${accounts.ok.documentId}`)).body.data.items.map((i: any) => i.accountNumber)).toEqual([`${w.prefix}-ok`]);
    expect((await hopper(worker(), `&account=${accounts.dnc.documentId}`)).body.data.items).toEqual([]);
    expect((await hopper(worker(), `&account=${accounts.late.documentId}`)).body.data.items).toEqual([]);
  });

  it('offers nothing for a campaign that is not running', async () => {
    const paused = await strapi.documents('api::campaign.campaign').create({ data: { name: `${w.prefix} paused`, client: w.clients.a.documentId, state: 'paused' } } as any);
    const res = await http(strapi).get(`/api/campaigns/${paused.documentId}/dialable`).set(worker());
    expect(res.body.data.items).toEqual([]);
  });

  it('is for the worker and the campaign\'s supervisors only', async () => {
    expect((await hopper({ Authorization: `Bearer ${w.tokens.supervisorA}` })).status).toBe(200);
    expect((await hopper({ Authorization: `Bearer ${w.tokens.supervisorB}` })).status).toBe(404);
    expect((await hopper({ Authorization: `Bearer ${w.tokens.agentA1}` })).status).toBe(403);
    expect((await hopper({ Authorization: `Bearer ${w.tokens.analystA}` })).status).toBe(403);
  });
});

describe('recording attempts', () => {
  const put = (attemptId: string, data: unknown, auth = worker()) => http(strapi).put(`/api/calls/attempts/${attemptId}`).set(auth).send({ data });

  it('creates the call once per attempt id, however often the worker sends it', async () => {
    const attemptId = `${w.prefix}-att-1`;
    const queuedAt = new Date().toISOString();
    const body = { account: accounts.ok.documentId, campaign: campaign.documentId, phone: '+13125550201', direction: 'outbound', dialMode: 'predictive', queuedAt, dialedAt: queuedAt, outcome: 'no_answer', ringSeconds: 25, complianceReceipt: { ruleSet: 'test' } };
    const first = await put(attemptId, body);
    expect(first.status).toBe(201);
    const again = await Promise.all([put(attemptId, body), put(attemptId, { ...body, hangupCause: 19 })]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    const rows = await strapi.db.query('api::call.call').findMany({ where: { attemptId }, populate: { client: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'no_answer', hangupCause: 19, complianceReceipt: { ruleSet: 'test' } });
    expect(rows[0].client.documentId).toBe(w.clients.a.documentId);
    const acc = await strapi.db.query('api::account.account').findOne({ where: { documentId: accounts.ok.documentId } });
    expect(new Date(acc.lastAttemptAt).toISOString()).toBe(queuedAt);
    expect((await hopper()).body.data.items.map((i: any) => i.phone)).not.toContain('+13125550201');
  });

  it('takes first writes of one attempt that arrive together in turn: one creates the call, the others update it', async () => {
    const attemptId = `${w.prefix}-att-together`;
    const at = new Date().toISOString();
    const body = { account: accounts.ok.documentId, campaign: campaign.documentId, phone: '+13125550201', direction: 'outbound', queuedAt: at, outcome: 'pending' };
    const rollbacks: string[] = [];
    const watch = (q: { sql: string }) => /^rollback/i.test(q.sql.trim()) && rollbacks.push(q.sql);
    strapi.db.connection.on('query', watch);
    try {
      const statuses = (await Promise.all([put(attemptId, body), put(attemptId, { ...body, ringSeconds: 3 }), put(attemptId, { ...body, ringSeconds: 4 })])).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 200, 201]);
    } finally {
      strapi.db.connection.off('query', watch);
    }
    expect(await strapi.db.query('api::call.call').count({ where: { attemptId } })).toBe(1);
    // On PostgreSQL they wait for each other on a lock of the attempt id: none creates the call only to roll back on the unique index.
    if (strapi.db.dialect.client === 'postgres') expect(rollbacks).toEqual([]);
  });

  it('records many attempts at once without stalling, and the audit chain stays whole', async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => put(`${w.prefix}-burst-${i}`, { account: accounts.ok.documentId, campaign: campaign.documentId, phone: '+13125550201', outcome: 'busy', queuedAt: new Date().toISOString() })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(Date.now() - started).toBeLessThan(30_000);
    const verify = await http(strapi).get('/api/audit-logs/verify').set(worker());
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('completes a callback it dialed', async () => {
    const cb = await strapi.db.query('api::callback.callback').findOne({ where: { phone: '+13125550209' } });
    await put(`${w.prefix}-att-cb`, { account: accounts['called-back'].documentId, campaign: campaign.documentId, phone: '+13125550209', outcome: 'connected', callback: cb.documentId });
    expect((await strapi.db.query('api::callback.callback').findOne({ where: { id: cb.id } })).state).toBe('completed');
  });

  it('refuses users, and malformed attempt ids', async () => {
    expect((await put(`${w.prefix}-att-2`, { account: accounts.ok.documentId }, { Authorization: `Bearer ${w.tokens.supervisorA}` })).status).toBe(403);
    expect((await put('x', { account: accounts.ok.documentId })).status).toBe(400);
  });
});

describe('dispositions', () => {
  it('a cease disposition puts the number on the DNC list and the account on hold, and the hopper drops it', async () => {
    const cease = w.dispositions.find((d: any) => d.code === 'CEASE');
    const call = await strapi.documents('api::call.call').create({ data: { account: accounts.noconsent.documentId, agent: w.users.agentA1.id, phone: '+13125550202', outcome: 'connected' } } as any);
    // The agent works accounts assigned to them; give them this one for the test.
    await strapi.documents('api::account.account').update({ documentId: accounts.noconsent.documentId, data: { assignedAgent: w.users.agentA1.id } } as any);
    const res = await http(strapi).put(`/api/calls/${call.documentId}`).set('Authorization', `Bearer ${w.tokens.agentA1}`).send({ data: { disposition: cease.documentId } });
    expect(res.status).toBe(200);
    expect(await strapi.db.query('api::dnc-entry.dnc-entry').findOne({ where: { phone: '+13125550202', source: 'disposition', reason: 'cease_and_desist' } })).not.toBeNull();
    expect((await strapi.db.query('api::account.account').findOne({ where: { documentId: accounts.noconsent.documentId } })).status).toBe('cease_contact');
    expect((await hopper()).body.data.items.map((i: any) => i.phone)).not.toContain('+13125550202');
  });
});

describe('when nothing dials', () => {
  const dialable = (c: any) => http(strapi).get(`/api/campaigns/${c.documentId}/dialable?limit=20`).set(worker());
  const running = (name: string, accountFilter: object) =>
    strapi.documents('api::campaign.campaign').create({ data: { name: `${w.prefix} ${name}`, client: w.clients.a.documentId, dialMode: 'progressive', state: 'running', retryDelayMinutes: 120, accountFilter } } as any);

  it('counts what holds each remaining account back, and when the first window opens', async () => {
    // A book of its own, by balance: 9000 to 9999.
    const idle = await running('idle', { balance: { min: 9000, max: 9999 } });
    await account('night1', '+13125550301', { balance: 9001, timezone: NIGHT });
    await account('night2', '+13125550302', { balance: 9002, timezone: NIGHT });
    await account('recent', '+13125550303', { balance: 9003 });
    await pastCall(accounts.recent, 10 / 1440, 'no_answer', '+13125550303');
    await account('blocked', '+13125550304', { balance: 9004 });
    await strapi.documents('api::dnc-entry.dnc-entry').create({ data: { phone: '+13125550304', scope: 'global', reason: 'debtor_request' } } as any);
    await account('nophone', '', { balance: 9005, phones: [] });

    const res = await dialable(idle);
    expect(res.status).toBe(200);
    expect(res.body.data.items).toEqual([]);
    const why = res.body.data.nothingToDial;
    expect(why.remainingAccounts).toBe(5);
    expect(why.reasons).toEqual([
      { code: 'outside_calling_window', accounts: 2, nextWindow: { at: expect.any(String), timeZone: NIGHT, localTime: '08:00' } },
      { code: 'no_callable_phone', accounts: 1 },
      { code: 'retry_delay', accounts: 1 },
      { code: 'no_phones', accounts: 1 },
    ]);
    const opensIn = Date.parse(why.reasons[0].nextWindow.at) - Date.now();
    expect(opensIn > 0 && opensIn < DAY).toBe(true);
    expect(localClock(new Date(why.reasons[0].nextWindow.at), NIGHT).hhmm).toBe('08:00');
  });

  it('says the campaign is done when none of its accounts remains', async () => {
    const done = await running('done', { balance: { min: 9_999_000 } });
    expect((await dialable(done)).body.data.nothingToDial).toEqual({ remainingAccounts: 0, reasons: [{ code: 'all_done', accounts: 0 }] });
  });
});

describe('what the rules read of the record', () => {
  it('reads each account\'s calls, dispositions and callbacks as the rules need them', async () => {
    const book = await strapi.documents('api::campaign.campaign').create({
      data: { name: `${w.prefix} record`, client: w.clients.a.documentId, dialMode: 'progressive', state: 'running', retryDelayMinutes: 0, maxAttemptsPerAccount: 1, accountFilter: { balance: { min: 7000, max: 7999 } } },
    } as any);
    const elsewhere = await strapi.documents('api::campaign.campaign').create({ data: { name: `${w.prefix} elsewhere`, client: w.clients.a.documentId, dialMode: 'progressive', state: 'paused' } } as any);
    const disposition = async (code: string) => (await strapi.db.query('api::disposition.disposition').findOne({ where: { code } })).documentId;
    const phoneOf = new Map<string, string>();
    const call = (acc: any, fields: Record<string, unknown>) => strapi.documents('api::call.call').create({ data: { account: acc.documentId, phone: phoneOf.get(acc.documentId), direction: 'outbound', ...fields } } as any);
    const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();
    const callback = (acc: any, dueAt: string, campaignId?: string) =>
      strapi.documents('api::callback.callback').create({ data: { account: acc.documentId, phone: phoneOf.get(acc.documentId), dueAt, ...(campaignId ? { campaign: campaignId } : {}) } } as any);

    // [account, what its record holds, what the hopper must do with it]
    const cases: Array<[string, (acc: any) => Promise<unknown>, { kind: 'account' | 'callback' } | { refused: string }]> = [
      ['third-party', async (acc) => call(acc, { outcome: 'connected', queuedAt: daysAgo(3), dialedAt: daysAgo(3), disposition: await disposition('THIRD_PARTY') }), { kind: 'account' }],
      ['debtor-reached', async (acc) => call(acc, { outcome: 'connected', queuedAt: daysAgo(3), dialedAt: daysAgo(3), disposition: await disposition('RPC_REFUSED') }), { refused: 'reg_f_after_conversation' }],
      ['called-us', (acc) => call(acc, { direction: 'inbound', outcome: 'connected', queuedAt: daysAgo(2), answeredAt: daysAgo(2) }), { refused: 'reg_f_after_conversation' }],
      ['tried-here', (acc) => call(acc, { outcome: 'no_answer', queuedAt: daysAgo(8), dialedAt: daysAgo(8), campaign: book.documentId }), { refused: 'campaign_attempt_limit' }],
      ['tried-elsewhere', (acc) => call(acc, { outcome: 'no_answer', queuedAt: daysAgo(8), dialedAt: daysAgo(8), campaign: elsewhere.documentId }), { kind: 'account' }],
      ['callback-any', (acc) => callback(acc, daysAgo(0.01)), { kind: 'callback' }],
      ['callback-here', (acc) => callback(acc, daysAgo(0.01), book.documentId), { kind: 'callback' }],
      ['callback-elsewhere', (acc) => callback(acc, daysAgo(0.01), elsewhere.documentId), { kind: 'account' }],
      ['callback-tomorrow', (acc) => callback(acc, daysAgo(-1)), { kind: 'account' }],
    ];
    let n = 0;
    for (const [key, record] of cases) {
      const acc = await account(key, `+1312555040${n}`, { balance: 7000 + n });
      phoneOf.set(acc.documentId, `+1312555040${n++}`);
      await record(acc);
    }
    const res = await http(strapi).get(`/api/campaigns/${book.documentId}/dialable?limit=50`).set(worker());
    expect(res.status).toBe(200);
    const offered = new Map<string, string>(res.body.data.items.map((i: any) => [i.accountNumber.slice(w.prefix.length + 1), i.kind]));
    for (const [key, , expected] of cases) {
      if ('kind' in expected) expect([key, offered.get(key)]).toEqual([key, expected.kind]);
      else expect([key, offered.has(key)]).toEqual([key, false]);
    }
    expect(res.body.data.refusals).toMatchObject({ reg_f_after_conversation: 2, campaign_attempt_limit: 1 });
  });
});
