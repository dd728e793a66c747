import { header, type AmiMessage } from './ami-protocol';
import { agentIdFromConferenceName, isGeneratedUniqueId, parseActionId, parseAgentLegId } from './ami-ids';

/**
 * From raw AMI messages to the few facts the worker acts on, keyed by attempt id.
 *
 * Two steps, both pure:
 * 1. `interpretAmiMessage` reads one message into a `CallSignal` (or nothing). Stateless.
 * 2. `CallEventTracker` folds signals per call into `CallEvent`s: each fact once, and one
 *    `ended` per attempt with everything known about it.
 *
 * Ordering is not trusted: Asterisk publishes channel events (Newstate, Hangup) through its
 * message bus and OriginateResponse directly, so a failed call's OriginateResponse may come
 * before or after its Hangup. The rules below give the same result either way.
 */

export type AmdResult = 'human' | 'machine' | 'notsure' | 'hangup';

/**
 * What became of an attempt, in the call record's vocabulary. `abandoned` means a person
 * answered (or detection was unsure) and the call never reached an agent; the worker, which
 * knows its drop window, decides whether that counts against the abandon rate.
 */
export type CallOutcome = 'no_answer' | 'busy' | 'failed' | 'machine' | 'connected' | 'abandoned';

export type CallSignal =
  | { kind: 'originate-queued'; callId: string; leg: LegKind; actionId: string }
  | { kind: 'originate-rejected'; callId: string; leg: LegKind; actionId: string; message: string }
  | { kind: 'originate-result'; callId: string; leg: LegKind; success: boolean; reason: number; channel?: string }
  | { kind: 'channel-created'; callId: string; leg: LegKind; channel: string }
  | { kind: 'channel-state'; callId: string; leg: LegKind; channel: string; state: number }
  | { kind: 'amd'; callId: string; leg: LegKind; result: AmdResult; cause?: string }
  | { kind: 'bridge-enter'; callId: string; leg: LegKind; channel: string; bridgeId: string; agentId?: string }
  | { kind: 'safe-harbor'; callId: string; leg: LegKind }
  | { kind: 'hangup'; callId: string; leg: LegKind; channel: string; cause?: number; causeText?: string };

export type LegKind = 'attempt' | 'agent-leg';

/** Asterisk channel states (ChannelState) that matter here. */
export const CHANNEL_STATE = { DOWN: 0, RING: 4, RINGING: 5, UP: 6, BUSY: 7 } as const;

/** OriginateResponse `Reason`: Asterisk's control frame that ended the dial. */
export const ORIGINATE_REASON = { NO_CHANNEL: 0, HANGUP: 1, RING_TIMEOUT: 3, ANSWERED: 4, BUSY: 5, CONGESTION: 8 } as const;

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

function resolveLeg(id: string): { callId: string; leg: LegKind } | undefined {
  if (id === '' || id === '<null>') return undefined;
  if (parseAgentLegId(id)) return { callId: id, leg: 'agent-leg' };
  if (isGeneratedUniqueId(id)) return undefined;
  return { callId: id, leg: 'attempt' };
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
export function interpretAmiMessage(message: AmiMessage): CallSignal | undefined {
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
      const target = fromActionId(actionId) ?? resolveLeg(uniqueId);
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
      const target = resolveLeg(uniqueId);
      return target && { kind: 'channel-created', ...target, channel };
    }
    case 'newstate': {
      const target = resolveLeg(uniqueId);
      const state = int(header(message, 'channelstate'));
      return target && state !== undefined ? { kind: 'channel-state', ...target, channel, state } : undefined;
    }
    case 'userevent': {
      const name = header(message, 'userevent')?.toLowerCase();
      const target = resolveLeg(header(message, 'attemptid') || uniqueId);
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
      const target = resolveLeg(uniqueId);
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
      return { kind: 'hangup', ...target, channel, ...(cause !== undefined ? { cause } : {}), ...(causeText ? { causeText } : {}) };
    }
    default:
      return undefined;
  }
}

interface TrackedCall {
  leg: LegKind;
  channel?: string;
  queuedAt?: number;
  ringingAt?: number;
  answeredAt?: number;
  amd?: AmdResult;
  amdAt?: number;
  agentId?: string;
  bridgedAt?: number;
  safeHarborPlayed: boolean;
  hangup?: { cause?: number; causeText?: string; at: number };
  originate?: { success: boolean; reason?: number; rejected?: string };
  sawChannel: boolean;
}

const BUSY_CAUSES = new Set([17, 21]);
const NO_ANSWER_CAUSES = new Set([16, 18, 19]);

/** The outcome of a call from what is known about it. */
export function classifyOutcome(call: {
  answered: boolean;
  amd?: AmdResult;
  bridged: boolean;
  originateReason?: number;
  hangupCause?: number;
  rejected?: boolean;
}): CallOutcome {
  if (call.answered) {
    if (call.amd === 'machine') return 'machine';
    return call.bridged ? 'connected' : 'abandoned';
  }
  if (call.rejected) return 'failed';
  if (call.originateReason === ORIGINATE_REASON.BUSY) return 'busy';
  if (call.originateReason === ORIGINATE_REASON.RING_TIMEOUT) return 'no_answer';
  if (call.originateReason === ORIGINATE_REASON.CONGESTION || call.originateReason === ORIGINATE_REASON.NO_CHANNEL) return 'failed';
  if (call.hangupCause !== undefined && BUSY_CAUSES.has(call.hangupCause)) return 'busy';
  if (call.hangupCause !== undefined && NO_ANSWER_CAUSES.has(call.hangupCause)) return 'no_answer';
  return 'failed';
}

