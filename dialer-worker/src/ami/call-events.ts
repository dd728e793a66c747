import { header, type AmiMessage } from './ami-protocol';
import { agentIdFromConferenceName, isGeneratedUniqueId, parseActionId, parseAgentLegId } from './ami-ids';
import { attemptOutcome, DEFAULT_SETTLE_MS, endReadiness, ORIGINATE_REASON, type AmdResult, type AttemptEvidence, type CallOutcome } from './attempt-outcome';

export { ORIGINATE_REASON, type AmdResult, type CallOutcome } from './attempt-outcome';

/**
 * From raw AMI messages to the few facts the worker acts on, keyed by attempt id.
 *
 * Two steps, both pure:
 * 1. `interpretAmiMessage` reads one message into a `CallSignal` (or nothing). Stateless.
 * 2. `CallEventTracker` folds signals per call into `CallEvent`s: each fact once, and one
 *    `ended` per attempt with everything known about it.
 *
 * Ordering is not trusted: Asterisk publishes channel events (Newstate, DialEnd, Hangup)
 * through its message bus and OriginateResponse directly, so a failed call's
 * OriginateResponse may come before or after its DialEnd and Hangup. An unanswered attempt
 * ends once all of them are in, or when a short settle window has passed (`settle()`), and
 * `attempt-outcome.ts` reads the outcome from all of it.
 *
 * Ids that are not calls of ours: `<unknown>` / `<null>` (a failed Originate of a
 * client that gave no ChannelId, Asterisk 13.8+ / before), and `<id>;2`, the second half of a Local channel created with
 * `ChannelId: <id>`; that half's Hangup cause is kept as the far end's, nothing else of it.
 */

export type CallSignal =
  | { kind: 'originate-queued'; callId: string; leg: LegKind; actionId: string }
  | { kind: 'originate-rejected'; callId: string; leg: LegKind; actionId: string; message: string }
  | { kind: 'originate-result'; callId: string; leg: LegKind; success: boolean; reason: number; channel?: string }
  | { kind: 'channel-created'; callId: string; leg: LegKind; channel: string }
  | { kind: 'channel-state'; callId: string; leg: LegKind; channel: string; state: number }
  | { kind: 'amd'; callId: string; leg: LegKind; result: AmdResult; cause?: string }
  | { kind: 'bridge-enter'; callId: string; leg: LegKind; channel: string; bridgeId: string; agentId?: string }
  | { kind: 'safe-harbor'; callId: string; leg: LegKind }
  | { kind: 'hangup'; callId: string; leg: LegKind; channel: string; cause?: number; causeText?: string }
  | { kind: 'dial-end'; callId: string; leg: LegKind; status: string }
  | { kind: 'far-end-hangup'; callId: string; leg: LegKind; cause?: number; causeText?: string };

export type LegKind = 'attempt' | 'agent-leg';

/** Asterisk channel states (ChannelState) that matter here. */
export const CHANNEL_STATE = { DOWN: 0, RING: 4, RINGING: 5, UP: 6, BUSY: 7 } as const;


export interface CallTimestamps {
  queuedAt?: number;
  ringingAt?: number;
  answeredAt?: number;
  amdAt?: number;
  bridgedAt?: number;
  endedAt: number;
}

export type CallEvent =
  | { type: 'queued'; attemptId: string; actionId: string; at: number }
  | { type: 'ringing'; attemptId: string; channel: string; at: number }
  | { type: 'answered'; attemptId: string; channel?: string; at: number }
  | { type: 'amd'; attemptId: string; result: AmdResult; cause?: string; at: number }
  | { type: 'bridged'; attemptId: string; agentId: string; channel: string; bridgeId: string; at: number }
  | { type: 'safe-harbor-played'; attemptId: string; at: number }
  | {
      type: 'ended';
      attemptId: string;
      outcome: CallOutcome;
      answered: boolean;
      amd?: AmdResult;
      /** the agent it was last bridged to */
      agentId?: string;
      safeHarborPlayed: boolean;
      hangupCause?: number;
      hangupCauseText?: string;
      originateReason?: number;
      /** `DialEnd`'s `DialStatus` */
      dialStatus?: string;
      /** the row of `OUTCOME_RULES` that decided the outcome */
      outcomeRule: string;
      /** the Originate was refused outright (`Response: Error`): nothing was dialed */
      rejected?: string;
      channel?: string;
      /** ended by `reconcile()` because the PBX no longer has the channel; its Hangup was missed */
      reconciled?: boolean;
      timestamps: CallTimestamps;
      at: number;
    }
  | { type: 'agent-leg-up'; legId: string; agentId: string; channel: string; at: number }
  | { type: 'agent-leg-down'; legId: string; agentId: string; answered: boolean; hangupCause?: number; originateReason?: number; at: number };

