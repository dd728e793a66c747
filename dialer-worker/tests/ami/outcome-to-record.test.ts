import { toAttemptRecord } from '../../src/live/call-state';
import { LiveStore } from '../../src/live/live-store';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import type { OutcomeOverride } from '../../src/pbx-simulator/call-plan';
import { AMI_USER, callFlowRig, dialingCall, type CallFlowRig } from '../call-flow-rig';
import { useTestRedis } from '../test-redis';

/**
 * From the PBX to the call record: each unanswered outcome, dialed through the real AMI client
 * against the PBX simulator over TCP (which sends Asterisk 20's sequences: Reason 0, DialEnd,
 * the Hangup before or after), read by the worker's call flow with a real Redis, ends in a
 * record with its outcome and its hangup cause. cms is not needed: the record jobs are captured
 * as the flow hands them over (tests/call-flow-rig.ts), and `toAttemptRecord` is what the
 * record job sends to cms (whose call type stores `hangupCause`, checked by
 * cms/tests/api/dialing.test.ts).
 */
jest.setTimeout(30_000);
const { redis, prefix } = useTestRedis('outcome-to-record');
const live = new LiveStore(redis, prefix);
const SPEED = 20;
const CAMPAIGN = 'camprecord';
const WORKER = 'record-worker';

const CASES: Array<[string, string, OutcomeOverride | 'busy' | 'declined' | 'no_answer' | 'congestion' | 'invalid', string, number]> = [
  ['a 486', '+13125550120', 'busy', 'busy', 17],
  ['a 603', '+13125550121', 'declined', 'busy', 21],
  ['the ring timeout', '+13125550122', 'no_answer', 'no_answer', 19],
  ['the carrier\'s 480', '+13125550123', { outcome: 'no_answer', ringSec: 1 }, 'no_answer', 19],
  ['a 503', '+13125550124', 'congestion', 'failed', 34],
  ['a 404', '+13125550125', 'invalid', 'failed', 1],
];

let pbx: PbxSimulator;
let rig: CallFlowRig;

beforeAll(async () => {
  pbx = new PbxSimulator({ ...AMI_USER, speed: SPEED, outcomes: Object.fromEntries(CASES.map(([, phone, o]) => [phone, o])), random: mulberry32(11) });
  rig = callFlowRig({ live, port: await pbx.start(0), workerId: WORKER, simSpeed: SPEED });
  await rig.stats.load(CAMPAIGN, { abandonTarget: 0.03, windowHours: 720 });
  await rig.ami.connect();
});

afterAll(async () => {
  rig.flow.stop();
  await rig.ami.close();
  await pbx.stop();
});

it.each(CASES)('%s (%s) is recorded with its outcome and its hangup cause', async (name, phone, _plan, outcome, cause) => {
  const attemptId = `a-rec-${phone.slice(-2)}`;
  await rig.dial(dialingCall({ attemptId, phone, campaignId: CAMPAIGN, workerId: WORKER, ringTimeoutSec: 10 }), 6_000);
  const call = await rig.finalRecord(attemptId);
  expect({ name, outcome: call.outcome, hangupCause: call.hangupCause }).toEqual({ name, outcome, hangupCause: cause });
  expect(toAttemptRecord(call)).toMatchObject({ outcome, hangupCause: cause, amiUniqueId: attemptId });
  expect(rig.records.filter((r) => r.call.attemptId === attemptId && r.stage === 'final')).toHaveLength(1);
});
