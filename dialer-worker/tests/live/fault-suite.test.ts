/**
 * The live dialer under faults (issue 11): one predictive campaign with five agents on
 * sockets, and in its middle, one after another, the worker SIGKILLed and restarted, Redis
 * killed and back with its data (AOF), cms stopped for 40 s, the PBX killed and restarted, and
 * Redis killed and back empty (last: its recovery is the newest part of the worker). After
 * each, the campaign running on, over every call that has ended (and over all of them once the
 * campaign is paused at the end):
 * - no attempt dialed twice, no phone dialed inside its retry delay (the PBX's own log);
 * - every Originate with exactly one call record in cms, whose outcome is what the PBX did
 *   (an abandon is an abandon, connected only if the PBX bridged the debtor to an agent);
 * - every disposition an agent sent is on its record;
 * - every agent goes Ready and takes the next call within 10 s.
 * Real parts only: cms on PostgreSQL, a redis-server of this test's own, the PBX simulator over
 * TCP and the worker, each a child process so it can be killed; agents and a supervisor on
 * Socket.IO with their cms tokens. cms is "stopped" with SIGSTOP: a process killed outright
 * would take its throwaway database with it.
 */
import fs from 'fs';
import path from 'path';
import type { Socket } from 'socket.io-client';
import type { BridgedLogEntry, OriginateLogEntry, OutcomeLogEntry, PbxLogEntry } from '../../src/pbx-simulator/simulator-log';
import { command, connect, freePort, sleep, startCms, startPbx, startRedis, startWorker, tmpFile, type CmsInfo, type RedisProcess, type WorkerProcess } from './harness';

jest.setTimeout(600_000);

const SPEED = 20;
/** Short enough for phones to come round again during the suite, so an early redial can happen and be seen. */
const RETRY_DELAY_MIN = 1;
/** cms dates the last attempt by its dial time, taken just before the Originate. */
const RETRY_SLACK_MS = 2_000;
const NEXT_CALL_MS = 10_000;
const CMS_OUTAGE_MS = 40_000;
const DISPOSITIONS = ['PTP', 'RPC_REFUSED', 'PAY_PLAN'];
/** What cms may record for each outcome the PBX logged; `human` is decided by whether the PBX bridged it. */
const RECORDED_AS: Record<string, string> = { machine: 'machine', busy: 'busy', declined: 'busy', no_answer: 'no_answer', invalid: 'failed', congestion: 'failed' };

let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let redis: RedisProcess;
let redisPort: number;
let redisDir: string;
let pbx: Awaited<ReturnType<typeof startPbx>>;
let pbxSeed = 31;
let worker: WorkerProcess;
let workerPort: number;
/** What the workers killed so far printed; the running one's comes from `worker.output()`. */
let pastOutput = '';
const workerOutput = () => pastOutput + (worker?.output() ?? '');
let cmsStopped = false;
let supervisor: Socket;
const agents: Agent[] = [];
const logPath = tmpFile('pbx.jsonl');
const prefix = `faults${Date.now()}`;
/** Customer calls the PBX was on when it was killed: no outcome line will ever come for them. */
const cut = new Set<string>();
/**
 * While no worker was alive: what the PBX did then was heard by nobody (AMI keeps no history),
 * and a real Asterisk cannot be asked afterwards. From a second before the kill (what the dead
 * worker had received and not yet handled) to the new worker's start.
 */
const blind: Array<[number, number]> = [];
const inBlindWindow = (iso: string | null) => iso !== null && blind.some(([from, to]) => Date.parse(iso) >= from && Date.parse(iso) <= to);
const figures: Array<Record<string, string | number>> = [];
const pacing: Array<{ at: number; report: any }> = [];

/** The pacer's reports from `from` on, one a second: what it saw and decided while an agent waited. */
function pacingFrom(from: number, seconds: number): string[] {
  const out: string[] = [];
  for (let t = from; t < from + seconds * 1000; t += 1000) {
    const r = pacing.find((p) => p.at >= t && p.at < t + 1000)?.report;
    if (r) out.push(`+${Math.round((t - from) / 1000)}s agents ${JSON.stringify(r.agents)} lines ${r.linesInFlight} waiting ${r.waiting} dialed ${r.dialedNow} ${JSON.stringify(r.reasons).slice(0, 200)}`);
  }
  return out;
}

