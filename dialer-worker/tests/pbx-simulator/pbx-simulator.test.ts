import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator, type PbxSimulatorOptions } from '../../src/pbx-simulator/pbx-simulator';
import { ManualClock } from '../../src/pbx-simulator/sim-clock';
import { JsonLinesFileLog, readPbxLog, type OriginateLogEntry, type OutcomeLogEntry } from '../../src/pbx-simulator/simulator-log';
import { AmiTestClient, describeEvents, type RawEvent } from './ami-test-client';

const USER = 'dialer';
const SECRET = 'sim-secret';
const HUMAN = '+13125550100';
const MACHINE = '+13125550101';
const BUSY = '+13125550102';
const NO_ANSWER = '+13125550103';
const INVALID = '+13125550104';
const CONGESTION = '+13125550105';
const TALKER = '+13125550106';
const SHORT_TALK = '+13125550107';
const DECLINED = '+13125550108';

const outcomes: PbxSimulatorOptions['outcomes'] = {
  [HUMAN]: 'human',
  [MACHINE]: 'machine',
  [BUSY]: 'busy',
  [NO_ANSWER]: 'no_answer',
  [INVALID]: 'invalid',
  [CONGESTION]: 'congestion',
  [TALKER]: { outcome: 'human', ringSec: 2, talkSec: 3_000 },
  [SHORT_TALK]: { outcome: 'human', ringSec: 2, talkSec: 50 },
  [DECLINED]: 'declined',
};

let sim: PbxSimulator;
let port: number;
let ami: AmiTestClient;
const extraClients: AmiTestClient[] = [];

async function startSimulator(options: Partial<PbxSimulatorOptions> = {}): Promise<void> {
  sim = new PbxSimulator({ username: USER, secret: SECRET, speed: 1000, outcomes, random: mulberry32(42), ...options });
  port = await sim.start(0);
  ami = await AmiTestClient.login(port, USER, SECRET);
}

afterEach(async () => {
  await ami?.close();
  for (const c of extraClients.splice(0)) await c.close();
  await sim?.stop();
});

let seq = 0;
function originate(client: AmiTestClient, phone: string, extra: Record<string, unknown> = {}) {
  const attemptId = `att-${++seq}`;
  const actionId = `orig~t~${attemptId}`;
  const reply = client.action({
    action: 'Originate',
    actionid: actionId,
    channel: `PJSIP/${phone}@trunk`,
    context: 'dialer-amd',
    exten: 's',
    priority: 1,
    timeout: 25_000,
    callerid: '"Demo Bank" <+18005550000>',
    channelid: attemptId,
    async: 'true',
    variable: { ATTEMPT_ID: attemptId },
    ...extra,
  });
  return { attemptId, actionId, reply };
}

const isEnd = (attemptId: string, actionId: string) => (e: RawEvent) =>
  (e.event === 'Hangup' && e.uniqueid === attemptId) || (e.event === 'OriginateResponse' && e.actionid === actionId && e.response === 'Failure');

