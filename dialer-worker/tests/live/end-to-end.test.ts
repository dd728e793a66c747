/**
 * One outbound campaign through real parts: a cms on PostgreSQL (child
 * process), the PBX simulator over a real TCP AMI socket (in this process, so
 * the test can cut its connections), the worker (child process, so it can be
 * SIGKILLed), Redis, and agents and a supervisor on Socket.IO.
 */
import fs from 'fs';
import type { Socket } from 'socket.io-client';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import { JsonLinesFileLog, readPbxLog } from '../../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../../src/simulation/scenario';
import { command, connect, sleep, startCms, startWorker, tmpFile, type CmsInfo, type WorkerProcess } from './harness';

jest.setTimeout(600_000);

const SPEED = 20;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let pbx: PbxSimulator;
let pbxPort: number;
let logPath: string;
let worker: WorkerProcess | undefined;
const sockets: Socket[] = [];
const prefix = `e2e${Date.now()}`;
/** Screen pops each agent received: attempt ids by agent id. */
const pops = new Map<number, string[]>();

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '300', AGENTS: '5' });
  info = cms.info;
  logPath = tmpFile('pbx.jsonl');
  pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: SPEED, scenario: DEFAULT_SCENARIO, outcomes: {}, random: mulberry32(11), log: new JsonLinesFileLog(logPath) });
  pbxPort = await pbx.start(0);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await worker?.stop('SIGKILL');
  await pbx?.stop();
  await cms?.stop();
});

const workerEnv = () => ({ AMI_PORT: String(pbxPort), CMS_URL: info.url, CMS_API_TOKEN: info.apiToken, SIM_SPEED: String(SPEED), PACING_INTERVAL_MS: '100', QUEUE_PREFIX: prefix, WORKER_ID: 'e2e-worker' });

async function agentsOnline(port: number): Promise<Socket[]> {
  const list: Socket[] = [];
  for (const a of info.agents) {
    const s = await connect(port, a.jwt, (s) => {
      s.on('call:screen-pop', (p: any) => pops.set(a.id, [...(pops.get(a.id) ?? []), p.attemptId]));
      // An agent records an outcome a moment after each call and is ready again, including a
      // wrap-up they were in when the worker restarted (their console learns it on reconnection).
      const dispose = (attemptId: string) => setTimeout(() => void command(s, 'disposition', { attemptId, disposition: info.dispositions.PTP, notes: 'promised on the phone' }), 150);
      s.on('call:ended', (e: any) => dispose(e.attemptId));
      s.on('agent:state', (st: any) => st.status === 'wrap_up' && st.attemptId && dispose(st.attemptId));
    });
    sockets.push(s);
    const ready = await command(s, 'ready', { campaignId: info.campaignId });
    // Still on a call or in wrap-up after a restart: the call's end brings them back to ready.
    if (!ready.ok) expect(ready.error).toMatch(/^CONFLICT/);
    list.push(s);
  }
  return list;
}

/**
 * Every call record, page by page in id order: without an order PostgreSQL returns rows as they
 * lie on disk, and a record updated between two page reads moves, so one page could miss it.
 */
