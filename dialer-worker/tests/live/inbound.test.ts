/**
 * Inbound callers end to end: the PBX simulator over TCP sends them as Asterisk's dialer-inbound
 * context would (UserEvent InboundCall, music on hold, Hangup), the worker in this process
 * matches them through a real cms (PostgreSQL), queues them, offers them to an agent, bridges
 * them and records them. Matched, several matches, unknown, a caller who hangs up on hold, and
 * a blended agent with outbound dialing running.
 */
import type { Socket } from 'socket.io-client';
import type { CampaignStats } from '../../../protocol/campaign-stats';
import type { ScreenPop } from '../../../protocol/socket-protocol';
import { command, connect, startCms } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(300_000);

let cms: Awaited<ReturnType<typeof startCms>>;
let w: InProcessWorker;
const QUEUE_PREFIX = `test-inbound-${process.pid}-${Date.now()}`;
const sockets: Socket[] = [];
const DID = '212-555-0143'; // the client's caller id, dialed back in national format
const phone = (n: number) => `+1312${String(2000000 + n).padStart(7, '0')}`;

async function rest(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${cms.info.url}${path}`, { method, headers: { Authorization: `Bearer ${cms.info.apiToken}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function callRecord(attemptId: string, test: (c: any) => boolean): Promise<any> {
  let last: any = null;
  for (let i = 0; i < 150; i++) {
    const json = await rest('GET', `/api/calls?filters[attemptId][$eq]=${encodeURIComponent(attemptId)}&populate[account][fields][0]=documentId&populate[accounts][fields][0]=documentId&populate[agent][fields][0]=username&populate[client][fields][0]=documentId`);
    last = json.data[0] ?? null;
    if (last && test(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  const jobs = await Promise.all(['ended', 'final'].map(async (stage) => {
    const job = await (w.worker as any).queues.record.getJob(`${attemptId}:${stage}`);
    return job ? { stage, state: await job.getState(), attempts: job.attemptsMade, failedReason: job.failedReason ?? null } : { stage, state: 'none' };
  }));
  throw new Error(`call ${attemptId} never recorded as expected; last seen: ${JSON.stringify(last)}; its record jobs: ${JSON.stringify(jobs)}; worker said: ${JSON.stringify(w.logs.slice(-12))}`);
}

function next<T>(socket: Socket, event: string, test: (e: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const on = (e: T) => {
      if (!test(e)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(e);
    };
    socket.on(event, on);
  });
}

let agents: Socket[];
let accounts: any[];

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '6', AGENTS: '3', DIAL_MODE: 'progressive' });
  w = await startInProcessWorker(cms.info.url, cms.info.apiToken, { queuePrefix: QUEUE_PREFIX });
  // Running in cms (so its number routes callers to it) but not paced yet: no outbound call gets in the way until the blended test starts it.
  await rest('PUT', `/api/campaigns/${cms.info.campaignId}`, { data: { state: 'running' } });
  accounts = (await rest('GET', '/api/accounts?sort=accountNumber:asc&pagination[pageSize]=10&populate[assignedAgent][fields][0]=id&filters[accountNumber][$startsWith]=W0')).data;
  // A debtor with two debts: a second account on account 1's number.
  await rest('POST', '/api/accounts', { data: { accountNumber: 'W-second', client: accounts[0].client?.documentId ?? undefined, debtorLastName: 'Debtor1', balance: 42, timezone: accounts[1].timezone, phones: [{ number: phone(1), type: 'work', status: 'valid', autodialConsent: false }] } }).catch(async () => {
    const client = (await rest('GET', '/api/clients?filters[code][$eq]=WTB')).data[0];
    await rest('POST', '/api/accounts', { data: { accountNumber: 'W-second', client: client.documentId, debtorLastName: 'Debtor1', balance: 42, timezone: accounts[1].timezone, phones: [{ number: phone(1), type: 'work', status: 'valid', autodialConsent: false }] } });
  });
  agents = [];
  for (const a of cms.info.agents) agents.push(await connect(w.port, a.jwt));
  sockets.push(...agents);
}, 600_000); // cms boots in minutes on a loaded machine (CMS_START_TIMEOUT_MS)

