/**
 * Two dialer-workers on one Redis (issue 16), each a child process, with one cms on
 * PostgreSQL, one PBX simulator over TCP (both workers logged in to it, as two AMI users of
 * one Asterisk would be) and a redis-server of this test's own. Agents 1–2 and the supervisor
 * are on worker A's socket, agents 3–4 on worker B's.
 * - The supervisor on A sees the state changes of the agents connected to B (Socket.IO Redis adapter).
 * - One pacing leader per campaign: the Redis lock is held by one worker at every sample, and
 *   every attempt is booked by the worker holding it then.
 * - Screen pops reach agents on either worker, including the agents on B for calls A's pacer placed.
 * - A (the leader) SIGKILLed mid-run: B holds the lock within 10 s and dials on; the calls A
 *   was following are adopted by B and end with a final record in cms; A's agents reconnect to
 *   B (as a load balancer would send them) and take calls again.
 * - Over the whole run (the PBX's own log): no attempt dialed twice, no phone dialed twice
 *   (the retry delay is an hour), one cms record per Originate, none left pending, each saying
 *   what the PBX did (on the safe side for what happened while nobody followed A's calls).
 */
import fs from 'fs';
import path from 'path';
import Redis from 'ioredis';
import type { Socket } from 'socket.io-client';
import type { BridgedLogEntry, OriginateLogEntry, OutcomeLogEntry, PbxLogEntry } from '../../src/pbx-simulator/simulator-log';
import { command, connect, freePort, sleep, startCms, startPbx, startRedis, startWorker, tmpFile, updateCampaign, type CmsInfo, type RedisProcess, type WorkerProcess } from './harness';

jest.setTimeout(600_000);

const SPEED = 20;
const LEASE_MS = 3000;
/** The brief's bound: the survivor paces the campaign this soon after the leader died. */
const TAKEOVER_MS = 10_000;
const RECORDED_AS: Record<string, string> = { machine: 'machine', busy: 'busy', declined: 'busy', no_answer: 'no_answer', invalid: 'failed', congestion: 'failed' };

let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let redis: RedisProcess;
let db: Redis;
let pbx: Awaited<ReturnType<typeof startPbx>>;
const workers: Record<'A' | 'B', WorkerProcess | undefined> = { A: undefined, B: undefined };
const logPath = tmpFile('pbx.jsonl');
const prefix = `two${Date.now()}`;
const lockKey = () => `${prefix}:pacing-lock:${info.campaignId}`;
let supervisorA: Socket;
const agents: Agent[] = [];
/** Every agent:state the supervisor on A received, by agent id. */
const seenByA = new Map<number, string[]>();
const seenByB = new Map<number, string[]>();
/** Redis sampled every 100 ms: who held the pacing lock, and the worker that booked each attempt when first seen. */
const lockSamples: Array<{ at: number; holder: string | null }> = [];
const bookedBy = new Map<string, { workerId: string; at: number; holder: string | null }>();
let sampling = true;
let sampler: Promise<void>;
let killedAt = 0;

const scenarioPath = tmpFile('two-workers-scenario.json');
fs.writeFileSync(scenarioPath, JSON.stringify({ name: 'two workers', liveRate: 0.6, machineRate: 0.15, busyRate: 0.05, invalidRate: 0.05 }));

function pbxLog(): PbxLogEntry[] {
  return fs.readFileSync(logPath, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}
const originates = () => pbxLog().filter((e): e is OriginateLogEntry & { attemptId: string } => e.event === 'originate' && e.leg === 'customer' && e.accepted && e.attemptId !== null);

class Agent {
  socket!: Socket;
  status = 'logged_out';
  readonly pops: Array<{ attemptId: string; at: number; on: 'A' | 'B' }> = [];
  readonly sent = new Map<string, string>();
  private readonly disposing = new Set<string>();
  on: 'A' | 'B';

  constructor(readonly user: CmsInfo['agents'][number], on: 'A' | 'B') {
    this.on = on;
  }

  async connect(on: 'A' | 'B'): Promise<void> {
    this.socket?.close();
    this.on = on;
    this.socket = await connectRetrying(workers[on]!.port, this.user.jwt, (s) => {
      s.on('agent:state', (st: any) => {
        this.status = st.status;
        if (st.status === 'wrap_up' && st.attemptId) void this.dispose(st.attemptId);
      });
      s.on('call:screen-pop', (p: any) => this.pops.push({ attemptId: p.attemptId, at: Date.now(), on: this.on }));
      s.on('call:ended', (e: any) => e.outcome === 'connected' && void this.dispose(e.attemptId));
    });
  }

  async goReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const reply = await command(this.socket, 'ready', { campaignId: info.campaignId });
      if (reply.ok || /^CONFLICT/.test(reply.error ?? '')) return;
      if (Date.now() > deadline) throw new Error(`${this.user.username} could not go ready: ${reply.error}`);
      await sleep(300);
    }
  }

  /** A moment after the call; tried again on whatever socket the agent has by then (their worker may have died). */
  private async dispose(attemptId: string): Promise<void> {
    if (this.disposing.has(attemptId)) return;
    this.disposing.add(attemptId);
    await sleep(150);
    for (let tries = 0; tries < 100; tries++) {
      const reply = await command(this.socket, 'disposition', { attemptId, disposition: info.dispositions.PTP, notes: 'two workers' });
      if (reply.ok || /^CONFLICT/.test(reply.error ?? '')) {
        this.sent.set(attemptId, reply.ok ? 'PTP' : 'wrap-up limit');
        return;
      }
      await sleep(300);
    }
  }
}

