import { agentLegId, originateActionId, parseActionId, parseAgentLegId, agentLegActionId } from '../../src/ami/ami-ids';
import { parseMessage, type AmiMessage } from '../../src/ami/ami-protocol';
import { DEFAULT_SETTLE_MS } from '../../src/ami/attempt-outcome';
import { CallEventTracker, classifyOutcome, interpretAmiMessage, type CallEvent, type CallSignal } from '../../src/ami/call-events';

const ACTION = originateActionId('att1', 'n1');
const LEG = agentLegId('1001', 'n2');
const LEG_ACTION = agentLegActionId(LEG, 'n3');
const CH = 'PJSIP/trunk-0000002a';

/** A message as the parsers give it: `Key: Value` lines. */
function msg(...lines: string[]): AmiMessage {
  return parseMessage(lines.join('\r\n'));
}

const E = {
  queued: msg('Response: Success', `ActionID: ${ACTION}`, 'Message: Originate successfully queued'),
  refused: msg('Response: Error', `ActionID: ${ACTION}`, 'Message: Invalid channel'),
  newchannel: msg('Event: Newchannel', `Channel: ${CH}`, 'ChannelState: 0', 'Uniqueid: att1', 'Linkedid: att1'),
  ringing: msg('Event: Newstate', `Channel: ${CH}`, 'ChannelState: 5', 'ChannelStateDesc: Ringing', 'Uniqueid: att1'),
  up: msg('Event: Newstate', `Channel: ${CH}`, 'ChannelState: 6', 'ChannelStateDesc: Up', 'Uniqueid: att1'),
  answeredResponse: msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Success', `Channel: ${CH}`, 'Reason: 4', 'Uniqueid: att1'),
  busyResponse: msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', 'Channel: PJSIP/+13125550100@trunk', 'Reason: 5', 'Uniqueid: <null>'),
  noAnswerResponse: msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', 'Channel: PJSIP/+13125550100@trunk', 'Reason: 3', 'Uniqueid: <null>'),
  invalidResponse: msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', 'Channel: PJSIP/+1999@trunk', 'Reason: 0', 'Uniqueid: <null>'),
  congestionResponse: msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', 'Channel: PJSIP/+13125550100@trunk', 'Reason: 8', 'Uniqueid: <null>'),
  human: msg('Event: UserEvent', `Channel: ${CH}`, 'Uniqueid: att1', 'UserEvent: AMDResult', 'AttemptId: att1', 'Status: HUMAN', 'Cause: HUMAN-1000-800'),
  machine: msg('Event: UserEvent', `Channel: ${CH}`, 'Uniqueid: att1', 'UserEvent: AMDResult', 'AttemptId: att1', 'Status: MACHINE', 'Cause: LONGGREETING-1500-1500'),
  bridge: msg('Event: BridgeEnter', 'BridgeUniqueid: b-1', 'BridgeCreator: ConfBridge', 'BridgeName: agent-1001', 'BridgeNumChannels: 2', `Channel: ${CH}`, 'Context: agent-bridge', 'Exten: 1001', 'Uniqueid: att1'),
  safeHarbor: msg('Event: UserEvent', `Channel: ${CH}`, 'Uniqueid: att1', 'UserEvent: SafeHarborPlayed', 'AttemptId: att1'),
  hangup16: msg('Event: Hangup', `Channel: ${CH}`, 'Uniqueid: att1', 'Cause: 16', 'Cause-txt: Normal Clearing'),
  hangup17: msg('Event: Hangup', `Channel: ${CH}`, 'Uniqueid: att1', 'Cause: 17', 'Cause-txt: User busy'),
  hangup19: msg('Event: Hangup', `Channel: ${CH}`, 'Uniqueid: att1', 'Cause: 19', 'Cause-txt: User alerting, no answer'),
  hangup34: msg('Event: Hangup', `Channel: ${CH}`, 'Uniqueid: att1', 'Cause: 34', 'Cause-txt: Circuit/channel congestion'),
  legNew: msg('Event: Newchannel', 'Channel: Local/1001@agents-00000001;1', 'ChannelState: 0', `Uniqueid: ${LEG}`),
  legUp: msg('Event: Newstate', 'Channel: Local/1001@agents-00000001;1', 'ChannelState: 6', `Uniqueid: ${LEG}`),
  legResponse: msg('Event: OriginateResponse', `ActionID: ${LEG_ACTION}`, 'Response: Success', 'Channel: Local/1001@agents-00000001;1', 'Reason: 4', `Uniqueid: ${LEG}`),
  legFailed: msg('Event: OriginateResponse', `ActionID: ${LEG_ACTION}`, 'Response: Failure', 'Channel: Local/1001@agents', 'Reason: 3', 'Uniqueid: <null>'),
  legHangup: msg('Event: Hangup', 'Channel: Local/1001@agents-00000001;1', `Uniqueid: ${LEG}`, 'Cause: 16'),
};

