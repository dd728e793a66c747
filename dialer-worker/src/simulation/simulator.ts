import { lognormal, sampleLognormal } from '../math/lognormal';
import { deriveSeed, mulberry32, RandomSource } from '../math/random-source';
import type { AgentSnapshot, CallInFlight, PacingSnapshot, WaitingCall } from '../pacing/pacing-types';
import { RollingStats, RollingStatsOptions } from '../pacing/rolling-stats';
import { CallOutcomeSampler, SampledAttempt } from './call-outcome-sampler';
import { EventQueue } from './event-queue';
import type { DialPolicy } from './policies/dial-policy';
import { liveRateAt, Scenario } from './scenario';
import { DayTally, SimulationMetrics, summarize } from './simulation-metrics';
import { agentsForInbound, ArrivalRate, INBOUND_HORIZON_SEC } from '../inbound/inbound-reservation';
import { queueStats, type QueuedCaller } from '../inbound/queue-stats';
import type { InboundQueueStats } from '../../../protocol/campaign-stats';

/** The simulated campaign starts on a Monday, 08:00 UTC; only differences matter. */
const EPOCH_MS = Date.UTC(2025, 0, 6, 8);
const DAY_SEC = 86_400;

export interface SimulationOptions {
  scenario: Scenario;
  policy: DialPolicy;
  days: number;
  seed: number;
  /** seconds between periodic decisions; the policy is also asked after every state change */
  decisionIntervalSec?: number;
  /**
   * Calls resolving trigger a decision only this long after the previous one. Agent events
   * always do. 0 asks after every event, as the live worker does; larger values trade a
   * little responsiveness for simulation speed on big floors.
   */
  callEventDecisionGapSec?: number;
  statsOptions?: Partial<RollingStatsOptions>;
  /**
   * Information bound: hand the policy what no live dialer knows (when each agent's talk or
   * wrap-up ends; when, if ever, each call in flight turns live) to measure what that
   * knowledge is worth to the same rule. Never part of a benchmark figure for a policy.
   */
  reveal?: { agents?: boolean; calls?: boolean };
  /**
   * A stream of inbound callers to the same agents (a blended campaign): Poisson arrivals,
   * lognormal patience; agents take them first. `reserve`: the pacing sees only the ready agents
   * that inbound callers are not expected to take (measured arrival rate over `horizonSec`).
   */
  inbound?: { perHour: number; patienceMeanSec: number; patienceSdSec: number; reserve: boolean; horizonSec?: number };
}

export interface SimulationResult extends SimulationMetrics {
  scenario: string;
  policy: string;
  days: number;
  seed: number;
  /** live calls without autodial consent that were abandoned: must always be 0 */
  consentlessAbandons: number;
  consentlessDials: number;
  /** the inbound stream's queue figures over every day, when there was one */
  inbound?: InboundQueueStats;
}

type AgentState = 'ready' | 'talking' | 'wrap';

interface SimAgent {
  id: string;
  state: AgentState;
  since: number;
  reservedFor: number;
  /** when the current talk or wrap-up ends (ground truth, shown only when revealed) */
  stateEndsAt: number;
}

interface SimCall {
  id: number;
  dialedAt: number;
  attempt: SampledAttempt;
  consent: boolean;
  reservedAgent: SimAgent | undefined;
}

type SimEvent =
  | { kind: 'resolve'; call: SimCall }
  | { kind: 'drop'; call: SimCall }
  | { kind: 'talkEnd'; agent: SimAgent }
  | { kind: 'wrapEnd'; agent: SimAgent }
  | { kind: 'tick' }
  | { kind: 'inboundArrive' }
  | { kind: 'inboundGiveUp'; caller: QueuedCaller };

/**
 * A seeded discrete-event simulation of one campaign over several shifts. It builds the
 * same PacingSnapshot the live worker builds, feeds the same RollingStats the live worker
 * feeds, and asks the policy at the same moments (a periodic tick, and whenever an agent or
 * a call changes state). Ground truth (who answers, when) stays inside the simulator.
 */