/** The PBX simulator's JSON-lines log, read incrementally (it grows to thousands of lines). */
const pbxLog = new (class {
  private offset = 0;
  private rest = '';
  private readonly all: PbxLogEntry[] = [];
  entries(): PbxLogEntry[] {
    const fd = fs.openSync(logPath, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > this.offset) {
        const chunk = Buffer.alloc(size - this.offset);
        fs.readSync(fd, chunk, 0, chunk.length, this.offset);
        this.offset = size;
        const lines = (this.rest + chunk.toString('utf8')).split('\n');
        this.rest = lines.pop() ?? '';
        for (const line of lines) {
          try {
            if (line.trim()) this.all.push(JSON.parse(line));
          } catch {
            // Torn by a SIGKILL: an Originate lost here shows as a record of an attempt the PBX never saw.
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.all;
  }
  originates = () => this.entries().filter((e): e is OriginateLogEntry & { attemptId: string } => e.event === 'originate' && e.leg === 'customer' && e.accepted && e.attemptId !== null);
  outcomes = () => this.entries().filter((e): e is OutcomeLogEntry => e.event === 'outcome');
  bridged = () => new Set(this.entries().filter((e): e is BridgedLogEntry => e.event === 'bridged').map((e) => e.attemptId));
})();

/** An agent as the console drives one: Ready, a call, a disposition a moment after it ends, Ready again. */
class Agent {
  socket!: Socket;
  status = 'logged_out';
  /** When they became ready (the worker said so, or accepted their ready). */
  readonly readyTimes: number[] = [];
  readonly pops: Array<{ attemptId: string; at: number }> = [];
  /** Dispositions the worker accepted, by attempt id. */
  readonly sent = new Map<string, { code: string; at: number }>();
  /** Dispositions the worker would not take for good (the call was no longer known to it). */
  readonly refused = new Map<string, string>();
  private readonly disposing = new Set<string>();

  constructor(readonly user: CmsInfo['agents'][number]) {}

  async connect(port: number): Promise<void> {
    this.socket = await connect(port, this.user.jwt, (s) => {
      s.on('agent:state', (st: any) => {
        this.status = st.status;
        if (st.status === 'ready') this.readyTimes.push(Date.now());
        if (st.status === 'wrap_up' && st.attemptId) void this.dispose(st.attemptId);
        // The console asks the agent to go Ready again when the worker lost their state.
        if (st.reason === 'STATE_LOST') void this.goReady();
      });
      s.on('call:screen-pop', (p: any) => this.pops.push({ attemptId: p.attemptId, at: Date.now() }));
      s.on('call:ended', (e: any) => e.outcome === 'connected' && void this.dispose(e.attemptId));
    });
  }

  /** Ready, or told they are on a call or in wrap-up (its end brings them back). Retried while the worker is not there yet. */
  async goReady(deadline = Date.now() + 30_000): Promise<void> {
    for (;;) {
      const reply = await command(this.socket, 'ready', { campaignId: info.campaignId });
      if (reply.ok) {
        this.readyTimes.push(Date.now());
        return;
      }
      if (/^CONFLICT/.test(reply.error ?? '')) return;
      if (Date.now() > deadline) throw new Error(`${this.user.username} could not go ready: ${reply.error}`);
      await sleep(300);
    }
  }

  /** A moment after the call, as a person types; tried again while the worker cannot take it (Redis down). */
  private async dispose(attemptId: string): Promise<void> {
    if (this.disposing.has(attemptId)) return;
    this.disposing.add(attemptId);
    const code = DISPOSITIONS[this.disposing.size % DISPOSITIONS.length];
    await sleep(150);
    for (let tries = 0; tries < 100; tries++) {
      const reply = await command(this.socket, 'disposition', { attemptId, disposition: info.dispositions[code], notes: 'fault suite' });
      if (reply.ok) {
        this.sent.set(attemptId, { code, at: Date.now() });
        return;
      }
      if (/^NOT_FOUND/.test(reply.error ?? '')) {
        this.refused.set(attemptId, reply.error!);
        return;
      }
      await sleep(300);
    }
    this.refused.set(attemptId, 'gave up after 100 tries');
  }
}

async function upTo(ms: number, ready: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ready()) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

async function health(): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${workerPort}/health`, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

const workerEnv = () => ({
  AMI_PORT: String(pbx.port), CMS_URL: info.url, CMS_API_TOKEN: info.apiToken, REDIS_URL: redis.url, SIM_SPEED: String(SPEED),
  PACING_INTERVAL_MS: '100', QUEUE_PREFIX: prefix, WORKER_ID: 'fault-worker',
});

async function bootWorker(): Promise<void> {
  if (worker) pastOutput += worker.output();
  worker = await startWorker(workerEnv(), workerPort);
}

/**
 * A list where most people answer: with the default 15 %, an agent dialed for one line at a
 * time (the pacer falls back to progressive once the few abandons of a short run pass 3 %) waits
 * longer than 10 s for a person by chance alone, and the 10 s would test the list, not the dialer.
 * Every outcome still comes up.
 */
const scenarioPath = tmpFile('fault-scenario.json');
fs.writeFileSync(scenarioPath, JSON.stringify({ name: 'fault suite', liveRate: 0.6, machineRate: 0.15, busyRate: 0.05, invalidRate: 0.05 }));

const bootPbx = async () => {
  pbx = await startPbx({ SIM_SPEED: String(SPEED), SIM_SEED: String(pbxSeed++), PBX_SIM_LOG: logPath, SIM_SCENARIO: scenarioPath }, pbx?.port);
};

async function cmsCalls(): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&fields[0]=attemptId&fields[1]=outcome&fields[2]=phone&fields[3]=hangupCause&fields[4]=complianceReceipt&populate[disposition][fields][0]=code&populate[agent][fields][0]=id&populate[account][fields][0]=documentId&sort[0]=id:asc&pagination[pageSize]=200&pagination[page]=${page}`, { headers: { Authorization: `Bearer ${info.apiToken}` } });
    const json: any = await res.json();
    out.push(...json.data);
    if (page >= json.meta.pagination.pageCount) return out;
  }
}

