import type { AmiChannelInfo, AmiConnection } from '../ami/ami-connection';
import { CallEventTracker, CHANNEL_STATE, type AmdResult, type CallEvent } from '../ami/call-events';
import { parseAgentLegId } from '../ami/ami-ids';
import type { AmiMessage } from '../ami/ami-protocol';
import { transition, type LiveAgent } from '../live/agent-state';
import type { CallOutcome, LiveCall } from '../live/call-state';
import type { ScreenPop } from '../../../protocol/socket-protocol';
import type { AccountSummary } from '../../../protocol/hopper-item';
import type { DayTally } from '../live/day-tally';
import type { LiveStore } from '../live/live-store';
import { StoreGate } from '../live/store-gate';
import type { RealtimeEvents } from '../realtime/realtime-events';
import type { CampaignStatsBook } from './campaign-stats-book';
import type { RecordStage } from '../queues/queues';
import { orderWaitingCalls, pickInboundAgent, type WaitingCall } from '../inbound/agent-selection';

export const AGENT_BRIDGE_CONTEXT = 'agent-bridge';
export const ABANDON_CONTEXT = 'dialer-abandon';

export type CallFlowDeps = {
  workerId: string;
  live: LiveStore;
  ami: AmiConnection;
  realtime: RealtimeEvents;
  stats: CampaignStatsBook;
  /** Today's figures for the wallboard (absent in tests that do not read them). */
  today?: Pick<DayTally, 'connected'>;
  /** Queues the cms write of an attempt: when bridged (so the agent may read the account), when ended, and final. */
  record: (call: LiveCall, stage: RecordStage) => Promise<void>;
  /** An agent has gone into wrap-up on this call (the campaign's wrap-up limit starts counting). */
  wrapUpStarted?: (call: LiveCall) => Promise<void>;
  now: () => number;
  /** Real durations times this are simulated seconds (SIM_SPEED); 1 against a real PBX. */
  simSpeed: number;
  log: (message: string, extra?: Record<string, unknown>) => void;
  /** Closed while Redis is down: call events wait there, in order, and run once it is back. */
  gate?: StoreGate;
  /** How many call events may wait for Redis at once (MAX_HELD_EVENTS unless a test wants the bound reached). */
  maxHeldEvents?: number;
  /** Tells the other workers that this agent is ready, for the waiting calls they follow. */
  readyElsewhere?: (agentId: number) => void;
  /** Told when an inbound caller reaches an agent or hangs up waiting (the queue's figures). */
  inboundQueue?: { answered(call: LiveCall, at: number): void; abandoned(call: LiveCall, at: number): void };
};

/** A leg asked for this recently may not be listed by the PBX yet. */
const LEG_GRACE_MS = 5000;

/**
 * How many call events may wait for Redis at once. Ends and agent legs are always kept (there
 * are never more than the calls and agents in flight); past this bound an intermediate event
 * (ringing, answer) is dropped with a log line, and its call is closed from its end event, which
 * carries everything the PBX showed, or from the PBX's channels at the next reconciliation.
 */
export const MAX_HELD_EVENTS = 5000;

const ATTEMPT_OUTCOME: Record<CallOutcome, 'live' | 'machine' | 'busy' | 'invalid' | 'no_answer' | 'failed'> = {
  connected: 'live',
  abandoned: 'live',
  machine: 'machine',
  busy: 'busy',
  no_answer: 'no_answer',
  failed: 'failed',
};

/** ioredis gave up on a command (its retries ran out, or the connection closed under it). */
function isRedisUnavailable(error: Error): boolean {
  return error.name === 'MaxRetriesPerRequestError' || /Connection is closed|ECONNREFUSED|ECONNRESET/.test(error.message);
}

/**
 * Follows every attempt this worker dialed, from AMI events to the call
 * record: a live answer goes to the longest-waiting ready agent within the
 * drop window or is abandoned with the safe-harbor message; every end is
 * recorded once the facts are known.
 */
export class CallFlow {
  private readonly tracker = new CallEventTracker();
  private readonly dropTimers = new Map<string, NodeJS.Timeout>();
  private settleTimer: NodeJS.Timeout | undefined;
  /** One queue per call: a call's events keep their order, and one busy call never delays another's screen pop. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Agent legs the PBX showed up, by leg id: the event may arrive before the leg id is stored. */
  private readonly legsUp = new Set<string>();
  /** Agents whose new leg is being asked for: a reconciliation and a leg's Hangup must not both place one. */
  private readonly placing = new Set<number>();
  private readonly gate: StoreGate;
  /** Events waiting for Redis (or running), and how many were dropped at the bound in this outage. */
  private held = 0;
  private dropped = 0;
  /** Calls whose end the PBX reported and the flow has not handled yet: none of them may be bridged. */
  private readonly ending = new Set<string>();
  /** Live answers heard while Redis was down, whose drop-window timer runs on this worker's memory. */
  private readonly answeredOffline = new Set<string>();
  /** Calls given the abandon message while Redis was down, and when: written once Redis is back. */
  private readonly abandonedOffline = new Map<string, number>();