export function simulate(options: SimulationOptions): SimulationResult {
  const s = options.scenario;
  const policy = options.policy;
  const interval = options.decisionIntervalSec ?? 1;
  const callEventGap = options.callEventDecisionGapSec ?? 0;
  const revealAgents = options.reveal?.agents === true;
  const revealCalls = options.reveal?.calls === true;
  const stats = new RollingStats({
    abandonTarget: s.abandonTarget,
    windowHours: s.abandonWindowHours,
    ...options.statsOptions,
  });
  const sampler = new CallOutcomeSampler(s);
  const talkDist = lognormal(s.talkMeanSec, s.talkSdSec);
  const wrapDist = lognormal(s.wrapMeanSec, s.wrapSdSec);
  const shiftSec = s.shiftHours * 3600;
  const tallies: DayTally[] = [];
  let consentlessAbandons = 0;
  let consentlessDials = 0;
  let nextCallId = 1;
  const inboundCallers: QueuedCaller[] = [];
  const patienceDist = options.inbound ? lognormal(options.inbound.patienceMeanSec, options.inbound.patienceSdSec) : null;

  for (let day = 0; day < options.days; day++) {
    // One stream per day and purpose: a policy that dials more does not reshuffle talk times.
    const dialRandom: RandomSource = mulberry32(deriveSeed(options.seed, day * 4 + 1));
    const talkRandom: RandomSource = mulberry32(deriveSeed(options.seed, day * 4 + 2));
    const hopperRandom: RandomSource = mulberry32(deriveSeed(options.seed, day * 4 + 3));
    const dayStart = day * DAY_SEC;
    const shiftEnd = dayStart + shiftSec;
    const tally: DayTally = { agentSeconds: s.agents * shiftSec, talkSec: 0, wrapSec: 0, connects: 0, liveAnswers: 0, abandons: 0, dials: 0 };
    tallies.push(tally);
    policy.startShift?.(day);

    const agents: SimAgent[] = [];
    for (let i = 0; i < s.agents; i++) agents.push({ id: `a${i + 1}`, state: 'ready', since: dayStart, reservedFor: 0, stateEndsAt: dayStart });
    const inFlight = new Map<number, SimCall>();
    const waiting: { call: SimCall; liveAt: number }[] = [];
    const onHold: QueuedCaller[] = [];
    const inboundRandom: RandomSource = mulberry32(deriveSeed(options.seed, day * 4 + 4 + 1_000_000));
    const arrivals = new ArrivalRate(600);
    const queue = new EventQueue<SimEvent>();
    let pendingConsentless = 0;
    let now = dayStart;
    let lastDecision = -Infinity;

    const clip = (from: number, to: number) => Math.max(0, Math.min(to, shiftEnd) - Math.max(from, dayStart));

    const longestReady = (): SimAgent | undefined => {
      let best: SimAgent | undefined;
      for (const a of agents) if (a.state === 'ready' && a.reservedFor === 0 && (!best || a.since < best.since)) best = a;
      return best;
    };

    const bridge = (agent: SimAgent, call: SimCall) => {
      agent.state = 'talking';
      agent.since = now;
      agent.reservedFor = 0;
      tally.connects += 1;
      stats.recordLiveOutcome(EPOCH_MS + now * 1000, false);
      const talk = sampleLognormal(talkDist, talkRandom);
      agent.stateEndsAt = now + talk;
      queue.push(now + talk, { kind: 'talkEnd', agent });
      void call;
    };

    const dial = (consent: boolean, reservedAgent: SimAgent | undefined) => {
      const liveRate = liveRateAt(s, (now - dayStart) / shiftSec);
      const call: SimCall = { id: nextCallId++, dialedAt: now, attempt: sampler.sample(liveRate, dialRandom), consent, reservedAgent };
      if (reservedAgent) reservedAgent.reservedFor = call.id;
      inFlight.set(call.id, call);
      tally.dials += 1;
      if (!consent) consentlessDials += 1;
      queue.push(now + call.attempt.resolveSec, { kind: 'resolve', call });
    };

    // The mean time from dial to a live answer, as the engine's statistics would know it: about the ring time.
    const horizonSec = options.inbound?.horizonSec ?? INBOUND_HORIZON_SEC;
    const snapshot = (): PacingSnapshot => {
      // Ready agents the inbound stream is expected to take are not offered to the outbound pacing.
      let hidden = options.inbound?.reserve ? agentsForInbound(agents.filter((a) => a.state === 'ready' && a.reservedFor === 0).length, arrivals.perSec(now), horizonSec, onHold.length) : 0;
      const visible = agents.filter((a) => {
        if (hidden > 0 && a.state === 'ready' && a.reservedFor === 0) {
          hidden -= 1;
          return false;
        }
        return true;
      });
      const agentViews: AgentSnapshot[] = visible.map((a) => {
        const view: AgentSnapshot = { id: a.id, state: a.state, stateSec: now - a.since };
        if (a.reservedFor) view.reservedForCallId = String(a.reservedFor);
        if (revealAgents && a.state !== 'ready') view.revealedStateLeftSec = a.stateEndsAt - now;
        return view;
      });
      const calls: CallInFlight[] = [];
      for (const c of inFlight.values()) {
        const view: CallInFlight = { id: String(c.id), elapsedSec: now - c.dialedAt, autodialConsent: c.consent };
        if (c.reservedAgent) view.reservedAgentId = c.reservedAgent.id;
        if (revealCalls) view.revealedLiveInSec = c.attempt.outcome === 'live' ? c.dialedAt + c.attempt.resolveSec - now : Infinity;
        calls.push(view);
      }
      const waits: WaitingCall[] = waiting.map((w) => ({ id: String(w.call.id), waitingSec: now - w.liveAt }));
      return { nowMs: EPOCH_MS + now * 1000, agents: agentViews, callsInFlight: calls, waitingCalls: waits, pendingConsentless };
    };

    const decideNow = () => {
      if (now >= shiftEnd) return;
      lastDecision = now;
      const d = policy.decide(snapshot(), stats);
      for (let i = 0; i < d.reservedDials && pendingConsentless > 0; i++) {
        const agent = longestReady();
        if (!agent) break;
        pendingConsentless -= 1;
        dial(false, agent);
      }
      for (let i = 0; i < d.dials; i++) {
        // The hopper hands out phones in order; those without consent wait for a reserved agent.
        while (s.consentlessShare > 0 && hopperRandom() < s.consentlessShare) pendingConsentless += 1;
        dial(true, undefined);
      }
    };

    for (let t = dayStart; t < shiftEnd; t += interval) queue.push(t, { kind: 'tick' });
    const nextArrival = () => {
      if (!options.inbound) return;
      const at = now - Math.log(1 - inboundRandom()) * (3600 / options.inbound.perHour);
      if (at < shiftEnd) queue.push(at, { kind: 'inboundArrive' });
    };
    nextArrival();
    const takeInbound = (agent: SimAgent, caller: QueuedCaller) => {
      caller.answeredAt = now;
      agent.state = 'talking';
      agent.since = now;
      tally.connects += 1;
      const talk = sampleLognormal(talkDist, talkRandom);
      agent.stateEndsAt = now + talk;
      queue.push(now + talk, { kind: 'talkEnd', agent });
    };

    for (;;) {
      const next = queue.pop();
      if (!next) break;
      now = next.time;
      const ev = next.item;
      let changed = false;
      let agentChanged = false;
      switch (ev.kind) {
        case 'tick':
          if (now - lastDecision >= interval * 0.999) decideNow();
          continue;
        case 'inboundArrive': {
          const caller: QueuedCaller = { enteredAt: now, answeredAt: null, abandonedAt: null };
          inboundCallers.push(caller);
          arrivals.arrived(now);
          const agent = longestReady();
          if (agent) takeInbound(agent, caller);
          else {
            onHold.push(caller);
            queue.push(now + sampleLognormal(patienceDist!, inboundRandom), { kind: 'inboundGiveUp', caller });
          }
          nextArrival();
          agentChanged = true;
          break;
        }
        case 'inboundGiveUp': {
          const i = onHold.indexOf(ev.caller);
          if (i >= 0) {
            onHold.splice(i, 1);
            ev.caller.abandonedAt = now;
          }
          break;
        }
        case 'resolve': {
          const call = ev.call;
          inFlight.delete(call.id);
          stats.recordAttempt(call.attempt.outcome, call.attempt.resolveSec);
          if (call.attempt.outcome === 'live') {
            tally.liveAnswers += 1;
            const agent = call.reservedAgent ?? longestReady();
            if (agent) bridge(agent, call);
            else {
              waiting.push({ call, liveAt: now });
              queue.push(now + s.dropWindowSec, { kind: 'drop', call });
            }
          } else if (call.reservedAgent) {
            call.reservedAgent.reservedFor = 0;
          }
          changed = true;
          break;
        }
        case 'drop': {
          const i = waiting.findIndex((w) => w.call === ev.call);
          if (i >= 0) {
            waiting.splice(i, 1);
            tally.abandons += 1;
            if (!ev.call.consent) consentlessAbandons += 1;
            stats.recordLiveOutcome(EPOCH_MS + now * 1000, true);
            changed = true;
          }
          break;
        }
        case 'talkEnd': {
          const a = ev.agent;
          tally.talkSec += clip(a.since, now);
          stats.recordTalk(now - a.since);
          a.state = 'wrap';
          a.since = now;
          a.stateEndsAt = now + sampleLognormal(wrapDist, talkRandom);
          queue.push(a.stateEndsAt, { kind: 'wrapEnd', agent: a });
          agentChanged = true;
          break;
        }
        case 'wrapEnd': {
          const a = ev.agent;
          tally.wrapSec += clip(a.since, now);
          stats.recordWrap(now - a.since);
          a.state = 'ready';
          a.since = now;
          // A blended agent takes an inbound caller first.
          const caller = onHold.shift();
          if (caller) takeInbound(a, caller);
          else {
            const w = waiting.shift();
            if (w) bridge(a, w.call);
          }
          agentChanged = true;
          break;
        }
      }
      if (agentChanged || (changed && now - lastDecision >= callEventGap)) decideNow();
    }
  }

  return {
    scenario: s.name,
    policy: policy.name,
    days: options.days,
    seed: options.seed,
    consentlessAbandons,
    consentlessDials,
    ...(options.inbound ? { inbound: queueStats(inboundCallers, 0) } : {}),
    ...summarize(tallies, s),
  };
}