describe('ids', () => {
  it.each([
    [originateActionId('att1', 'n1'), { kind: 'attempt', attemptId: 'att1' }],
    [originateActionId('a~b~c', 'n1'), { kind: 'attempt', attemptId: 'a~b~c' }],
    [LEG_ACTION, { kind: 'agent-leg', legId: LEG, agentId: '1001' }],
    ['1718000000123', { kind: 'other' }],
    ['ping~n4', { kind: 'other' }],
    [undefined, { kind: 'other' }],
  ])('parseActionId(%p)', (id, expected) => {
    expect(parseActionId(id)).toEqual(expected);
  });

  it('agent leg ids carry the agent id, even one with separators', () => {
    expect(parseAgentLegId(agentLegId('agent-7', 'x1'))).toEqual({ agentId: 'agent-7' });
    expect(parseAgentLegId('att1')).toBeUndefined();
  });
});

describe('interpretAmiMessage', () => {
  it.each<[string, AmiMessage, CallSignal | undefined]>([
    ['queued reply', E.queued, { kind: 'originate-queued', callId: 'att1', leg: 'attempt', actionId: ACTION }],
    ['refused reply', E.refused, { kind: 'originate-rejected', callId: 'att1', leg: 'attempt', actionId: ACTION, message: 'Invalid channel' }],
    ['reply to a Ping', msg('Response: Success', 'ActionID: ping~n9', 'Ping: Pong'), undefined],
    ['Newchannel', E.newchannel, { kind: 'channel-created', callId: 'att1', leg: 'attempt', channel: CH }],
    ['Newstate Ringing', E.ringing, { kind: 'channel-state', callId: 'att1', leg: 'attempt', channel: CH, state: 5 }],
    ['OriginateResponse answered', E.answeredResponse, { kind: 'originate-result', callId: 'att1', leg: 'attempt', success: true, reason: 4, channel: CH }],
    [
      'OriginateResponse busy, no channel: keyed by the ActionID',
      E.busyResponse,
      { kind: 'originate-result', callId: 'att1', leg: 'attempt', success: false, reason: 5, channel: 'PJSIP/+13125550100@trunk' },
    ],
    ['OriginateResponse of an action not ours and no channel', msg('Event: OriginateResponse', 'ActionID: 17180000', 'Response: Failure', 'Reason: 0', 'Uniqueid: <null>'), undefined],
    ['AMD human', E.human, { kind: 'amd', callId: 'att1', leg: 'attempt', result: 'human', cause: 'HUMAN-1000-800' }],
    ['AMD status in lowercase', msg('Event: UserEvent', 'UserEvent: AMDResult', 'AttemptId: att1', 'Status: notsure'), { kind: 'amd', callId: 'att1', leg: 'attempt', result: 'notsure' }],
    ['AMD with an unknown status', msg('Event: UserEvent', 'UserEvent: AMDResult', 'AttemptId: att1', 'Status: ???'), undefined],
    ['another UserEvent', msg('Event: UserEvent', 'UserEvent: Other', 'AttemptId: att1'), undefined],
    ['safe harbor played', E.safeHarbor, { kind: 'safe-harbor', callId: 'att1', leg: 'attempt' }],
    ['BridgeEnter into an agent conference', E.bridge, { kind: 'bridge-enter', callId: 'att1', leg: 'attempt', channel: CH, bridgeId: 'b-1', agentId: '1001' }],
    [
      'BridgeEnter named otherwise, agent from the dialplan location',
      msg('Event: BridgeEnter', 'BridgeUniqueid: b-2', 'BridgeName: ', `Channel: ${CH}`, 'Context: agent-bridge', 'Exten: 1002', 'Uniqueid: att1'),
      { kind: 'bridge-enter', callId: 'att1', leg: 'attempt', channel: CH, bridgeId: 'b-2', agentId: '1002' },
    ],
    ['Hangup', E.hangup17, { kind: 'hangup', callId: 'att1', leg: 'attempt', channel: CH, cause: 17, causeText: 'User busy' }],
    ['Hangup of a channel Asterisk named itself', msg('Event: Hangup', 'Channel: Local/1001@agents-00000001;2', 'Uniqueid: 1718000000.42', 'Cause: 16'), undefined],
    ['agent leg up', E.legUp, { kind: 'channel-state', callId: LEG, leg: 'agent-leg', channel: 'Local/1001@agents-00000001;1', state: 6 }],
    ['an event of no interest', msg('Event: VarSet', 'Uniqueid: att1', 'Variable: X', 'Value: 1'), undefined],
    ['DialEnd of an Originate: the attempt is the destination', msg('Event: DialEnd', `DestChannel: ${CH}`, 'DestUniqueid: att1', 'DialStatus: busy'), { kind: 'dial-end', callId: 'att1', leg: 'attempt', status: 'BUSY' }],
    ['Newstate of the `;2` half of a Local channel', msg('Event: Newstate', 'Channel: Local/100@carrier-00000002;2', 'ChannelState: 6', 'Uniqueid: att1;2'), undefined],
    ['Hangup of the `;2` half: the far end\'s cause', msg('Event: Hangup', 'Channel: Local/100@carrier-00000002;2', 'Uniqueid: att1;2', 'Cause: 17', 'Cause-txt: User busy'), { kind: 'far-end-hangup', callId: 'att1', leg: 'attempt', cause: 17, causeText: 'User busy' }],
    ['Hangup of the `;2` half of an agent leg', msg('Event: Hangup', 'Channel: Local/1001@agents-00000001;2', `Uniqueid: ${LEG};2`, 'Cause: 16'), undefined],
    ['OriginateResponse of another client, Uniqueid <unknown>', msg('Event: OriginateResponse', 'ActionID: 17180000', 'Response: Failure', 'Reason: 0', 'Uniqueid: <unknown>'), undefined],
  ])('%s', (_name, message, expected) => {
    expect(interpretAmiMessage(message)).toEqual(expected);
  });
});

