import type { PacingSettings } from '../pacing/pacing-types';
import type { DialPolicy } from './policies/dial-policy';
import { EnginePolicy } from './policies/engine-policy';
import { FixedRatioPolicy } from './policies/fixed-ratio';
import { VicidialAdaptivePolicy } from './policies/vicidial-adaptive';
import { parseScenario, Scenario } from './scenario';

/** The standard grid of the pacing benchmark: pool sizes × live rates, plus the drift case. */
export function standardGrid(): Scenario[] {
  const cells: Scenario[] = [];
  for (const agents of [5, 20, 50, 100]) {
    for (const liveRate of [0.1, 0.15, 0.3]) cells.push(parseScenario({ agents, liveRate }, `${agents} agents, live ${liveRate.toFixed(2)}`));
  }
  cells.push(parseScenario({ agents: 20, liveRate: 0.175, liveRateDrift: { from: 0.1, to: 0.25 } }, '20 agents, live 0.10→0.25'));
  return cells;
}

/** Ratios tried when looking for the best fixed ratio of a cell. */
export const RATIO_SWEEP = [1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10];

export type PolicySpec =
  | { kind: 'progressive' }
  | { kind: 'predictive' }
  | { kind: 'fixed-ratio'; ratio: number }
  | { kind: 'vicidial-adaptive' };

export function settingsFor(s: Scenario, mode: PacingSettings['mode']): PacingSettings {
  return {
    mode,
    abandonTarget: s.abandonTarget,
    maxLinesPerAgent: s.maxLinesPerAgent,
    dropWindowSec: s.dropWindowSec,
    abandonWindowHours: s.abandonWindowHours,
  };
}

export function makePolicy(spec: PolicySpec, s: Scenario): DialPolicy {
  switch (spec.kind) {
    case 'progressive':
      return new EnginePolicy('progressive', settingsFor(s, 'progressive'));
    case 'predictive':
      return new EnginePolicy('ours (predictive)', settingsFor(s, 'predictive'));
    case 'fixed-ratio':
      return new FixedRatioPolicy(spec.ratio);
    case 'vicidial-adaptive':
      return new VicidialAdaptivePolicy({ maximumLevel: Math.min(s.maxLinesPerAgent, 3), droppedTarget: s.abandonTarget });
  }
}
