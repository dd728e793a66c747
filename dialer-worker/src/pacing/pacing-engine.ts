import { abandonHeadroomFactor, abandonWindow, windowExcessFactor } from './abandon-guard';
import type { BusyAgent } from './agent-availability';
import { liveWithin } from './agent-availability';
import { buildPacingModel, DEFAULT_PRIORS, ModelPriors, PacingModel, PacingModelCache } from './pacing-model';
import type { DecisionBound, DialDecision, PacingSettings, PacingSnapshot } from './pacing-types';
import { evaluatePredictiveRisk } from './predictive-risk';
import type { RollingStats } from './rolling-stats';

/** Below this much allowed risk the predictive mode is in effect progressive. */
const MIN_USEFUL_RISK = 1e-4;

interface Floor {
  ready: number;
  idle: number;
  busy: BusyAgent[];
  paused: number;
  active: number;
  autodialInFlight: number[];
  /** per autodialed call: the simulator's revealed time to live, undefined when not revealed */
  revealedLiveInSec: (number | undefined)[];
  lines: number;
  waiting: number;
}

function readFloor(snapshot: PacingSnapshot): Floor {
  let ready = 0;
  let idle = 0;
  let paused = 0;
  const busy: BusyAgent[] = [];
  for (const a of snapshot.agents) {
    if (a.state === 'ready') {
      ready += 1;
      if (!a.reservedForCallId) idle += 1;
    } else if (a.state === 'paused') paused += 1;
    else busy.push({ state: a.state, elapsedSec: a.stateSec, revealedLeftSec: a.revealedStateLeftSec });
  }
  const autodialInFlight: number[] = [];
  const revealedLiveInSec: (number | undefined)[] = [];
  for (const c of snapshot.callsInFlight) {
    if (c.reservedAgentId) continue;
    autodialInFlight.push(c.elapsedSec);
    revealedLiveInSec.push(c.revealedLiveInSec);
  }
  const waiting = snapshot.waitingCalls.length;
  return {
    ready,
    idle,
    busy,
    paused,
    active: ready + busy.length,
    autodialInFlight,
    revealedLiveInSec,
    lines: snapshot.callsInFlight.length + waiting,
    waiting,
  };
}

/**
 * The pacing engine: how many numbers to dial now, and why. Pure: the same snapshot,
 * settings and statistics always give the same decision; it reads no clock and no I/O.
 * The instance only caches the model built from the statistics (one engine per campaign).
 */
export class PacingEngine {
  private readonly cache: PacingModelCache;

  constructor(priors: ModelPriors = DEFAULT_PRIORS) {
    this.cache = new PacingModelCache(priors);
  }

  model(stats: RollingStats): PacingModel {
    return this.cache.modelFor(stats);
  }

  decide(snapshot: PacingSnapshot, settings: PacingSettings, stats: RollingStats): DialDecision {
    return decide(snapshot, settings, stats, this.cache.modelFor(stats));
  }
}

/**
 * One decision. Without a model it builds one from the statistics (a few milliseconds);
 * PacingEngine.decide passes a cached one instead.
 */
