import type { PacingSnapshot } from '../../pacing/pacing-types';
import type { RollingStats } from '../../pacing/rolling-stats';

export interface PolicyDecision {
  dials: number;
  reservedDials: number;
}

/**
 * Anything that decides how many numbers to dial from a snapshot and the rolling statistics.
 * The simulator drives our engine and the comparison policies through this one interface,
 * with the same snapshots the live worker will build.
 */
export interface DialPolicy {
  readonly name: string;
  decide(snapshot: PacingSnapshot, stats: RollingStats): PolicyDecision;
  /** a new shift starts (comparison policies with daily counters reset here) */
  startShift?(day: number): void;
}