describe('PBX simulator: the session', () => {
  beforeEach(() => startSimulator());

  it('greets with the banner, accepts the login, sends FullyBooted, answers Ping', async () => {
    const banner = await new Promise<string>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.setEncoding('utf8');
      socket.once('data', (d: string) => {
        socket.destroy();
        resolve(d);
      });
    });
    expect(banner).toBe('Asterisk Call Manager/9.0.0\r\n');
    await ami.waitFor((e) => e.event === 'FullyBooted');
    const pong = await ami.action({ action: 'Ping' });
    expect(pong).toMatchObject({ response: 'Success', ping: 'Pong' });
    expect(sim.counters()).toMatchObject({ logins: 1, activeSessions: 1 });
  });

  it('refuses a bad secret with "Authentication failed" and ends the session', async () => {
    const refusal = await AmiTestClient.login(port, USER, 'wrong').then(
      () => undefined,
      (err: RawEvent) => err,
    );
    expect(refusal).toMatchObject({ response: 'Error', message: 'Authentication failed' });
    expect(sim.counters().failedLogins).toBe(1);
  });

  it('denies actions before login and answers unknown actions with an error', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.setEncoding('utf8');
      let text = '';
      socket.on('data', (d: string) => {
        text += d;
        if (text.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.write('Action: Originate\r\nActionID: x1\r\nChannel: PJSIP/+13125550100@trunk\r\n\r\n');
    });
    expect(reply).toContain('Response: Error\r\nActionID: x1\r\nMessage: Permission denied\r\n');
    await expect(ami.action({ action: 'MakeCoffee' })).rejects.toMatchObject({ message: 'Invalid/unknown command' });
    expect(sim.counters().originates).toBe(0);
  });

  it('Logoff says Goodbye and closes', async () => {
    const reply = await ami.action({ action: 'Logoff' });
    expect(reply).toMatchObject({ response: 'Goodbye' });
    await new Promise<void>((resolve) => (ami.closed ? resolve() : ami.client.once('close', () => resolve())));
  });

  it('reads an Originate whose caller name arrives one byte at a time, cut inside every multi-byte character', async () => {
    const name = 'Zoë Ångström 山田';
    const socket = createConnection(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const bytes = Buffer.from(
      `Action: Login\r\nUsername: ${USER}\r\nSecret: ${SECRET}\r\n\r\n` +
        `Action: Originate\r\nActionID: orig~t~utf8-1\r\nChannel: PJSIP/${BUSY}@trunk\r\nContext: dialer-amd\r\nExten: s\r\nPriority: 1\r\n` +
        `CallerID: "${name}" <+18005550000>\r\nChannelId: utf8-1\r\nAsync: true\r\n\r\n`,
      'utf8',
    );
    try {
      for (let i = 0; i < bytes.length; i++) {
        await new Promise<void>((resolve) => socket.write(bytes.subarray(i, i + 1), () => resolve()));
        // each byte its own read on the simulator's side
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const created = await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === 'utf8-1');
      expect(created).toMatchObject({ calleridname: name, calleridnum: '+18005550000' });
    } finally {
      socket.destroy();
    }
  });

  it('refuses an Originate without a usable channel', async () => {
    await expect(ami.action({ action: 'Originate', actionid: 'o1', context: 'x', exten: 's' })).rejects.toMatchObject({ message: 'Channel not specified' });
    await expect(ami.action({ action: 'Originate', actionid: 'o2', channel: 'nonsense', exten: 's' })).rejects.toMatchObject({ message: 'Invalid channel' });
    expect(sim.counters()).toMatchObject({ originates: 2, refusedOriginates: 2, customerCalls: 0 });
  });
});