afterAll(async () => {
  if (process.env.INBOUND_TEST_LOG) require('fs').writeFileSync(process.env.INBOUND_TEST_LOG, w.logs.map((l) => JSON.stringify(l)).join('\n'));
  for (const s of sockets) s.close();
  await w?.stop();
  await cms?.stop();
});

/** Ready, again while cms is too slow to answer the worker on a loaded machine (CMS_UNAVAILABLE: nothing was decided). */
async function ready(i: number) {
  let reply: any;
  for (let n = 0; n < 5; n++) {
    reply = await command(agents[i], 'ready', { campaignId: cms.info.campaignId });
    if (reply.ok || reply.code !== 'CMS_UNAVAILABLE') break;
  }
  expect(reply).toMatchObject({ ok: true });
}
/** A supervisor's campaign command, again while cms is too slow to answer the worker (CMS_UNAVAILABLE: nothing was decided). */
async function supervise(socket: Socket, name: 'campaign:start' | 'campaign:pause') {
  let reply: any;
  for (let n = 0; n < 5; n++) {
    reply = await command(socket, name, { campaignId: cms.info.campaignId });
    if (reply.ok || reply.code !== 'CMS_UNAVAILABLE') break;
  }
  expect({ name, ...reply }).toEqual(expect.objectContaining({ ok: true }));
}
const pause = async (i: number) => expect(await command(agents[i], 'pause', { reason: 'test' })).toMatchObject({ ok: true });

/**
 * The conversation itself, before the agent hangs up: a hang-up a few milliseconds after the
 * bridge races the PBX's own bridge events and rounds the talk time to 0.0 s; nobody talks that fast.
 */
const talk = () => new Promise((r) => setTimeout(r, 1000));

/** Ends the agent's call from their side and wraps it up, so they are ready for the next. */
async function finish(i: number, pop: ScreenPop, extra: Record<string, unknown> = {}) {
  const ended = next(agents[i], 'call:ended', (e: any) => e.attemptId === pop.attemptId);
  await talk();
  await command(agents[i], 'hangup');
  await ended;
  const reply = await command(agents[i], 'disposition', { attemptId: pop.attemptId, disposition: cms.info.dispositions.RPC_REFUSED ?? Object.values(cms.info.dispositions)[0], next: 'pause', ...extra });
  expect(reply).toMatchObject({ ok: true });
}

it('a known caller reaches their assigned agent, with the account on screen, and is recorded as inbound', async () => {
  const assigned = cms.info.agents.findIndex((a) => a.id === accounts[0].assignedAgent?.id);
  expect(assigned).toBeGreaterThanOrEqual(0);
  // Every agent ready, the assigned one last (so the longest-waiting is someone else): the assigned agent still gets the call.
  for (let i = 0; i < agents.length; i++) if (i !== assigned) await ready(i);
  await ready(assigned);
  const popped = next<ScreenPop>(agents[assigned], 'call:screen-pop', (p) => !!p.inbound);
  const uniqueId = w.pbx.inboundCall({ callerId: '(312) 200-0000', did: DID, patienceSec: 600, talkSec: 600 });
  const pop = await popped;
  expect(pop).toMatchObject({ attemptId: uniqueId, accountDocumentId: accounts[0].documentId, phone: phone(0), inbound: { callerNumber: phone(0), callerKind: 'number', did: '+12125550143' } });
  expect(pop.inbound!.matches.map((a) => a.documentId)).toEqual([accounts[0].documentId]);
  expect(pop.account?.accountNumber).toBe(accounts[0].accountNumber);
  await finish(assigned, pop);
  const record = await callRecord(uniqueId, (c) => c.outcome === 'connected' && !!c.wrapEndedAt);
  expect(record).toMatchObject({ direction: 'inbound', dialMode: 'inbound', callerNumber: phone(0), did: '+12125550143' });
  expect(record.account.documentId).toBe(accounts[0].documentId);
  expect(record.agent.username).toBe(cms.info.agents[assigned].username);
  expect(Number(record.queueWaitSeconds)).toBeGreaterThanOrEqual(0);
  expect(Number(record.talkSeconds)).toBeGreaterThan(0);
  for (let i = 0; i < agents.length; i++) if (i !== assigned) await pause(i);
});

