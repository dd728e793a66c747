import { lognormal } from '../math/lognormal';
import { normalCdf } from '../math/normal';
import { liveRateAt, Scenario } from './scenario';

/**
 * The figures a scenario implies without simulation (research/pacing.md §2): the mean
 * durations of failed and live attempts, progressive utilization and the ceiling no policy
 * can pass. The simulator is held against these in the tests.
 */
export interface ClosedForm {
  /** mean seconds of a failed attempt (machine, busy, invalid, no answer) */
  failedAttemptSec: number;
  /** mean seconds from dial to a live, greeted person */
  liveAttemptSec: number;
  /** agent idle seconds per connect in progressive mode: (1/p − 1)·D_f + D_l */
  progressiveIdleSec: number;
  /** T / (T + W + I) */
  progressiveUtilization: number;
  /** T / (T + W): every agent always busy except during wrap-up */
  ceilingUtilization: number;
}

/** E[X | X < c] for a lognormal X. */
function truncatedLognormalMean(mean: number, sd: number, c: number): number {
  const d = lognormal(mean, sd);
  if (d.sigma === 0) return Math.min(mean, c);
  const z = (Math.log(c) - d.mu) / d.sigma;
  return (mean * normalCdf(z - d.sigma)) / normalCdf(z);
}

export function closedForm(s: Scenario): ClosedForm {
  const p = s.liveRateDrift ? liveRateAt(s, 0.5) : s.liveRate;
  const na = Math.max(0, 1 - p - s.machineRate - s.busyRate - s.invalidRate);
  const machineSec = s.postDialDelaySec + Math.min(s.machineRingMeanSec, s.noAnswerTimeoutSec) + s.amdSec;
  const failedWeighted =
    s.machineRate * machineSec +
    s.busyRate * (s.postDialDelaySec + s.busyDetectSec) +
    s.invalidRate * (s.postDialDelaySec + s.invalidDetectSec) +
    na * (s.postDialDelaySec + s.noAnswerTimeoutSec);
  const failedAttemptSec = failedWeighted / (1 - p);
  const liveAttemptSec = s.postDialDelaySec + truncatedLognormalMean(s.personRingMeanSec, s.personRingSdSec, s.noAnswerTimeoutSec) + s.greetingSec;
  const progressiveIdleSec = (1 / p - 1) * failedAttemptSec + liveAttemptSec;
  const T = s.talkMeanSec;
  const W = s.wrapMeanSec;
  return {
    failedAttemptSec,
    liveAttemptSec,
    progressiveIdleSec,
    progressiveUtilization: T / (T + W + progressiveIdleSec),
    ceilingUtilization: T / (T + W),
  };
}