describe('PBX simulator: each outcome, as Asterisk would tell it', () => {
  beforeEach(() => startSimulator({ silenceHangupSec: 10 }));

  it.each([
    [
      'human (nobody redirects: hangs up on silence)',
      HUMAN,
      ['Newchannel', 'DialBegin', 'Newstate(5)', 'DialState(RINGING)', 'Newstate(6)', 'DialEnd(ANSWER)', 'OriginateResponse(Success,4)', 'UserEvent(AMDResult,HUMAN)', 'Hangup(16)'],
    ],
    [
      'machine (the dialplan hangs up): the OriginateResponse before Newstate Up',
      MACHINE,
      ['Newchannel', 'DialBegin', 'Newstate(5)', 'DialState(RINGING)', 'OriginateResponse(Success,4)', 'Newstate(6)', 'DialEnd(ANSWER)', 'UserEvent(AMDResult,MACHINE)', 'Hangup(16)'],
    ],
    ['busy (PJSIP 486: Reason 0, Hangup after)', BUSY, ['Newchannel', 'DialBegin', 'DialEnd(BUSY)', 'OriginateResponse(Failure,0)', 'Hangup(17)']],
    ['no answer (ring timeout: Reason 3, no DialEnd)', NO_ANSWER, ['Newchannel', 'DialBegin', 'Newstate(5)', 'DialState(RINGING)', 'OriginateResponse(Failure,3)', 'Hangup(19)']],
    ['declined (PJSIP 603: DialEnd NOANSWER, cause 21)', DECLINED, ['Newchannel', 'DialBegin', 'Newstate(5)', 'DialState(RINGING)', 'DialEnd(NOANSWER)', 'OriginateResponse(Failure,0)', 'Hangup(21)']],
    ['invalid (PJSIP 404: cause 1, which the dial API calls NOANSWER; Reason 0)', INVALID, ['Newchannel', 'DialBegin', 'DialEnd(NOANSWER)', 'OriginateResponse(Failure,0)', 'Hangup(1)']],
    ['congestion (PJSIP 503: Hangup before the OriginateResponse)', CONGESTION, ['Newchannel', 'DialBegin', 'DialEnd(CONGESTION)', 'Hangup(34)', 'OriginateResponse(Failure,0)']],
    ['a number that is not E.164 is invalid', '5550100', ['Newchannel', 'DialBegin', 'DialEnd(NOANSWER)', 'OriginateResponse(Failure,0)', 'Hangup(1)']],
  ])('%s', async (_name, phone, expected) => {
    const { attemptId, actionId, reply } = originate(ami, phone);
    await expect(reply).resolves.toMatchObject({ response: 'Success', message: 'Originate successfully queued' });
    await ami.waitFor(isEnd(attemptId, actionId));
    await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === actionId);
    expect(describeEvents(ami.eventsFor(attemptId, actionId))).toEqual(expected);
  });

  it('uses the attempt id as Uniqueid, names the channel as PJSIP does, and ties failures to the ActionID', async () => {
    const human = originate(ami, HUMAN);
    const busy = originate(ami, BUSY);
    await ami.waitFor(isEnd(human.attemptId, human.actionId));
    await ami.waitFor(isEnd(busy.attemptId, busy.actionId));
    const newchannel = ami.events.find((e) => e.event === 'Newchannel' && e.uniqueid === human.attemptId);
    expect(newchannel).toMatchObject({ privilege: 'call,all', channel: expect.stringMatching(/^PJSIP\/trunk-[0-9a-f]{8}$/), linkedid: human.attemptId });
    const amd = ami.events.find((e) => e.event === 'UserEvent' && e.uniqueid === human.attemptId);
    expect(amd).toMatchObject({ privilege: 'user,all', userevent: 'AMDResult', attemptid: human.attemptId, status: 'HUMAN' });
    const failure = ami.events.find((e) => e.event === 'OriginateResponse' && e.actionid === busy.actionId);
    expect(failure).toMatchObject({ response: 'Failure', reason: '0', uniqueid: busy.attemptId, channel: `PJSIP/${BUSY}@trunk`, calleridnum: '+18005550000' });
    // Asterisk's fast_originate names the ChannelId of a failed Originate, `<unknown>` only without one.
    const invalid = originate(ami, INVALID);
    const invalidFailure = await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === invalid.actionId);
    expect(invalidFailure).toMatchObject({ response: 'Failure', reason: '0', uniqueid: invalid.attemptId, channel: `PJSIP/${INVALID}@trunk` });
    await ami.action({ action: 'Originate', actionid: 'theirs-1', channel: `PJSIP/${BUSY}@trunk`, context: 'dialer-amd', exten: 's', priority: 1, async: 'true' });
    const anonymousFailure = await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === 'theirs-1');
    expect(anonymousFailure).toMatchObject({ response: 'Failure', reason: '0', uniqueid: '<unknown>' });
  });

  it('without Async the reply waits for the result, as Asterisk\'s synchronous Originate does', async () => {
    const answered = originate(ami, MACHINE, { async: undefined });
    await expect(answered.reply).resolves.toMatchObject({ response: 'Success', message: 'Originate successfully queued' });
    expect(ami.events.some((e) => e.event === 'Newstate' && e.uniqueid === answered.attemptId && e.channelstate === '6')).toBe(true);
    const busy = originate(ami, BUSY, { async: undefined });
    await expect(busy.reply).rejects.toMatchObject({ response: 'Error', message: 'Originate failed' });
  });

  it('every event reaches every logged-in session', async () => {
    const second = await AmiTestClient.login(port, USER, SECRET);
    extraClients.push(second);
    const { attemptId, actionId } = originate(ami, BUSY);
    await second.waitFor(isEnd(attemptId, actionId));
    await second.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === actionId);
    await second.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    expect(describeEvents(second.eventsFor(attemptId, actionId))).toEqual(['Newchannel', 'DialBegin', 'DialEnd(BUSY)', 'OriginateResponse(Failure,0)', 'Hangup(17)']);
  });
});