async function cmsCalls(): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&populate[disposition][fields][0]=code&populate[agent][fields][0]=id&sort[0]=id:asc&pagination[pageSize]=100&pagination[page]=${page}`, { headers: { Authorization: `Bearer ${info.apiToken}` } });
    const json: any = await res.json();
    out.push(...json.data);
    if (page >= json.meta.pagination.pageCount) return out;
  }
}

const customerOriginates = () => readPbxLog(logPath).filter((e: any) => e.event === 'originate' && e.leg === 'customer') as any[];
const outcomes = () => readPbxLog(logPath).filter((e: any) => e.event === 'outcome') as any[];

/** Waits until every call the PBX placed has ended and has its final record in cms. */
async function settled(timeoutMs = 120_000): Promise<{ originates: any[]; calls: any[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const originates = customerOriginates();
    const ended = new Set(outcomes().map((o) => o.attemptId));
    const calls = await cmsCalls();
    const recorded = new Set(calls.map((c) => c.attemptId));
    const pendingDisposition = calls.filter((c) => c.outcome === 'connected' && !c.disposition).length;
    // A call is recorded 'pending' when it is bridged; its final record may still be on its way.
    const stillPending = calls.filter((c) => c.outcome === 'pending').length;
    if (originates.every((o) => ended.has(o.attemptId) && recorded.has(o.attemptId)) && calls.length >= originates.length && pendingDisposition === 0 && stillPending === 0) return { originates, calls };
    if (Date.now() > deadline) throw new Error(`not settled: ${originates.length} originates, ${ended.size} ended, ${calls.length} recorded, ${stillPending} still pending, ${pendingDisposition} without disposition`);
    await sleep(1000);
  }
}

function assertOneToOne(originates: any[], calls: any[]) {
  const originated = originates.map((o) => o.attemptId);
  expect(new Set(originated).size).toBe(originated.length);
  const recorded = calls.map((c) => c.attemptId);
  expect(new Set(recorded).size).toBe(recorded.length);
  expect([...recorded].sort()).toEqual([...originated].sort());
}

describe('a campaign end to end', () => {
  let supervisor: Socket;

  it('dials, bridges, records every attempt exactly once with the agents\' dispositions, and never dials what the rules forbid', async () => {
    worker = await startWorker(workerEnv());
    await agentsOnline(worker.port);
    supervisor = await connect(worker.port, info.supervisor.jwt);
    sockets.push(supervisor);
    const stats: any[] = [];
    supervisor.on('campaign:stats', (s) => stats.push(s));
    expect(await command(supervisor, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { state: 'running' } });
    await sleep(40_000); // about 13 simulated minutes
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    const { originates, calls } = await settled();
    expect(originates.length).toBeGreaterThan(30);
    assertOneToOne(originates, calls);
    // What the PBX did is what cms records, from the sequences a real Asterisk 20 sends
    // (busy and no answer as Reason 0 with DialEnd and the cause): busy is busy, not "failed",
    // and the hangup cause is kept.
    const READS: Record<string, string[]> = { human: ['connected', 'abandoned'], machine: ['machine'], busy: ['busy'], declined: ['busy'], no_answer: ['no_answer'], invalid: ['failed'], congestion: ['failed'] };
    const pbxOutcome = new Map(outcomes().map((o) => [o.attemptId, o]));
    for (const c of calls) {
      const did = pbxOutcome.get(c.attemptId);
      expect([c.attemptId, did?.outcome, c.outcome, c.hangupCause]).toEqual([c.attemptId, did?.outcome, expect.stringMatching(new RegExp(`^(${(READS[did?.outcome] ?? ['?']).join('|')})$`)), did?.cause]);
    }
    expect(calls.some((c) => c.outcome === 'no_answer')).toBe(true);
    const connected = calls.filter((c) => c.outcome === 'connected');
    expect(connected.length).toBeGreaterThan(3);
    for (const c of connected) expect(c.disposition?.code).toBe('PTP');
    const dialed = new Set(originates.map((o) => o.phone));
    for (const phone of Object.values(info.neverDial)) expect([phone, dialed.has(phone)]).toEqual([phone, false]);
    for (const c of calls) expect(c.complianceReceipt).toMatchObject({ ruleSet: expect.any(String), onDnc: false });
    // Phones without autodial consent (every tenth account) are dialed too, each with an agent
    // held for it, so none of them can be abandoned.
    const reserved = calls.filter((c) => c.complianceReceipt.reservedAgentRequired === true);
    expect(reserved.length).toBeGreaterThan(0);
    for (const c of reserved) {
      expect([c.attemptId, c.outcome]).not.toEqual([c.attemptId, 'abandoned']);
      if (c.outcome === 'connected') expect(c.agent).toBeTruthy();
    }
    expect(stats.length).toBeGreaterThan(20);
    expect(stats.at(-1)).toMatchObject({ campaignId: info.campaignId, reasons: expect.objectContaining({ mode: 'predictive' }) });
  });

  it('delivers screen pops only to the agent the call was bridged to', async () => {
    const calls = await cmsCalls();
    const agentOf = new Map(calls.filter((c) => c.agent).map((c) => [c.attemptId, c.agent.id]));
    let total = 0;
    for (const [agentId, attempts] of pops) {
      for (const a of attempts) expect([a, agentOf.get(a)]).toEqual([a, agentId]);
      total += attempts.length;
    }
    expect(total).toBeGreaterThan(3);
  });

  it('refuses supervisor commands from agents and campaigns to agents who are not on them', async () => {
    const agent = await connect(worker!.port, info.agents[0].jwt);
    sockets.push(agent);
    for (const cmd of ['campaign:start', 'campaign:pause', 'campaign:resume', 'campaign:set-max-ratio', 'campaign:watch']) {
      const res = await command(agent, cmd, { campaignId: info.campaignId, maxDialRatio: 5 });
      expect([cmd, res.ok, res.error]).toEqual([cmd, false, expect.stringMatching(/^FORBIDDEN/)]);
    }
    const outsider = await connect(worker!.port, info.outsider.jwt);
    sockets.push(outsider);
    expect(await command(outsider, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: false, error: expect.stringMatching(/^FORBIDDEN/) });
    const otherSupervisor = await connect(worker!.port, info.otherSupervisor.jwt);
    sockets.push(otherSupervisor);
    expect(await command(otherSupervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: false });
    await expect(connect(worker!.port, 'not-a-token')).rejects.toThrow(/unauthorized/);
  });

  it('shows the queue board to supervisors only', async () => {
    const board = (token?: string) => fetch(`http://127.0.0.1:${worker!.port}/admin/queues`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect((await board()).status).toBe(401);
    expect((await board(info.agents[0].jwt)).status).toBe(403);
    const ok = await board(info.supervisor.jwt);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<html/i);
  });

  it('survives a SIGKILL mid-run: nothing dialed twice, every call recorded', async () => {
    expect(await command(supervisor, 'campaign:resume', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await sleep(15_000);
    const before = customerOriginates().length;
    const killed = worker!.child.pid!;
    await worker!.stop('SIGKILL');
    expect(() => process.kill(killed, 0)).toThrow(); // really gone, not running on behind a wrapper
    await sleep(2_000);
    worker = await startWorker(workerEnv());
    for (const s of sockets) s.close();
    sockets.length = 0;
    await agentsOnline(worker.port);
    supervisor = await connect(worker.port, info.supervisor.jwt);
    sockets.push(supervisor);
    await sleep(15_000);
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    const { originates, calls } = await settled();
    expect(originates.length).toBeGreaterThan(before);
    assertOneToOne(originates, calls);
  });

  it('rides out an AMI connection drop without losing a record', async () => {
    expect(await command(supervisor, 'campaign:resume', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await sleep(10_000);
    expect(pbx.dropAllConnections()).toBeGreaterThan(0);
    await sleep(15_000);
    const health = await (await fetch(`http://127.0.0.1:${worker!.port}/health`, { headers: { Authorization: `Bearer ${info.supervisor.jwt}` } })).json();
    expect(health).toMatchObject({ redis: true, ami: true, cms: true });
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    const { originates, calls } = await settled();
    assertOneToOne(originates, calls);
  });

  it('lets an agent preview an account, then skip it or dial it, and dials nothing else', async () => {
    const res = await fetch(`${info.url}/api/campaigns/${info.campaignId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { dialMode: 'preview' } }),
    });
    expect(res.status).toBe(200);
    expect(await command(supervisor, 'campaign:resume', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    const before = new Set(customerOriginates().map((o) => o.attemptId));
    const agent = await connect(worker!.port, info.agents[0].jwt);
    const other = await connect(worker!.port, info.agents[1].jwt);
    sockets.push(agent, other);

    const first = await command(agent, 'preview:next', {});
    expect(first).toMatchObject({ ok: true, data: { attemptId: expect.any(String), accountDocumentId: expect.any(String), phone: expect.stringMatching(/^\+1/) } });
    expect(await command(agent, 'preview:next', {})).toMatchObject({ ok: false, error: expect.stringMatching(/^CONFLICT/) });
    expect(await command(other, 'preview:dial', { attemptId: first.data.attemptId })).toMatchObject({ ok: false, error: expect.stringMatching(/^NOT_FOUND/) });
    expect(await command(agent, 'preview:skip', { attemptId: first.data.attemptId })).toMatchObject({ ok: true });

    const second = await command(agent, 'preview:next', {});
    expect(second.ok).toBe(true);
    expect(second.data.phone).not.toBe(first.data.phone);
    expect(await command(agent, 'preview:dial', { attemptId: second.data.attemptId })).toMatchObject({ ok: true });
    expect(await command(agent, 'preview:dial', { attemptId: second.data.attemptId })).toMatchObject({ ok: false, error: expect.stringMatching(/^CONFLICT/) });

    // A preview held longer than a hopper item may wait (20 s) is checked by cms again before
    // it rings: a number put on the DNC list meanwhile is not dialed.
    await sleep(5_000);
    // The simulator's outcomes are random: when the dialed preview was answered, the agent hangs up
    // and closes the wrap-up, as a person would, before asking for the next.
    let third = await command(agent, 'preview:next', {});
    for (let i = 0; !third.ok && /^CONFLICT: you are (reserved|on call|wrap up)/.test(third.error ?? '') && i < 40; i++) {
      if (/on call/.test(third.error!)) await command(agent, 'hangup', {});
      if (/wrap up/.test(third.error!)) await command(agent, 'disposition', { attemptId: second.data.attemptId });
      await sleep(500);
      third = await command(agent, 'preview:next', {});
    }
    expect(third).toMatchObject({ ok: true });
    await sleep(21_000);
    const dnc = await fetch(`${info.url}/api/dnc-entries`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: { phone: third.data.phone, scope: 'global', reason: 'debtor_request', source: 'api' } }),
    });
    expect(dnc.status).toBe(201);
    expect(await command(agent, 'preview:dial', { attemptId: third.data.attemptId })).toMatchObject({ ok: false, error: expect.stringMatching(/^CONFLICT: this phone may no longer be dialed/) });
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    const { originates, calls } = await settled();
    assertOneToOne(originates, calls);
    // Neither the skipped nor the refused preview rang, and the engine placed no call of its own.
    expect(originates.filter((o) => !before.has(o.attemptId)).map((o) => o.attemptId)).toEqual([second.data.attemptId]);
    const record = calls.find((c) => c.attemptId === second.data.attemptId);
    expect(record).toMatchObject({ dialMode: 'preview', phone: second.data.phone });
    expect(record.outcome).not.toBe('abandoned');
    if (record.outcome === 'connected') expect(record.agent.id).toBe(info.agents[0].id);
  });
});