it('a debtor with several debts: every account listed, the agent picks one, the record keeps all and the one picked', async () => {
  await ready(0);
  const popped = next<ScreenPop>(agents[0], 'call:screen-pop', (p) => !!p.inbound);
  const uniqueId = w.pbx.inboundCall({ callerId: phone(1), did: DID, patienceSec: 600, talkSec: 600 });
  const pop = await popped;
  expect(pop.attemptId).toBe(uniqueId);
  expect(pop.accountDocumentId).toBe('');
  expect(pop.inbound!.matches).toHaveLength(2);
  const picked = pop.inbound!.matches.find((a) => a.accountNumber === 'W-second')!;
  // Not one of the matches: refused.
  const ended = next(agents[0], 'call:ended', (e: any) => e.attemptId === uniqueId);
  await talk();
  await command(agents[0], 'hangup');
  await ended;
  expect(await command(agents[0], 'disposition', { attemptId: uniqueId, accountDocumentId: accounts[3].documentId })).toMatchObject({ ok: false, code: 'INVALID' });
  expect(await command(agents[0], 'disposition', { attemptId: uniqueId, accountDocumentId: picked.documentId, next: 'pause' })).toMatchObject({ ok: true });
  const record = await callRecord(uniqueId, (c) => !!c.wrapEndedAt);
  expect(record.account.documentId).toBe(picked.documentId);
  expect(record.accounts.map((a: any) => a.documentId).sort()).toEqual(pop.inbound!.matches.map((a) => a.documentId).sort());
});

it('an unknown caller pops as unknown and is recorded on the client with no account', async () => {
  await ready(1);
  const popped = next<ScreenPop>(agents[1], 'call:screen-pop', (p) => !!p.inbound);
  const uniqueId = w.pbx.inboundCall({ callerId: '+13125550999', did: DID, patienceSec: 600, talkSec: 600 });
  const pop = await popped;
  expect(pop).toMatchObject({ attemptId: uniqueId, accountDocumentId: '', account: null, inbound: { callerNumber: '+13125550999', callerKind: 'number', matches: [] } });
  await finish(1, pop, { notes: 'Caller: Sam Smith, to resolve' });
  const record = await callRecord(uniqueId, (c) => !!c.wrapEndedAt);
  expect(record).toMatchObject({ direction: 'inbound', callerNumber: '+13125550999', outcome: 'connected', notes: 'Caller: Sam Smith, to resolve' });
  expect(record.account).toBeNull();
  expect(record.client).not.toBeNull();
});

it('a caller who hangs up on hold, with nobody ready, is recorded as abandoned with their wait', async () => {
  const uniqueId = w.pbx.inboundCall({ callerId: phone(2), did: DID, patienceSec: 20, talkSec: 60 }); // 1 s real at speed 20
  const record = await callRecord(uniqueId, (c) => c.outcome === 'abandoned');
  expect(record).toMatchObject({ direction: 'inbound', callerNumber: phone(2), agent: null });
  // Records are in wall-clock seconds (as outbound ones): 20 s of patience at speed 20 is 1 s.
  expect(Number(record.queueWaitSeconds)).toBeGreaterThanOrEqual(0.9);
  expect(Number(record.talkSeconds ?? 0)).toBe(0);
});