describe('PBX simulator: agents, bridging, hangup, abandon', () => {
  // at ×1000 the debtor waits 300 ms for an agent before hanging up on the silence
  beforeEach(() => startSimulator({ silenceHangupSec: 300, safeHarborSec: 5 }));

  async function loginAgent(agentId: string): Promise<string> {
    const legId = `agentleg~t~${agentId}`;
    await ami.action({ action: 'Originate', actionid: `agent~t~${legId}`, channel: `Local/${agentId}@agents`, context: 'agent-login', exten: agentId, priority: 1, channelid: legId, async: 'true' });
    await ami.waitFor((e) => e.event === 'BridgeEnter' && e.uniqueid === legId);
    return legId;
  }

  it('an agent leg answers at once and sits alone in its conference', async () => {
    const legId = await loginAgent('1001');
    expect(describeEvents(ami.eventsFor(legId))).toEqual(['Newchannel', 'DialBegin', 'Newstate(6)', 'DialEnd(ANSWER)', 'OriginateResponse(Success,4)', 'BridgeEnter(agent-1001,1)']);
    // its `;2` half, as Asterisk names it
    expect(describeEvents(ami.eventsFor(`${legId};2`))).toEqual(['Newchannel', 'Newstate(6)']);
    expect(sim.channels()).toEqual([expect.objectContaining({ uniqueId: legId, leg: 'agent', agentId: '1001', bridgeName: 'agent-1001', name: expect.stringMatching(/^Local\/1001@agents-[0-9a-f]{8};1$/) })]);
  });

  it('Redirect to agent-bridge joins the debtor to the agent; the debtor hangs up after the talk time; the agent stays', async () => {
    const legId = await loginAgent('1001');
    const { attemptId } = originate(ami, SHORT_TALK);
    await ami.waitFor((e) => e.event === 'UserEvent' && e.attemptid === attemptId && e.status === 'HUMAN');
    const redirect = await ami.action({ action: 'Redirect', channel: attemptId, context: 'agent-bridge', exten: '1001', priority: 1 });
    expect(redirect).toMatchObject({ response: 'Success', message: 'Redirect successful' });
    const enter = await ami.waitFor((e) => e.event === 'BridgeEnter' && e.uniqueid === attemptId);
    const agentEnter = ami.events.find((e) => e.event === 'BridgeEnter' && e.uniqueid === legId);
    expect(enter).toMatchObject({ bridgename: 'agent-1001', bridgenumchannels: '2', bridgecreator: 'ConfBridge', context: 'agent-bridge', exten: '1001' });
    expect(enter.bridgeuniqueid).toBe(agentEnter?.bridgeuniqueid);
    await ami.waitFor(isEnd(attemptId, ''));
    expect(describeEvents(ami.eventsFor(attemptId)).slice(-3)).toEqual(['BridgeEnter(agent-1001,2)', 'BridgeLeave(agent-1001,1)', 'Hangup(16)']);
    expect(sim.channels().map((c) => c.uniqueId)).toEqual([legId]);
    expect(sim.counters()).toMatchObject({ bridged: 1, redirects: 1 });
  });

  it('Hangup by the worker ends a bridged call (by channel name)', async () => {
    await loginAgent('1002');
    const { attemptId } = originate(ami, TALKER);
    const up = await ami.waitFor((e) => e.event === 'Newstate' && e.uniqueid === attemptId && e.channelstate === '6');
    await ami.action({ action: 'Redirect', channel: up.channel, context: 'agent-bridge', exten: '1002', priority: 1 });
    await ami.waitFor((e) => e.event === 'BridgeEnter' && e.uniqueid === attemptId);
    await expect(ami.action({ action: 'Hangup', channel: up.channel })).resolves.toMatchObject({ response: 'Success', message: 'Channel Hungup' });
    const hangup = await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    expect(hangup).toMatchObject({ cause: '16', 'cause-txt': 'Normal Clearing' });
    await expect(ami.action({ action: 'Hangup', channel: up.channel })).rejects.toMatchObject({ message: 'No such channel' });
  });

  it('Redirect to dialer-abandon plays the message, then hangs up', async () => {
    const { attemptId } = originate(ami, HUMAN);
    await ami.waitFor((e) => e.event === 'Newstate' && e.uniqueid === attemptId && e.channelstate === '6');
    await ami.action({ action: 'Redirect', channel: attemptId, context: 'dialer-abandon', exten: 's', priority: 1 });
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    const tail = describeEvents(ami.eventsFor(attemptId)).slice(-2);
    expect(tail).toEqual(['UserEvent(SafeHarborPlayed)', 'Hangup(16)']);
    expect(sim.counters().safeHarborPlayed).toBe(1);
  });

  it('Redirect to an agent who has no conference up sends the debtor to the abandon message', async () => {
    const { attemptId } = originate(ami, HUMAN);
    await ami.waitFor((e) => e.event === 'Newstate' && e.uniqueid === attemptId && e.channelstate === '6');
    await ami.action({ action: 'Redirect', channel: attemptId, context: 'agent-bridge', exten: '9999', priority: 1 });
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    expect(describeEvents(ami.eventsFor(attemptId)).slice(-2)).toEqual(['UserEvent(SafeHarborPlayed)', 'Hangup(16)']);
  });

  it('when the agent leg hangs up, a debtor still in the conference is put out', async () => {
    const legId = await loginAgent('1003');
    const { attemptId } = originate(ami, TALKER);
    await ami.waitFor((e) => e.event === 'Newstate' && e.uniqueid === attemptId && e.channelstate === '6');
    await ami.action({ action: 'Redirect', channel: attemptId, context: 'agent-bridge', exten: '1003', priority: 1 });
    await ami.waitFor((e) => e.event === 'BridgeEnter' && e.uniqueid === attemptId);
    await ami.action({ action: 'Hangup', channel: legId });
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === legId);
    expect(sim.channels()).toEqual([]);
  });

  it('refuses to redirect a call that is still ringing, or a channel that does not exist', async () => {
    const { attemptId } = originate(ami, NO_ANSWER);
    await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === attemptId);
    await expect(ami.action({ action: 'Redirect', channel: attemptId, context: 'agent-bridge', exten: '1', priority: 1 })).rejects.toMatchObject({ message: 'Redirect failed' });
    await expect(ami.action({ action: 'Redirect', channel: 'PJSIP/nope-1', context: 'agent-bridge', exten: '1', priority: 1 })).rejects.toMatchObject({
      message: 'Channel does not exist: PJSIP/nope-1',
    });
  });

  // main/dial.c: the dialed channel's end gives DialEnd from its cause; Reason 1 (AST_CONTROL_HANGUP)
  // is only for a caller hanging up, and an Originate has none, so Reason 0.
  it.each([
    [undefined, 'DialEnd(NOANSWER)', 'Hangup(16)'],
    ['17', 'DialEnd(BUSY)', 'Hangup(17)'],
  ])('Hangup (Cause %s) while it still rings cancels the dial: DialEnd from the cause, Hangup, OriginateResponse Failure reason 0', async (cause, dialEnd, hangup) => {
    const { attemptId, actionId } = originate(ami, NO_ANSWER);
    await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === attemptId);
    await ami.action({ action: 'Hangup', channel: attemptId, ...(cause ? { cause } : {}) });
    await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === actionId);
    expect(describeEvents(ami.eventsFor(attemptId, actionId)).slice(-3)).toEqual([dialEnd, hangup, 'OriginateResponse(Failure,0)']);
  });

  it('CoreShowChannels lists the live channels', async () => {
    const legId = await loginAgent('1004');
    const { attemptId } = originate(ami, TALKER);
    await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === attemptId);
    const reply = await ami.action({ action: 'CoreShowChannels', actionid: 'list-1' });
    expect(reply).toMatchObject({ response: 'Success', eventlist: 'start' });
    const complete = await ami.waitFor((e) => e.event === 'CoreShowChannelsComplete' && e.actionid === 'list-1');
    expect(complete.listitems).toBe('2');
    const listed = ami.events.filter((e) => e.event === 'CoreShowChannel' && e.actionid === 'list-1').map((e) => e.uniqueid);
    expect(listed.sort()).toEqual([attemptId, legId].sort());
  });
});