describe('classifyOutcome', () => {
  it.each([
    [{ answered: true, amd: 'machine', bridged: false }, 'machine'],
    [{ answered: true, amd: 'human', bridged: true }, 'connected'],
    [{ answered: true, amd: 'human', bridged: false }, 'abandoned'],
    [{ answered: true, amd: 'notsure', bridged: false }, 'abandoned'],
    [{ answered: true, bridged: false }, 'abandoned'],
    [{ answered: false, bridged: false, originateReason: 5 }, 'busy'],
    [{ answered: false, bridged: false, originateReason: 3 }, 'no_answer'],
    [{ answered: false, bridged: false, originateReason: 8 }, 'failed'],
    [{ answered: false, bridged: false, originateReason: 0 }, 'failed'],
    [{ answered: false, bridged: false, originateReason: 1, hangupCause: 17 }, 'busy'],
    [{ answered: false, bridged: false, originateReason: 1, hangupCause: 21 }, 'busy'],
    [{ answered: false, bridged: false, originateReason: 1, hangupCause: 19 }, 'no_answer'],
    [{ answered: false, bridged: false, originateReason: 1, hangupCause: 1 }, 'failed'],
    [{ answered: false, bridged: false, rejected: true }, 'failed'],
  ] as const)('%j → %s', (facts, outcome) => {
    expect(classifyOutcome(facts)).toBe(outcome);
  });
});

/** Feeds messages one second apart, then lets the settle window pass; returns the events, `type(detail)`. */
function run(messages: AmiMessage[], tracker = new CallEventTracker()): { events: CallEvent[]; brief: string[] } {
  const events = messages.flatMap((m, i) => tracker.push(m, 1_000 * (i + 1)));
  events.push(...tracker.settle(1_000 * messages.length + DEFAULT_SETTLE_MS));
  const brief = events.map((e) => {
    switch (e.type) {
      case 'ended':
        return `ended(${e.outcome}${e.hangupCause !== undefined ? `,${e.hangupCause}` : ''}${e.safeHarborPlayed ? ',safe-harbor' : ''}${e.rejected ? ',rejected' : ''})`;
      case 'amd':
        return `amd(${e.result})`;
      case 'bridged':
        return `bridged(${e.agentId})`;
      default:
        return e.type;
    }
  });
  return { events, brief };
}

