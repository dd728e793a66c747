/**
 * A PBX restart in the middle of a predictive campaign: the agents' conference legs are gone
 * with it. They must be placed again, and what the worker records as connected must be what
 * the PBX bridged (a debtor sent to an empty conference hears the abandon message: an abandon).
 * Real cms (PostgreSQL), Redis, the worker in this process, the PBX simulator over TCP, agents on
 * Socket.IO.
 */
import type { Socket } from 'socket.io-client';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import { MemoryLog, type OutcomeLogEntry } from '../../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../../src/simulation/scenario';
import { command, connect, sleep, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(600_000);

const SPEED = 20;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let w: InProcessWorker;
let second: PbxSimulator | undefined;
const sockets: Socket[] = [];
const pbxOptions = (log: MemoryLog, seed: number) => ({ username: 'dialer', secret: 'sim-secret-123', speed: SPEED, scenario: DEFAULT_SCENARIO, outcomes: {}, random: mulberry32(seed), log });

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '300', AGENTS: '3' });
  info = cms.info;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
  await second?.stop();
  await cms?.stop();
});

async function upTo(ms: number, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await sleep(50);
}

async function cmsCalls(): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${info.url}/api/calls?filters[attemptId][$notNull]=true&populate[agent][fields][0]=id&sort[0]=id:asc&pagination[pageSize]=100&pagination[page]=${page}`, { headers: { Authorization: `Bearer ${info.apiToken}` } });
    const json: any = await res.json();
    out.push(...json.data);
    if (page >= json.meta.pagination.pageCount) return out;
  }
}

describe('a PBX restart mid-campaign', () => {
  it('places the agents\' legs again, and records connected only what the PBX bridged', async () => {
    const before = new MemoryLog();
    w = await startInProcessWorker(info.url, info.apiToken, { pacingIntervalMs: 100 }, pbxOptions(before, 21));
    for (const a of info.agents) {
      const s = await connect(w.port, a.jwt, (s) => {
        const dispose = (attemptId: string) => setTimeout(() => void command(s, 'disposition', { attemptId, disposition: info.dispositions.PTP }), 100);
        s.on('call:ended', (e: any) => e.outcome === 'connected' && dispose(e.attemptId));
        s.on('agent:state', (st: any) => st.status === 'wrap_up' && st.attemptId && dispose(st.attemptId));
      });
      sockets.push(s);
      expect(await command(s, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    }
    const supervisor = await connect(w.port, info.supervisor.jwt);
    sockets.push(supervisor);
    expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await upTo(60_000, () => w.pbx.counters().bridged >= 2);
    expect(w.pbx.counters().bridged).toBeGreaterThanOrEqual(2);

    // The PBX restarts on the same port with nothing of the old one: no channels, no conferences.
    const port = w.pbx.port!;
    await w.pbx.stop();
    const after = new MemoryLog();
    second = new PbxSimulator(pbxOptions(after, 22));
    await second.start(port);
    await upTo(90_000, () => second!.counters().bridged >= 4);
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    // Every call the new PBX placed ends and has its final record.
    const ended = () => after.entries.filter((e): e is OutcomeLogEntry => e.event === 'outcome');
    const placed = () => after.entries.filter((e: any) => e.event === 'originate' && e.leg === 'customer').map((e: any) => e.attemptId as string);
    let calls: any[] = [];
    await upTo(90_000, () => ended().length >= placed().length);
    const deadline = Date.now() + 60_000;
    for (;;) {
      calls = await cmsCalls();
      const final = new Map(calls.filter((c) => c.outcome !== 'pending').map((c) => [c.attemptId, c]));
      if (placed().every((id) => final.has(id)) || Date.now() > deadline) break;
      await sleep(500);
    }
    const byAttempt = new Map(calls.map((c) => [c.attemptId, c]));

    // What the PBX did with each answered person, next to what cms says.
    const answered = ended().filter((e) => e.outcome === 'human');
    expect(answered.length).toBeGreaterThan(0);
    const mismatches = answered
      .map((e) => ({ attemptId: e.attemptId, pbx: e.agentId ? 'connected' : 'abandoned', safeHarbor: e.safeHarbor, cms: byAttempt.get(e.attemptId)?.outcome }))
      .filter((m) => m.cms !== m.pbx);
    expect(mismatches).toEqual([]);
    for (const e of answered) if (e.safeHarbor) expect(byAttempt.get(e.attemptId)?.outcome).toBe('abandoned');
    // The abandon rate a supervisor sees counts them: every person the new PBX left unbridged, and
    // every one it bridged, is in the campaign's window (with the calls before the restart, and any
    // answered call the restart cut, which is an abandon too). Read from the worker's book: the paused
    // campaign no longer sends campaign:stats.
    const window = (w.worker as unknown as { stats: { get(id: string): { windowCounts(now: number): { liveAnswers: number; abandons: number } } } }).stats.get(info.campaignId)!.windowCounts(Date.now());
    const unbridged = answered.filter((e) => !e.agentId).length;
    expect(window.abandons).toBeGreaterThanOrEqual(unbridged);
    expect(window.liveAnswers).toBeGreaterThanOrEqual(answered.length);
    expect(second.counters().agentLegs).toBeGreaterThanOrEqual(info.agents.length);
    // Calls reach agents again (none at all without new legs); how many depends on the machine's load.
    expect(second.counters().bridged).toBeGreaterThanOrEqual(2);
  });
});