describe('PBX simulator: the JSON-lines log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pbx-sim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has one line per Originate, duplicates included, and one outcome line per call', async () => {
    const path = join(dir, 'pbx.jsonl');
    await startSimulator({ log: new JsonLinesFileLog(path), silenceHangupSec: 300 });
    const first = originate(ami, TALKER);
    await first.reply;
    // the same attempt id again while the first call is live: logged, and refused by the PBX
    const dup = await ami.action({ action: 'Originate', actionid: 'orig~t~again', channel: `PJSIP/${TALKER}@trunk`, context: 'dialer-amd', exten: 's', priority: 1, timeout: 25000, channelid: first.attemptId, async: 'true' });
    expect(dup).toMatchObject({ response: 'Success' });
    await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === 'orig~t~again');
    const busy = originate(ami, BUSY);
    await ami.waitFor(isEnd(busy.attemptId, busy.actionId));
    await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === busy.actionId);
    // The AMD result, not only the answer: a Hangup in between (a loaded machine) leaves amdAt null.
    await ami.waitFor((e) => e.event === 'UserEvent' && e.uniqueid === first.attemptId);
    await ami.action({ action: 'Hangup', channel: first.attemptId });
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === first.attemptId);

    const entries = readPbxLog(path);
    const originates = entries.filter((e): e is OriginateLogEntry => e.event === 'originate');
    const outcomeLines = entries.filter((e): e is OutcomeLogEntry => e.event === 'outcome');
    expect(originates.map((e) => [e.attemptId, e.phone, e.duplicate, e.leg])).toEqual([
      [first.attemptId, TALKER, false, 'customer'],
      [first.attemptId, TALKER, true, 'customer'],
      [busy.attemptId, BUSY, false, 'customer'],
    ]);
    expect(originates[0]).toEqual({
      event: 'originate',
      attemptId: first.attemptId,
      actionId: first.actionId,
      channel: `PJSIP/${TALKER}@trunk`,
      phone: TALKER,
      leg: 'customer',
      accepted: true,
      duplicate: false,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(outcomeLines.map((e) => [e.attemptId, e.outcome, e.cause, e.endedBy])).toEqual([
      [first.attemptId, 'rejected', null, 'pbx'],
      [busy.attemptId, 'busy', 17, 'pbx'],
      [first.attemptId, 'human', 16, 'worker'],
    ]);
    const human = outcomeLines[2];
    expect(human.bridgedAt).toBeNull();
    expect(Date.parse(human.answeredAt as string)).toBeLessThanOrEqual(Date.parse(human.amdAt as string));
    expect(Date.parse(human.amdAt as string)).toBeLessThanOrEqual(Date.parse(human.hangupAt));
    expect(outcomeLines[1]).toMatchObject({ answeredAt: null, amdAt: null, bridgedAt: null, agentId: null, safeHarbor: false });
    expect(sim.counters()).toMatchObject({ originates: 3, duplicateOriginates: 1, outcomes: expect.objectContaining({ rejected: 1, busy: 1, human: 1 }) });
  });
});

