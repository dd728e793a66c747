import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { PASSWORD, buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
// The job as the booted cms runs it (its compiled modules, not this test's copy of the sources).
const evaluatePromises = (): Promise<{ ran: boolean }> => (strapi.service('api::payment.payment') as any).evaluatePromises();
let w: World;
let apiToken: string;

// A month two months back: every promise's grace is over, every date inside the writers' windows.
const now = new Date();
const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
const M = monthStart.toISOString().slice(0, 7);
const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const lastDay = new Date(Date.parse(`${next}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const FROM = `${M}-01`, TO = lastDay;
const day = (d: string) => `${M}-${d}`;
const NY = 'America/New_York';
const nyDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: NY, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

const as = (who: string) => (url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens[who]}`);
const report = (who: string, query: string) => as(who)(`/api/reports/kpis?from=${FROM}&to=${TO}&${query}`);

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'kpi');
  apiToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null } as any)).accessKey;
  const disp = (code: string) => w.dispositions.find((d: any) => d.code === code).documentId;
  const call = (n: string, acc: any, campaign: any, agent: any, queuedAt: string, outcome: string, extra: Record<string, unknown> = {}) =>
    strapi.documents('api::call.call').create({
      data: { attemptId: `${w.prefix}-k${n}`, account: acc.documentId, campaign: campaign.documentId, agent: agent?.id ?? null, direction: 'outbound', queuedAt, outcome, ...extra },
    } as any);
  const { a1, a1b, a2, b1 } = w.accounts;
  const { agentA1: A1, agentA2: A2, agentB1: B1 } = w.users;
  const c1 = await call('1', a1, w.campaigns.a, A1, `${day('05')}T14:00:00Z`, 'connected', { disposition: disp('PTP'), talkSeconds: 120, wrapSeconds: 30 });
  const c2 = await call('2', a1b, w.campaigns.a, A1, `${day('05')}T15:00:00Z`, 'connected', { disposition: disp('THIRD_PARTY'), talkSeconds: 60, wrapSeconds: 10 });
  await call('3', a1, w.campaigns.a, null, `${day('05')}T16:00:00Z`, 'no_answer');
  await call('4', a2, w.campaigns.a, null, `${day('05')}T17:00:00Z`, 'abandoned');
  const c5 = await call('5', a2, w.campaigns.aNoAgent, A2, `${day('06')}T14:00:00Z`, 'connected', { disposition: disp('RPC_REFUSED'), talkSeconds: 200, wrapSeconds: 20 });
  await call('6', a2, w.campaigns.aNoAgent, A2, `${day('06')}T15:00:00Z`, 'busy');
  // 02:00 UTC on the 1st of next month is the evening of the month's last day in New York: inside.
  const c7 = await call('7', a1, w.campaigns.a, A1, `${next}-01T02:00:00Z`, 'connected', { disposition: disp('PIF'), talkSeconds: 90, wrapSeconds: 0 });
  // 03:30 UTC on the 1st is the evening before in New York: outside.
  await call('8', a1, w.campaigns.a, A1, `${M}-01T03:30:00Z`, 'connected', { disposition: disp('PTP'), talkSeconds: 999, wrapSeconds: 99 });
  await call('9', b1, w.campaigns.b, B1, `${day('05')}T14:00:00Z`, 'connected', { disposition: disp('PTP'), talkSeconds: 500, wrapSeconds: 50 });

  const promise = async (acc: any, c: any, agent: any, amount: number, dueDate: string, createdAt: string) => {
    const p = await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: acc.documentId, call: c.documentId, agent: agent.id, amount, dueDate } } as any);
    await strapi.db.connection('promises_to_pay').where({ id: p.id }).update({ created_at: new Date(createdAt) });
    return p;
  };
  await promise(a1, c1, A1, 100, day('10'), `${day('05')}T14:05:00Z`);
  await promise(a1b, c2, A1, 50, day('20'), `${day('05')}T15:05:00Z`);
  await promise(a2, c5, A2, 80, day('15'), `${day('06')}T14:05:00Z`);
  await promise(a1, c7, A1, 40, `${next}-05`, `${next}-01T02:05:00Z`);
  const pay = (acc: any, amount: number, paidDate: string) => strapi.documents('api::payment.payment').create({ data: { account: acc.documentId, amount, paidDate } } as any);
  await pay(a1, 100, day('08'));
  await pay(a2, 30, day('12'));
  await pay(a1, 25, day('25'));
  await pay(b1, 70, day('08'));
  await evaluatePromises();

  const interval = (id: string, agent: any, campaign: any, status: string, startedAt: string, endedAt: string) =>
    http(strapi).put(`/api/agent-intervals/${w.prefix}-${id}`).set('Authorization', `Bearer ${apiToken}`).send({ data: { agentId: agent.id, campaign: campaign.documentId, status, startedAt, endedAt } });
  for (const res of [
    await interval('i1', A1, w.campaigns.a, 'ready', `${day('05')}T13:00:00Z`, `${day('05')}T14:00:00Z`),
    await interval('i2', A1, w.campaigns.a, 'on_call', `${day('05')}T14:00:00Z`, `${day('05')}T14:02:00Z`),
    await interval('i3', A1, w.campaigns.a, 'paused', `${day('05')}T18:00:00Z`, `${day('05')}T18:30:00Z`),
    await interval('i4', A2, w.campaigns.aNoAgent, 'ready', `${day('06')}T13:00:00Z`, `${day('06')}T14:00:00Z`),
  ]) expect(res.status).toBe(201);
});
afterAll(() => stopStrapi(strapi));

