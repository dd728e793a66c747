/**
 * The pacing engine's public surface, for the live worker and anything else that drives it.
 *
 *   const engine = new PacingEngine();                  // one per campaign (caches its model)
 *   const stats = RollingStats.fromJSON(await redis.get(key)) // or new RollingStats({...})
 *   stats.recordAttempt('no_answer', 27.1);             // as AMI events arrive
 *   const { dials, reservedDials, reasons } = engine.decide(snapshot, settings, stats);
 *   await redis.set(key, JSON.stringify(stats));
 */
export { PacingEngine, decide } from './pacing-engine';
export { RollingStats, DEFAULT_STATS_OPTIONS } from './rolling-stats';
export type { AttemptOutcome, RollingStatsOptions, RollingStatsState, WindowCounts } from './rolling-stats';
export { buildPacingModel, DEFAULT_PRIORS } from './pacing-model';
export type { ModelPriors, PacingModel } from './pacing-model';
export type {
  AgentSnapshot,
  AgentState,
  CallInFlight,
  DecisionBound,
  DecisionReasons,
  DialDecision,
  DialMode,
  PacingSettings,
  PacingSnapshot,
  WaitingCall,
} from './pacing-types';
export { whatIf, erlangB } from './what-if';
export type { WhatIfInput } from './what-if';
