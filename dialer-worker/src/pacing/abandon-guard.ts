import type { RollingStats } from './rolling-stats';

export interface AbandonWindow {
  liveAnswers: number;
  abandons: number;
  rate: number;
  /** abandons the window can still absorb before its rate passes the target */
  margin: number;
}

export function abandonWindow(stats: RollingStats, nowMs: number, target: number, windowHours: number): AbandonWindow {
  const { liveAnswers, abandons } = stats.windowCounts(nowMs, windowHours);
  return {
    liveAnswers,
    abandons,
    rate: liveAnswers > 0 ? abandons / liveAnswers : 0,
    margin: target * liveAnswers - abandons,
  };
}

/**
 * How much of the learned risk threshold may be used, given the window's margin and the
 * abandons already likely among calls in flight. Full use while the window has room for
 * `band` more abandons beyond those; linearly less as the room shrinks; none (progressive)
 * once a single further abandon could push the window over. This is the "fall back before
 * crossing, not after" rule: it bites on the window's count, not on a smoothed rate.
 */
export function abandonHeadroomFactor(margin: number, expectedInFlightAbandons: number, band = 3): number {
  const room = margin - expectedInFlightAbandons - 1;
  if (room <= 0) return 0;
  return Math.min(1, room / band);
}

/**
 * Proportional term on the window's count: each abandon above the setpoint line
 * (setpoint × live answers) shrinks the usable risk by a constant factor, each one below
 * it grows it a little (capped). The integrator in abandon-feedback learns the level; this
 * term keeps the window's own count from drifting away from the line, which is what a
 * rolling window (and a first day with few live answers) needs.
 */
export function windowExcessFactor(window: AbandonWindow, setpoint: number, gainPerAbandon = 0.15, maxCredit = 3): number {
  const excess = window.abandons - setpoint * window.liveAnswers;
  return Math.exp(-gainPerAbandon * Math.max(-maxCredit, excess));
}
