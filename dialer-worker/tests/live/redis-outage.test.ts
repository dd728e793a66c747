/**
 * Redis dies under a running worker. Real processes: a Redis of this test's own (a real
 * redis-server child on a free port, so it can be killed; with AOF when it must come back with
 * its data), a real cms, the worker in this process, the PBX simulator over TCP, agents on
 * Socket.IO. What the worker did is compared with the simulator's own log of every call.
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Socket } from 'socket.io-client';
import { mulberry32 } from '../../src/math/random-source';
import { MemoryLog, type OutcomeLogEntry } from '../../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../../src/simulation/scenario';
import { command, connect, freePort, sleep, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(600_000);

const SPEED = 20;
/**
 * Longer than ioredis's own retries (about 10.5 s: 20 reconnections, 50 ms more each), on which
 * the worker used to rely, and long enough for calls to end, people to answer and hang up while
 * Redis is away (240 simulated seconds).
 */
const OUTAGE_MS = 12_000;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let w: InProcessWorker | undefined;
let redisPort: number;
let redis: ChildProcess | undefined;
const spawned: ChildProcess[] = [];
const sockets: Socket[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** `dir`: with AOF (fsync always, so "back with its data" is exact) in that folder; without, Redis comes back empty. */
async function startRedis(dir?: string): Promise<void> {
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(redis);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    redis!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
}

async function killRedis(): Promise<void> {
  const child = redis!;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function health(): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${w!.port}/health`);
  await res.text();
  return { status: res.status, ms: Date.now() - started };
}

async function upTo(ms: number, ready: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready()) && Date.now() < deadline) await sleep(50);
}

/** A command an agent's console would send again while the worker answers that its state is unreachable. */
async function insist(socket: Socket, name: string, payload: unknown): Promise<{ ok: boolean; code?: string; error?: string; data?: any }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reply: any = await command(socket, name, payload);
    if (reply.ok || !/STATE_UNAVAILABLE|CMS_UNAVAILABLE|NO_REPLY/.test(`${reply.code} ${reply.error}`) || Date.now() > deadline) return reply;
    await sleep(200);
  }
}

type Agent = { id: number; socket: Socket; states: any[]; pops: Map<string, number>; refused: any[] };

/** Agents as consoles behave: a disposition soon after each talk, Ready again when told their state was lost. */
async function agentsAtWork(): Promise<Agent[]> {
  const agents: Agent[] = [];
  for (const a of info.agents) {
    const agent: Agent = { id: a.id, socket: undefined as unknown as Socket, states: [], pops: new Map(), refused: [] };
    const done = new Set<string>();
    const dispose = (attemptId: string) => {
      if (done.has(attemptId)) return;
      done.add(attemptId);
      setTimeout(() => void insist(agent.socket, 'disposition', { attemptId, disposition: info.dispositions.PTP }).then((r) => r.ok || agent.refused.push({ attemptId, ...r })), 100);
    };
    agent.socket = await connect(w!.port, a.jwt, (s) => {
      s.on('agent:state', (st: any) => {
        agent.states.push({ ...st, at: Date.now() });
        if (st.status === 'wrap_up' && st.attemptId) dispose(st.attemptId);
        if (st.reason === 'STATE_LOST') void insist(s, 'ready', { campaignId: info.campaignId });
      });
      s.on('call:ended', (e: any) => e.outcome === 'connected' && dispose(e.attemptId));
      s.on('call:screen-pop', (p: any) => agent.pops.set(p.attemptId, Date.now()));
    });
    sockets.push(agent.socket);
    expect(await command(agent.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    agents.push(agent);
  }
  return agents;
}

async function cmsCalls(attemptIds: Set<string>): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  for (let page = 1; ; page++) {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&sort[0]=id:asc&pagination[pageSize]=100&pagination[page]=${page}`, { headers: { Authorization: `Bearer ${info.apiToken}` } });
    const json: any = await res.json();
    for (const c of json.data) if (attemptIds.has(c.attemptId)) out.set(c.attemptId, c);
    if (page >= json.meta.pagination.pageCount) return out;
  }
}