describe('CallEventTracker: one attempt from queued to ended', () => {
  it.each<[string, AmiMessage[], string[]]>([
    [
      'human, bridged to an agent, debtor hangs up',
      [E.queued, E.newchannel, E.ringing, E.up, E.answeredResponse, E.human, E.bridge, E.hangup16],
      ['queued', 'ringing', 'answered', 'amd(human)', 'bridged(1001)', 'ended(connected,16)'],
    ],
    ['machine, hung up by the dialplan', [E.queued, E.newchannel, E.ringing, E.up, E.answeredResponse, E.machine, E.hangup16], ['queued', 'ringing', 'answered', 'amd(machine)', 'ended(machine,16)']],
    ['busy: Hangup then OriginateResponse', [E.queued, E.newchannel, E.hangup17, E.busyResponse], ['queued', 'ended(busy,17)']],
    ['busy: OriginateResponse then Hangup (the bus may reorder them)', [E.queued, E.newchannel, E.busyResponse, E.hangup17], ['queued', 'ended(busy,17)']],
    ['no answer at the ring timeout', [E.queued, E.newchannel, E.ringing, E.hangup19, E.noAnswerResponse], ['queued', 'ringing', 'ended(no_answer,19)']],
    ['congestion', [E.queued, E.newchannel, E.hangup34, E.congestionResponse], ['queued', 'ended(failed,34)']],
    ['invalid number: no channel at all', [E.queued, E.invalidResponse], ['queued', 'ended(failed)']],
    ['refused Originate', [E.refused], ['ended(failed,rejected)']],
    ['answered, nobody free: abandon message then hangup', [E.queued, E.newchannel, E.up, E.answeredResponse, E.human, E.safeHarbor, E.hangup16], ['queued', 'answered', 'amd(human)', 'safe-harbor-played', 'ended(abandoned,16,safe-harbor)']],
    ['answered, debtor hangs up while waiting', [E.queued, E.newchannel, E.up, E.human, E.hangup16], ['queued', 'answered', 'amd(human)', 'ended(abandoned,16)']],
    [
      'short call: Hangup before the OriginateResponse and without Newstate Up',
      [E.queued, E.newchannel, E.hangup16, E.answeredResponse],
      ['queued', 'answered', 'ended(abandoned,16)'],
    ],
    [
      'duplicates and late events are ignored',
      [E.queued, E.queued, E.newchannel, E.ringing, E.ringing, E.up, E.answeredResponse, E.human, E.human, E.bridge, E.bridge, E.hangup16, E.hangup16, E.human],
      ['queued', 'ringing', 'answered', 'amd(human)', 'bridged(1001)', 'ended(connected,16)'],
    ],
  ])('%s', (_name, messages, expected) => {
    expect(run(messages).brief).toEqual(expected);
  });

  it('ended carries the facts and timestamps a call record needs', () => {
    const { events } = run([E.queued, E.newchannel, E.ringing, E.up, E.answeredResponse, E.human, E.bridge, E.hangup16]);
    expect(events.at(-1)).toEqual({
      type: 'ended',
      attemptId: 'att1',
      outcome: 'connected',
      answered: true,
      amd: 'human',
      agentId: '1001',
      safeHarborPlayed: false,
      hangupCause: 16,
      hangupCauseText: 'Normal Clearing',
      originateReason: 4,
      outcomeRule: 'answered, bridged to an agent',
      channel: CH,
      timestamps: { queuedAt: 1000, ringingAt: 3000, answeredAt: 4000, amdAt: 6000, bridgedAt: 7000, endedAt: 8000 },
      at: 8000,
    });
  });

  it('a transfer to another agent emits bridged again', () => {
    const other = msg('Event: BridgeEnter', 'BridgeUniqueid: b-9', 'BridgeName: agent-1002', `Channel: ${CH}`, 'Uniqueid: att1');
    expect(run([E.newchannel, E.up, E.human, E.bridge, other, E.hangup16]).brief).toEqual(['answered', 'amd(human)', 'bridged(1001)', 'bridged(1002)', 'ended(connected,16)']);
  });
});