const row = (res: any, label: string) => res.body.data.find((r: any) => r.label === label);

describe('GET /api/reports/kpis', () => {
  it('by agent, for a supervisor: the seeded month gives the known figures, the rates follow from them', async () => {
    const res = await report('supervisorA', 'groupBy=agent');
    expect(res.status).toBe(200);
    expect(row(res, w.users.agentA1.username)).toMatchObject({
      key: w.users.agentA1.documentId, dials: 3, connects: 3, rightPartyContacts: 2, liveAnswered: 3, abandoned: 0, talkSeconds: 270, wrapSeconds: 40,
      promises: 3, promisedAmount: 190, promisesDue: 2, promisesKept: 1, promisesBroken: 1, promisesPartiallyKept: 0, collectedAmount: 100,
      loggedInSeconds: 5520, pausedSeconds: 1800, contactRate: 1, rpcRate: 0.6667, ptpRate: 1.5, keptRate: 0.5, aht: 103.3, utilization: 0.0489, occupancy: 0.0833,
    });
    expect(row(res, w.users.agentA2.username)).toMatchObject({
      dials: 2, connects: 1, rightPartyContacts: 1, talkSeconds: 200, wrapSeconds: 20, promises: 1, promisedAmount: 80, promisesDue: 1, promisesPartiallyKept: 1,
      collectedAmount: 30, loggedInSeconds: 3600, pausedSeconds: 0, utilization: 0.0556, occupancy: 0.0611, keptRate: 0,
    });
    expect(row(res, '(no agent)')).toMatchObject({ key: null, dials: 2, connects: 0, liveAnswered: 1, abandoned: 1, collectedAmount: 25, abandonRate: 1 });
    expect(res.body.totals).toMatchObject({ dials: 7, connects: 4, rightPartyContacts: 3, liveAnswered: 5, abandoned: 1, promises: 4, promisesDue: 3, collectedAmount: 155, abandonRate: 0.2, contactRate: 0.5714 });
    expect(res.body.data.map((r: any) => r.label)).not.toContain(w.users.agentB1.username);
    expect(res.body.meta.definitions.keptRate).toBe('promises kept ÷ promises due in the period.');
    expect(res.body.meta.timeZones).toEqual({ [w.clients.a.name]: NY });
  });

  it('by day, in the client\'s time zone: the evening call of the last day lands on that day, the one before the month is out', async () => {
    const res = await report('supervisorA', 'groupBy=day');
    expect(res.status).toBe(200);
    const byDay = Object.fromEntries(res.body.data.map((r: any) => [r.key, r]));
    expect(byDay[day('05')]).toMatchObject({ dials: 4, connects: 2, promises: 2, loggedInSeconds: 5520 });
    expect(byDay[day('06')]).toMatchObject({ dials: 2, promises: 1 });
    expect(byDay[lastDay]).toMatchObject({ dials: 1, promises: 1, talkSeconds: 90 });
    expect(byDay[day('08')]).toMatchObject({ collectedAmount: 100 });
    expect(byDay[day('10')]).toMatchObject({ promisesDue: 1, promisesKept: 1 });
    expect(Object.keys(byDay).every((d) => d >= FROM && d <= TO)).toBe(true);
    expect(res.body.totals.dials).toBe(7);
  });

  it('by campaign and by client', async () => {
    const byCampaign = await report('supervisorA', 'groupBy=campaign');
    expect(row(byCampaign, w.campaigns.a.name)).toMatchObject({ dials: 5, promises: 3, collectedAmount: 100, loggedInSeconds: 5520 });
    expect(row(byCampaign, w.campaigns.aNoAgent.name)).toMatchObject({ dials: 2, promises: 1, collectedAmount: 30 });
    const byClient = await report('supervisorA', 'groupBy=client');
    expect(byClient.body.data).toHaveLength(1);
    expect(byClient.body.data[0]).toMatchObject({ key: w.clients.a.documentId, dials: 7, collectedAmount: 155 });
  });

  it('filters by campaign and agent', async () => {
    const res = await report('supervisorA', `groupBy=agent&campaign=${w.campaigns.a.documentId}&agent=${w.users.agentA1.documentId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ dials: 3, promises: 3 });
  });

  it('an agent sees only their own figures, whatever they ask for', async () => {
    const own = await report('agentA1', 'groupBy=agent');
    expect(own.status).toBe(200);
    expect(own.body.data.map((r: any) => r.label)).toEqual([w.users.agentA1.username]);
    expect(own.body.totals.dials).toBe(3);
    const days = await report('agentA1', 'groupBy=day');
    expect(days.body.totals).toMatchObject({ dials: 3, collectedAmount: 100 });
    expect((await report('agentA1', `groupBy=agent&agent=${w.users.agentA2.documentId}`)).status).toBe(404);
  });

  it.each([
    ['supervisorB', `client=${'A'}`],
    ['supervisorB', 'campaign=A'],
    ['supervisorA', 'agent=B1'],
  ])('%s asking for %s out of their scope gets 404', async (who, q) => {
    const param = q.replace('client=A', `client=${w.clients.a.documentId}`).replace('campaign=A', `campaign=${w.campaigns.a.documentId}`).replace('agent=B1', `agent=${w.users.agentB1.documentId}`);
    expect((await report(who, `groupBy=agent&${param}`)).status).toBe(404);
  });

  it('another client\'s supervisor sees none of these figures', async () => {
    const res = await report('supervisorB', 'groupBy=agent');
    expect(res.body.totals).toMatchObject({ dials: 1, collectedAmount: 70 });
  });

  it.each([
    ['no from', `to=${TO}`, 'from'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-01', 'from'],
    ['to before from', 'from=2026-03-02&to=2026-03-01', 'to'],
    ['more than a year', 'from=2024-01-01&to=2026-03-01', 'to'],
    ['an unknown grouping', `from=${FROM}&to=${TO}&groupBy=week`, 'groupBy'],
    ['from given twice', `from=${FROM}&from=${FROM}&to=${TO}`, 'from'],
    ['from as an object', `from[$gt]=${FROM}&to=${TO}`, 'from'],
    ['a client that is no documentId', `from=${FROM}&to=${TO}&client[$ne]=x`, 'client'],
    ['an unknown parameter', `from=${FROM}&to=${TO}&sort=dials`, 'sort'],
  ])('refuses %s with 400 naming the parameter', async (_name, q, field) => {
    const res = await as('supervisorA')(`/api/reports/kpis?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: any) => e.path[0])).toContain(field);
  });

  it('anonymous readers are refused', async () => {
    expect((await http(strapi).get(`/api/reports/kpis?from=${FROM}&to=${TO}`)).status).toBe(403);
  });
});