it('a blended agent takes inbound callers while the campaign dials out; the wallboard shows the queue', async () => {
  const supervisor = await connect(w.port, cms.info.supervisor.jwt);
  sockets.push(supervisor);
  expect(await command(supervisor, 'campaign:watch', { campaignId: cms.info.campaignId })).toMatchObject({ ok: true });
  await supervise(supervisor, 'campaign:start');
  const pops: ScreenPop[] = [];
  for (const s of agents) s.on('call:screen-pop', (p: ScreenPop) => pops.push(p));
  for (let i = 0; i < agents.length; i++) await ready(i);
  // Two callers on hold: each agent who frees up takes a caller before any outbound answer.
  const callers = [w.pbx.inboundCall({ callerId: phone(4), did: DID, patienceSec: 1200, talkSec: 20 }), w.pbx.inboundCall({ callerId: phone(5), did: DID, patienceSec: 1200, talkSec: 20 })];
  for (let i = 0; i < 300 && !callers.every((id) => pops.some((p) => p.attemptId === id && p.inbound)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(pops.filter((p) => p.inbound).map((p) => p.attemptId).sort()).toEqual(expect.arrayContaining([...callers].sort()));
  // Today's callers: three answered and one hung up in the tests before, these two answered.
  const stats = await next<CampaignStats>(supervisor, 'campaign:stats', (s) => (s.inbound?.answered ?? 0) >= 5, 60_000);
  expect(stats.inbound).toMatchObject({ offered: 6, answered: 5, abandoned: 1, waiting: 0 });
  expect(stats.inbound).toMatchObject({ serviceLevelThresholdSec: 20 });
  expect(stats.inbound!.asaSec).not.toBeNull();
  // Inbound calls never enter the campaign's FCC abandon rate.
  expect(stats.abandonRate.abandons).toBe(0);
  await supervise(supervisor, 'campaign:pause');
});

it('the queue figures outlive the worker: a restarted worker on the same Redis shows the day so far', async () => {
  const watch = async () => {
    const supervisor = await connect(w.port, cms.info.supervisor.jwt);
    sockets.push(supervisor);
    expect(await command(supervisor, 'campaign:watch', { campaignId: cms.info.campaignId })).toMatchObject({ ok: true });
    return supervisor;
  };
  let supervisor = await watch();
  await supervise(supervisor, 'campaign:start');
  const before = (await next<CampaignStats>(supervisor, 'campaign:stats', (s) => (s.inbound?.answered ?? 0) >= 5, 60_000)).inbound!;
  await supervise(supervisor, 'campaign:pause');
  await w.stop();
  w = await startInProcessWorker(cms.info.url, cms.info.apiToken, { queuePrefix: QUEUE_PREFIX });
  supervisor = await watch();
  await supervise(supervisor, 'campaign:start');
  const after = (await next<CampaignStats>(supervisor, 'campaign:stats', (s) => !!s.inbound, 60_000)).inbound!;
  expect(after).toMatchObject({ offered: before.offered, answered: before.answered, abandoned: before.abandoned, serviceLevel: before.serviceLevel, asaSec: before.asaSec });
  expect(after.offered).toBeGreaterThanOrEqual(6);
  // And it keeps counting: a caller who hangs up on hold with nobody ready is added to the day's.
  // The agents come back to the restarted worker and pause: nobody takes the caller.
  for (const s of agents) s.close();
  agents = [];
  for (const a of cms.info.agents) agents.push(await connect(w.port, a.jwt));
  sockets.push(...agents);
  for (let i = 0; i < agents.length; i++) await pause(i);
  w.pbx.inboundCall({ callerId: phone(3), did: DID, patienceSec: 20, talkSec: 60 });
  const more = (await next<CampaignStats>(supervisor, 'campaign:stats', (s) => (s.inbound?.abandoned ?? 0) > before.abandoned, 60_000)).inbound!;
  expect(more).toMatchObject({ offered: before.offered + 1, abandoned: before.abandoned + 1, answered: before.answered });
  await supervise(supervisor, 'campaign:pause');
});