describe('CallEventTracker: agent legs', () => {
  it.each<[string, AmiMessage[], string[]]>([
    ['up then hung up', [E.legNew, E.legUp, E.legResponse, E.legHangup], ['agent-leg-up', 'agent-leg-down']],
    ['never answered', [E.legNew, E.legFailed], ['agent-leg-down']],
  ])('%s', (_name, messages, expected) => {
    expect(run(messages).brief).toEqual(expected);
  });

  it('names the agent', () => {
    const { events } = run([E.legNew, E.legUp, E.legHangup]);
    expect(events).toEqual([
      { type: 'agent-leg-up', legId: LEG, agentId: '1001', channel: 'Local/1001@agents-00000001;1', at: 2000 },
      { type: 'agent-leg-down', legId: LEG, agentId: '1001', answered: true, hangupCause: 16, at: 3000 },
    ]);
  });
});

describe('CallEventTracker: after a reconnection', () => {
  it('ends the calls whose channel is gone, keeps the live ones, and waits for a merely queued one', () => {
    const tracker = new CallEventTracker();
    const other = (id: string) => msg('Event: Newchannel', `Channel: PJSIP/trunk-${id}`, `Uniqueid: ${id}`);
    const up = (id: string) => msg('Event: Newstate', `Channel: PJSIP/trunk-${id}`, 'ChannelState: 6', `Uniqueid: ${id}`);
    tracker.push(other('gone'), 1_000);
    tracker.push(up('gone'), 2_000);
    tracker.push(other('alive'), 1_000);
    tracker.push(msg('Response: Success', `ActionID: ${originateActionId('queued-only', 'n1')}`), 9_000);
    tracker.track('restored', { queuedAt: 0, answeredAt: 500, agentId: '7', bridgedAt: 600, channel: 'PJSIP/trunk-r' });

    const events = tracker.reconcile(new Set(['alive']), 10_000);
    expect(events.map((e) => e.type === 'ended' && [e.attemptId, e.outcome, e.reconciled])).toEqual([
      ['gone', 'abandoned', true],
      ['restored', 'connected', true],
    ]);
    expect(tracker.inFlight().sort()).toEqual(['alive', 'queued-only']);
    expect(tracker.reconcile(new Set(['alive']), 9_000 + 120_000).map((e) => e.type === 'ended' && e.attemptId)).toEqual(['queued-only']);
  });

  it('judges by a channel list only the calls it can speak for: none heard of since it was asked for, none whose Originate was answered within the grace', () => {
    const tracker = new CallEventTracker();
    // Queued long ago (a dial job that waited), its Originate answered just now.
    tracker.track('late-dial', { queuedAt: 0 });
    tracker.push(msg('Response: Success', `ActionID: ${originateActionId('late-dial', 'n1')}`), 9_500);
    // The list is asked for at 10 000; this channel appears at 10 050, before the list is read.
    tracker.push(msg('Event: Newchannel', 'Channel: PJSIP/trunk-new', 'Uniqueid: new'), 10_050);
    expect(tracker.reconcile(new Set(), 10_100, { listedAt: 10_000, queuedGraceMs: 3_000 })).toEqual([]);
    expect(tracker.inFlight().sort()).toEqual(['late-dial', 'new']);
    // A later list that still lacks them does end them.
    expect(tracker.reconcile(new Set(), 20_000, { listedAt: 19_900, queuedGraceMs: 3_000 }).map((e) => e.type === 'ended' && e.attemptId).sort()).toEqual(['late-dial', 'new']);
  });

  it('an answered call whose Hangup was lost ends when reconcile learns it, not at its OriginateResponse', () => {
    const tracker = new CallEventTracker();
    tracker.push(E.newchannel, 1_000);
    tracker.push(E.answeredResponse, 2_000);
    expect(tracker.reconcile(new Set(), 60_000)).toMatchObject([{ type: 'ended', outcome: 'abandoned', reconciled: true, timestamps: { answeredAt: 2_000, endedAt: 60_000 } }]);
  });

  it('forgets the oldest ended ids beyond its memory', () => {
    const tracker = new CallEventTracker({ endedMemory: 2 });
    for (const id of ['a', 'b', 'c']) tracker.push(msg('Event: OriginateResponse', `ActionID: ${originateActionId(id, 'n')}`, 'Response: Failure', 'Reason: 0'), 1);
    expect(tracker.settle(1 + DEFAULT_SETTLE_MS)).toHaveLength(3);
    // "a" was forgotten, so a late event about it opens a new entry; "c" is still remembered
    tracker.push(msg('Event: Newchannel', 'Channel: X', 'Uniqueid: a'), 2);
    tracker.push(msg('Event: Newchannel', 'Channel: X', 'Uniqueid: c'), 2);
    expect(tracker.inFlight()).toEqual(['a']);
  });
});

