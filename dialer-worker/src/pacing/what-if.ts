import type { WhatIfBound, WhatIfEstimate } from '../../../protocol/what-if';
import type { DialMode } from './pacing-types';

/**
 * What the engine expects a maximum dial ratio to do, from what it knows now: the floor's
 * active agents, the model it built from the campaign's statistics (live rate p, attempt,
 * talk T and wrap-up W times) and the compliance window. A steady-state estimate, not a replay:
 *
 * - progressive dialing is matched to idle agents: no abandons, each connect costing the
 *   agent D/p idle seconds (D the mean attempt; research/pacing.md §2), one line per idle agent;
 * - lines beyond that are live answers arriving at random: they find a free agent as Erlang B
 *   says for N agents at the load progressive already carries plus theirs, and are abandoned
 *   otherwise (the drop window is seconds, a call minutes);
 * - predictive: the engine adds lines until abandons reach its setpoint (a share of the
 *   target), no further than the maximum ratio allows; with one abandon of margin or less
 *   in the window it dials progressive;
 * - ratio: the fixed ratio, capped by the maximum; progressive and preview: the maximum
 *   does not matter.
 */
export interface WhatIfInput {
  mode: DialMode;
  activeAgents: number;
  fixedRatio: number | null;
  abandonTarget: number;
  /** share of the target the engine aims at (RollingStats' setpointFraction) */
  setpointFraction: number;
  window: { liveAnswers: number; abandons: number };
  model: { liveRate: number; liveSec: number; failSec: number; talkSec: number; wrapSec: number };
}

/** Erlang B: the share of arrivals that find all `servers` busy at `load` erlangs. */
export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (load * b) / (n + load * b);
  return b;
}

/** The largest x in [0, hi] with f(x) <= limit, for f increasing. */
function largestWithin(f: (x: number) => number, limit: number, hi: number): number {
  let lo = 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) <= limit) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function whatIf(input: WhatIfInput, maxDialRatio: number): WhatIfEstimate {
  const n = Math.max(1, Math.round(input.activeAgents));
  const { liveRate: p, liveSec, failSec, talkSec: t, wrapSec: w } = input.model;
  const attemptSec = p * liveSec + (1 - p) * failSec;
  const busySec = t + w;
  const idleSec = attemptSec / p;
  // Progressive: erlangs carried, and lines per agent (one per idle agent).
  const baseLoad = (n * busySec) / (busySec + idleSec);
  const baseLines = idleSec / (busySec + idleSec);
  // Extra lines per agent <-> extra offered erlangs.
  const extraLoadOf = (lines: number) => (Math.max(0, lines - baseLines) * n * p * busySec) / attemptSec;
  const at = (lines: number) => {
    const extra = extraLoadOf(lines);
    const blocked = extra > 0 ? erlangB(n, baseLoad + extra) : 0;
    const carried = baseLoad + extra * (1 - blocked);
    return { linesPerAgent: Math.max(lines, baseLines), abandonRate: (extra * blocked) / (baseLoad + extra), utilization: (carried * t) / (busySec * n), connectsPerAgentHour: (carried * 3600) / (busySec * n) };
  };
  const margin = input.abandonTarget * input.window.liveAnswers - input.window.abandons;
  let lines = baseLines;
  let bound: WhatIfBound = 'mode';
  if ((input.mode === 'predictive' || input.mode === 'ratio') && margin <= 1) bound = 'abandonFallback';
  else if (input.mode === 'predictive') {
    const riskLines = largestWithin((l) => at(l).abandonRate, input.abandonTarget * input.setpointFraction, Math.max(10, maxDialRatio) * 2);
    lines = Math.min(riskLines, maxDialRatio);
    bound = riskLines <= maxDialRatio ? 'risk' : 'maxRatio';
  } else if (input.mode === 'ratio') {
    const fixed = input.fixedRatio ?? 1;
    lines = Math.min(fixed, maxDialRatio);
    bound = fixed <= maxDialRatio ? 'mode' : 'maxRatio';
  }
  const estimate = at(lines);
  const livesPerHour = (estimate.connectsPerAgentHour * n) / Math.max(1e-9, 1 - estimate.abandonRate);
  const lives = input.window.liveAnswers + livesPerHour;
  const abandons = input.window.abandons + livesPerHour * estimate.abandonRate;
  return { maxDialRatio, ...estimate, windowRateInAnHour: lives > 0 ? abandons / lives : 0, bound };
}