/** connect(), tried again while the worker cannot reach cms to check the token (a loaded machine). */
async function connectRetrying(port: number, token: string, listen?: (socket: Socket) => void): Promise<Socket> {
  for (let tries = 0; ; tries++) {
    try {
      return await connect(port, token, listen);
    } catch (error) {
      if (tries >= 20 || !/cms unavailable/i.test((error as Error).message)) throw error;
      await sleep(1000);
    }
  }
}

async function upTo(ms: number, ready: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ready()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

/** The worker's health details (a supervisor's token shows them); asked again if they did not come in time on a busy machine. */
async function health(w: 'A' | 'B'): Promise<any> {
  for (let tries = 0; ; tries++) {
    const res = await fetch(`http://127.0.0.1:${workers[w]!.port}/health`, { headers: { Authorization: `Bearer ${info.supervisor.jwt}` } });
    const body: any = await res.json();
    if (body.details?.campaigns || tries >= 5) return body;
    await sleep(500);
  }
}

async function cmsCalls(): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&fields[0]=attemptId&fields[1]=outcome&fields[2]=phone&populate[disposition][fields][0]=code&sort[0]=id:asc&pagination[pageSize]=200&pagination[page]=${page}`, { headers: { Authorization: `Bearer ${info.apiToken}` } });
    const json: any = await res.json();
    out.push(...json.data);
    if (page >= json.meta.pagination.pageCount) return out;
  }
}

const workerEnv = (id: string) => ({
  AMI_PORT: String(pbx.port), CMS_URL: info.url, CMS_API_TOKEN: info.apiToken, REDIS_URL: redis.url, SIM_SPEED: String(SPEED),
  PACING_INTERVAL_MS: '100', QUEUE_PREFIX: prefix, WORKER_ID: id, WORKER_LEASE_MS: String(LEASE_MS),
});

/**
 * Attempts booked by a worker that held no lock around the time they were first seen (the
 * samples of the 600 ms before): a pacer that dialed without leading. Adopted calls keep the
 * booking worker's id as first seen.
 */
function bookedOutsideTheLock(): Array<{ attemptId: string; workerId: string; holders: Array<string | null> }> {
  const out: Array<{ attemptId: string; workerId: string; holders: Array<string | null> }> = [];
  for (const [attemptId, b] of bookedBy) {
    const around = lockSamples.filter((x) => x.at >= b.at - 600 && x.at <= b.at).map((x) => x.holder);
    if (!around.includes(b.workerId)) out.push({ attemptId, workerId: b.workerId, holders: [...new Set(around)] });
  }
  return out;
}

async function sample(): Promise<void> {
  while (sampling) {
    try {
      const at = Date.now();
      const [holder, calls] = await Promise.all([db.get(lockKey()), db.hgetall(`${prefix}:calls`)]);
      lockSamples.push({ at, holder });
      for (const [id, raw] of Object.entries(calls)) if (!bookedBy.has(id)) bookedBy.set(id, { workerId: JSON.parse(raw).workerId, at, holder });
    } catch {
      // Redis is not what this test breaks; a failed sample is just skipped.
    }
    await sleep(100);
  }
}

beforeAll(async () => {
  redis = await startRedis(await freePort(), path.dirname(tmpFile('redis')), false);
  db = new Redis(redis.url);
  cms = await startCms({ ACCOUNTS: '300', AGENTS: '4' });
  info = cms.info;
  // An hour: no phone may come round again within the test, so any phone dialed twice is a fault.
  await updateCampaign(info, { retryDelayMinutes: 60 });
  fs.writeFileSync(logPath, '');
  pbx = await startPbx({ SIM_SPEED: String(SPEED), SIM_SEED: '7', PBX_SIM_LOG: logPath, SIM_SCENARIO: scenarioPath });
  workers.A = await startWorker(workerEnv('worker-a'));
  workers.B = await startWorker(workerEnv('worker-b'));
  info.agents.forEach((u, i) => agents.push(new Agent(u, i < 2 ? 'A' : 'B')));
  for (const a of agents) {
    await a.connect(a.on);
    await a.goReady();
  }
  supervisorA = await connect(workers.A.port, info.supervisor.jwt, (s) => {
    s.on('agent:state', (st: any) => seenByA.set(st.id, [...(seenByA.get(st.id) ?? []), st.status]));
  });
  expect(await command(supervisorA, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: true });
  sampler = sample();
}, 400_000);

afterAll(async () => {
  sampling = false;
  await sampler;
  for (const a of agents) a.socket?.close();
  supervisorA?.close();
  const out = tmpFile('two-workers.log');
  fs.writeFileSync(out, `--- A\n${workers.A?.output() ?? ''}\n--- B\n${workers.B?.output() ?? ''}`);
  console.log(`two-workers: worker logs in ${out}, PBX log in ${logPath}`);
  await workers.A?.stop('SIGKILL');
  await workers.B?.stop();
  await pbx?.stop();
  db?.disconnect();
  await redis?.kill();
  await cms?.stop();
});

describe('two dialer-workers on one Redis', () => {
  it('both running: one leader, the supervisor on A sees the agents on B, pops reach agents on either worker', async () => {
    // Started on A: A's loop takes the lock at once; B's starts within a quarter lease and finds it taken.
    expect(await command(supervisorA, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    // One call each is the claim; on this shared machine (cms answering in seconds) more would test its load.
    const popped = await upTo(180_000, () => agents.every((a) => a.pops.length >= 1));
    expect(agents.map((a) => ({ agent: a.user.username, on: a.on, pops: a.pops.length >= 1 }))).toEqual(agents.map((a) => ({ agent: a.user.username, on: a.on, pops: true })));
    expect(popped).toBe(true);

    // Both workers run a loop for the campaign; one paces it (A, unless A stalled for longer
    // than the 1 s lock lease on this busy machine and B took over: a handover, never two leaders).
    const asked = Date.now();
    const [a, b] = await Promise.all([health('A'), health('B')]);
    expect({ A: a.details.campaigns, B: b.details.campaigns }).toEqual({ A: [info.campaignId], B: [info.campaignId] });
    const leaders = [...a.details.leading.map(() => 'worker-a'), ...b.details.leading.map(() => 'worker-b')];
    // Both only if the lock changed hands while the two were asked.
    const handedOver = new Set(lockSamples.filter((x) => x.at >= asked - 500 && x.holder).map((x) => x.holder)).size > 1;
    expect(leaders.length === 1 || (leaders.length === 2 && handedOver)).toBe(true);
    const holders = lockSamples.filter((x) => x.holder !== null).map((x) => x.holder);
    const handovers = holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length;
    console.log(`two-workers: lock holders over ${lockSamples.length} samples: ${[...new Set(holders)].join(', ')}; ${handovers} handovers while both ran`);
    expect(holders[0]).toBe('worker-a');
    expect(bookedOutsideTheLock()).toEqual([]);
    // Pops reached agents on the worker that did not book the call (the Redis adapter carried them).
    const booked = [...bookedBy.values()];
    expect(booked.length).toBeGreaterThan(0);
    const crossPops = agents.flatMap((x) => x.pops.filter((p) => bookedBy.get(p.attemptId) && bookedBy.get(p.attemptId)!.workerId !== `worker-${p.on.toLowerCase()}`));
    expect(crossPops.length).toBeGreaterThanOrEqual(2);

    // The supervisor on A heard the agents connected to B go through their calls.
    for (const x of agents.filter((y) => y.on === 'B')) {
      expect([x.user.username, seenByA.get(x.user.id) ?? []]).toEqual([x.user.username, expect.arrayContaining(['on_call'])]);
    }
    // A state only B can emit (its own agent's command): a pause on B reaches the supervisor on A,
    // and one on A the supervisor on B. A's pops to B's agents above went the same way.
    const supervisorB = await connectRetrying(workers.B!.port, info.supervisor.jwt, (s) => {
      s.on('agent:state', (st: any) => seenByB.set(st.id, [...(seenByB.get(st.id) ?? []), st.status]));
    });
    expect(await command(supervisorB, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    for (const x of [agents[3], agents[0]]) {
      const seen = x.on === 'B' ? seenByA : seenByB;
      const before = (seen.get(x.user.id) ?? []).filter((st) => st === 'paused').length;
      // Between calls: a pause while on a call is refused, so tried again at the next Ready.
      let paused = false;
      for (let tries = 0; tries < 20 && !paused; tries++) {
        await upTo(30_000, () => x.status === 'ready');
        paused = (await command(x.socket, 'pause', { reason: 'two-workers' })).ok;
      }
      expect([x.user.username, 'paused', paused]).toEqual([x.user.username, 'paused', true]);
      expect([x.user.username, 'seen paused on the other worker', await upTo(5000, () => (seen.get(x.user.id) ?? []).filter((st) => st === 'paused').length > before)]).toEqual([x.user.username, 'seen paused on the other worker', true]);
      await x.goReady();
    }
    supervisorB.close();
  });

  it('the leader SIGKILLed: the other takes the lock within 10 s, adopts its calls, and dialing goes on', async () => {
    // Killed while it follows calls that are up (one an agent is talking on, if possible).
    await upTo(30_000, async () => {
      const calls = Object.values(await db.hgetall(`${prefix}:calls`)).map((r) => JSON.parse(r));
      return calls.some((c) => c.workerId === 'worker-a' && c.phase === 'bridged') && calls.filter((c) => c.workerId === 'worker-a' && c.phase !== 'ended').length >= 2;
    });
    const pid = workers.A!.child.pid!;
    await workers.A!.stop('SIGKILL');
    killedAt = Date.now();
    expect(() => process.kill(pid, 0)).toThrow();
    const orphaned = Object.values(await db.hgetall(`${prefix}:calls`)).map((r) => JSON.parse(r)).filter((c) => c.workerId === 'worker-a');
    expect(orphaned.length).toBeGreaterThan(0);
    const originatesAtKill = originates().length;

    // A's agents come back through the balancer, which now sends them to B; the supervisor too.
    for (const x of agents.filter((y) => y.on === 'A')) {
      await x.connect('B');
      await x.goReady();
    }

    expect(await upTo(TAKEOVER_MS, async () => (await db.get(lockKey())) === 'worker-b')).toBe(true);
    const tookOver = lockSamples.find((s) => s.at > killedAt && s.holder === 'worker-b')?.at ?? Date.now();
    // Never two holders: between A's last sample and B's first, the lock was empty (A's lease ran out).
    expect(lockSamples.filter((s) => s.holder !== null && s.holder !== 'worker-a' && s.holder !== 'worker-b')).toEqual([]);
    expect(lockSamples.filter((s) => s.at > tookOver && s.holder === 'worker-a')).toEqual([]);

    // Every call A was following is B's within a lease and a bit, and then ends with a final record.
    expect(await upTo(LEASE_MS + 5_000, async () => Object.values(await db.hgetall(`${prefix}:calls`)).every((r) => JSON.parse(r).workerId !== 'worker-a'))).toBe(true);
    expect(workers.B!.output()).toMatch(/calls of a worker that stopped adopted/);
    const orphanIds = orphaned.map((c) => c.attemptId);
    // A record job that was running on A when it died is run again once Bull sees it stalled (up to a minute).
    const closed = await upTo(90_000, async () => {
      const byId = new Map((await cmsCalls()).map((c) => [c.attemptId, c]));
      return orphanIds.filter((id) => originates().some((o) => o.attemptId === id)).every((id) => byId.get(id) && byId.get(id).outcome !== 'pending');
    });
    expect(closed).toBe(true);

    // Dialing goes on from B: new Originates, every new attempt booked by B, and every agent (all on B now) gets a call.
    expect(await upTo(30_000, () => originates().length >= originatesAtKill + 6)).toBe(true);
    // Up to two minutes: on this shared machine cms fails a pacing tick every few seconds (timeouts).
    const popsAfter = await upTo(120_000, () => agents.every((a) => a.pops.some((p) => p.at > tookOver)));
    expect(agents.map((a) => [a.user.username, a.status, a.pops.some((p) => p.at > tookOver)])).toEqual(agents.map((a) => [a.user.username, a.status, true]));
    expect(popsAfter).toBe(true);
    const bookedAfter = [...bookedBy.values()].filter((c) => c.at > killedAt + 500);
    expect(bookedAfter.length).toBeGreaterThan(0);
    expect([...new Set(bookedAfter.map((c) => c.workerId))]).toEqual(['worker-b']);
    expect(bookedOutsideTheLock()).toEqual([]);
    console.log(`two-workers: lock taken over ${tookOver - killedAt} ms after the SIGKILL; ${orphaned.length} calls of A adopted by B`);
    expect(tookOver - killedAt).toBeLessThanOrEqual(TAKEOVER_MS);
  });

  it('paused at the end: nothing dialed twice, every Originate recorded once and final, as the PBX did it', async () => {
    const sup = await connectRetrying(workers.B!.port, info.supervisor.jwt);
    expect(await command(sup, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    sup.close();

    let calls: any[] = [];
    let log: PbxLogEntry[] = [];
    const settled = await upTo(120_000, async () => {
      log = pbxLog();
      const ended = new Set(log.filter((e) => e.event === 'outcome').map((e) => (e as OutcomeLogEntry).attemptId));
      const dialed = log.filter((e): e is OriginateLogEntry & { attemptId: string } => e.event === 'originate' && e.leg === 'customer' && e.accepted && e.attemptId !== null);
      calls = await cmsCalls();
      const byId = new Map(calls.map((c) => [c.attemptId, c]));
      return dialed.every((o) => ended.has(o.attemptId) && byId.get(o.attemptId) && byId.get(o.attemptId).outcome !== 'pending' && (byId.get(o.attemptId).outcome !== 'connected' || byId.get(o.attemptId).disposition));
    });
    const dialed = log.filter((e): e is OriginateLogEntry & { attemptId: string } => e.event === 'originate' && e.leg === 'customer' && e.accepted && e.attemptId !== null);
    const byId = new Map(calls.map((c) => [c.attemptId, c]));
    const unsettled = dialed.filter((o) => !byId.get(o.attemptId) || byId.get(o.attemptId).outcome === 'pending').map((o) => ({ id: o.attemptId, record: byId.get(o.attemptId)?.outcome ?? null }));
    expect(unsettled).toEqual([]);
    expect(settled).toBe(true);

    const ids = dialed.map((o) => o.attemptId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const phones = dialed.map((o) => o.phone);
    expect(phones.filter((p, i) => phones.indexOf(p) !== i)).toEqual([]);
    const recorded = calls.map((c) => c.attemptId as string);
    expect(recorded.filter((id, i) => recorded.indexOf(id) !== i)).toEqual([]);
    const dialedSet = new Set(ids);
    expect(recorded.filter((id) => !dialedSet.has(id))).toEqual([]);

    // Each record says what the PBX did. For what A followed when it died, what happened before
    // B compared with the PBX was heard by nobody: on the safe side (an answer nobody saw end
    // is an abandon, a dial nobody saw end failed), never connected unless the PBX bridged it.
    const outcome = new Map(log.filter((e): e is OutcomeLogEntry => e.event === 'outcome').map((e) => [e.attemptId, e]));
    const bridged = new Set(log.filter((e): e is BridgedLogEntry => e.event === 'bridged').map((e) => e.attemptId));
    const blind = (iso: string | null) => iso !== null && Date.parse(iso) >= killedAt - 1000 && Date.parse(iso) <= killedAt + LEASE_MS + 3000;
    const wrong: unknown[] = [];
    for (const c of calls) {
      const did = outcome.get(c.attemptId)!;
      let expected = did.outcome === 'human' ? (did.agentId ? 'connected' : 'abandoned') : RECORDED_AS[did.outcome] ?? `(${did.outcome})`;
      if (c.outcome !== expected && [did.answeredAt, did.amdAt, did.bridgedAt, did.hangupAt].some(blind)) {
        if (c.outcome === 'failed' || (c.outcome === 'abandoned' && did.answeredAt) || (c.outcome === 'connected' && bridged.has(c.attemptId))) expected = c.outcome;
      }
      if (c.outcome !== expected) wrong.push({ attemptId: c.attemptId, pbx: did.outcome, bridged: bridged.has(c.attemptId), cms: c.outcome, expected });
    }
    expect(wrong).toEqual([]);
    const out = workers.B!.output();
    expect(out.split('\n').filter((l) => /Unhandled|unhandledRejection|uncaughtException/i.test(l))).toEqual([]);
    console.log(`two-workers: ${dialed.length} Originates, ${calls.length} records, ${calls.filter((c) => c.outcome === 'connected').length} connected, ${calls.filter((c) => c.outcome === 'abandoned').length} abandoned; pops per agent ${agents.map((a) => `${a.user.username} ${a.pops.length}`).join(', ')}`);
  });
});
