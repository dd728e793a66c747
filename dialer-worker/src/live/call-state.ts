export type CallPhase = 'queued' | 'dialing' | 'ringing' | 'waiting' | 'bridged' | 'abandoning' | 'ended';
import type { CallOutcome } from '../../../protocol/socket-protocol';
import type { AccountSummary } from '../../../protocol/hopper-item';
import type { CallerIdKind } from '../../../protocol/inbound-call';

/** What an inbound call carries beside an outbound one: who called which number, and who may take it. */
export type InboundFacts = {
  did: string;
  callerNumber: string | null;
  callerKind: CallerIdKind;
  /** the caller id as the PBX gave it, for a caller cms could not read */
  callerIdRaw: string;
  clientDocumentId: string | null;
  /** the inbound group: campaigns whose agents take the call */
  campaignIds: string[];
  matches: AccountSummary[];
  assignedAgentIds: Array<number | null>;
  /** the account the agent found and linked (an unknown caller, or one matched on no account of theirs) */
  linked?: AccountSummary | null;
};

export type { CallOutcome };

/** One attempt as the worker follows it, kept in Redis until cms has acknowledged its record. */
import type { WrapUpPromise, WrapUpCallback } from '../realtime/wrap-up-input';

export type LiveCall = {
  attemptId: string;
  campaignId: string;
  workerId: string;
  accountDocumentId: string;
  callbackDocumentId: string | null;
  phone: string;
  dialMode: string;
  /** What the Originate needs, fixed when the attempt is queued so the dial job asks cms nothing. */
  ringTimeoutSec: number;
  /** How long a live answer may wait for an agent before it is abandoned (≤ 2 s). */
  dropWindowSec: number;
  callerId: string | null;
  reservedAgentId: number | null;
  preferredAgentId: number | null;
  receipt: Record<string, unknown>;
  /** The account as cms described it with the hopper: the screen pop carries it. Absent on attempts queued before calls carried it. */
  account?: AccountSummary;
  phase: CallPhase;
  channel: string | null;
  agentId: number | null;
  queuedAt: number;
  dialedAt: number | null;
  answeredAt: number | null;
  bridgedAt: number | null;
  /** epoch ms the PBX showed the debtor entering the agent's conference (BridgeEnter): only then is it connected */
  pbxBridgedAt?: number | null;
  endedAt: number | null;
  wrapEndedAt: number | null;
  outcome: CallOutcome | null;
  hangupCause: number | null;
  amdStatus: 'HUMAN' | 'MACHINE' | 'NOTSURE' | 'HANGUP' | null;
  dispositionDocumentId: string | null;
  notes: string | null;
  /** The campaign's wrap-up limit and the disposition applied when it runs out, fixed when the attempt is queued. */
  wrapUpLimitSec?: number | null;
  defaultDispositionId?: string | null;
  /** What the agent recorded in wrap-up beside the disposition; cms creates them with the call. */
  promise?: WrapUpPromise | null;
  scheduledCallback?: WrapUpCallback | null;
  /** Present on a call the debtor made (an inbound caller): `answeredAt` is when they entered the queue. */
  inbound?: InboundFacts;
};

/** What a call is before anything has happened to it: the attempt's own facts, then no channel, agent, later times or outcome yet. */
export type NewCallFacts = Pick<LiveCall, 'attemptId' | 'campaignId' | 'workerId' | 'accountDocumentId' | 'callbackDocumentId' | 'phone' | 'dialMode' | 'ringTimeoutSec' | 'dropWindowSec' | 'callerId' | 'reservedAgentId' | 'preferredAgentId' | 'receipt' | 'phase' | 'queuedAt'> &
  Partial<Pick<LiveCall, 'account' | 'channel' | 'answeredAt' | 'wrapUpLimitSec' | 'defaultDispositionId' | 'inbound'>>;