describe('CallEventTracker: what a real Asterisk 20 sends (tests/fixtures/asterisk-20)', () => {
  const PJ = 'PJSIP/+13125550100@trunk';
  const dialEnd = (status: string) => msg('Event: DialEnd', `DestChannel: ${CH}`, 'DestUniqueid: att1', `DialStatus: ${status}`);
  const failure = (reason: number) => msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', `Channel: ${PJ}`, `Reason: ${reason}`, 'Uniqueid: att1');
  const hangup = (cause: number) => msg('Event: Hangup', `Channel: ${CH}`, 'Uniqueid: att1', `Cause: ${cause}`);

  // chan_pjsip sends no BUSY control frame: Reason 0, and the Hangup may come after the OriginateResponse.
  it.each<[string, AmiMessage[], string]>([
    ['486 busy: DialEnd, Reason 0, late Hangup 17', [E.newchannel, dialEnd('BUSY'), failure(0), hangup(17)], 'ended(busy,17)'],
    ['486 busy: Hangup 17, DialEnd, Reason 0', [E.newchannel, hangup(17), dialEnd('BUSY'), failure(0)], 'ended(busy,17)'],
    ['480 no answer: DialEnd NOANSWER, Reason 0, late Hangup 19', [E.newchannel, E.ringing, dialEnd('NOANSWER'), failure(0), hangup(19)], 'ended(no_answer,19)'],
    ['603 decline: DialEnd NOANSWER but cause 21', [E.newchannel, E.ringing, dialEnd('NOANSWER'), failure(0), hangup(21)], 'ended(busy,21)'],
    ['503: DialEnd CONGESTION, Reason 0, Hangup 34', [E.newchannel, dialEnd('CONGESTION'), hangup(34), failure(0)], 'ended(failed,34)'],
    ['late Hangup alone decides: Reason 0, then cause 17', [E.newchannel, failure(0), hangup(17)], 'ended(busy,17)'],
    ['ring timeout: Reason 3, no DialEnd, late Hangup 19', [E.newchannel, E.ringing, failure(3), hangup(19)], 'ended(no_answer,19)'],
  ])('%s', (_name, messages, last) => {
    expect(run(messages).brief.at(-1)).toBe(last);
  });

  it('the `;2` half of a Local channel makes no call of its own; its Hangup cause stands in for a cause 0', () => {
    const half = (event: string, ...rest: string[]) => msg(`Event: ${event}`, 'Channel: Local/201@carrier-00000005;2', 'Uniqueid: a-201;2', ...rest);
    const own = (event: string, ...rest: string[]) => msg(`Event: ${event}`, 'Channel: Local/201@carrier-00000005;1', 'Uniqueid: a-201', ...rest);
    const { events, brief } = run([
      own('Newchannel', 'ChannelState: 0'),
      half('Newchannel', 'ChannelState: 4'),
      half('Newstate', 'ChannelState: 6'),
      half('Hangup', 'Cause: 17', 'Cause-txt: User busy'),
      own('Hangup', 'Cause: 0', 'Cause-txt: Unknown'),
      msg('Event: OriginateResponse', `ActionID: ${originateActionId('a-201', 'n')}`, 'Response: Failure', 'Reason: 5', 'Uniqueid: a-201'),
    ]);
    expect(brief).toEqual(['ended(busy,17)']);
    expect(events[0]).toMatchObject({ attemptId: 'a-201', hangupCauseText: 'User busy', timestamps: { endedAt: 5000 }, at: 6000 });
  });

  it('an agent leg through a Local channel is one leg of agent 1001, never of "1001;2"', () => {
    const leg2 = `${LEG};2`;
    const { events } = run([
      E.legNew,
      msg('Event: Newchannel', 'Channel: Local/1001@agents-00000001;2', 'ChannelState: 4', `Uniqueid: ${leg2}`),
      msg('Event: Newstate', 'Channel: Local/1001@agents-00000001;2', 'ChannelState: 6', `Uniqueid: ${leg2}`),
      E.legUp,
      E.legResponse,
      msg('Event: Hangup', 'Channel: Local/1001@agents-00000001;2', `Uniqueid: ${leg2}`, 'Cause: 16'),
    ]);
    expect(events).toEqual([{ type: 'agent-leg-up', legId: LEG, agentId: '1001', channel: 'Local/1001@agents-00000001;1', at: 4000 }]);
  });

  it.each(['<unknown>', '<null>'])('a failed Originate of another AMI client (Uniqueid %s) ends nothing', (uniqueId) => {
    const tracker = new CallEventTracker();
    tracker.track('att1', { queuedAt: 0 });
    const theirs = msg('Event: OriginateResponse', 'ActionID: 1718000000123', 'Response: Failure', 'Channel: PJSIP/999@trunk', 'Reason: 0', `Uniqueid: ${uniqueId}`);
    expect(interpretAmiMessage(theirs)).toBeUndefined();
    expect([...run([theirs, theirs], tracker).events, ...tracker.settle(1e9)]).toEqual([]);
    expect(tracker.inFlight()).toEqual(['att1']);
  });
});

