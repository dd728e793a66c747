import { AsteriskManagerConnection } from '../src/ami/asterisk-manager-connection';
import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import { StoreGate } from '../src/live/store-gate';
import { mulberry32 } from '../src/math/random-source';
import { PbxSimulator } from '../src/pbx-simulator/pbx-simulator';
import { MemoryLog, type OutcomeLogEntry } from '../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';
import { AMI_USER, callFlowRig, dialingCall, until } from './call-flow-rig';
import { useTestRedis } from './test-redis';

// Call events that come while Redis is away wait for it, in their order, and run once it is back,
// with the times they happened; past the bound only intermediate events are dropped, never an end.
// A real Redis, the PBX simulator over TCP and the real AMI client. The outage is the worker's
// gate closed by the test (what the worker does on its Redis client's 'close'): the real outage,
// with redis-server killed, is tests/live/redis-outage.test.ts; here the point is what the call
// flow does with the events it holds, which needs the outage to start between two AMI events.
jest.setTimeout(60_000);
const { redis, prefix } = useTestRedis('held-events');
const live = new LiveStore(redis, prefix);
const SPEED = 20;
const WORKER = 'held-worker';
const PHONES = { human: '+13125550111', machine: '+13125550112', noAnswer: '+13125550113' };
const pbxLog = new MemoryLog();
let pbx: PbxSimulator;
let port: number;
const connections: AsteriskManagerConnection[] = [];

beforeAll(async () => {
  pbx = new PbxSimulator({
    ...AMI_USER,
    speed: SPEED,
    scenario: DEFAULT_SCENARIO,
    outcomes: { [PHONES.human]: { outcome: 'human', ringSec: 20, amdSec: 2 }, [PHONES.machine]: { outcome: 'machine', ringSec: 20, amdSec: 3 }, [PHONES.noAnswer]: 'no_answer' },
    random: mulberry32(7),
    log: pbxLog,
  });
  port = await pbx.start(0);
});

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  await pbx.stop();
});

/** Three calls ringing, then Redis away until a second after the PBX ended the last of them, then back. */
async function outageOverCalls(tag: string, maxHeldEvents?: number) {
  const gate = new StoreGate();
  const campaign = `campheld${tag}`;
  const rig = callFlowRig({ live, port, workerId: WORKER, simSpeed: SPEED, gate, maxHeldEvents });
  const { ami, flow, records, logs, stats } = rig;
  connections.push(ami);
  await stats.load(campaign, { abandonTarget: 0.03, windowHours: 720 });
  await ami.connect();
  const ids = Object.fromEntries(Object.entries(PHONES).map(([kind, phone]) => [kind, `a-held-${tag}-${kind}`])) as Record<keyof typeof PHONES, string>;
  for (const [kind, attemptId] of Object.entries(ids) as Array<[keyof typeof PHONES, string]>) {
    await rig.dial(dialingCall({ attemptId, phone: PHONES[kind], campaignId: campaign, workerId: WORKER, accountDocumentId: `acc-${attemptId}`, ringTimeoutSec: 30 }), 30_000);
  }
  await until('every call ringing', async () => (await Promise.all(Object.values(ids).map((id) => live.call(id)))).every((c) => c?.phase === 'ringing'), 15_000);

  gate.close();
  const pbxEnd = (id: string) => pbxLog.entries.find((e): e is OutcomeLogEntry => e.event === 'outcome' && e.attemptId === id);
  const ends = await until('the PBX to end every call', () => {
    const all = Object.values(ids).map(pbxEnd);
    return all.every(Boolean) ? (all as OutcomeLogEntry[]) : null;
  }, 15_000);
  const lastEnd = Math.max(...ends.map((e) => Date.parse(e.hangupAt)));
  await new Promise((r) => setTimeout(r, lastEnd + 1000 - Date.now())); // the outage itself: it outlasts the calls by a second
  const unchanged = await Promise.all(Object.values(ids).map((id) => live.call(id)));
  const backAt = Date.now();
  gate.reopen();
  await flow.drained();
  const final = (id: string) => records.find((r) => r.call.attemptId === id && r.stage === 'final')?.call;
  const result = {
    ids,
    unchanged,
    backAt,
    pbx: Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, pbxEnd(id)!])) as Record<keyof typeof PHONES, OutcomeLogEntry>,
    final: Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, final(id)])) as Record<keyof typeof PHONES, LiveCall | undefined>,
    stored: Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await live.call(id)]))) as Record<keyof typeof PHONES, LiveCall | null>,
    logs,
    window: stats.get(campaign)!.windowCounts(Date.now()),
  };
  // This worker is done: the next test's calls are not its own to hear.
  flow.stop();
  await ami.close();
  return result;
}