  constructor(private readonly d: CallFlowDeps) {
    this.gate = d.gate ?? new StoreGate();
  }

  /** AMI messages are handled in arrival order per call: a call's events must not race each other. */
  onAmiMessage(message: AmiMessage): void {
    this.dispatch(this.tracker.push(message, this.d.now()));
    this.armSettleTimer();
  }

  private dispatch(events: CallEvent[]): void {
    for (const event of events) {
      if (event.type === 'ended') this.ending.add(event.attemptId);
      if (event.type === 'amd' && event.result !== 'machine' && !this.gate.isOpen()) this.armOfflineDropTimer(event.attemptId);
      if ('attemptId' in event) this.enqueue(event.attemptId, () => this.handle(event), event.type === 'ended');
      else if (event.type === 'agent-leg-up' || event.type === 'agent-leg-down') this.enqueue(event.legId, () => this.onAgentLeg(event), true);
    }
  }

  /** An unanswered call whose OriginateResponse, DialEnd and Hangup did not all come is read when its settle window closes. */
  private armSettleTimer(): void {
    clearTimeout(this.settleTimer);
    const due = this.tracker.nextSettleAt();
    if (due === undefined) return;
    this.settleTimer = setTimeout(() => {
      this.dispatch(this.tracker.settle(this.d.now()));
      this.armSettleTimer();
    }, Math.max(0, due - this.d.now()));
    this.settleTimer.unref?.();
  }

  /** `keep`: an event that must never be dropped (an end, an agent leg), whatever the bound. */
  private enqueue(attemptId: string, work: () => Promise<void>, keep = false): void {
    if (!keep && !this.gate.isOpen() && this.held >= (this.d.maxHeldEvents ?? MAX_HELD_EVENTS)) {
      if (this.dropped++ === 0) this.d.log('too many call events wait for Redis; intermediate events are dropped, their calls are closed from their end or the PBX\'s channels', { held: this.held });
      return;
    }
    this.held++;
    const next = (this.chains.get(attemptId) ?? Promise.resolve())
      .then(() => this.whenStored(work))
      .catch((error) => this.d.log('call event failed', { attemptId, error: (error as Error).message }))
      .finally(() => this.held--);
    this.chains.set(attemptId, next);
    void next.then(() => {
      if (this.chains.get(attemptId) === next) this.chains.delete(attemptId);
    });
  }