/** A fresh call as the pacer (an outbound attempt) or the inbound intake (a caller on hold) first writes it. Pure. */
export function newLiveCall(facts: NewCallFacts): LiveCall {
  return {
    channel: null,
    agentId: null,
    dialedAt: null,
    answeredAt: null,
    bridgedAt: null,
    endedAt: null,
    wrapEndedAt: null,
    outcome: null,
    hangupCause: null,
    amdStatus: null,
    dispositionDocumentId: null,
    notes: null,
    ...facts,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seconds = (from: number | null, to: number | null) => (from !== null && to !== null && to >= from ? Math.round((to - from) / 100) / 10 : null);

/** The cms call record of a finished attempt (PUT /api/calls/attempts/:attemptId). */
export function toAttemptRecord(call: LiveCall): Record<string, unknown> & { outcome: string } {
  if (call.inbound) return toInboundRecord(call, call.inbound);
  return {
    account: call.accountDocumentId,
    campaign: call.campaignId,
    ...(call.agentId !== null ? { agent: call.agentId } : {}),
    ...(call.callbackDocumentId ? { callback: call.callbackDocumentId } : {}),
    phone: call.phone,
    direction: 'outbound',
    dialMode: call.dialMode,
    queuedAt: iso(call.queuedAt),
    dialedAt: iso(call.dialedAt),
    answeredAt: iso(call.answeredAt),
    bridgedAt: iso(call.bridgedAt),
    endedAt: iso(call.endedAt),
    wrapEndedAt: iso(call.wrapEndedAt),
    ringSeconds: seconds(call.dialedAt, call.answeredAt ?? call.endedAt),
    talkSeconds: seconds(call.bridgedAt, call.endedAt),
    wrapSeconds: seconds(call.endedAt, call.wrapEndedAt),
    // 'pending' while the call is up: cms then lets the bridged agent read the account it is about.
    outcome: call.outcome ?? (call.phase === 'ended' ? 'failed' : 'pending'),
    hangupCause: call.hangupCause,
    amdStatus: call.amdStatus,
    amiUniqueId: call.attemptId,
    ...(call.dispositionDocumentId ? { disposition: call.dispositionDocumentId } : {}),
    ...(call.notes ? { notes: call.notes } : {}),
    ...(call.promise ? { promise: call.promise } : {}),
    ...(call.scheduledCallback ? { scheduledCallback: call.scheduledCallback } : {}),
    complianceReceipt: call.receipt,
  };
}

/** The cms call record of an inbound call: direction, caller, DID, queue wait, the accounts it concerned. */
function toInboundRecord(call: LiveCall, i: InboundFacts): Record<string, unknown> & { outcome: string } {
  return {
    // Unknown caller, or several accounts and none picked yet: no account; the client is the DID's.
    ...(call.accountDocumentId ? { account: call.accountDocumentId } : i.clientDocumentId ? { client: i.clientDocumentId } : {}),
    ...(i.matches.length || i.linked ? { accounts: [...new Set([...i.matches, ...(i.linked ? [i.linked] : [])].map((a) => a.documentId))] } : {}),
    ...(call.agentId !== null ? { agent: call.agentId } : {}),
    ...(call.agentId !== null && call.campaignId ? { campaign: call.campaignId } : {}),
    phone: i.callerNumber,
    callerNumber: i.callerNumber,
    did: i.did.slice(0, 16),
    direction: 'inbound',
    dialMode: 'inbound',
    queuedAt: iso(call.answeredAt ?? call.queuedAt),
    answeredAt: iso(call.answeredAt),
    bridgedAt: iso(call.bridgedAt),
    endedAt: iso(call.endedAt),
    wrapEndedAt: iso(call.wrapEndedAt),
    queueWaitSeconds: seconds(call.answeredAt, call.bridgedAt ?? call.endedAt),
    talkSeconds: seconds(call.bridgedAt, call.endedAt),
    wrapSeconds: seconds(call.endedAt, call.wrapEndedAt),
    outcome: call.outcome ?? (call.phase === 'ended' ? 'abandoned' : 'pending'),
    hangupCause: call.hangupCause,
    amiUniqueId: call.attemptId,
    ...(call.dispositionDocumentId ? { disposition: call.dispositionDocumentId } : {}),
    ...(call.notes ? { notes: call.notes } : {}),
    ...(call.promise && call.accountDocumentId ? { promise: call.promise } : {}),
    ...(call.scheduledCallback && call.accountDocumentId ? { scheduledCallback: call.scheduledCallback } : {}),
    complianceReceipt: { inbound: true, callerIdRaw: i.callerIdRaw },
  };
}