/** Pauses the campaign, lets every call the PBX placed end, and gives cms's records of them once all are final (or after a minute). */
async function settle(log: MemoryLog, supervisor: Socket): Promise<{ ended: OutcomeLogEntry[]; records: Map<string, any> }> {
  const paused = await insist(supervisor, 'campaign:pause', { campaignId: info.campaignId });
  expect(paused.ok ? 'paused' : paused).toBe('paused');
  const placed = () => new Set(log.entries.filter((e: any) => e.event === 'originate' && e.leg === 'customer' && e.accepted).map((e: any) => e.attemptId as string));
  const ended = () => log.entries.filter((e): e is OutcomeLogEntry => e.event === 'outcome');
  await upTo(90_000, () => ended().length >= placed().size);
  let records = new Map<string, any>();
  await upTo(60_000, async () => {
    records = await cmsCalls(placed());
    return [...placed()].every((id) => records.get(id) && records.get(id).outcome !== 'pending');
  });
  return { ended: ended(), records };
}

/** What the PBX did with each call, next to what cms recorded: an abandon is an abandon, a connected call was bridged. */
function mismatches(ended: OutcomeLogEntry[], records: Map<string, any>) {
  const expected = (e: OutcomeLogEntry) => (e.outcome === 'human' ? (e.agentId ? 'connected' : 'abandoned') : e.outcome === 'machine' ? 'machine' : undefined);
  return ended
    .filter((e) => e.outcome !== 'rejected')
    .map((e) => ({ attemptId: e.attemptId, pbx: expected(e) ?? e.outcome, cms: records.get(e.attemptId)?.outcome ?? 'missing' }))
    .filter((m) => m.cms === 'missing' || m.cms === 'pending' || (['connected', 'abandoned', 'machine'].includes(m.pbx) && m.cms !== m.pbx));
}

/**
 * Pending records of calls whose worker died with the Redis that held them (written as that
 * worker would have when it sent them to an agent), with no channel at the PBX any more; gives
 * the outcome each must end with: an answered call nobody can show reached an agent is an
 * abandon, a machine a machine.
 */
