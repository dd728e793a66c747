import type { AmiChannelInfo, AmiConnection } from '../ami/ami-connection';
import { CallEventTracker, CHANNEL_STATE, type AmdResult, type CallEvent } from '../ami/call-events';
import { parseAgentLegId } from '../ami/ami-ids';
import type { AmiMessage } from '../ami/ami-protocol';
import { transition, type LiveAgent } from '../live/agent-state';
import type { CallOutcome, LiveCall } from '../live/call-state';
import type { DayTally } from '../live/day-tally';
import type { LiveStore } from '../live/live-store';
import type { RealtimeEvents } from '../realtime/realtime-events';
import type { CampaignStatsBook } from './campaign-stats-book';
import type { RecordStage } from '../queues/queues';

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
};

/** A leg asked for this recently may not be listed by the PBX yet. */
const LEG_GRACE_MS = 5000;

const ATTEMPT_OUTCOME: Record<CallOutcome, 'live' | 'machine' | 'busy' | 'invalid' | 'no_answer' | 'failed'> = {
  connected: 'live',
  abandoned: 'live',
  machine: 'machine',
  busy: 'busy',
  no_answer: 'no_answer',
  failed: 'failed',
};

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

  constructor(private readonly d: CallFlowDeps) {}

  /** AMI messages are handled in arrival order per call: a call's events must not race each other. */
  onAmiMessage(message: AmiMessage): void {
    for (const event of this.tracker.push(message, this.d.now())) {
      if ('attemptId' in event) this.enqueue(event.attemptId, () => this.handle(event));
      else if (event.type === 'agent-leg-up' || event.type === 'agent-leg-down') this.enqueue(event.legId, () => this.onAgentLeg(event));
    }
    this.armSettleTimer();
  }

  /** An unanswered call whose OriginateResponse, DialEnd and Hangup did not all come is read when its settle window closes. */
  private armSettleTimer(): void {
    clearTimeout(this.settleTimer);
    const due = this.tracker.nextSettleAt();
    if (due === undefined) return;
    this.settleTimer = setTimeout(() => {
      for (const event of this.tracker.settle(this.d.now())) if ('attemptId' in event) this.enqueue(event.attemptId, () => this.handle(event));
      this.armSettleTimer();
    }, Math.max(0, due - this.d.now()));
    this.settleTimer.unref?.();
  }

  private enqueue(attemptId: string, work: () => Promise<void>): void {
    const next = (this.chains.get(attemptId) ?? Promise.resolve())
      .then(work)
      .catch((error) => this.d.log('call event failed', { attemptId, error: (error as Error).message }));
    this.chains.set(attemptId, next);
    void next.then(() => {
      if (this.chains.get(attemptId) === next) this.chains.delete(attemptId);
    });
  }

  /** Runs work in a call's queue, after its pending events, and gives its result back. */
  private inChain<T>(attemptId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(attemptId) ?? Promise.resolve()).then(work);
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
    for (const call of mine) {
      if (call.phase === 'ended') continue;
      this.tracker.track(call.attemptId, {
        queuedAt: call.dialedAt ?? call.queuedAt,
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
    return mine;
  }

  /**
   * After an AMI reconnection, and now and then: the PBX's channels are the evidence for the
   * calls whose events were missed. A channel that is up was answered; if it is past AMD (a
   * machine is hung up by the dialplan, so it is a person) nobody has spoken to them for longer
   * than the drop window allows: it is abandoned now, with the safe-harbor message. Calls whose
   * channel vanished are ended from what was already seen (answer, AMD result).
   */
  async reconcile(channels: AmiChannelInfo[]): Promise<void> {
    const now = this.d.now();
    for (const ch of channels) {
      if (ch.state !== CHANNEL_STATE.UP) continue;
      const call = await this.d.live.call(ch.uniqueId);
      if (!call || call.workerId !== this.d.workerId || call.answeredAt !== null || !['dialing', 'ringing'].includes(call.phase)) continue;
      const events = this.tracker.apply({ kind: 'channel-state', callId: ch.uniqueId, leg: 'attempt', channel: ch.channel, state: CHANNEL_STATE.UP }, now);
      for (const e of events) if ('attemptId' in e) this.enqueue(e.attemptId, () => this.handle(e));
      if (ch.application === 'AMD' || call.amdStatus === 'MACHINE') continue;
      this.enqueue(call.attemptId, async () => {
        const waiting = await this.update(call.attemptId, (c) => (c.phase === 'dialing' || c.phase === 'ringing' ? { ...c, phase: 'waiting' } : null));
        if (waiting) this.armDropTimer(waiting, 0);
      });
    }
    // A call dialed but never seen ringing is given the longest ring (120 s) and a margin before it is declared gone.
    const events = this.tracker.reconcile(new Set(channels.map((c) => c.uniqueId)), now, { queuedGraceMs: Math.max(3000, 150_000 / this.d.simSpeed) });
    for (const e of events) {
      if ('attemptId' in e) this.enqueue(e.attemptId, () => this.handle(e));
      else if (e.type === 'agent-leg-down') this.enqueue(e.legId, () => this.onAgentLeg(e));
    }
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

  /** Asks the PBX for a new conference leg for this agent; they take no call until it is up. */
  async placeAgentLeg(agent: LiveAgent): Promise<LiveAgent> {
    const at = this.d.now();
    try {
      const leg = await this.d.ami.originateAgentLeg({ agentId: String(agent.id) });
      return { ...agent, legId: leg.legId, legPlacedAt: at, legDown: !this.legsUp.has(leg.legId) };
    } catch (error) {
      this.d.log('the agent leg could not be placed; the agent takes no call until it is', { agentId: agent.id, error: (error as Error).message });
      return { ...agent, legId: null, legPlacedAt: at, legDown: true };
    }
  }

  private async replaceLeg(agent: LiveAgent): Promise<void> {
    if (this.placing.has(agent.id)) return;
    if (!this.d.ami.isConnected()) {
      if (!agent.legDown) await this.d.live.putAgent({ ...agent, legDown: true });
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
    // The agent may have changed meanwhile (a call ended, a pause): only the leg fields are ours.
    const current = await this.d.live.agent(agent.id);
    if (!current) return;
    const next = { ...current, legId: placed.legId, legPlacedAt: placed.legPlacedAt, legDown: !placed.legId || !this.legsUp.has(placed.legId) };
    await this.d.live.putAgent(next);
    this.d.realtime.agentState(next);
    await this.legStored(next);
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
    const next = { ...agent, legDown: down };
    await this.d.live.putAgent(next);
    if (!down && next.status === 'ready') await this.agentReady(next);
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
      await this.d.live.putAgent({ ...agent, legId: null, legDown: true });
      return;
    }
    this.d.log('agent leg ended; placing it again', { agentId, legId: e.legId });
    await this.replaceLeg({ ...agent, legDown: true });
  }

  /** Starts following a call about to be originated. */
  track(attemptId: string, queuedAt: number): void {
    this.tracker.track(attemptId, { queuedAt });
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
    const call = await this.update(attemptId, (c) => ({ ...c, amdStatus: result.toUpperCase() as LiveCall['amdStatus'], answeredAt: c.answeredAt ?? at }));
    if (!call) return;
    if (result === 'machine') {
      // A machine gets no message and no agent; hang up and move on.
      await this.d.ami.hangup(call.channel ?? attemptId).catch(() => undefined);
      return;
    }
    await this.update(attemptId, (c) => ({ ...c, phase: 'waiting' }));
    // `?? 2`: a call queued by an older worker, before calls carried their drop window.
    if (!(await this.connectToAgent(attemptId))) this.armDropTimer(call, ((call.dropWindowSec ?? 2) * 1000) / this.d.simSpeed);
  }

  /** Bridges a waiting live call to an agent if one is ready; true when it did. */
  private async connectToAgent(attemptId: string): Promise<boolean> {
    const call = await this.d.live.call(attemptId);
    if (!call || call.phase !== 'waiting') return false;
    const at = this.d.now();
    let agent: LiveAgent | null = null;
    if (call.reservedAgentId !== null) {
      const reserved = await this.d.live.agent(call.reservedAgentId);
      if (reserved && reserved.status === 'reserved' && reserved.attemptId === attemptId && !reserved.legDown) {
        agent = transition(reserved, 'on_call', at, { attemptId });
        await this.d.live.putAgent(agent);
      }
    }
    agent ??= await this.d.live.claimAgent(call.campaignId, attemptId, 'on_call', at, call.preferredAgentId);
    if (!agent) return false;
    this.clearDropTimer(attemptId);
    const bridged: LiveCall = { ...call, phase: 'bridged', agentId: agent.id, bridgedAt: at };
    await this.d.live.putCall(bridged);
    this.d.realtime.agentState(agent);
    // The screen pop goes out now, not on BridgeEnter: the agent's screen should be ready when the debtor's voice arrives.
    this.d.realtime.screenPop(agent.id, {
      attemptId,
      accountDocumentId: call.accountDocumentId,
      phone: call.phone,
      campaignId: call.campaignId,
      callbackDocumentId: call.callbackDocumentId,
      bridgedAt: new Date(at).toISOString(),
      account: call.account ?? null,
    });
    await this.d.ami.redirect(call.channel ?? attemptId, AGENT_BRIDGE_CONTEXT, String(agent.id)).catch((error) =>
      this.d.log('redirect to agent failed', { attemptId, error: (error as Error).message }),
    );
    // The live answer is counted when the PBX bridges it (onBridged), or as an abandon if it never does.
    await this.d.record(bridged, 'bridged');
    return true;
  }

  /** An agent just became ready: give them the longest-waiting live call of their campaign. */
  async agentReady(agent: LiveAgent): Promise<void> {
    const waiting = (await this.d.live.calls())
      .filter((c) => c.workerId === this.d.workerId && c.phase === 'waiting' && c.campaignId === agent.campaignId)
      .sort((a, b) => (a.answeredAt ?? 0) - (b.answeredAt ?? 0));
    // In the call's own queue: bridging must not race the call's Hangup (the end would be written
    // from a read taken before the bridge, leaving a screen pop with no agent on the record).
    for (const call of waiting) if (await this.inChain(call.attemptId, () => this.connectToAgent(call.attemptId))) return;
  }

  private armDropTimer(call: LiveCall, ms: number): void {
    this.clearDropTimer(call.attemptId);
    const timer = setTimeout(() => {
      this.dropTimers.delete(call.attemptId);
      this.enqueue(call.attemptId, () => this.abandon(call.attemptId));
    }, ms);
    timer.unref?.();
    this.dropTimers.set(call.attemptId, timer);
  }

  private clearDropTimer(attemptId: string): void {
    const t = this.dropTimers.get(attemptId);
    if (t) clearTimeout(t);
    this.dropTimers.delete(attemptId);
  }

  private async abandon(attemptId: string): Promise<void> {
    const call = await this.update(attemptId, (c) => (c.phase === 'waiting' ? { ...c, phase: 'abandoning', outcome: 'abandoned' } : null));
    if (!call) return;
    this.d.stats.recordLive(call.campaignId, this.d.now(), true);
    await this.d.ami.redirect(call.channel ?? attemptId, ABANDON_CONTEXT, 's').catch((error) => {
      this.d.log('abandon message could not be played; hanging up', { attemptId, error: (error as Error).message });
      return this.d.ami.hangup(call.channel ?? attemptId).catch((e) => this.d.log('hanging up an abandoned call failed', { attemptId, error: (e as Error).message }));
    });
  }

  private async onBridged(attemptId: string, agentId: number, at: number): Promise<void> {
    const call = await this.update(attemptId, (c) => (c.pbxBridgedAt ? null : { ...c, phase: 'bridged', agentId: c.agentId ?? agentId, bridgedAt: c.bridgedAt ?? at, pbxBridgedAt: at }));
    if (call) this.d.stats.recordLive(call.campaignId, at, false);
  }

  private async onEnded(e: Extract<CallEvent, { type: 'ended' }>): Promise<void> {
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
    const outcome: CallOutcome = pbxBridged ? 'connected' : call.outcome === 'abandoned' ? 'abandoned' : e.outcome === 'connected' ? 'abandoned' : e.outcome;
    if (outcome === 'abandoned' && call.outcome !== 'abandoned') {
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
    this.d.stats.recordAttempt(call.campaignId, ATTEMPT_OUTCOME[outcome], resolveSec);
    if (outcome === 'connected' && ended.agentId !== null) {
      const talkSec = ended.bridgedAt ? ((endedAt - ended.bridgedAt) / 1000) * this.d.simSpeed : 0;
      if (ended.bridgedAt) this.d.stats.recordTalk(call.campaignId, talkSec);
      // Before the wrap-up state goes out, so the wallboard's figures count this call.
      await this.d.today?.connected(call.campaignId, ended.agentId, talkSec, endedAt).catch((error) => this.d.log('counting a call in today\'s figures failed', { attemptId: call.attemptId, error: (error as Error).message }));
      const agent = await this.d.live.agent(ended.agentId);
      if (agent && agent.attemptId === call.attemptId && agent.status === 'on_call') {
        const wrapping = transition(agent, 'wrap_up', endedAt, { attemptId: call.attemptId });
        await this.d.live.putAgent(wrapping);
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
      const ready = transition(wrapping, 'ready', ended.endedAt ?? this.d.now());
      await this.d.live.putAgent(ready);
      this.d.realtime.agentState(ready);
      if (!ready.legDown) await this.agentReady(ready);
    }
    this.d.realtime.callEnded(call.agentId!, { attemptId: call.attemptId, outcome: ended.outcome ?? 'abandoned', endedAt: new Date(ended.endedAt ?? this.d.now()).toISOString() });
  }

  private async releaseReservation(call: LiveCall): Promise<void> {
    if (call.reservedAgentId === null) return;
    const agent = await this.d.live.agent(call.reservedAgentId);
    if (agent && agent.status === 'reserved' && agent.attemptId === call.attemptId) {
      const ready = transition(agent, 'ready', this.d.now());
      await this.d.live.putAgent(ready);
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