const near = (at: number | null | undefined, iso: string | null) => at != null && iso !== null && Math.abs(at - Date.parse(iso)) < 300;

describe('call events while Redis is away', () => {
  it('wait, then run in their order with their own times: each call closed as the PBX ended it, the silent answer abandoned and counted', async () => {
    const r = await outageOverCalls('all');
    // Nothing was written while Redis was away (the calls still read as ringing).
    expect(r.unchanged.map((c) => c?.phase)).toEqual(['ringing', 'ringing', 'ringing']);
    // What the PBX did: the person heard the abandon message (the worker's drop window ran on its memory).
    expect(r.pbx.human).toMatchObject({ outcome: 'human', safeHarbor: true, agentId: null });
    expect(r.pbx.machine).toMatchObject({ outcome: 'machine', safeHarbor: false });
    expect(r.pbx.noAnswer).toMatchObject({ outcome: 'no_answer' });
    expect({ human: r.final.human?.outcome, machine: r.final.machine?.outcome, noAnswer: r.final.noAnswer?.outcome }).toEqual({ human: 'abandoned', machine: 'machine', noAnswer: 'no_answer' });
    // Every event ran, in order: the answer and the AMD result before the end (an AMD result run
    // after the end would have set the ended call waiting again).
    expect(r.final.human).toMatchObject({ amdStatus: 'HUMAN' });
    expect(r.final.machine).toMatchObject({ amdStatus: 'MACHINE' });
    expect(Object.values(r.stored).map((c) => c?.phase)).toEqual(['ended', 'ended', 'ended']);
    // Times are the events' own, not the moment Redis came back (a second or more later).
    for (const k of ['human', 'machine', 'noAnswer'] as const) {
      expect([k, near(r.final[k]?.endedAt, r.pbx[k].hangupAt)]).toEqual([k, true]);
      expect(r.final[k]!.endedAt!).toBeLessThan(r.backAt - 500);
    }
    for (const k of ['human', 'machine'] as const) expect([k, near(r.final[k]?.answeredAt, r.pbx[k].answeredAt)]).toEqual([k, true]);
    expect(r.window).toMatchObject({ liveAnswers: 1, abandons: 1 });
    expect(r.logs.filter((m) => /dropped/.test(m))).toEqual([]);
  });

  it('past the bound, intermediate events are dropped with one log line; every end still runs and closes its call truthfully', async () => {
    const r = await outageOverCalls('bound', 1);
    expect(r.logs.filter((m) => /too many call events wait for Redis/.test(m))).toHaveLength(1);
    expect(r.logs.filter((m) => /call events dropped while Redis was down/.test(m))).toHaveLength(1);
    expect({ human: r.final.human?.outcome, machine: r.final.machine?.outcome, noAnswer: r.final.noAnswer?.outcome }).toEqual({ human: 'abandoned', machine: 'machine', noAnswer: 'no_answer' });
    expect(r.pbx.human).toMatchObject({ safeHarbor: true, agentId: null });
    expect(Object.values(r.stored).map((c) => c?.phase)).toEqual(['ended', 'ended', 'ended']);
    for (const k of ['human', 'machine', 'noAnswer'] as const) expect([k, near(r.final[k]?.endedAt, r.pbx[k].hangupAt)]).toEqual([k, true]);
    // The silent answer still counts against the abandon rate.
    expect(r.window).toMatchObject({ liveAnswers: 1, abandons: 1 });
  });
});
