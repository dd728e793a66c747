import { AsteriskManagerConnection } from '../src/ami/asterisk-manager-connection';
import type { LiveCall } from '../src/live/call-state';
import { LiveStore } from '../src/live/live-store';
import { mulberry32 } from '../src/math/random-source';
import { PbxSimulator } from '../src/pbx-simulator/pbx-simulator';
import { MemoryLog, type OutcomeLogEntry } from '../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';
import { AMI_USER, callFlowRig, dialingCall, until, type CallFlowRig } from './call-flow-rig';
import { useTestRedis } from './test-redis';

// The call flow of a worker killed mid-call and of the one that replaces it: a real Redis, the
// PBX simulator over TCP and the real AMI client (tests/call-flow-rig.ts; no cms).
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
  pbx = new PbxSimulator({ ...AMI_USER, speed: SPEED, scenario: DEFAULT_SCENARIO, outcomes: { [HUMAN]: { outcome: 'human', ringSec: 10, amdSec: 2 } }, random: mulberry32(3), silenceHangupSec: 600, log: pbxLog });
  port = await pbx.start(0);
});

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  await pbx.stop();
});

function worker(): CallFlowRig {
  const rig = callFlowRig({ live, port, workerId: WORKER, simSpeed: SPEED });
  connections.push(rig.ami);
  return rig;
}

const call = (attemptId: string, phone: string, patch: Partial<LiveCall> = {}) => dialingCall({ attemptId, phone, campaignId: CAMPAIGN, workerId: WORKER, ...patch });

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
    await first.dial(call(attemptId, HUMAN), 25_000);
    await until('ringing', async () => (await live.call(attemptId))?.phase === 'ringing');
    // The worker dies while it rings; the debtor answers, AMD hears a person, nobody comes.
    await first.ami.close();
    first.flow.stop();
    await until('the answer, past AMD', () => pbx.channels().some((c) => c.uniqueId === attemptId && c.state === 6 && c.application === 'Wait'));

    const second = await restart();
    const final = await second.finalRecord(attemptId);
    expect(final).toMatchObject({ outcome: 'abandoned', answeredAt: expect.any(Number), agentId: null });
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
    const final = await next.finalRecord(attemptId);
    expect(final).toMatchObject({ outcome, answeredAt });
  });
});