export function decide(
  snapshot: PacingSnapshot,
  settings: PacingSettings,
  stats: RollingStats,
  model: PacingModel = buildPacingModel(stats),
): DialDecision {
  const floor = readFloor(snapshot);
  const window = abandonWindow(stats, snapshot.nowMs, settings.abandonTarget, settings.abandonWindowHours);
  const lineCap = Math.floor(settings.maxLinesPerAgent * floor.active + 1e-9);
  const capRoom = Math.max(0, lineCap - floor.lines);
  const setpoint = settings.abandonTarget * stats.options.setpointFraction;
  const learnedRisk = Math.exp(stats.state.feedback.logRiskThreshold) * windowExcessFactor(window, setpoint);

  const reasons = {
    mode: settings.mode,
    boundBy: 'mode' as DecisionBound,
    readyAgents: floor.ready,
    busyAgents: floor.busy.length,
    pausedAgents: floor.paused,
    linesInFlight: floor.lines,
    waitingCalls: floor.waiting,
    expectedAgentsFreeAtConnect: floor.idle - floor.waiting,
    expectedLiveAnswers: 0,
    lastCallAbandonRisk: 0,
    riskThreshold: 0,
    windowLiveAnswers: window.liveAnswers,
    windowAbandons: window.abandons,
    windowAbandonRate: window.rate,
    abandonTarget: settings.abandonTarget,
    abandonMargin: window.margin,
    lineCap,
  };

  if (settings.mode === 'preview') {
    reasons.boundBy = 'preview';
    return { dials: 0, reservedDials: 0, reasons };
  }
  if (floor.active === 0) {
    reasons.boundBy = 'noAgents';
    return { dials: 0, reservedDials: 0, reasons };
  }

  let inFlightLives = 0;
  floor.autodialInFlight.forEach((e, i) => (inFlightLives += liveWithin(model, e, 600, floor.revealedLiveInSec[i])));

  // Consent-less phones get an agent of their own, taken from the idle agents that no call
  // in flight or waiting is already expected to claim, so they can never be abandoned.
  const uncommitted = Math.max(0, floor.idle - floor.waiting - Math.ceil(inFlightLives - 1e-9));
  const reservedDials = Math.min(snapshot.pendingConsentless ?? 0, uncommitted, capRoom);
  const idle = floor.idle - reservedDials;
  const room = capRoom - reservedDials;

  // Progressive: one line per idle agent, counting the lines already out for them.
  const progressive = Math.max(0, idle - floor.waiting - floor.autodialInFlight.length);

  let wanted: number;
  let bound: DecisionBound = 'mode';
  if (settings.mode === 'progressive') {
    wanted = progressive;
    reasons.lastCallAbandonRisk = 0;
  } else if (settings.mode === 'ratio') {
    const ratio = settings.ratio ?? 1;
    wanted = Math.max(0, Math.round(ratio * idle) - floor.waiting - floor.autodialInFlight.length);
  } else {
    const maxNew = Math.max(progressive, Math.min(room, 4 * floor.active + 8));
    let headroom = 1;
    const ev = evaluatePredictiveRisk(
      model,
      { idleAgents: idle, busyAgents: floor.busy, waitingCalls: floor.waiting, inFlightElapsedSec: floor.autodialInFlight, inFlightRevealedLiveInSec: floor.revealedLiveInSec },
      settings.dropWindowSec,
      (inFlightAbandons) => {
        headroom = abandonHeadroomFactor(window.margin, inFlightAbandons);
        const t = learnedRisk * headroom;
        return t < MIN_USEFUL_RISK ? 0 : t;
      },
      maxNew,
    );
    reasons.riskThreshold = ev.threshold;
    reasons.expectedAgentsFreeAtConnect = ev.expectedAgentsFree;
    reasons.lastCallAbandonRisk = ev.lastRisk;
    if (ev.threshold === 0) {
      wanted = progressive;
      bound = 'abandonFallback';
    } else {
      wanted = Math.max(progressive, ev.dials);
      bound = ev.dials >= progressive ? 'risk' : 'mode';
      if (headroom < 1 && bound === 'risk') bound = 'abandonFallback';
    }
  }

  // Guardrail shared by ratio and predictive: as the window nears its target, fall back to
  // progressive before it is crossed. Progressive itself cannot abandon (a line per agent).
  if (settings.mode === 'ratio' && wanted > progressive) {
    const headroom = abandonHeadroomFactor(window.margin, 0);
    if (headroom <= 0) {
      wanted = progressive;
      bound = 'abandonFallback';
    }
  }

  let dials = wanted;
  if (dials >= room && (dials > room || settings.mode !== 'progressive')) {
    dials = Math.max(0, room);
    bound = 'lineCap';
  }
  reasons.boundBy = bound;
  reasons.expectedLiveAnswers = inFlightLives + dials * model.liveRate;
  return { dials, reservedDials, reasons };
}
