import { AsteriskManagerConnection } from '../src/ami/asterisk-manager-connection';
import { CallFlow } from '../src/dialing/call-flow';
import { CampaignStatsBook } from '../src/dialing/campaign-stats-book';
import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import { mulberry32 } from '../src/math/random-source';
import { PbxSimulator } from '../src/pbx-simulator/pbx-simulator';
import { MemoryLog, type OutcomeLogEntry } from '../src/pbx-simulator/simulator-log';
import type { RecordStage } from '../src/queues/queues';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';
import { useTestRedis } from './test-redis';

// The call flow of a worker killed mid-call and of the one that replaces it: a real Redis, the
// PBX simulator over TCP and the real AMI client. cms is not needed to see the outcome: the
// record jobs the flow queues are captured as they are handed over.
jest.setTimeout(60_000);
const { redis, prefix } = useTestRedis('crash-outcomes');
const live = new LiveStore(redis, prefix);
const SPEED = 20;
const CAMPAIGN = 'campcrash';
const WORKER = 'crash-worker';
const HUMAN = '+13125550101';
const pbxLog = new MemoryLog();
let pbx: PbxSimulator;
let port: number;
const connections: AsteriskManagerConnection[] = [];

beforeAll(async () => {
  // The debtor stays on the line in silence for 30 s: long enough to still be there when the next worker looks.
  pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: SPEED, scenario: DEFAULT_SCENARIO, outcomes: { [HUMAN]: { outcome: 'human', ringSec: 10, amdSec: 2 } }, random: mulberry32(3), silenceHangupSec: 600, log: pbxLog });
  port = await pbx.start(0);
});

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  await pbx.stop();
});

async function until<T>(what: string, read: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function worker() {
  const ami = new AsteriskManagerConnection({ host: '127.0.0.1', port, username: 'dialer', secret: 'sim-secret-123' });
  connections.push(ami);
  const records: Array<{ call: LiveCall; stage: RecordStage }> = [];
  const stats = new CampaignStatsBook(live);
  const flow = new CallFlow({
    workerId: WORKER,
    live,
    ami,
    realtime: { agentState: () => {}, screenPop: () => {}, callEnded: () => {}, campaignStats: () => {}, campaignDialing: () => {} },
    stats,
    record: async (call, stage) => void records.push({ call, stage }),
    now: () => Date.now(),
    simSpeed: SPEED,
    log: () => {},
  });
  ami.on('event', (m) => flow.onAmiMessage(m));
  return { ami, flow, records, stats };
}

function call(attemptId: string, phone: string, patch: Partial<LiveCall> = {}): LiveCall {
  const now = Date.now();
  return {
    attemptId, campaignId: CAMPAIGN, workerId: WORKER, accountDocumentId: 'acc1', callbackDocumentId: null, phone, dialMode: 'predictive',
    ringTimeoutSec: 25, dropWindowSec: 2, callerId: null, reservedAgentId: null, preferredAgentId: null, receipt: {}, phase: 'dialing', channel: null,
    agentId: null, queuedAt: now, dialedAt: now, answeredAt: null, bridgedAt: null, endedAt: null, wrapEndedAt: null, outcome: null,
    hangupCause: null, amdStatus: null, dispositionDocumentId: null, notes: null, ...patch,
  };
}

/** The replacement worker: reloads the calls in flight, logs in, reads the PBX's channels. */
async function restart() {
  const next = worker();
  await next.stats.load(CAMPAIGN, { abandonTarget: 0.03, windowHours: 720 });
  await next.flow.resume();
  await next.ami.connect();
  const listedAt = Date.now();
  await next.flow.reconcile(await next.ami.listChannels(), listedAt);
  return next;
}

describe('calls up when the worker was killed', () => {
  it('a debtor who answered while no worker listened and heard silence is abandoned with the safe-harbor message and counted', async () => {
    const first = worker();
    await first.ami.connect();
    const attemptId = 'a-crash-human-1';
    await live.addCall(call(attemptId, HUMAN));
    first.flow.track(attemptId, Date.now());
    await first.ami.originate({ attemptId, phone: HUMAN, timeoutMs: 25_000, callerId: 'Collections' });
    await until('ringing', async () => (await live.call(attemptId))?.phase === 'ringing');
    // The worker dies while it rings; the debtor answers, AMD hears a person, nobody comes.
    await first.ami.close();
    first.flow.stop();
    await until('the answer, past AMD', () => pbx.channels().some((c) => c.uniqueId === attemptId && c.state === 6 && c.application === 'Wait'));

    const second = await restart();
    const final = await until('the final record', () => second.records.find((r) => r.call.attemptId === attemptId && r.stage === 'final'));
    expect(final.call).toMatchObject({ outcome: 'abandoned', answeredAt: expect.any(Number), agentId: null });
    const pbxOutcome = await until('the PBX to end the call', () => pbxLog.entries.find((e): e is OutcomeLogEntry => e.event === 'outcome' && e.attemptId === attemptId));
    expect(pbxOutcome).toMatchObject({ safeHarbor: true, agentId: null });
    expect(second.stats.get(CAMPAIGN)!.windowCounts(Date.now())).toMatchObject({ liveAnswers: 1, abandons: 1 });
  });

  // What Redis held when the worker died, for a call whose channel the PBX no longer has.
  it.each([
    ['the AMD result said machine', 'MACHINE' as const, 'machine'],
    ['the AMD result said human', 'HUMAN' as const, 'abandoned'],
    ['answered, no AMD result yet', null, 'abandoned'],
  ])('a call that ended while no worker listened (%s, AMD status %s) is recorded %s, with its answer time', async (_what, amdStatus, outcome) => {
    const attemptId = `a-crash-gone-${amdStatus ?? 'none'}`;
    const answeredAt = Date.now() - 3000;
    await live.addCall(call(attemptId, '+13125550199', { phase: 'ringing', channel: `PJSIP/trunk-${attemptId}`, answeredAt, amdStatus }));
    const next = await restart();
    const final = await until('the final record', () => next.records.find((r) => r.call.attemptId === attemptId && r.stage === 'final'));
    expect(final.call).toMatchObject({ outcome, answeredAt });
  });
});