  /**
   * Runs work once Redis is there, and again if Redis went away under it: an event is kept, not
   * lost with ioredis's retries. Handlers read the call before writing it, so a second run
   * continues from what the first one stored.
   */
  private async whenStored<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.gate.wait();
      try {
        return await work();
      } catch (error) {
        if (this.gate.isOpen() && !isRedisUnavailable(error as Error)) throw error;
      }
    }
  }

  /** Redis is back and the events it held have run: the next outage counts its drops afresh. */
  async drained(): Promise<void> {
    await this.idle();
    if (this.dropped > 0) this.d.log('call events dropped while Redis was down', { dropped: this.dropped });
    this.dropped = 0;
  }

  /** Runs work in a call's queue, after its pending events, and gives its result back. */
  private inChain<T>(attemptId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(attemptId) ?? Promise.resolve()).then(() => this.whenStored(work));
    const settled = run.catch((error) => this.d.log('call event failed', { attemptId, error: (error as Error).message }));
    this.chains.set(attemptId, settled);
    void settled.then(() => {
      if (this.chains.get(attemptId) === settled) this.chains.delete(attemptId);
    });
    return run;
  }

  /** Resume after a restart: follow the calls still in flight that this worker dialed. */
  async resume(): Promise<LiveCall[]> {
    const mine = (await this.d.live.calls()).filter((c) => c.workerId === this.d.workerId);
    for (const call of mine) this.follow(call);
    return mine;
  }

  /**
   * Calls of a worker that stopped, now this worker's (LiveStore.adoptCalls): followed from what
   * Redis holds of them, exactly as after a restart of their own worker; what this worker heard
   * of them while they were not its own is dropped, and the next comparison with the PBX's
   * channels ends those whose channel is gone.
   */
  adopt(calls: LiveCall[]): void {
    for (const call of calls) {
      this.tracker.reopen(call.attemptId);
      this.follow(call);
    }
  }

  private follow(call: LiveCall): void {
    if (call.phase === 'ended') return;
    if (call.inbound) {
      this.tracker.adopt(call.attemptId, { queuedAt: call.queuedAt, answeredAt: call.answeredAt ?? call.queuedAt, channel: call.channel ?? undefined });
      return;
    }
    this.tracker.track(call.attemptId, {
      // Not dialed yet (its dial job runs after this start): its channel's grace starts now, not when the dead worker queued it.
      queuedAt: call.phase === 'queued' ? this.d.now() : (call.dialedAt ?? call.queuedAt),
      answeredAt: call.answeredAt ?? undefined,
      channel: call.channel ?? undefined,
      // Only a bridge the PBX showed makes the call connected, not the worker's redirect.
      agentId: call.agentId !== null && call.pbxBridgedAt ? String(call.agentId) : undefined,
      bridgedAt: call.pbxBridgedAt ?? undefined,
      // An AMD result seen before the crash is evidence: a machine whose Hangup was missed stays a machine.
      ...(call.amdStatus ? { amd: call.amdStatus.toLowerCase() as AmdResult } : {}),
    });
    if (call.phase === 'waiting') this.armDropTimer(call, 0);
  }

  /**
   * After an AMI reconnection, and now and then: the PBX's channels are the evidence for the
   * calls whose events were missed. A channel that is up was answered; if it is past AMD (a
   * machine is hung up by the dialplan, so it is a person) nobody has spoken to them for longer
   * than the drop window allows: it is abandoned now, with the safe-harbor message. Calls whose
   * channel vanished are ended from what was already seen (answer, AMD result). `listedAt`:
   * when the list was asked for; calls heard of since are not judged by it.
   */
  async reconcile(channels: AmiChannelInfo[], listedAt: number): Promise<void> {
    const now = this.d.now();
    for (const ch of channels) {
      if (ch.state !== CHANNEL_STATE.UP) continue;
      const call = await this.d.live.call(ch.uniqueId);
      if (!call || call.workerId !== this.d.workerId || call.answeredAt !== null || !['dialing', 'ringing'].includes(call.phase)) continue;
      this.dispatch(this.tracker.apply({ kind: 'channel-state', callId: ch.uniqueId, leg: 'attempt', channel: ch.channel, state: CHANNEL_STATE.UP }, now));
      if (ch.application === 'AMD' || call.amdStatus === 'MACHINE') continue;
      this.enqueue(call.attemptId, async () => {
        const waiting = await this.update(call.attemptId, (c) => (c.phase === 'dialing' || c.phase === 'ringing' ? { ...c, phase: 'waiting' } : null));
        if (waiting) this.armDropTimer(waiting, 0);
      });
    }
    // A call dialed but never seen ringing is given the longest ring (120 s) and a margin before it is declared gone.
    this.dispatch(this.tracker.reconcile(new Set(channels.map((c) => c.uniqueId)), now, { queuedGraceMs: Math.max(3000, 150_000 / this.d.simSpeed), listedAt }));
    await this.idle();
    await this.reconcileAgentLegs(channels);
  }

  /**
   * Every agent at work has a leg the PBX shows up: a leg gone (a PBX restart, a missed
   * Hangup) or never placed is placed again; one listed up lets the agent take calls.
   */
  private async reconcileAgentLegs(channels: AmiChannelInfo[]): Promise<void> {
    const listed = new Map(channels.map((c) => [c.uniqueId, c]));
    const now = this.d.now();
    for (const agent of await this.d.live.agents()) {
      if (agent.status === 'logged_out') continue;
      const leg = agent.legId ? listed.get(agent.legId) : undefined;
      if (leg) {
        if (leg.state === CHANNEL_STATE.UP) {
          this.legsUp.add(leg.uniqueId);
          if (agent.legDown) await this.putLeg(agent.id, agent.legId!, false);
        }
        continue;
      }
      if (agent.legId && agent.legPlacedAt !== undefined && now - agent.legPlacedAt < LEG_GRACE_MS) continue;
      this.d.log('agent leg gone from the PBX; placing it again', { agentId: agent.id, legId: agent.legId ?? null });
      await this.replaceLeg(agent);
    }
  }

  /**
   * Gives the agent a conference leg: one of theirs the PBX still has up is taken back (their
   * state was lost with Redis, say), or a new one is asked for and they take no call until it is
   * up. Any other leg of theirs is hung up first: an agent never has two.
   */
  async placeAgentLeg(agent: LiveAgent): Promise<LiveAgent> {
    const at = this.d.now();
    try {
      const kept = await this.takeBackLeg(agent);
      if (kept) return { ...agent, legId: kept, legPlacedAt: at, legDown: false };
      const leg = await this.d.ami.originateAgentLeg({ agentId: String(agent.id) });
      return { ...agent, legId: leg.legId, legPlacedAt: at, legDown: !this.legsUp.has(leg.legId) };
    } catch (error) {
      this.d.log('the agent leg could not be placed; the agent takes no call until it is', { agentId: agent.id, error: (error as Error).message });
      return { ...agent, legId: null, legPlacedAt: at, legDown: true };
    }
  }

  private async takeBackLeg(agent: LiveAgent): Promise<string | null> {
    const legs = (await this.d.ami.listChannels()).filter((c) => parseAgentLegId(c.uniqueId)?.agentId === String(agent.id));
    const up = legs.find((c) => c.state === CHANNEL_STATE.UP);
    for (const leg of legs) {
      if (leg !== up) await this.d.ami.hangup(leg.uniqueId).catch((error) => this.d.log('hanging up a second agent leg failed', { agentId: agent.id, legId: leg.uniqueId, error: (error as Error).message }));
    }
    if (!up) return null;
    this.legsUp.add(up.uniqueId);
    if (up.uniqueId !== agent.legId) this.d.log('agent leg still up at the PBX; taken back', { agentId: agent.id, legId: up.uniqueId });
    return up.uniqueId;
  }

  /**
   * After Redis was away: an agent still held for a call that has ended meanwhile (or whose
   * record is already final) is released as that call's end would have released them, so their
   * `ready` is accepted and their `hangup` refers to a call that exists.
   */
  async settleAgents(): Promise<void> {
    for (const agent of await this.d.live.agents()) {
      if ((agent.status !== 'on_call' && agent.status !== 'reserved') || !agent.attemptId) continue;
      const attemptId = agent.attemptId;
      const released = await this.inChain(attemptId, async () => {
        const [current, call] = [await this.d.live.agent(agent.id), await this.d.live.call(attemptId)];
        if (!current || current.attemptId !== attemptId || (current.status !== 'on_call' && current.status !== 'reserved')) return null;
        if (call && call.phase !== 'ended') return null;
        const at = call?.endedAt ?? this.d.now();
        const talked = current.status === 'on_call' && call?.outcome === 'connected' && call.agentId === agent.id && call.wrapEndedAt === null;
        let next = current.status === 'on_call' ? transition(current, 'wrap_up', at, { attemptId }) : current;
        if (!talked) next = transition(next, 'ready', this.d.now());
        next = await this.d.live.putAgent(next);
        this.d.realtime.agentState(next);
        if (current.status === 'on_call' && call?.outcome) this.d.realtime.callEnded(agent.id, { attemptId, outcome: call.outcome, endedAt: new Date(at).toISOString() });
        this.d.log('agent released from a call that ended while Redis was away', { agentId: agent.id, attemptId, status: next.status });
        return next;
      });
      if (released?.status === 'ready' && !released.legDown) await this.agentReady(released);
    }
  }

  private async replaceLeg(agent: LiveAgent): Promise<void> {
    if (this.placing.has(agent.id)) return;
    if (!this.d.ami.isConnected()) {
      if (!agent.legDown) await this.d.live.patchAgentLeg(agent.id, { legDown: true });
      return;
    }
    this.placing.add(agent.id);
    try {
      await this.placeAndStore(agent);
    } finally {
      this.placing.delete(agent.id);
    }
  }

  private async placeAndStore(agent: LiveAgent): Promise<void> {
    const placed = await this.placeAgentLeg(agent);
    // The agent may change meanwhile (a call ended, a pause): only the leg fields are ours, and
    // written in one step (a read-then-write here put an agent whose cut call had just ended back on_call).
    const next = await this.d.live.patchAgentLeg(agent.id, { legId: placed.legId, legPlacedAt: placed.legPlacedAt, legDown: !placed.legId || !this.legsUp.has(placed.legId) });
    if (!next) return;
    this.d.realtime.agentState(next);
    await this.legStored(next);
  }

  /**
   * After a status write that placed a leg (`placed`): when another placement or a leg event
   * changed the stored leg first, the store kept theirs, and the leg placed here is hung up (an
   * agent never has two). An agent left with no leg at all gets one placed.
   */
  async keepOneLeg(placed: LiveAgent, stored: LiveAgent): Promise<void> {
    if (stored.legId === placed.legId) return;
    if (placed.legId) {
      this.legsUp.delete(placed.legId);
      await this.d.ami.hangup(placed.legId).catch((error) => this.d.log('hanging up a leg placed twice failed', { agentId: placed.id, legId: placed.legId, error: (error as Error).message }));
    }
    if (!stored.legId && stored.status !== 'logged_out') await this.replaceLeg(stored);
  }

  /**
   * Called once an agent with a new leg is stored: the leg's up event may have been handled
   * between the Originate's reply and the store, when the agent still had the old leg id.
   */
  async legStored(agent: LiveAgent): Promise<void> {
    if (agent.legId && agent.legDown && this.legsUp.has(agent.legId)) await this.putLeg(agent.id, agent.legId, false);
  }

  private async putLeg(agentId: number, legId: string, down: boolean): Promise<void> {
    const agent = await this.d.live.agent(agentId);
    if (!agent || agent.legId !== legId || !!agent.legDown === down) return;
    const next = await this.d.live.patchAgentLeg(agentId, { legDown: down }, legId);
    if (next && !down && next.status === 'ready') await this.agentReady(next);
  }

  private async onAgentLeg(e: Extract<CallEvent, { type: 'agent-leg-up' | 'agent-leg-down' }>): Promise<void> {
    const agentId = Number(parseAgentLegId(e.legId)?.agentId ?? e.agentId);
    if (!Number.isInteger(agentId)) return;
    if (e.type === 'agent-leg-up') {
      this.legsUp.add(e.legId);
      await this.putLeg(agentId, e.legId, false);
      return;
    }
    this.legsUp.delete(e.legId);
    const agent = await this.d.live.agent(agentId);
    if (!agent || agent.legId !== e.legId) return;
    if (agent.status === 'logged_out') {
      await this.d.live.patchAgentLeg(agentId, { legId: null, legDown: true }, e.legId);
      return;
    }
    this.d.log('agent leg ended; placing it again', { agentId, legId: e.legId });
    await this.replaceLeg({ ...agent, legDown: true });
  }

  /**
   * An inbound caller is on hold (the PBX's InboundCall event, matched by cms): follow their
   * channel, put them on the books, and give them to an agent now if one may take them. With
   * nobody ready they wait, without a drop window: the next agent of their group to be ready
   * takes them (agentReady), or they hang up.
   */
  async adoptInbound(call: LiveCall): Promise<void> {
    this.tracker.adopt(call.attemptId, { queuedAt: call.queuedAt, answeredAt: call.answeredAt ?? call.queuedAt, channel: call.channel ?? undefined });
    await this.inChain(call.attemptId, async () => {
      // The caller's number may be on a line of ours already (dialed at this very moment): they are still on hold with us.
      if (!(await this.d.live.addCall(call))) await this.d.live.putCall(call);
      // The call as just written: no read of it back on the way to the pop.
      await this.connectToAgent(call.attemptId, call);
    });
  }

  /** The agent for an inbound caller (agent-selection.ts), claimed in one Redis step; another claim may win the race, then the next best. */
  private async claimForInbound(call: LiveCall, at: number): Promise<LiveAgent | null> {
    const route = { campaignIds: call.inbound!.campaignIds, assignedAgentIds: call.inbound!.assignedAgentIds.filter((id): id is number => id !== null) };
    for (let tries = 0; tries < 3; tries++) {
      const agents = await this.d.live.agents();
      const pick = pickInboundAgent(agents, route);
      if (!pick || pick.campaignId === null) return null;
      const claimed = await this.d.live.claimAgent(pick.campaignId, call.attemptId, 'on_call', at, pick.id, true, agents);
      if (claimed) return claimed;
    }
    return null;
  }

  /** Starts following a call about to be originated. */
  track(attemptId: string, queuedAt: number): void {
    this.tracker.track(attemptId, { queuedAt });
  }

  /** Its Originate goes now: a dial job may have waited (for Redis) longer than a call may go unseen. */
  dialing(attemptId: string, at: number): void {
    this.tracker.dialing(attemptId, at);
  }

  /** An attempt that never became a call (not dialed, refused, a preview let go): stop following it, free its agent, drop it. */
  async discard(call: LiveCall): Promise<void> {
    this.tracker.forget(call.attemptId);
    await this.releaseReservation(call);
    await this.d.live.removeCall(call.attemptId);
  }

  idle(): Promise<unknown> {
    return Promise.all([...this.chains.values()]);
  }

  private async update(attemptId: string, patch: (c: LiveCall) => LiveCall | null): Promise<LiveCall | null> {
    const call = await this.d.live.call(attemptId);
    if (!call || call.workerId !== this.d.workerId) return null;
    const next = patch(call);
    if (next) await this.d.live.putCall(next);
    return next;
  }

  private async handle(e: CallEvent): Promise<void> {
    switch (e.type) {
      case 'ringing':
        await this.update(e.attemptId, (c) => ({ ...c, phase: c.phase === 'dialing' ? 'ringing' : c.phase, channel: e.channel }));
        return;
      case 'answered':
        await this.update(e.attemptId, (c) => ({ ...c, answeredAt: c.answeredAt ?? e.at, channel: e.channel ?? c.channel }));
        return;
      case 'amd':
        return this.onAmd(e.attemptId, e.result, e.at);
      case 'bridged':
        return this.onBridged(e.attemptId, Number(e.agentId), e.at);
      case 'ended':
        return this.onEnded(e);
      default:
        return;
    }
  }

  private async onAmd(attemptId: string, result: string, at: number): Promise<void> {
    this.answeredOffline.delete(attemptId);
    // One read and one write before the pop: a person's answer is waiting for an agent from this write on.
    const human = result !== 'machine';
    const call = await this.update(attemptId, (c) => ({ ...c, amdStatus: result.toUpperCase() as LiveCall['amdStatus'], answeredAt: c.answeredAt ?? at, ...(human ? { phase: 'waiting' as const } : {}) }));
    if (!call) return;
    if (!human) {
      // A machine gets no message and no agent; hang up and move on.
      await this.d.ami.hangup(call.channel ?? attemptId).catch(() => undefined);
      return;
    }
    // Abandoned while Redis was down (the drop window ran out meanwhile): written now as it happened.
    if (this.abandonedOffline.has(attemptId)) return this.abandon(attemptId);
    // Hung up already (its end came while Redis was down): never sent to an agent.
    if (this.ending.has(attemptId)) return;
    // `?? 2`: a call queued by an older worker, before calls carried their drop window.
    if (!(await this.connectToAgent(attemptId, call))) this.armDropTimer(call, ((call.dropWindowSec ?? 2) * 1000) / this.d.simSpeed);
  }

  /**
   * Bridges a waiting live call to an agent if one is ready; true when it did. `known` is the
   * call as this call's own queue just wrote it (saves a Redis read on the way to the pop).
   */
  private async connectToAgent(attemptId: string, known?: LiveCall): Promise<boolean> {
    const call = known ?? (await this.d.live.call(attemptId));
    if (!call || call.phase !== 'waiting' || this.ending.has(attemptId)) return false;
    const at = this.d.now();
    let agent: LiveAgent | null = null;
    if (call.reservedAgentId !== null) {
      const reserved = await this.d.live.agent(call.reservedAgentId);
      if (reserved && reserved.status === 'reserved' && reserved.attemptId === attemptId && !reserved.legDown) {
        agent = await this.d.live.putAgent(transition(reserved, 'on_call', at, { attemptId }));
      }
    }
    if (call.inbound) agent = await this.claimForInbound(call, at);
    else agent ??= await this.d.live.claimAgent(call.campaignId, attemptId, 'on_call', at, call.preferredAgentId);
    if (!agent) return false;
    this.clearDropTimer(attemptId);
    // An inbound call is recorded on the campaign of the agent who took it.
    const bridged: LiveCall = { ...call, phase: 'bridged', agentId: agent.id, bridgedAt: at, ...(call.inbound && agent.campaignId ? { campaignId: agent.campaignId } : {}) };
    await this.d.live.putCall(bridged);
    this.d.realtime.agentState(agent);
    // The screen pop goes out now, not on BridgeEnter: the agent's screen should be ready when the debtor's voice arrives.
    this.d.realtime.screenPop(agent.id, this.popOf(bridged, at));
    if (call.inbound) this.d.inboundQueue?.answered(bridged, at);
    await this.d.ami.redirect(call.channel ?? attemptId, AGENT_BRIDGE_CONTEXT, String(agent.id)).catch((error) =>
      this.d.log('redirect to agent failed', { attemptId, error: (error as Error).message }),
    );
    // The live answer is counted when the PBX bridges it (onBridged), or as an abandon if it never does.
    await this.d.record(bridged, 'bridged');
    return true;
  }

  /** What the agent's screen shows of a call bridged to them at `bridgedAt`. */
  private popOf(call: LiveCall, bridgedAt: number): ScreenPop {
    return {
      attemptId: call.attemptId,
      accountDocumentId: call.accountDocumentId,
      phone: call.phone,
      campaignId: call.campaignId,
      callbackDocumentId: call.callbackDocumentId,
      bridgedAt: new Date(bridgedAt).toISOString(),
      account: call.account ?? null,
      ...(call.inbound
        ? {
            inbound: {
              callerNumber: call.inbound.callerNumber,
              callerKind: call.inbound.callerKind,
              did: call.inbound.did,
              queueWaitSec: Math.round((((bridgedAt - (call.answeredAt ?? bridgedAt)) / 1000) * this.d.simSpeed) * 10) / 10,
              matches: call.inbound.matches,
              ...(call.inbound.linked ? { linkedAccountDocumentId: call.inbound.linked.documentId } : {}),
            },
          }
        : {}),
    };
  }

  /**
   * The agent linked an account to their inbound call (cms checked and recorded it): the call
   * carries it from now on (its record, the wrap-up's promise or callback), and the agent's
   * screens get the pop again with it. Null when the call is no longer theirs to change.
   */
  async linkInboundAccount(attemptId: string, agentId: number, account: AccountSummary): Promise<LiveCall | null> {
    return this.inChain(attemptId, async () => {
      const call = await this.update(attemptId, (c) => (c.inbound && c.agentId === agentId && c.wrapEndedAt === null ? { ...c, accountDocumentId: account.documentId, account, inbound: { ...c.inbound, linked: account } } : null));
      if (call) this.d.realtime.screenPop(agentId, this.popOf(call, call.bridgedAt ?? this.d.now()));
      return call;
    });
  }

  /**
   * An agent just became ready: give them the longest-waiting live call of their campaign that
   * this worker follows; if none and another worker holds a waiting call, that worker is told
   * (`readyElsewhere`). `fromElsewhere`: told so by another worker, which must not be told back.
   */
  async agentReady(agent: LiveAgent, fromElsewhere = false): Promise<void> {
    const all = await this.d.live.calls();
    const calls = new Map(all.filter((c) => c.workerId === this.d.workerId && c.phase === 'waiting').map((c) => [c.attemptId, c]));
    const othersWaiting = !fromElsewhere && all.some((c) => c.workerId !== this.d.workerId && c.phase === 'waiting');
    const asWaiting = (c: LiveCall): WaitingCall => ({ attemptId: c.attemptId, direction: c.inbound ? 'inbound' : 'outbound', campaignIds: c.inbound ? c.inbound.campaignIds : [c.campaignId], waitingSince: c.answeredAt ?? 0 });
    // A blended agent takes inbound callers first, then the campaign's live answers, each the longest-waiting first.
    const waiting = orderWaitingCalls(agent, [...calls.values()].map(asWaiting)).map((w) => calls.get(w.attemptId)!);
    // In the call's own queue: bridging must not race the call's Hangup (the end would be written
    // from a read taken before the bridge, leaving a screen pop with no agent on the record).
    for (const call of waiting) if (await this.inChain(call.attemptId, () => this.connectToAgent(call.attemptId))) return;
    if (othersWaiting) this.d.readyElsewhere?.(agent.id);
  }

  private armDropTimer(call: LiveCall, ms: number): void {
    this.clearDropTimer(call.attemptId);
    const timer = setTimeout(() => {
      this.dropTimers.delete(call.attemptId);
      // No agent can be claimed without Redis; the debtor must not wait in silence for it to return.
      if (!this.gate.isOpen()) void this.abandonOffline(call.attemptId, call.channel ?? call.attemptId);
      this.enqueue(call.attemptId, () => this.abandon(call.attemptId), true);
    }, ms);
    timer.unref?.();
    this.dropTimers.set(call.attemptId, timer);
  }

  /**
   * A person answered while Redis was down: their AMD event waits for Redis, but their drop
   * window runs now, from what this worker last wrote of the call. If Redis is not back by then,
   * they hear the abandon message at once; the abandon is written when their AMD event runs.
   */
  private armOfflineDropTimer(attemptId: string): void {
    const call = this.d.live.writtenCall(attemptId);
    this.answeredOffline.add(attemptId);
    this.clearDropTimer(attemptId);
    const timer = setTimeout(() => {
      this.dropTimers.delete(attemptId);
      if (this.answeredOffline.has(attemptId) && !this.ending.has(attemptId)) void this.abandonOffline(attemptId, call?.channel ?? attemptId);
    }, ((call?.dropWindowSec ?? 2) * 1000) / this.d.simSpeed);
    timer.unref?.();
    this.dropTimers.set(attemptId, timer);
  }

  private async abandonOffline(attemptId: string, channel: string): Promise<void> {
    this.abandonedOffline.set(attemptId, this.d.now());
    this.d.log('live answer abandoned while Redis is down (no agent can be claimed)', { attemptId });
    await this.playAbandonMessage(attemptId, channel);
  }

  private async playAbandonMessage(attemptId: string, channel: string): Promise<void> {
    await this.d.ami.redirect(channel, ABANDON_CONTEXT, 's').catch((error) => {
      this.d.log('abandon message could not be played; hanging up', { attemptId, error: (error as Error).message });
      return this.d.ami.hangup(channel).catch((e) => this.d.log('hanging up an abandoned call failed', { attemptId, error: (e as Error).message }));
    });
  }

  private clearDropTimer(attemptId: string): void {
    const t = this.dropTimers.get(attemptId);
    if (t) clearTimeout(t);
    this.dropTimers.delete(attemptId);
  }

  private async abandon(attemptId: string): Promise<void> {
    const call = await this.update(attemptId, (c) => (c.phase === 'waiting' ? { ...c, phase: 'abandoning', outcome: 'abandoned' } : null));
    const offlineAt = this.abandonedOffline.get(attemptId);
    this.abandonedOffline.delete(attemptId);
    if (!call) return;
    this.d.stats.recordLive(call.campaignId, offlineAt ?? this.d.now(), true);
    if (offlineAt === undefined) await this.playAbandonMessage(attemptId, call.channel ?? attemptId);
  }

  private async onBridged(attemptId: string, agentId: number, at: number): Promise<void> {
    const call = await this.update(attemptId, (c) => (c.pbxBridgedAt ? null : { ...c, phase: 'bridged', agentId: c.agentId ?? agentId, bridgedAt: c.bridgedAt ?? at, pbxBridgedAt: at }));
    // An inbound call is no live answer of a dial: it never enters the campaign's abandon rate.
    if (call && !call.inbound) this.d.stats.recordLive(call.campaignId, at, false);
  }

  private async onEnded(e: Extract<CallEvent, { type: 'ended' }>): Promise<void> {
    await this.endCall(e);
    this.ending.delete(e.attemptId);
    this.answeredOffline.delete(e.attemptId);
    this.abandonedOffline.delete(e.attemptId);
  }

  private async endCall(e: Extract<CallEvent, { type: 'ended' }>): Promise<void> {
    this.clearDropTimer(e.attemptId);
    const call = await this.d.live.call(e.attemptId);
    if (!call || call.workerId !== this.d.workerId || call.phase === 'ended') return;
    if (e.rejected) {
      // Refused by the PBX before anything was dialed: not a call, nothing to record.
      await this.discard(call);
      return;
    }
    // When the call ended, not when it could be read: a settle window may lie between.
    const endedAt = e.timestamps.endedAt;
    // Connected only if the PBX bridged the debtor into an agent's conference (BridgeEnter, or a
    // bridge seen before a restart); a redirect to an agent whose conference was empty played
    // the abandon message instead.
    const pbxBridged = !!call.pbxBridgedAt || e.outcome === 'connected';
    // An inbound caller never bridged hung up on hold.
    const outcome: CallOutcome = pbxBridged ? 'connected' : call.inbound ? 'abandoned' : call.outcome === 'abandoned' ? 'abandoned' : e.outcome === 'connected' ? 'abandoned' : e.outcome;
    if (outcome === 'abandoned' && call.outcome !== 'abandoned' && !call.inbound) {
      // A person answered and hung up before the drop window ran out, or was sent to an agent
      // whose leg was gone: still an abandon by the FCC's count.
      this.d.stats.recordLive(call.campaignId, endedAt, true);
    }
    const ended: LiveCall = {
      ...call,
      phase: 'ended',
      endedAt,
      outcome,
      hangupCause: e.hangupCause ?? null,
      answeredAt: call.answeredAt ?? e.timestamps.answeredAt ?? null,
      // Never bridged: no talk time. The agent it was sent to stays on the record (they saw the account).
      ...(pbxBridged ? {} : { bridgedAt: null }),
    };
    await this.d.live.putCall(ended);
    const resolveSec = (((ended.answeredAt ?? endedAt) - (ended.dialedAt ?? ended.queuedAt)) / 1000) * this.d.simSpeed;
    if (!call.inbound) this.d.stats.recordAttempt(call.campaignId, ATTEMPT_OUTCOME[outcome], resolveSec);
    else if (outcome !== 'connected') this.d.inboundQueue?.abandoned(ended, endedAt);
    if (outcome === 'connected' && ended.agentId !== null) {
      const talkSec = ended.bridgedAt ? ((endedAt - ended.bridgedAt) / 1000) * this.d.simSpeed : 0;
      if (ended.bridgedAt) this.d.stats.recordTalk(call.campaignId, talkSec);
      // Before the wrap-up state goes out, so the wallboard's figures count this call.
      await this.d.today?.connected(call.campaignId, ended.agentId, talkSec, endedAt).catch((error) => this.d.log('counting a call in today\'s figures failed', { attemptId: call.attemptId, error: (error as Error).message }));
      const agent = await this.d.live.agent(ended.agentId);
      if (agent && agent.attemptId === call.attemptId && agent.status === 'on_call') {
        const wrapping = await this.d.live.putAgent(transition(agent, 'wrap_up', endedAt, { attemptId: call.attemptId }));
        this.d.realtime.agentState(wrapping);
        await this.d.wrapUpStarted?.(ended);
      }
      this.d.realtime.callEnded(ended.agentId, { attemptId: call.attemptId, outcome, endedAt: new Date(endedAt).toISOString() });
      // Recorded now with the facts of the call; recorded again, final, when the agent's disposition arrives.
      await this.d.record(ended, 'ended');
      return;
    }
    await this.releaseReservation(call);
    if (call.agentId !== null) await this.releaseUnbridged(call, ended);
    await this.d.record(ended, 'final');
  }

  /** The agent a call was sent to but never reached: told the call is gone, and free again (no wrap-up, nothing was said). */
  private async releaseUnbridged(call: LiveCall, ended: LiveCall): Promise<void> {
    const agent = await this.d.live.agent(call.agentId!);
    if (agent && agent.attemptId === call.attemptId && agent.status === 'on_call') {
      const wrapping = transition(agent, 'wrap_up', ended.endedAt ?? this.d.now(), { attemptId: call.attemptId });
      const ready = await this.d.live.putAgent(transition(wrapping, 'ready', ended.endedAt ?? this.d.now()));
      this.d.realtime.agentState(ready);
      if (!ready.legDown) await this.agentReady(ready);
    }
    this.d.realtime.callEnded(call.agentId!, { attemptId: call.attemptId, outcome: ended.outcome ?? 'abandoned', endedAt: new Date(ended.endedAt ?? this.d.now()).toISOString() });
  }

  private async releaseReservation(call: LiveCall): Promise<void> {
    if (call.reservedAgentId === null) return;
    const agent = await this.d.live.agent(call.reservedAgentId);
    if (agent && agent.status === 'reserved' && agent.attemptId === call.attemptId) {
      const ready = await this.d.live.putAgent(transition(agent, 'ready', this.d.now()));
      this.d.realtime.agentState(ready);
      await this.agentReady(ready);
    }
  }

  stop(): void {
    clearTimeout(this.settleTimer);
    for (const t of this.dropTimers.values()) clearTimeout(t);
    this.dropTimers.clear();
  }
}
