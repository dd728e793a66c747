import { parseMessage, type AmiMessage } from '../../src/ami/ami-protocol';
import { CallEventTracker } from '../../src/ami/call-events';
import { readInboundCallEvent } from '../../src/inbound/inbound-intake';
import { toAttemptRecord, type LiveCall } from '../../src/live/call-state';

const msg = (...lines: string[]): AmiMessage => parseMessage(lines.join('\r\n'));
const CH = 'PJSIP/trunk-00000007';
const ID = '1764524400.17';
// What Asterisk sends for dialer-inbound's UserEvent: the channel snapshot and the custom headers.
const inbound = msg('Event: UserEvent', 'Privilege: user,all', `Channel: ${CH}`, 'ChannelState: 6', 'CallerIDNum: 3122000000', 'CallerIDName: Pat', 'Context: dialer-inbound', 'Exten: 2125550143', `Uniqueid: ${ID}`, `Linkedid: ${ID}`, 'UserEvent: InboundCall', `InboundId: ${ID}`, 'Did: 2125550143');

describe('readInboundCallEvent', () => {
  it('reads the caller id from the channel snapshot, the DID and id from the custom headers', () => {
    expect(readInboundCallEvent(inbound)).toEqual({ uniqueId: ID, channel: CH, callerIdRaw: '3122000000', did: '2125550143' });
  });
  it.each([
    ['an AMDResult', msg('Event: UserEvent', `Channel: ${CH}`, 'Uniqueid: a-1', 'UserEvent: AMDResult', 'AttemptId: a-1', 'Status: HUMAN')],
    ['a Hangup', msg('Event: Hangup', `Channel: ${CH}`, `Uniqueid: ${ID}`, 'Cause: 16')],
    ['an InboundCall without a channel', msg('Event: UserEvent', 'UserEvent: InboundCall', `InboundId: ${ID}`, 'Did: 1')],
  ])('ignores %s', (_name, m) => {
    expect(readInboundCallEvent(m)).toBeNull();
  });
  it('reads a withheld caller id as it came (cms decides)', () => {
    const withheld = msg('Event: UserEvent', `Channel: ${CH}`, 'CallerIDNum: <unknown>', `Uniqueid: ${ID}`, 'UserEvent: InboundCall', `InboundId: ${ID}`, 'Did: 2125550143');
    expect(readInboundCallEvent(withheld)?.callerIdRaw).toBe('<unknown>');
  });
});

describe('CallEventTracker with an inbound caller', () => {
  const hangup = msg('Event: Hangup', `Channel: ${CH}`, 'ChannelState: 6', `Uniqueid: ${ID}`, 'Cause: 16', 'Cause-txt: Normal Clearing');
  const bridge = msg('Event: BridgeEnter', 'BridgeUniqueid: b-1', 'BridgeName: agent-7', `Channel: ${CH}`, 'Context: agent-bridge', 'Exten: 7', `Uniqueid: ${ID}`);

  it('ignores an Asterisk-named channel nobody took on', () => {
    expect(new CallEventTracker().push(hangup, 5)).toEqual([]);
  });

  it('follows an adopted caller: bridged, then ended as connected', () => {
    const t = new CallEventTracker();
    t.adopt(ID, { queuedAt: 1, answeredAt: 1, channel: CH });
    expect(t.push(bridge, 3).map((e) => e.type)).toEqual(['bridged']);
    const [ended] = t.push(hangup, 9);
    expect(ended).toMatchObject({ type: 'ended', attemptId: ID, outcome: 'connected', agentId: '7' });
  });

  it('ends an adopted caller who hung up on hold, not connected', () => {
    const t = new CallEventTracker();
    t.adopt(ID, { queuedAt: 1, answeredAt: 1, channel: CH });
    const [ended] = t.push(hangup, 9);
    expect(ended.type).toBe('ended');
    expect(ended.type === 'ended' && ended.outcome).not.toBe('connected');
  });
});

describe('toAttemptRecord of an inbound call', () => {
  const summary = (documentId: string) => ({ documentId, accountNumber: documentId, debtorName: 'Pat', clientName: 'Bank', balance: 1, currency: 'USD', daysPastDue: 0, status: 'open', timezone: 'UTC', callingWindow: { start: '08:00', end: '21:00' }, phone: { number: '+13122000000', type: null, autodialConsent: false, consentDate: null, consentSource: null } });
  const base = (matches: string[], accountDocumentId: string): LiveCall => ({
    attemptId: ID, campaignId: 'camp', workerId: 'w', accountDocumentId, callbackDocumentId: null, phone: '+13122000000', dialMode: 'inbound', ringTimeoutSec: 0, dropWindowSec: 0, callerId: null,
    reservedAgentId: null, preferredAgentId: null, receipt: {}, phase: 'ended', channel: CH, agentId: null, queuedAt: 1000, dialedAt: null, answeredAt: 1000, bridgedAt: null, endedAt: 31000,
    wrapEndedAt: null, outcome: 'abandoned', hangupCause: 16, amdStatus: null, dispositionDocumentId: null, notes: null,
    inbound: { did: '+12125550143', callerNumber: '+13122000000', callerKind: 'number', callerIdRaw: '3122000000', clientDocumentId: 'client-1', campaignIds: ['camp'], matches: matches.map(summary), assignedAgentIds: matches.map(() => null) },
  });

  it.each<[string, LiveCall, Record<string, unknown>]>([
    ['an unknown caller who gave up: the client, no account, the wait', base([], ''), { client: 'client-1', direction: 'inbound', callerNumber: '+13122000000', did: '+12125550143', queueWaitSeconds: 30, talkSeconds: null, outcome: 'abandoned' }],
    ['several matches, one picked', base(['a1', 'a2'], 'a2'), { account: 'a2', accounts: ['a1', 'a2'], direction: 'inbound' }],
    ['several matches, none picked: no account, all listed', base(['a1', 'a2'], ''), { client: 'client-1', accounts: ['a1', 'a2'] }],
  ])('%s', (_name, call, expected) => {
    const record = toAttemptRecord(call);
    expect(record).toMatchObject(expected);
    if (!call.accountDocumentId) expect(record).not.toHaveProperty('account');
    expect(record).not.toHaveProperty('campaign'); // no agent took it: not a call of any campaign's agents
  });
});
