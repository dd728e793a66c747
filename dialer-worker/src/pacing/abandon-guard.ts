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