export type CallEventType = CallEvent['type'];

type Resolved = { callId: string; leg: LegKind; farEnd?: true };

/** The call an event's Uniqueid names; `farEnd` for the `;2` half of a Local channel. */
function resolveAdopted(id: string, adopted?: ReadonlySet<string>): Resolved | undefined {
  const trimmed = id.trim();
  // An inbound caller's channel: Asterisk named it (nobody originated it), and the worker took it on.
  if (adopted?.has(trimmed)) return { callId: trimmed, leg: 'attempt' };
  // `<unknown>` (Asterisk 13.8+) and `<null>` (before): a failed Originate without a ChannelId, someone else's.
  if (trimmed === '' || /^<[^>]*>$/.test(trimmed)) return undefined;
  if (trimmed.endsWith(';2')) {
    const base = resolveAdopted(trimmed.slice(0, -2), adopted);
    return base && { ...base, farEnd: true };
  }
  if (parseAgentLegId(trimmed)) return { callId: trimmed, leg: 'agent-leg' };
  if (isGeneratedUniqueId(trimmed)) return undefined;
  return { callId: trimmed, leg: 'attempt' };
}

/** Only a Hangup of the `;2` half tells anything (the far end's cause); its other events are noise. */
function nearEnd(target: Resolved | undefined): { callId: string; leg: LegKind } | undefined {
  return target && !target.farEnd ? { callId: target.callId, leg: target.leg } : undefined;
}