export interface CallEventTrackerOptions {
  /** how many ended call ids to remember so late events about them are ignored */
  endedMemory?: number;
}

/**
 * Folds AMI messages into call events, one tracker per AMI connection's stream. Holds no
 * timers and does no I/O; the caller passes the time of each message.
 */
export class CallEventTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly ended = new Map<string, true>();
  private readonly endedMemory: number;

  constructor(options: CallEventTrackerOptions = {}) {
    this.endedMemory = options.endedMemory ?? 50_000;
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

  push(message: AmiMessage, at: number): CallEvent[] {
    const signal = interpretAmiMessage(message);
    return signal ? this.apply(signal, at) : [];
  }

  apply(signal: CallSignal, at: number): CallEvent[] {
    if (this.ended.has(signal.callId)) return [];
    let call = this.calls.get(signal.callId);
    if (!call) {
      call = { leg: signal.leg, safeHarborPlayed: false, sawChannel: false };
      this.calls.set(signal.callId, call);
    }
    return signal.leg === 'agent-leg' ? this.applyAgentLeg(signal, call, at) : this.applyAttempt(signal, call, at);
  }

  /**
   * After a reconnection: ends every attempt the PBX no longer has a channel for, since its
   * Hangup was lost with the connection. `liveIds` are the Uniqueids of `listChannels()`.
   * An attempt only queued (no channel seen yet) is left alone for `queuedGraceMs`, since its
   * channel may simply not exist yet.
   */
  reconcile(liveIds: ReadonlySet<string>, at: number, options: { queuedGraceMs?: number } = {}): CallEvent[] {
    const grace = options.queuedGraceMs ?? 120_000;
    const out: CallEvent[] = [];
    for (const [id, call] of [...this.calls]) {
      if (liveIds.has(id)) continue;
      if (!call.sawChannel && call.answeredAt === undefined && call.queuedAt !== undefined && at - call.queuedAt < grace) continue;
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
        call.originate = { success: false, rejected: signal.message || 'rejected' };
        out.push(this.end(id, call, at));
        break;
      case 'originate-result':
        call.originate = { success: signal.success, reason: signal.reason };
        if (signal.success) {
          if (signal.channel) call.channel ??= signal.channel;
          answer(signal.channel);
          if (call.hangup) out.push(this.end(id, call, at));
        } else if (call.answeredAt === undefined) {
          out.push(this.end(id, call, at));
        }
        break;
      case 'channel-created':
        call.sawChannel = true;
        call.channel = signal.channel;
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
        // An answered call ends with its Hangup. An unanswered one waits for its
        // OriginateResponse, which says why (busy, no answer) better than the cause does.
        if (call.answeredAt !== undefined || call.originate !== undefined) out.push(this.end(id, call, at));
        break;
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
        call.originate = { success: false, rejected: signal.message };
        down();
        break;
      case 'originate-result':
        call.originate = { success: signal.success, reason: signal.reason };
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
    return {
      type: 'ended',
      attemptId: id,
      outcome: classifyOutcome({
        answered,
        amd: call.amd,
        bridged: call.agentId !== undefined,
        originateReason: call.originate?.reason,
        hangupCause: call.hangup?.cause,
        rejected: call.originate?.rejected !== undefined,
      }),
      answered,
      ...(call.amd ? { amd: call.amd } : {}),
      ...(call.agentId ? { agentId: call.agentId } : {}),
      safeHarborPlayed: call.safeHarborPlayed,
      ...(call.hangup?.cause !== undefined ? { hangupCause: call.hangup.cause } : {}),
      ...(call.hangup?.causeText ? { hangupCauseText: call.hangup.causeText } : {}),
      ...(call.originate?.reason !== undefined ? { originateReason: call.originate.reason } : {}),
      ...(call.originate?.rejected !== undefined ? { rejected: call.originate.rejected } : {}),
      ...(call.channel ? { channel: call.channel } : {}),
      ...(reconciled ? { reconciled: true } : {}),
      timestamps: {
        ...(call.queuedAt !== undefined ? { queuedAt: call.queuedAt } : {}),
        ...(call.ringingAt !== undefined ? { ringingAt: call.ringingAt } : {}),
        ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
        ...(call.amdAt !== undefined ? { amdAt: call.amdAt } : {}),
        ...(call.bridgedAt !== undefined ? { bridgedAt: call.bridgedAt } : {}),
        endedAt: call.hangup?.at ?? at,
      },
      at,
    };
  }

  private finish(id: string): void {
    this.calls.delete(id);
    this.ended.set(id, true);
    if (this.ended.size > this.endedMemory) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }
}
