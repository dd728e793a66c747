/**
 * A provider's call as its webhook events tell it, whatever order they arrive in. Pure: the
 * controller reads the stored state, folds the event in, and writes what this returns.
 */
export type ProviderEventType = 'call.ringing' | 'call.answered' | 'call.ended';

export type ProviderEvent = {
  eventId: string;
  type: ProviderEventType;
  callId: string;
  from: string;
  to: string;
  /** when it happened at the provider (ms) */
  at: number;
  /** the agent the provider put the call through to, by username */
  agent: string | null;
};

export type ProviderCallStatus = 'ringing' | 'answered' | 'ended';

export type ProviderCallState = {
  callId: string;
  from: string;
  to: string;
  ringingAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  agent: string | null;
  status: ProviderCallStatus;
  /** event ids already applied, in arrival order, each with the answer it got */
  seen: Record<string, ProviderAnswer>;
};

export type ProviderAnswer = { status: ProviderCallStatus; applied: boolean };

export type ProviderOutcome = { outcome: 'pending' | 'connected' | 'abandoned'; queueWaitSec: number | null; talkSec: number | null };

/** `replay`: the event id was seen before (nothing changes); `popAgent`: whom to pop the account to now. */
export type FoldResult = { replay: boolean; answer: ProviderAnswer; state: ProviderCallState; changed: boolean; popAgent: string | null };

const FIELD: Record<ProviderEventType, 'ringingAt' | 'answeredAt' | 'endedAt'> = {
  'call.ringing': 'ringingAt',
  'call.answered': 'answeredAt',
  'call.ended': 'endedAt',
};

function statusOf(s: Pick<ProviderCallState, 'answeredAt' | 'endedAt'>): ProviderCallStatus {
  return s.endedAt !== null ? 'ended' : s.answeredAt !== null ? 'answered' : 'ringing';
}

/**
 * Folds one event into the call. The rules:
 * - an event id seen before gives its first answer again and changes nothing (a retry);
 * - each kind of event sets its own moment; a second one of the same kind (a provider's retry
 *   under a new id) keeps the earlier moment, so the record never moves with the delivery order;
 * - the status is what the moments say (ended > answered > ringing): a late `call.ringing` or
 *   `call.answered` after `call.ended` fills its moment in and never reopens the call;
 * - the agent is the first one named; a pop goes out only for a ringing the call is still in.
 */
export function foldProviderEvent(current: ProviderCallState | null, e: ProviderEvent): FoldResult {
  if (current && current.seen[e.eventId]) return { replay: true, answer: current.seen[e.eventId], state: current, changed: false, popAgent: null };
  const base: ProviderCallState = current ?? { callId: e.callId, from: e.from, to: e.to, ringingAt: null, answeredAt: null, endedAt: null, agent: null, status: 'ringing', seen: {} };
  const field = FIELD[e.type];
  const prior = base[field];
  const moment = prior === null ? e.at : Math.min(prior, e.at);
  const next: ProviderCallState = {
    ...base,
    from: base.from || e.from,
    to: base.to || e.to,
    [field]: moment,
    agent: base.agent ?? e.agent,
  };
  next.status = statusOf(next);
  const changed = moment !== prior || next.agent !== base.agent || current === null;
  const answer: ProviderAnswer = { status: next.status, applied: changed };
  next.seen = { ...base.seen, [e.eventId]: answer };
  const popAgent = e.type === 'call.ringing' && next.status === 'ringing' && next.agent ? next.agent : null;
  return { replay: false, answer, state: next, changed, popAgent };
}

/** What the call record says of a provider's call: queue wait from ringing to answer, talk from answer to end. */
export function providerOutcome(s: ProviderCallState): ProviderOutcome {
  const sec = (a: number | null, b: number | null) => (a !== null && b !== null ? Math.max(0, (b - a) / 1000) : null);
  // Answered is a conversation however it ends; ended unanswered is a caller who gave up waiting.
  const outcome = s.answeredAt !== null ? 'connected' : s.endedAt !== null ? 'abandoned' : 'pending';
  return { outcome, queueWaitSec: sec(s.ringingAt, s.answeredAt), talkSec: sec(s.answeredAt, s.endedAt) };
}