describe('PBX simulator: time', () => {
  it('SIM_SPEED divides every duration (a manual clock shows it exactly)', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 6, 15));
    await startSimulator({ clock, speed: 20 });
    // the default ring timeout of 25 s, twenty times faster: 1 250 ms
    const { attemptId, actionId, reply } = originate(ami, NO_ANSWER);
    await reply;
    await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === attemptId);
    clock.advance(99); // the post-dial delay is 2 s: ringing at 100 ms
    await ami.action({ action: 'Ping' });
    expect(describeEvents(ami.eventsFor(attemptId, actionId))).toEqual(['Newchannel', 'DialBegin']);
    clock.advance(1);
    await ami.waitFor((e) => e.event === 'Newstate' && e.uniqueid === attemptId);
    clock.advance(1_149);
    await ami.action({ action: 'Ping' });
    expect(ami.events.some((e) => e.event === 'Hangup' && e.uniqueid === attemptId)).toBe(false);
    clock.advance(1);
    await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === actionId);
    await ami.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
    expect(describeEvents(ami.eventsFor(attemptId, actionId))).toEqual(['Newchannel', 'DialBegin', 'Newstate(5)', 'DialState(RINGING)', 'OriginateResponse(Failure,3)', 'Hangup(19)']);
  });

  it('and in real time too', async () => {
    const measure = async (speed: number) => {
      await startSimulator({ speed });
      const started = Date.now();
      const { actionId } = originate(ami, NO_ANSWER, { timeout: 30_000 });
      await ami.waitFor((e) => e.event === 'OriginateResponse' && e.actionid === actionId);
      const elapsed = Date.now() - started;
      await ami.close();
      await sim.stop();
      return elapsed;
    };
    const at100 = await measure(100); // 300 ms
    const at300 = await measure(300); // 100 ms
    expect(at100).toBeGreaterThanOrEqual(290);
    expect(at100).toBeLessThan(1_000);
    expect(at300).toBeGreaterThanOrEqual(95);
    expect(at300).toBeLessThan(at100);
  });
});

describe('PBX simulator: dropAllConnections', () => {
  beforeEach(() => startSimulator({ silenceHangupSec: 100 }));

  it('cuts every session; calls go on and a new session sees their end', async () => {
    const { attemptId } = originate(ami, TALKER);
    await ami.waitFor((e) => e.event === 'Newchannel' && e.uniqueid === attemptId);
    expect(sim.dropAllConnections()).toBe(1);
    await new Promise<void>((resolve) => (ami.closed ? resolve() : ami.client.once('close', () => resolve())));
    expect(sim.counters()).toMatchObject({ activeSessions: 0, droppedConnections: 1, activeChannels: 1 });
    const again = await AmiTestClient.login(port, USER, SECRET);
    extraClients.push(again);
    await again.waitFor((e) => e.event === 'Hangup' && e.uniqueid === attemptId);
  });
});