describe('the figures equal what an analyst recomputes from the raw records', () => {
  async function all(who: string, path: string): Promise<any[]> {
    const out: any[] = [];
    for (let page = 1; ; page++) {
      const res = await as(who)(`${path}${path.includes('?') ? '&' : '?'}pagination[pageSize]=100&pagination[page]=${page}`);
      expect(res.status).toBe(200);
      out.push(...res.body.data);
      if (page >= res.body.meta.pagination.pageCount) return out;
    }
  }

  it('by agent, from the calls, promises and payments lists', async () => {
    const inMonth = (iso: string) => { const d = nyDate(iso); return d >= FROM && d <= TO; };
    const calls = (await all('supervisorA', '/api/calls?populate[agent][fields][0]=username&populate[disposition][fields][0]=rightPartyContact')).filter((c) => inMonth(c.queuedAt ?? c.createdAt));
    const promises = (await all('supervisorA', '/api/promises-to-pay?populate[agent][fields][0]=username')).filter((p) => p.state !== 'cancelled');
    const payments = (await all('supervisorA', '/api/payments?populate[promise][populate][agent][fields][0]=username')).filter((p) => p.paidDate >= FROM && p.paidDate <= TO);
    const agentOf = (x: any) => x?.username ?? '(no agent)';
    const expected = new Map<string, Record<string, number>>();
    const add = (agent: string, field: string, n: number) => {
      const r = expected.get(agent) ?? {};
      r[field] = Math.round(((r[field] ?? 0) + n) * 100) / 100;
      expected.set(agent, r);
    };
    for (const c of calls) {
      const a = agentOf(c.agent);
      if (c.direction === 'outbound') add(a, 'dials', 1);
      if (c.outcome === 'connected') add(a, 'connects', 1);
      if (c.disposition?.rightPartyContact) add(a, 'rightPartyContacts', 1);
      if (['connected', 'abandoned'].includes(c.outcome)) add(a, 'liveAnswered', 1);
      if (c.outcome === 'abandoned') add(a, 'abandoned', 1);
      add(a, 'talkSeconds', Number(c.talkSeconds ?? 0));
      add(a, 'wrapSeconds', Number(c.wrapSeconds ?? 0));
    }
    for (const p of promises) {
      const a = agentOf(p.agent);
      if (inMonth(p.createdAt)) { add(a, 'promises', 1); add(a, 'promisedAmount', Number(p.amount)); }
      if (p.dueDate >= FROM && p.dueDate <= TO) {
        add(a, 'promisesDue', 1);
        add(a, 'promisesKept', p.state === 'kept' ? 1 : 0);
        add(a, 'promisesBroken', p.state === 'broken' ? 1 : 0);
        add(a, 'promisesPartiallyKept', p.state === 'partially_kept' ? 1 : 0);
      }
    }
    for (const y of payments) add(agentOf(y.promise?.agent), 'collectedAmount', Number(y.amount));

    const res = await report('supervisorA', 'groupBy=agent');
    const got = new Map(res.body.data.map((r: any) => [r.label, r]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [agent, figures] of expected) expect(got.get(agent)).toMatchObject(figures);
  });

  it('the CSV and the workbook hold the same figures as the JSON', async () => {
    const json = (await report('supervisorA', 'groupBy=agent')).body;
    const csv = await as('supervisorA')(`/api/reports/kpis.csv?from=${FROM}&to=${TO}&groupBy=agent`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n').map((l: string) => l.split(','));
    const header = lines[0];
    expect(header.slice(0, 4)).toEqual(['key', 'label', 'dials', 'connects']);
    const total = lines[lines.length - 1];
    expect(Number(total[header.indexOf('dials')])).toBe(json.totals.dials);
    expect(Number(total[header.indexOf('collectedAmount')])).toBe(json.totals.collectedAmount);
    expect(lines).toHaveLength(json.data.length + 2);
    const xlsx = await as('supervisorA')(`/api/reports/kpis.xlsx?from=${FROM}&to=${TO}&groupBy=agent`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const body: Buffer = xlsx.body;
    expect(body.subarray(0, 4).toString('hex')).toBe('504b0304');
    const sheet = body.toString('utf8');
    expect(sheet).toContain(`<t xml:space="preserve">${w.users.agentA1.username}</t>`);
    expect(sheet).toContain(`<v>${json.totals.collectedAmount}</v>`);
    const pdf = await as('supervisorA')(`/api/reports/kpis.pdf?from=${FROM}&to=${TO}&groupBy=agent`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const page = (pdf.body as Buffer).toString('latin1');
    expect(page.startsWith('%PDF-1.4')).toBe(true);
    expect(page).toContain(`(${w.users.agentA1.username}) Tj`);
    expect(page).toContain(`(${json.totals.collectedAmount}) Tj`);
    expect(page.match(/\/Type \/Page /g)).toHaveLength(1);
  });
});

describe('the report follows the records', () => {
  it('a call changed after a report (answered, given to an agent, a right-party disposition) moves the next report', async () => {
    const before = (await report('supervisorA', 'groupBy=agent')).body;
    const a2Before = before.data.find((r: any) => r.label === w.users.agentA2.username);
    const call = await strapi.db.query('api::call.call').findOne({ where: { attemptId: `${w.prefix}-k3` } });
    const rpc = w.dispositions.find((d: any) => d.code === 'RPC_REFUSED').documentId;
    await strapi.documents('api::call.call').update({ documentId: call.documentId, data: { outcome: 'connected', agent: w.users.agentA2.id, disposition: rpc, talkSeconds: 15 } } as any);
    const after = (await report('supervisorA', 'groupBy=agent')).body;
    expect(after.totals).toMatchObject({ dials: before.totals.dials, connects: before.totals.connects + 1, rightPartyContacts: before.totals.rightPartyContacts + 1, talkSeconds: before.totals.talkSeconds + 15 });
    expect(after.data.find((r: any) => r.label === w.users.agentA2.username)).toMatchObject({ dials: a2Before.dials + 1, connects: a2Before.connects + 1 });
    expect(after.data.find((r: any) => r.label === '(no agent)').dials).toBe(before.data.find((r: any) => r.label === '(no agent)').dials - 1);
  });

  it('a disposition that stops counting as a right-party contact changes every day it was used on', async () => {
    const before = (await report('supervisorA', 'groupBy=day')).body.totals.rightPartyContacts;
    const pif = w.dispositions.find((d: any) => d.code === 'PIF');
    await strapi.db.query('api::disposition.disposition').update({ where: { id: pif.id }, data: { rightPartyContact: false } });
    try {
      expect((await report('supervisorA', 'groupBy=day')).body.totals.rightPartyContacts).toBe(before - 1);
    } finally {
      await strapi.db.query('api::disposition.disposition').update({ where: { id: pif.id }, data: { rightPartyContact: true } });
    }
  });
});

// Last: it adds a third agent to campaign A, which the figures above do not count.
describe("an agent's campaign average", () => {
  const peerBlock = async () => {
    const res = await report('agentA1', 'groupBy=agent');
    expect(res.status).toBe(200);
    // Their own row only, and no colleague named anywhere in the answer.
    expect(res.body.data.map((r: any) => r.label)).toEqual([w.users.agentA1.username]);
    const text = JSON.stringify(res.body);
    for (const other of [w.users.agentA2, w.users.agentB1]) {
      expect(text).not.toContain(other.username);
      expect(text).not.toContain(other.documentId);
    }
    expect(res.body.meta.definitions.peerAverage).toMatch(/average agent/);
    return res.body;
  };

  it('is withheld while the campaign has two agents (the average would give the other away), then given as the mean over its agents', async () => {
    // After the tests above, campaign A's agents in the month are A1 and A2 (call k3 was given to A2).
    let body = await peerBlock();
    expect(body.peerAverage).toEqual([{ key: w.campaigns.a.documentId, id: w.campaigns.a.id, label: w.campaigns.a.name, agents: 2, average: null }]);

    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } });
    const a3 = await strapi.plugin('users-permissions').service('user').add({
      username: `${w.prefix}_agentA3`, email: `${w.prefix}_a3@test.example.com`, password: PASSWORD, provider: 'local', confirmed: true, blocked: false, role: role.id,
    });
    await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { members: { connect: [{ id: a3.id }] } } } as any);
    const ptp = w.dispositions.find((d: any) => d.code === 'PTP').documentId;
    await strapi.documents('api::call.call').create({
      data: { attemptId: `${w.prefix}-k10`, account: w.accounts.a2.documentId, campaign: w.campaigns.a.documentId, agent: a3.id, direction: 'outbound', queuedAt: `${day('07')}T15:00:00Z`, outcome: 'connected', disposition: ptp, talkSeconds: 60, wrapSeconds: 0 },
    } as any);

    body = await peerBlock();
    expect(JSON.stringify(body)).not.toContain(`${w.prefix}_agentA3`);
    const [peer] = body.peerAverage;
    expect(peer).toMatchObject({ key: w.campaigns.a.documentId, agents: 3 });
    // Recomputed from the seed, campaign A in the month, agents only (call k4, nobody's, left out):
    // A1: calls k1, k2, k7 (3 connected, 2 right-party), talk 270, wrap 40; promises 100 + 50 + 40, 100 paid on the first;
    //     due in the month: the 100 (kept) and the 50 (broken); logged in 3600 + 120 + 1800 s.
    // A2: call k3 (connected, right-party), talk 15.   A3: call k10 (connected, right-party), talk 60.
    const sums = { dials: 5, connects: 5, rightPartyContacts: 4, talkSeconds: 345, wrapSeconds: 40, promises: 3, promisedAmount: 190, collectedAmount: 100, promisesDue: 2, promisesKept: 1, promisesBroken: 1, loggedInSeconds: 5520 };
    const per = (n: number) => Math.round((n / 3) * 100) / 100;
    expect(peer.average).toMatchObject(Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, per(v)])));
    // Rates pool the agents' work: summed numerator over summed denominator.
    expect(peer.average).toMatchObject({ contactRate: 1, rpcRate: 0.8, ptpRate: 0.75, keptRate: 0.5, aht: 77 });
    // The agent's own row, beside it, is still theirs alone.
    expect(body.data[0]).toMatchObject({ dials: 3, connects: 3, rightPartyContacts: 2 });
  });

  it('is not given to a supervisor, who reads the agents\u2019 rows themself', async () => {
    const res = await report('supervisorA', 'groupBy=agent');
    expect(res.status).toBe(200);
    expect(res.body.peerAverage).toBeUndefined();
  });
});
