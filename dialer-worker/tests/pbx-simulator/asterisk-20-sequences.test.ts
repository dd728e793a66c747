import { mulberry32 } from '../../src/math/random-source';
import { AmiParser, type AmiMessage } from '../../src/ami/ami-protocol';
import { CallEventTracker } from '../../src/ami/call-events';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import { captureBytes, fixtureTable } from '../ami/asterisk-fixture';
import { AmiTestClient, type RawEvent } from './ami-test-client';

/**
 * The simulator must say what a real Asterisk 20 with chan_pjsip says, event for event: for
 * each outcome, its sequence is compared with the one of the attempt of
 * tests/fixtures/asterisk-20 that did the same (event names and the fields the dialer reads,
 * in order; ids and times aside).
 *
 * Compared: the events that carry evidence (Newchannel, DialBegin, Newstate, DialState,
 * DialEnd, OriginateResponse, UserEvent, BridgeEnter/Leave, Hangup) about the call's own
 * channel. Left out: what the capture has only because its far end was emulated with Local
 * channels (the `;2` half of a customer call, LocalBridge, NewCallerid, NewConnectedLine,
 * HangupRequest, SoftHangupRequest), ConfBridge's own events, and the capture's Busy() and
 * Congestion() rows (control frames chan_pjsip never sends).
 */

const COMPARED = new Set(['Newchannel', 'DialBegin', 'Newstate', 'DialState', 'DialEnd', 'OriginateResponse', 'UserEvent', 'BridgeEnter', 'BridgeLeave', 'Hangup']);

function shape(e: RawEvent | AmiMessage, id: string): string {
  const half = e.uniqueid === `${id};2` ? ';2' : '';
  switch (e.event) {
    case 'Newchannel':
    case 'Newstate':
      return `${e.event}${half}(${e.channelstate})`;
    case 'DialState':
    case 'DialEnd':
      return `${e.event}(${e.dialstatus})`;
    case 'OriginateResponse':
      return `OriginateResponse(${e.response},${e.reason})`;
    case 'UserEvent':
      return `UserEvent(${e.userevent},${e.status})`;
    case 'BridgeEnter':
    case 'BridgeLeave':
      return `${e.event}(${e.bridgename})`;
    case 'Hangup':
      return `Hangup${half}(${e.cause})`;
    default:
      return String(e.event);
  }
}

function sequenceOf(events: Array<RawEvent | AmiMessage>, id: string, withFarHalf = false): string[] {
  return events
    .filter((e) => COMPARED.has(String(e.event)))
    .filter(
      (e) =>
        e.uniqueid === id ||
        (withFarHalf && e.uniqueid === `${id};2`) ||
        e.destuniqueid === id ||
        (e.event === 'OriginateResponse' && typeof e.actionid === 'string' && e.actionid.endsWith(`~${id}`)),
    )
    .map((e) => shape(e, id));
}

const capture = new AmiParser({ expectBanner: true }).push(captureBytes());

const USER = 'dialer';
const SECRET = 'sim-secret';
const PHONES = {
  human: '+13125550100',
  machine: '+13125550101',
  busy: '+13125550102',
  no_answer: '+13125550103',
  congestion: '+13125550105',
  declined: '+13125550108',
  carrier_no_answer: '+13125550109',
  invalid: '+13125550110',
} as const;

let sim: PbxSimulator;
let port: number;
let ami: AmiTestClient;

beforeEach(async () => {
  sim = new PbxSimulator({
    username: USER,
    secret: SECRET,
    speed: 100,
    silenceHangupSec: 60,
    random: mulberry32(7),
    outcomes: {
      [PHONES.human]: { outcome: 'human', ringSec: 2, amdSec: 1, talkSec: 5 },
      [PHONES.machine]: { outcome: 'machine', ringSec: 2, amdSec: 1 },
      [PHONES.busy]: 'busy',
      [PHONES.no_answer]: 'no_answer',
      [PHONES.congestion]: 'congestion',
      [PHONES.declined]: 'declined',
      [PHONES.carrier_no_answer]: { outcome: 'no_answer', ringSec: 2 },
      [PHONES.invalid]: 'invalid',
    },
  });
  port = await sim.start(0);
  ami = await AmiTestClient.login(port, USER, SECRET);
});

afterEach(async () => {
  await ami.close();
  await sim.stop();
});

async function agentLeg(agentId: string): Promise<string> {
  const legId = `agentleg~sim~${agentId}`;
  await ami.action({ action: 'Originate', actionid: `agent~sim~${legId}`, channel: `Local/${agentId}@agents/n`, context: 'agent-login', exten: agentId, priority: 1, channelid: legId, async: 'true' });
  await ami.waitFor((e) => e.event === 'BridgeEnter' && e.uniqueid === legId);
  return legId;
}

async function dial(outcome: keyof typeof PHONES): Promise<string> {
  const attemptId = `sim-${outcome}`;
  await ami.action({
    action: 'Originate',
    actionid: `orig~sim~${attemptId}`,
    channel: `PJSIP/${PHONES[outcome]}@trunk`,
    context: 'dialer-amd',
    exten: 's',
    priority: 1,
    timeout: 6_000,
    callerid: '"Zoë Ångström 山田" <+18005550000>',
    channelid: attemptId,
    async: 'true',
  });
  return attemptId;
}