async function callsAWorkerLostWithRedis(): Promise<Record<string, string>> {
  const headers = { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' };
  let sample: any;
  await upTo(20_000, async () => {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&populate[account][fields][0]=documentId&pagination[pageSize]=1`, { headers });
    [sample] = ((await res.json()) as any).data;
    return !!sample;
  });
  const at = new Date(Date.now() - 30_000).toISOString();
  const lost = { [`lost-${Date.now()}-person`]: ['HUMAN', 'abandoned'], [`lost-${Date.now()}-machine`]: ['MACHINE', 'machine'] };
  for (const [attemptId, [amdStatus]] of Object.entries(lost)) {
    const data = { account: sample.account.documentId, campaign: info.campaignId, phone: sample.phone, direction: 'outbound', dialMode: 'predictive', queuedAt: at, dialedAt: at, answeredAt: at, bridgedAt: at, amdStatus, outcome: 'pending', amiUniqueId: attemptId };
    const put = await fetch(`${info.url}/api/calls/attempts/${attemptId}`, { method: 'PUT', headers, body: JSON.stringify({ data }) });
    expect(put.status).toBeLessThan(300);
  }
  return Object.fromEntries(Object.entries(lost).map(([id, [, outcome]]) => [id, outcome]));
}

/** A Redis (with AOF in `dir`, if given), the worker, agents at work and a running campaign, until `talking` debtors are bridged to agents. */
async function campaignUnderway(dir: string | undefined, seed: number, talking: number): Promise<{ log: MemoryLog; agents: Agent[]; supervisor: Socket }> {
  redisPort = await freePort();
  await startRedis(dir);
  const log = new MemoryLog();
  // Shorter talks than the default (2 minutes, not 4): calls bridged before the outage end during it.
  const pbx = { speed: SPEED, scenario: { ...DEFAULT_SCENARIO, talkMeanSec: 120, talkSdSec: 40 }, random: mulberry32(seed), log };
  w = await startInProcessWorker(info.url, info.apiToken, { redisUrl: `redis://127.0.0.1:${redisPort}`, pacingIntervalMs: 100 }, pbx);
  const agents = await agentsAtWork();
  const supervisor = await connect(w.port, info.supervisor.jwt);
  sockets.push(supervisor);
  expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
  const bridged = () => w!.pbx.channels().filter((c) => c.leg === 'customer' && c.bridgeName).length;
  await upTo(60_000, () => bridged() >= talking);
  expect(bridged()).toBeGreaterThanOrEqual(talking);
  return { log, agents, supervisor };
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  cms = await startCms({ ACCOUNTS: '400', AGENTS: '3' });
  info = cms.info;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  if (redis && redis.exitCode === null && redis.signalCode === null) await w?.stop();
  w = undefined;
  await killRedis().catch(() => undefined);
});

afterAll(async () => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cms?.stop();
  process.off('unhandledRejection', onUnhandled);
});

describe('a Redis outage', () => {
  it('answers /health 503 within a second, leaves no unhandled error, and tells agents to go Ready again when Redis comes back empty', async () => {
    redisPort = await freePort();
    await startRedis();
    // The product's default /health budget (1500 ms): "down" must come well before it.
    w = await startInProcessWorker(info.url, info.apiToken, { redisUrl: `redis://127.0.0.1:${redisPort}`, healthTimeoutMs: 1500 });
    const errors = jest.spyOn(console, 'error');
    const agent = info.agents[0];
    const states: any[] = [];
    const socket = await connect(w.port, agent.jwt, (s) => s.on('agent:state', (st: any) => states.push(st)));
    sockets.push(socket);
    expect(await command(socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect((await health()).status).toBe(200);

    await killRedis();
    const killedAt = Date.now();
    await upTo(5_000, async () => (await health()).status === 503);
    // Said within a second of Redis going, not after ioredis's retries or the health timeout.
    expect(Date.now() - killedAt).toBeLessThan(1000);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(1000);
    // A command while Redis is away is refused at once, with a code the console can act on.
    const refused = Date.now();
    expect(await command(socket, 'pause', {})).toMatchObject({ ok: false, code: 'STATE_UNAVAILABLE' });
    expect(Date.now() - refused).toBeLessThan(1000);

    await startRedis();
    await upTo(20_000, () => states.some((s) => s.reason === 'STATE_LOST'));
    expect(states.find((s) => s.reason === 'STATE_LOST')).toMatchObject({ id: agent.id, status: 'logged_out' });
    expect(await insist(socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect((await health()).status).toBe(200);
    // The agent's leg was still up at the PBX: taken back, not placed a second time.
    expect(w.pbx.channels().filter((c) => c.leg === 'agent' && c.agentId === String(agent.id))).toHaveLength(1);

    const printed = errors.mock.calls.map((c) => c.map(String).join(' ')).filter((line) => /Unhandled error event/.test(line));
    expect(printed).toEqual([]);
    expect(unhandled).toEqual([]);
    errors.mockRestore();
  });

  it('back with its data after 12 s mid-campaign: no call event lost, end times as the PBX saw them, no agent left on a call that ended or sent to a debtor who had hung up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-aof-'));
    const { log, agents, supervisor } = await campaignUnderway(dir, 31, 2);

    await killRedis();
    const wentAt = Date.now();
    await sleep(OUTAGE_MS); // the fault itself: Redis stays away this long
    await startRedis(dir);
    const backAt = Date.now();
    const bridgedAtBack = w!.pbx.counters().bridged;
    // Calls reach agents again.
    await upTo(60_000, () => w!.pbx.counters().bridged >= bridgedAtBack + 2);
    expect(w!.pbx.counters().bridged).toBeGreaterThanOrEqual(bridgedAtBack + 2);

    const { ended, records } = await settle(log, supervisor);
    expect(mismatches(ended, records)).toEqual([]);
    // Calls that ended while Redis was away: recorded with the time the PBX ended them, not when Redis came back.
    const duringOutage = ended.filter((e) => Date.parse(e.hangupAt) > wentAt && Date.parse(e.hangupAt) < backAt);
    expect(duringOutage.filter((e) => e.agentId).length).toBeGreaterThan(0);
    // (an unanswered dial ends with its OriginateResponse, which may come before the channel's teardown: earlier, never later)
    const lateEnds = duringOutage
      .map((e) => ({ attemptId: e.attemptId, answered: !!e.answeredAt, pbx: e.hangupAt, cms: records.get(e.attemptId)?.endedAt }))
      .filter((m) => !m.cms || Date.parse(m.cms) - Date.parse(m.pbx) > 1000 || (m.answered && Math.abs(Date.parse(m.cms) - Date.parse(m.pbx)) > 1000));
    expect(lateEnds).toEqual([]);
    // No screen pop for a debtor who had already hung up.
    const byAttempt = new Map(ended.map((e) => [e.attemptId, e]));
    const popsAfterHangup = agents.flatMap((a) => [...a.pops].filter(([id, at]) => byAttempt.has(id) && at > Date.parse(byAttempt.get(id)!.hangupAt) + 500).map(([id]) => ({ agent: a.id, attemptId: id })));
    expect(popsAfterHangup).toEqual([]);
    // Every agent can go Ready: none is left on a call that ended.
    for (const a of agents) expect(await insist(a.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect(agents.flatMap((a) => a.refused)).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('back empty mid-campaign: every call closed truthfully, agents told and their legs taken back, calls flow again once they are Ready', async () => {
    const { log, agents, supervisor } = await campaignUnderway(undefined, 41, 1);
    const legsBefore = w!.pbx.counters().agentLegs;
    const lost = await callsAWorkerLostWithRedis();
    const last = (a: Agent) => a.states[a.states.length - 1]?.status;
    const heldByACall = new Set(agents.filter((a) => ['reserved', 'on_call', 'wrap_up'].includes(last(a))).map((a) => a.id));

    await killRedis();
    await sleep(3_000); // the fault itself
    await startRedis();
    const bridgedAtBack = w!.pbx.counters().bridged;
    await upTo(60_000, () => w!.pbx.counters().bridged >= bridgedAtBack + 2);
    expect(w!.pbx.counters().bridged).toBeGreaterThanOrEqual(bridgedAtBack + 2);
    // Each agent not on a call was told; their legs were still up, taken back rather than placed again.
    // (an agent whose call was put back with them is not told, unless it ended in the 3 s)
    const told = new Set(agents.filter((a) => a.states.some((s) => s.reason === 'STATE_LOST')).map((a) => a.id));
    for (const a of agents) if (!heldByACall.has(a.id)) expect(told.has(a.id)).toBe(true);
    expect(w!.pbx.counters().agentLegs).toBe(legsBefore);
    for (const a of agents) expect(w!.pbx.channels().filter((c) => c.leg === 'agent' && c.agentId === String(a.id)).length).toBeLessThanOrEqual(1);

    const { ended, records } = await settle(log, supervisor);
    expect(mismatches(ended, records)).toEqual([]);
    expect([...records.values()].filter((r) => r.outcome === 'pending')).toEqual([]);
    // The calls nobody could follow any more: closed from what their records showed, not left pending.
    let orphans = new Map<string, any>();
    await upTo(30_000, async () => [...(orphans = await cmsCalls(new Set(Object.keys(lost)))).values()].every((r) => r.outcome !== 'pending'));
    expect(Object.fromEntries([...orphans].map(([id, r]) => [id, r.outcome]))).toEqual(lost);
    for (const a of agents) expect(await insist(a.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect(unhandled).toEqual([]);
  });
});