describe('CallEventTracker: the settle window', () => {
  const noChannel = msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', 'Channel: PJSIP/+1999@trunk', 'Reason: 0', 'Uniqueid: <unknown>');

  it('an OriginateResponse without a channel waits the window for late channel events, then ends', () => {
    const tracker = new CallEventTracker({ settleMs: 500 });
    expect(tracker.push(noChannel, 10_000)).toEqual([]);
    expect(tracker.nextSettleAt()).toBe(10_500);
    expect(tracker.settle(10_499)).toEqual([]);
    const [ended] = tracker.settle(10_500);
    expect(ended).toMatchObject({ type: 'ended', outcome: 'failed', originateReason: 0, timestamps: { endedAt: 10_000 }, at: 10_500 });
    expect(tracker.nextSettleAt()).toBeUndefined();
  });

  it('a Hangup arriving inside the window decides, and ends the attempt at once', () => {
    const tracker = new CallEventTracker({ settleMs: 500 });
    tracker.push(noChannel, 10_000);
    const events = tracker.push(E.hangup17, 10_200);
    expect(events).toMatchObject([{ type: 'ended', outcome: 'busy', hangupCause: 17, timestamps: { endedAt: 10_200 } }]);
    expect(tracker.settle(20_000)).toEqual([]);
  });

  it('a Hangup whose OriginateResponse never comes ends with its cause when the window closes', () => {
    const tracker = new CallEventTracker({ settleMs: 500 });
    tracker.push(E.newchannel, 1_000);
    expect(tracker.push(E.hangup19, 2_000)).toEqual([]);
    expect(tracker.settle(2_500)).toMatchObject([{ type: 'ended', outcome: 'no_answer', hangupCause: 19, timestamps: { endedAt: 2_000 } }]);
  });

  it('a Local channel waits for its far half, which may hang up after the OriginateResponse', () => {
    const tracker = new CallEventTracker({ settleMs: 500 });
    const own = (event: string, ...rest: string[]) => msg(`Event: ${event}`, 'Channel: Local/400@carrier-0000000a;1', 'Uniqueid: att1', ...rest);
    tracker.push(own('Newchannel'), 1);
    tracker.push(msg('Event: DialEnd', 'DestUniqueid: att1', 'DialStatus: CONGESTION'), 2);
    tracker.push(failureOf(8), 3);
    expect(tracker.push(own('Hangup', 'Cause: 0'), 4)).toEqual([]);
    const events = tracker.push(msg('Event: Hangup', 'Channel: Local/400@carrier-0000000a;2', 'Uniqueid: att1;2', 'Cause: 34'), 5);
    expect(events).toMatchObject([{ outcome: 'failed', hangupCause: 34, dialStatus: 'CONGESTION', timestamps: { endedAt: 4 }, at: 5 }]);
  });
});

function failureOf(reason: number): AmiMessage {
  return msg('Event: OriginateResponse', `ActionID: ${ACTION}`, 'Response: Failure', `Reason: ${reason}`, 'Uniqueid: att1');
}