function fromActionId(actionId: string | undefined): { callId: string; leg: LegKind } | undefined {
  const parsed = parseActionId(actionId);
  if (parsed.kind === 'attempt') return { callId: parsed.attemptId, leg: 'attempt' };
  if (parsed.kind === 'agent-leg') return { callId: parsed.legId, leg: 'agent-leg' };
  return undefined;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

const AMD_RESULTS: Record<string, AmdResult> = { HUMAN: 'human', MACHINE: 'machine', NOTSURE: 'notsure', HANGUP: 'hangup' };

/** Reads one raw message (lowercased keys) into a signal about one of our calls, or nothing. */
export function interpretAmiMessage(message: AmiMessage, adopted?: ReadonlySet<string>): CallSignal | undefined {
  const resolveLeg = (id: string) => resolveAdopted(id, adopted);
  const event = header(message, 'event')?.toLowerCase();
  const actionId = header(message, 'actionid');

  if (event === undefined) {
    const response = header(message, 'response')?.toLowerCase();
    const target = fromActionId(actionId);
    if (!target || !actionId || !response) return undefined;
    if (response === 'success') return { kind: 'originate-queued', ...target, actionId };
    if (response === 'error') return { kind: 'originate-rejected', ...target, actionId, message: header(message, 'message') ?? '' };
    return undefined;
  }

  const uniqueId = header(message, 'uniqueid') ?? '';
  const channel = header(message, 'channel') ?? '';
  switch (event) {
    case 'originateresponse': {
      const target = fromActionId(actionId) ?? nearEnd(resolveLeg(uniqueId));
      if (!target) return undefined;
      const success = header(message, 'response')?.toLowerCase() === 'success';
      return {
        kind: 'originate-result',
        ...target,
        success,
        reason: int(header(message, 'reason')) ?? (success ? ORIGINATE_REASON.ANSWERED : ORIGINATE_REASON.NO_CHANNEL),
        channel: channel || undefined,
      };
    }
    case 'newchannel': {
      const target = nearEnd(resolveLeg(uniqueId));
      return target && { kind: 'channel-created', ...target, channel };
    }
    case 'newstate': {
      const target = nearEnd(resolveLeg(uniqueId));
      const state = int(header(message, 'channelstate'));
      return target && state !== undefined ? { kind: 'channel-state', ...target, channel, state } : undefined;
    }
    case 'userevent': {
      const name = header(message, 'userevent')?.toLowerCase();
      const target = nearEnd(resolveLeg(header(message, 'attemptid') || uniqueId));
      if (!target) return undefined;
      if (name === 'amdresult') {
        const result = AMD_RESULTS[(header(message, 'status') ?? '').trim().toUpperCase()];
        if (!result) return undefined;
        const cause = header(message, 'cause');
        return { kind: 'amd', ...target, result, ...(cause ? { cause } : {}) };
      }
      if (name === 'safeharborplayed') return { kind: 'safe-harbor', ...target };
      return undefined;
    }
    case 'bridgeenter': {
      const target = nearEnd(resolveLeg(uniqueId));
      if (!target) return undefined;
      const agentId =
        agentIdFromConferenceName(header(message, 'bridgename')) ??
        (header(message, 'context') === 'agent-bridge' ? header(message, 'exten') : undefined);
      return { kind: 'bridge-enter', ...target, channel, bridgeId: header(message, 'bridgeuniqueid') ?? '', ...(agentId ? { agentId } : {}) };
    }
    case 'hangup': {
      const target = resolveLeg(uniqueId);
      if (!target) return undefined;
      const cause = int(header(message, 'cause'));
      const causeText = header(message, 'cause-txt');
      const detail = { ...(cause !== undefined ? { cause } : {}), ...(causeText ? { causeText } : {}) };
      if (target.farEnd) return target.leg === 'attempt' ? { kind: 'far-end-hangup', callId: target.callId, leg: target.leg, ...detail } : undefined;
      return { kind: 'hangup', ...target, channel, ...detail };
    }
    case 'dialend': {
      // An Originate's dial has no caller channel: the attempt is the destination.
      const target = nearEnd(resolveLeg(header(message, 'destuniqueid') ?? ''));
      const status = header(message, 'dialstatus')?.trim().toUpperCase();
      return target && status ? { kind: 'dial-end', ...target, status } : undefined;
    }
    default:
      return undefined;
  }
}

interface TrackedCall {
  leg: LegKind;
  channel?: string;
  queuedAt?: number;
  /** when its Originate was sent, if later than queued (a dial job that waited for Redis) */
  dialingAt?: number;
  ringingAt?: number;
  answeredAt?: number;
  amd?: AmdResult;
  amdAt?: number;
  agentId?: string;
  bridgedAt?: number;
  safeHarborPlayed: boolean;
  hangup?: { cause?: number; causeText?: string; at: number };
  /** the Hangup of the `;2` half of a Local channel: the far end's cause */
  farEndHangup?: { cause?: number; causeText?: string; at: number };
  originate?: { success: boolean; reason?: number; rejected?: string; at: number };
  dialStatus?: string;
  sawChannel: boolean;
  /** the channel is the `;1` half of a Local channel */
  localHalf?: boolean;
  /** when an unanswered attempt ends with what is known, if the rest of its evidence has not come */
  settleAt?: number;
  /** when the last event about it came: a channel list asked for before then cannot speak for it */
  lastHeardAt?: number;
}

/** The outcome of a call from what is known about it (`attempt-outcome.ts`). */
export function classifyOutcome(evidence: AttemptEvidence): CallOutcome {
  return attemptOutcome(evidence).outcome;
}

export interface CallEventTrackerOptions {
  /** how many ended call ids to remember so late events about them are ignored */
  endedMemory?: number;
  /** how long an unanswered attempt waits for the rest of its end (default DEFAULT_SETTLE_MS) */
  settleMs?: number;
}

/**
 * Folds AMI messages into call events, one tracker per AMI connection's stream. Holds no
 * timers and does no I/O; the caller passes the time of each message.
 */
export class CallEventTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly ended = new Map<string, true>();
  /** inbound callers' channels taken on (adopt); forgotten when they end */
  private readonly adopted = new Set<string>();
  private readonly endedMemory: number;
  private readonly settleMs: number;

  constructor(options: CallEventTrackerOptions = {}) {
    this.endedMemory = options.endedMemory ?? 50_000;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  /** Calls in flight (queued or with a channel, not ended). */
  get size(): number {
    return this.calls.size;
  }

  inFlight(): string[] {
    return [...this.calls.keys()];
  }

  /**
   * Registers an attempt known from elsewhere (a worker restarting from Redis), so that its
   * later events, and `reconcile()`, treat it as in flight.
   */
  track(attemptId: string, known: { queuedAt?: number; answeredAt?: number; channel?: string; agentId?: string; bridgedAt?: number; amd?: AmdResult } = {}): void {
    if (this.ended.has(attemptId) || this.calls.has(attemptId)) return;
    this.calls.set(attemptId, { leg: 'attempt', safeHarborPlayed: false, sawChannel: known.channel !== undefined, ...known });
  }

  /** The Originate of an attempt followed since it was queued is sent now: the wait for its first channel starts here. */
  dialing(attemptId: string, at: number): void {
    const call = this.calls.get(attemptId);
    if (call) call.dialingAt = at;
  }

  /**
   * Follows an inbound caller's channel, whose Uniqueid Asterisk generated (such ids are
   * otherwise ignored as channels of nobody's): it is answered already, and ends on its Hangup.
   */
  adopt(uniqueId: string, known: { queuedAt: number; answeredAt: number; channel?: string }): void {
    this.adopted.add(uniqueId);
    this.track(uniqueId, known);
  }

  push(message: AmiMessage, at: number): CallEvent[] {
    const signal = interpretAmiMessage(message, this.adopted);
    return signal ? this.apply(signal, at) : [];
  }

  apply(signal: CallSignal, at: number): CallEvent[] {
    if (this.ended.has(signal.callId)) return [];
    let call = this.calls.get(signal.callId);
    // The far half of a Local channel adds to a call we follow; it never starts one.
    if (!call && signal.kind === 'far-end-hangup') return [];
    if (!call) {
      call = { leg: signal.leg, safeHarborPlayed: false, sawChannel: false };
      this.calls.set(signal.callId, call);
    }
    call.lastHeardAt = at;
    return signal.leg === 'agent-leg' ? this.applyAgentLeg(signal, call, at) : this.applyAttempt(signal, call, at);
  }

  /**
   * After a reconnection: ends every attempt the PBX no longer has a channel for, since its
   * Hangup was lost with the connection. `liveIds` are the Uniqueids of `listChannels()`, asked
   * for at `listedAt`: a call heard of since then (its channel created after the list was
   * made) is not gone, whatever the list says. An attempt only queued (no channel seen yet) is
   * left alone for `queuedGraceMs` after the last word of it (its Originate's reply), since its
   * channel may simply not exist yet.
   */
  reconcile(liveIds: ReadonlySet<string>, at: number, options: { queuedGraceMs?: number; listedAt?: number } = {}): CallEvent[] {
    const grace = options.queuedGraceMs ?? 120_000;
    const listedAt = options.listedAt ?? at;
    const out: CallEvent[] = [];
    for (const [id, call] of [...this.calls]) {
      if (liveIds.has(id)) continue;
      if (call.lastHeardAt !== undefined && call.lastHeardAt >= listedAt) continue;
      const sentAt = call.dialingAt ?? call.queuedAt;
      const lastWord = Math.max(sentAt ?? -Infinity, call.lastHeardAt ?? -Infinity);
      if (!call.sawChannel && call.answeredAt === undefined && sentAt !== undefined && at - lastWord < grace) continue;
      if (call.leg === 'agent-leg') {
        const leg = parseAgentLegId(id);
        this.finish(id);
        if (leg) out.push({ type: 'agent-leg-down', legId: id, agentId: leg.agentId, answered: call.answeredAt !== undefined, at });
        continue;
      }
      out.push(this.end(id, call, at, true));
    }
    return out;
  }

  /** When `settle()` next has an attempt to end, if any: the caller's timer. */
  nextSettleAt(): number | undefined {
    let next: number | undefined;
    for (const call of this.calls.values()) if (call.settleAt !== undefined && (next === undefined || call.settleAt < next)) next = call.settleAt;
    return next;
  }

  /** Ends the unanswered attempts whose settle window has passed, with the evidence they have. */
  settle(at: number): CallEvent[] {
    const out: CallEvent[] = [];
    for (const [id, call] of [...this.calls]) {
      if (call.settleAt !== undefined && call.settleAt <= at) out.push(this.end(id, call, at));
    }
    return out;
  }

  /**
   * Forgets all that was heard of an attempt, its end included: a call another worker followed
   * (whose events this one heard and ignored) is taken over from what Redis says of it, as after
   * a restart, and its end, if already heard, is found again by comparing with the PBX's channels.
   */
  reopen(attemptId: string): void {
    this.calls.delete(attemptId);
    this.ended.delete(attemptId);
  }

  /** Drops an attempt without an event (the worker settled it some other way). */
  forget(attemptId: string): void {
    this.calls.delete(attemptId);
  }

  private applyAttempt(signal: CallSignal, call: TrackedCall, at: number): CallEvent[] {
    const id = signal.callId;
    const out: CallEvent[] = [];
    const answer = (channel?: string) => {
      if (call.answeredAt !== undefined) return;
      call.answeredAt = at;
      out.push({ type: 'answered', attemptId: id, ...(channel ?? call.channel ? { channel: channel ?? call.channel } : {}), at });
    };
    switch (signal.kind) {
      case 'originate-queued':
        if (call.queuedAt === undefined) {
          call.queuedAt = at;
          out.push({ type: 'queued', attemptId: id, actionId: signal.actionId, at });
        }
        break;
      case 'originate-rejected':
        call.originate = { success: false, rejected: signal.message || 'rejected', at };
        out.push(this.end(id, call, at));
        break;
      case 'originate-result':
        call.originate = { success: signal.success, reason: signal.reason, at };
        if (signal.success) {
          if (signal.channel) call.channel ??= signal.channel;
          answer(signal.channel);
        }
        break;
      case 'dial-end':
        call.dialStatus = signal.status;
        if (signal.status === 'ANSWER') answer();
        break;
      case 'channel-created':
        call.sawChannel = true;
        call.channel = signal.channel;
        call.localHalf = /^Local\/.*;1$/.test(signal.channel);
        break;
      case 'channel-state':
        call.sawChannel = true;
        call.channel = signal.channel;
        if (signal.state === CHANNEL_STATE.RINGING && call.ringingAt === undefined && call.answeredAt === undefined) {
          call.ringingAt = at;
          out.push({ type: 'ringing', attemptId: id, channel: signal.channel, at });
        } else if (signal.state === CHANNEL_STATE.UP) {
          answer(signal.channel);
        }
        break;
      case 'amd':
        if (call.amd === undefined) {
          call.amd = signal.result;
          call.amdAt = at;
          out.push({ type: 'amd', attemptId: id, result: signal.result, ...(signal.cause ? { cause: signal.cause } : {}), at });
        }
        break;
      case 'bridge-enter':
        call.sawChannel = true;
        if (signal.agentId && signal.agentId !== call.agentId) {
          call.agentId = signal.agentId;
          call.bridgedAt ??= at;
          out.push({ type: 'bridged', attemptId: id, agentId: signal.agentId, channel: signal.channel, bridgeId: signal.bridgeId, at });
        }
        break;
      case 'safe-harbor':
        if (!call.safeHarborPlayed) {
          call.safeHarborPlayed = true;
          out.push({ type: 'safe-harbor-played', attemptId: id, at });
        }
        break;
      case 'hangup':
        call.sawChannel = true;
        call.hangup = { cause: signal.cause, causeText: signal.causeText, at };
        call.channel ??= signal.channel;
        call.localHalf ??= /^Local\/.*;1$/.test(signal.channel);
        break;
      case 'far-end-hangup':
        call.farEndHangup = { cause: signal.cause, causeText: signal.causeText, at };
        break;
    }
    if (this.calls.get(id) === call) {
      const readiness = endReadiness(
        {
          answered: call.answeredAt !== undefined,
          originateAt: call.originate?.rejected !== undefined ? undefined : call.originate?.at,
          hangupAt: call.hangup?.at,
          sawChannel: call.sawChannel,
          localHalf: call.localHalf === true,
          farEndHangupAt: call.farEndHangup?.at,
        },
        this.settleMs,
      );
      if (readiness === 'now') out.push(this.end(id, call, at));
      else call.settleAt = readiness === 'open' ? undefined : readiness.settleAt;
    }
    return out;
  }

  private applyAgentLeg(signal: CallSignal, call: TrackedCall, at: number): CallEvent[] {
    const id = signal.callId;
    const agentId = parseAgentLegId(id)?.agentId ?? '';
    const out: CallEvent[] = [];
    const up = (channel?: string) => {
      if (call.answeredAt !== undefined) return;
      call.answeredAt = at;
      out.push({ type: 'agent-leg-up', legId: id, agentId, channel: channel ?? call.channel ?? '', at });
    };
    const down = () => {
      this.finish(id);
      out.push({
        type: 'agent-leg-down',
        legId: id,
        agentId,
        answered: call.answeredAt !== undefined,
        ...(call.hangup?.cause !== undefined ? { hangupCause: call.hangup.cause } : {}),
        ...(call.originate?.reason !== undefined ? { originateReason: call.originate.reason } : {}),
        at,
      });
    };
    switch (signal.kind) {
      case 'originate-queued':
        call.queuedAt ??= at;
        break;
      case 'originate-rejected':
        call.originate = { success: false, rejected: signal.message, at };
        down();
        break;
      case 'originate-result':
        call.originate = { success: signal.success, reason: signal.reason, at };
        if (signal.success) {
          up(signal.channel);
          if (call.hangup) down();
        } else if (call.answeredAt === undefined) down();
        break;
      case 'channel-created':
      case 'bridge-enter':
        call.sawChannel = true;
        call.channel ??= signal.channel;
        break;
      case 'channel-state':
        call.sawChannel = true;
        call.channel = signal.channel;
        if (signal.state === CHANNEL_STATE.UP) up(signal.channel);
        break;
      case 'hangup':
        call.hangup = { cause: signal.cause, causeText: signal.causeText, at };
        if (call.answeredAt !== undefined || call.originate !== undefined) down();
        break;
      default:
        break;
    }
    return out;
  }

  private end(id: string, call: TrackedCall, at: number, reconciled = false): CallEvent {
    this.finish(id);
    const answered = call.answeredAt !== undefined;
    // A Local channel's own half hangs up with cause 0 when the far half ended the call.
    const hangup = call.hangup?.cause === undefined || call.hangup.cause === 0 ? (call.farEndHangup?.cause !== undefined ? call.farEndHangup : call.hangup) : call.hangup;
    const reading = attemptOutcome({
      answered,
      amd: call.amd,
      bridged: call.agentId !== undefined,
      originateReason: call.originate?.reason,
      hangupCause: hangup?.cause,
      dialStatus: call.dialStatus,
      rejected: call.originate?.rejected !== undefined,
    });
    return {
      type: 'ended',
      attemptId: id,
      outcome: reading.outcome,
      outcomeRule: reading.rule,
      answered,
      ...(call.amd ? { amd: call.amd } : {}),
      ...(call.agentId ? { agentId: call.agentId } : {}),
      safeHarborPlayed: call.safeHarborPlayed,
      ...(hangup?.cause !== undefined ? { hangupCause: hangup.cause } : {}),
      ...(hangup?.causeText ? { hangupCauseText: hangup.causeText } : {}),
      ...(call.originate?.reason !== undefined ? { originateReason: call.originate.reason } : {}),
      ...(call.dialStatus !== undefined ? { dialStatus: call.dialStatus } : {}),
      ...(call.originate?.rejected !== undefined ? { rejected: call.originate.rejected } : {}),
      ...(call.channel ? { channel: call.channel } : {}),
      ...(reconciled ? { reconciled: true } : {}),
      timestamps: {
        ...(call.queuedAt !== undefined ? { queuedAt: call.queuedAt } : {}),
        ...(call.ringingAt !== undefined ? { ringingAt: call.ringingAt } : {}),
        ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
        ...(call.amdAt !== undefined ? { amdAt: call.amdAt } : {}),
        ...(call.bridgedAt !== undefined ? { bridgedAt: call.bridgedAt } : {}),
        // Without a Hangup, an unanswered dial ended with its OriginateResponse; anything else when we learnt it.
        endedAt: call.hangup?.at ?? (!answered && !reconciled ? call.originate?.at : undefined) ?? at,
      },
      at,
    };
  }

  private finish(id: string): void {
    this.calls.delete(id);
    this.adopted.delete(id);
    this.ended.set(id, true);
    if (this.ended.size > this.endedMemory) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }
}