async function supervise(name: 'campaign:pause'): Promise<void> {
  const reply = await command(supervisor, name, { campaignId: info.campaignId });
  expect([name, reply]).toEqual([name, expect.objectContaining({ ok: true })]);
}

beforeAll(async () => {
  redisPort = await freePort();
  redisDir = path.dirname(tmpFile('redis'));
  redis = await startRedis(redisPort, redisDir, true);
  // Few enough accounts for phones to come round again within the suite, enough to keep five agents busy meanwhile.
  cms = await startCms({ ACCOUNTS: '100', AGENTS: '5' });
  info = cms.info;
  const res = await fetch(`${info.url}/api/campaigns/${info.campaignId}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { retryDelayMinutes: RETRY_DELAY_MIN } }),
  });
  if (res.status !== 200) throw new Error(`campaign update refused: ${res.status}`);
  fs.writeFileSync(logPath, '');
  await bootPbx();
  workerPort = await freePort();
  await bootWorker();
  for (const a of info.agents) {
    const agent = new Agent(a);
    await agent.connect(workerPort);
    await agent.goReady();
    agents.push(agent);
  }
  // The supervisor watches the campaign (again after every reconnection): the pacer's reports explain a slow agent.
  supervisor = await connect(workerPort, info.supervisor.jwt, (s) => {
    s.on('campaign:stats', (report: any) => pacing.push({ at: Date.now(), report }));
    s.on('connect', () => void command(s, 'campaign:watch', { campaignId: info.campaignId }));
  });
  expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
});

afterAll(async () => {
  if (cmsStopped) cms.child.kill('SIGCONT');
  for (const a of agents) a.socket.close();
  supervisor?.close();
  await worker?.stop('SIGKILL');
  await pbx?.stop();
  await redis?.kill();
  await cms?.stop();
  const out = tmpFile('fault-worker.log');
  fs.writeFileSync(out, workerOutput());
  console.log(`fault suite figures (worker log: ${out}, PBX log: ${logPath})\n${figures.map((f) => JSON.stringify(f)).join('\n')}`);
});

/**
 * One fault in the middle of the running campaign: once calls are up and an agent is talking,
 * `inject` breaks something and repairs it; then, the campaign running on, every check of the
 * suite over the calls that have ended so far.
 */
async function underFault(name: string, inject: () => Promise<void>): Promise<void> {
  const started = Date.now();
  const before = pbxLog.originates().length;
  const busy = await upTo(90_000, () => pbxLog.originates().length >= before + 12 && agents.some((a) => a.status === 'on_call'));
  expect([name, 'calls up and an agent talking', busy]).toEqual([name, 'calls up and an agent talking', true]);

  await inject();
  expect(await upTo(60_000, async () => (await health()) === 200)).toBe(true);
  const recovered = Date.now();

  // Every agent goes Ready (or comes back to it from the call they were on) and takes a call.
  const waits = await Promise.all(
    agents.map(async (a) => {
      await a.goReady();
      const gotOne = await upTo(60_000, () => a.pops.some((p) => p.at >= recovered));
      const pop = a.pops.find((p) => p.at >= recovered);
      if (!gotOne || !pop) return { agent: a.user.username, status: a.status, waitedMs: Infinity };
      const readySince = Math.max(recovered, ...a.readyTimes.filter((t) => t <= pop.at));
      return { agent: a.user.username, status: a.status, waitedMs: pop.at - readySince };
    }),
  );
  const cutoff = Date.now();
  const calls = await settled(name, cutoff);
  const since = pbxLog.originates().slice(before);
  const byId = new Map(calls.map((c) => [c.attemptId, c]));
  const outcomes = since.map((o) => byId.get(o.attemptId)?.outcome);
  const earlier = new Set(pbxLog.originates().slice(0, before).map((o) => o.phone));
  figures.push({
    fault: name,
    seconds: Math.round((Date.now() - started) / 1000),
    originates: since.length,
    redialedPhones: since.filter((o) => earlier.has(o.phone)).length,
    recorded: outcomes.filter((o) => o !== undefined).length,
    connected: outcomes.filter((o) => o === 'connected').length,
    abandoned: outcomes.filter((o) => o === 'abandoned').length,
    cutWithThePbx: since.filter((o) => cut.has(o.attemptId)).length,
    slowestNextCallMs: Math.max(...waits.map((w) => w.waitedMs)),
  });
  const slow = waits.filter((w) => !(w.waitedMs <= NEXT_CALL_MS));
  if (slow.length) console.log(`${name}: pacing after recovery\n${pacingFrom(recovered, 20).join('\n')}`);
  expect([name, 'agents with no call within 10 s of Ready', slow]).toEqual([name, 'agents with no call within 10 s of Ready', []]);
  checkEverything(name, calls, cutoff);
}

/** Calls over (the PBX's outcome line, or cut with it), by `cutoff` if given, else every call it placed. */
function over(cutoff?: number): Set<string> {
  const out = new Set(pbxLog.outcomes().filter((o) => cutoff === undefined || Date.parse(o.at) <= cutoff).map((o) => o.attemptId));
  for (const id of cut) out.add(id);
  return out;
}

/**
 * Waits until every call over by `cutoff` (every call, without one) has its final record:
 * not pending, a connected call with its disposition, every disposition sent by then on it.
 */
async function settled(name: string, cutoff?: number): Promise<any[]> {
  let calls: any[] = [];
  let missing: string[] = [];
  const done = await upTo(90_000, async () => {
    const ended = over(cutoff);
    calls = await cmsCalls();
    const byId = new Map(calls.map((c) => [c.attemptId, c]));
    const final = (id: string) => {
      const c = byId.get(id);
      return c && c.outcome !== 'pending' && (c.outcome !== 'connected' || c.disposition);
    };
    missing = pbxLog.originates().map((o) => o.attemptId).filter((id) => (cutoff === undefined || ended.has(id)) && !(ended.has(id) && final(id)));
    for (const a of agents) for (const [id, sent] of a.sent) if ((cutoff === undefined || sent.at <= cutoff) && byId.get(id)?.disposition?.code !== sent.code) missing.push(id);
    return missing.length === 0;
  });
  if (!done) {
    const byId = new Map(calls.map((c) => [c.attemptId, c]));
    const ended = over();
    const sample = missing.slice(0, 10).map((id) => ({ id, pbxEnded: ended.has(id), record: byId.get(id)?.outcome ?? null, disposition: byId.get(id)?.disposition?.code ?? null }));
    expect([name, 'calls not settled', missing.length, sample]).toEqual([name, 'calls not settled', 0, []]);
  }
  return calls;
}

/** Every check of the suite; outcomes and records of the calls over by `cutoff` (settled() waited for those). */
function checkEverything(name: string, calls: any[], cutoff?: number): void {
  const originates = pbxLog.originates();
  // One Originate per attempt id, across every PBX restart.
  const ids = originates.map((o) => o.attemptId);
  const dialedTwice = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect([name, 'attempts dialed twice', dialedTwice]).toEqual([name, 'attempts dialed twice', []]);

  // No phone again before its retry delay ran out.
  const lastDial = new Map<string, number>();
  const early: string[] = [];
  for (const o of originates) {
    const at = Date.parse(o.at);
    const last = lastDial.get(o.phone!);
    if (last !== undefined && at - last < RETRY_DELAY_MIN * 60_000 - RETRY_SLACK_MS) early.push(`${o.phone} after ${Math.round((at - last) / 1000)} s`);
    lastDial.set(o.phone!, at);
  }
  expect([name, 'phones dialed inside their retry delay', early]).toEqual([name, 'phones dialed inside their retry delay', []]);

  // What cms knew when it cleared each phone: every earlier attempt (the fixture's dialable
  // accounts have none before the suite), so its receipt states the facts as they were, Regulation
  // F's 7 in 7 days holds, and an account spoken to (every disposition sent is a right-party
  // contact: 7 quiet days) is not called again.
  const accountOfPhone = new Map(calls.filter((c) => c.account).map((c) => [c.phone as string, c.account.documentId as string]));
  const recordOf = new Map(calls.map((c) => [c.attemptId as string, c]));
  const phoneAttempts = new Map<string, number>();
  const accountAttempts = new Map<string, number>();
  const spokenTo = new Set<string>();
  const untruthful: unknown[] = [];
  const overSeven: string[] = [];
  const afterConversation: string[] = [];
  for (const o of originates) {
    const account = accountOfPhone.get(o.phone!);
    const before = { phone: phoneAttempts.get(o.phone!) ?? 0, account: account ? accountAttempts.get(account) ?? 0 : null };
    const receipt = recordOf.get(o.attemptId)?.complianceReceipt;
    if (receipt && (receipt.phoneAttemptsToday !== before.phone || (before.account !== null && receipt.accountAttemptsLast7Days !== before.account))) {
      untruthful.push({ attemptId: o.attemptId, phone: o.phone, earlier: before, receipt: { phoneAttemptsToday: receipt.phoneAttemptsToday, accountAttemptsLast7Days: receipt.accountAttemptsLast7Days } });
    }
    if (account && spokenTo.has(account)) afterConversation.push(`${o.phone} (${o.attemptId})`);
    phoneAttempts.set(o.phone!, before.phone + 1);
    if (account) {
      accountAttempts.set(account, (before.account ?? 0) + 1);
      if ((before.account ?? 0) + 1 > 7) overSeven.push(`${account}: attempt ${(before.account ?? 0) + 1} (${o.attemptId})`);
      if (recordOf.get(o.attemptId)?.outcome === 'connected') spokenTo.add(account);
    }
  }
  expect([name, 'receipts that miss earlier attempts', untruthful.slice(0, 10)]).toEqual([name, 'receipts that miss earlier attempts', []]);
  expect([name, 'accounts attempted more than 7 times in 7 days', overSeven]).toEqual([name, 'accounts attempted more than 7 times in 7 days', []]);
  expect([name, 'accounts called again after a conversation', afterConversation]).toEqual([name, 'accounts called again after a conversation', []]);

  // Exactly one record per Originate, and none for anything the PBX never dialed.
  const recorded = calls.map((c) => c.attemptId as string);
  const recordedTwice = recorded.filter((id, i) => recorded.indexOf(id) !== i);
  expect([name, 'attempts recorded twice', recordedTwice]).toEqual([name, 'attempts recorded twice', []]);
  const dialed = new Set(ids);
  const notDialed = recorded.filter((id) => !dialed.has(id));
  expect([name, 'records of attempts the PBX never saw', notDialed]).toEqual([name, 'records of attempts the PBX never saw', []]);

  // The record of every call that is over says what the PBX did.
  const pbxOutcome = new Map(pbxLog.outcomes().map((o) => [o.attemptId, o]));
  const bridged = pbxLog.bridged();
  const wrong: unknown[] = [];
  const checked = over(cutoff);
  for (const c of calls) {
    if (!checked.has(c.attemptId)) continue; // still up when the records were read
    const did = pbxOutcome.get(c.attemptId);
    let expected: string;
    if (did) expected = did.outcome === 'human' ? (did.agentId ? 'connected' : 'abandoned') : RECORDED_AS[did.outcome] ?? `(${did.outcome})`;
    // Cut with a killed PBX: connected exactly when the PBX had bridged it; anything else but connected.
    else expected = bridged.has(c.attemptId) ? 'connected' : c.outcome === 'connected' ? 'not connected' : c.outcome;
    // Unseen by any worker: read from what was seen before, on the safe side (an answer nobody
    // saw the end of is an abandon, a dial nobody saw the end of failed), never connected unless bridged.
    if (did && c.outcome !== expected && [did.answeredAt, did.amdAt, did.bridgedAt, did.hangupAt].some(inBlindWindow)) {
      if (c.outcome === 'failed' || (c.outcome === 'abandoned' && did.answeredAt)) expected = c.outcome;
    }
    if (c.outcome !== expected) wrong.push({ attemptId: c.attemptId, pbx: did ? `${did.outcome}${did.agentId ? ' bridged' : ''}${did.safeHarbor ? ' safe-harbor' : ''}` : `cut${bridged.has(c.attemptId) ? ' bridged' : ''}`, cms: c.outcome, expected });
  }
  expect([name, 'records whose outcome is not what the PBX did', wrong]).toEqual([name, 'records whose outcome is not what the PBX did', []]);

  // No disposition an agent sent was refused (settled() waited for each accepted one to be on its record).
  const refused = agents.flatMap((a) => [...a.refused].map(([attemptId, error]) => ({ agent: a.user.username, attemptId, error })));
  expect([name, 'dispositions refused', refused]).toEqual([name, 'dispositions refused', []]);

  const unhandled = workerOutput().split('\n').filter((l) => /Unhandled|unhandledRejection|uncaughtException/i.test(l));
  expect([name, 'unhandled errors in the worker', unhandled]).toEqual([name, 'unhandled errors in the worker', []]);
}

async function outage(down: () => Promise<void>): Promise<void> {
  const ended = pbxLog.outcomes().length;
  await down();
  // Down until the worker says so and calls have ended meanwhile (their events fall in the outage).
  await upTo(15_000, async () => (await health()) === 503 && pbxLog.outcomes().length >= ended + 3);
}

describe('a predictive campaign with five agents, under faults', () => {
  it('the worker SIGKILLed mid-run and restarted', async () => {
    await underFault('worker SIGKILL', async () => {
      const pid = worker.child.pid!;
      const killedAt = Date.now() - 1000;
      await worker.stop('SIGKILL');
      expect(() => process.kill(pid, 0)).toThrow();
      await bootWorker();
      blind.push([killedAt, Date.now()]);
    });
  });

  it('Redis killed and back with its data', async () => {
    await underFault('Redis back with data', async () => {
      await outage(() => redis.kill());
      redis = await startRedis(redisPort, redisDir, true);
    });
  });

  it('cms stopped for 40 s', async () => {
    await underFault('cms stopped 40 s', async () => {
      cms.child.kill('SIGSTOP');
      cmsStopped = true;
      try {
        await sleep(CMS_OUTAGE_MS); // the outage itself, not a wait for something
      } finally {
        cms.child.kill('SIGCONT');
        cmsStopped = false;
      }
    });
  });

  it('the PBX killed and restarted', async () => {
    await underFault('PBX SIGKILL', async () => {
      await pbx.stop('SIGKILL');
      const ended = new Set(pbxLog.outcomes().map((o) => o.attemptId));
      for (const o of pbxLog.originates()) if (!ended.has(o.attemptId)) cut.add(o.attemptId);
      await bootPbx();
    });
  });

  it('Redis killed and back empty', async () => {
    await underFault('Redis back empty', async () => {
      await outage(() => redis.kill());
      redis = await startRedis(redisPort, path.dirname(tmpFile('redis-empty')), false);
    });
  });

  it('paused at the end: every call the PBX placed is over, recorded once, as the PBX did it', async () => {
    await supervise('campaign:pause');
    checkEverything('end', await settled('end'));
  });
});