/** What the worker's tracker makes of the simulator's events for one attempt. */
function readByTracker(events: RawEvent[], id: string) {
  const tracker = new CallEventTracker();
  const out = events.flatMap((e, i) => tracker.push(e as AmiMessage, i));
  out.push(...tracker.settle(Number.MAX_SAFE_INTEGER));
  return out.find((e) => e.type === 'ended' && e.attemptId === id);
}

const tableOutcome = (fixtureId: string) => fixtureTable().find((r) => r.attemptId === fixtureId)?.outcome;

const ended = (id: string) => (e: RawEvent) => e.event === 'Hangup' && e.uniqueid === id;
const originateDone = (id: string) => (e: RawEvent) => e.event === 'OriginateResponse' && e.actionid === `orig~sim~${id}`;

describe('the simulator says what Asterisk 20 with chan_pjsip says', () => {
  it.each<[keyof typeof PHONES, string, string]>([
    ['machine', 'a-101', 'answers, AMD MACHINE, the dialplan hangs up: OriginateResponse before Newstate Up'],
    ['busy', 'a-200', 'a 486 at once: DialEnd BUSY, Reason 0, the Hangup after it'],
    ['no_answer', 'a-300', 'rings past the Originate timeout: Reason 3, no DialEnd'],
    ['congestion', 'a-401', 'a 503: DialEnd CONGESTION, the Hangup before Reason 0'],
    ['declined', 'a-500', 'a 603 after ringing: DialEnd NOANSWER, Reason 0, cause 21'],
    ['carrier_no_answer', 'a-301', 'the carrier gives up before the Originate timeout, a 480: DialEnd NOANSWER, Reason 0, cause 19'],
  ])('%s follows %s (%s)', async (outcome, fixtureId) => {
    const id = await dial(outcome);
    await ami.waitFor(ended(id));
    await ami.waitFor(originateDone(id));
    const expected = sequenceOf(capture, fixtureId);
    expect(expected.length).toBeGreaterThan(3);
    expect(sequenceOf(ami.events, id)).toEqual(expected);
    // and the worker reads the simulated call as the fixture's table reads the real one
    expect(readByTracker(ami.events, id)).toMatchObject({ outcome: tableOutcome(fixtureId) });
  });

  it('invalid (a 404, not recorded) follows a-200, a far end hanging up at once, with the 404\'s cause 1 and the DialStatus the dial API gives it', async () => {
    // res_pjsip maps 404 to cause 1; main/dial.c ast_hangup_cause_to_dial_status() maps 1 to NOANSWER
    const id = await dial('invalid');
    await ami.waitFor(ended(id));
    await ami.waitFor(originateDone(id));
    const expected = sequenceOf(capture, 'a-200').map((e) => e.replace('DialEnd(BUSY)', 'DialEnd(NOANSWER)').replace('Hangup(17)', 'Hangup(1)'));
    expect(expected).toEqual(['Newchannel(0)', 'DialBegin', 'DialEnd(NOANSWER)', 'OriginateResponse(Failure,0)', 'Hangup(1)']);
    expect(sequenceOf(ami.events, id)).toEqual(expected);
    expect(readByTracker(ami.events, id)).toMatchObject({ outcome: 'failed', hangupCause: 1, dialStatus: 'NOANSWER', outcomeRule: 'cause 1/3/20/22/27/28 number unreachable' });
  });

  it('human follows a-100: answered, AMD HUMAN, redirected into agent 1001\'s conference, hangs up', async () => {
    await agentLeg('1001');
    const id = await dial('human');
    await ami.waitFor((e) => e.event === 'UserEvent' && e.uniqueid === id && e.status === 'HUMAN');
    await ami.action({ action: 'Redirect', channel: id, context: 'agent-bridge', exten: '1001', priority: 1 });
    await ami.waitFor(ended(id));
    expect(sequenceOf(ami.events, id)).toEqual(sequenceOf(capture, 'a-100'));
    expect(readByTracker(ami.events, id)).toMatchObject({ outcome: tableOutcome('a-100'), agentId: '1001' });
  });

  it('an agent leg follows the capture\'s, `;2` half included', async () => {
    const legId = await agentLeg('1001');
    const expected = sequenceOf(capture, 'agentleg~1c2fdb861~1001', true);
    expect(expected).toContain('Newchannel;2(4)');
    expect(sequenceOf(ami.events, legId, true)).toEqual(expected);
  });

  it('a failed Originate of another client reaches us as `Uniqueid: <unknown>` and ends nothing of ours', async () => {
    const theirs = await AmiTestClient.login(port, USER, SECRET);
    try {
      const tracker = new CallEventTracker();
      tracker.track('ours', { queuedAt: 0 });
      await theirs.action({ action: 'Originate', actionid: '1718000000123', channel: 'PJSIP/5550100@trunk', context: 'dialer-amd', exten: 's', priority: 1, async: 'true' });
      const failure = await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === '1718000000123');
      expect(failure).toMatchObject({ response: 'Failure', reason: '0', uniqueid: '<unknown>' });
      expect([...tracker.push(failure as AmiMessage, 1), ...tracker.settle(Number.MAX_SAFE_INTEGER)]).toEqual([]);
      expect(tracker.inFlight()).toEqual(['ours']);
    } finally {
      await theirs.close();
    }
  });
});
