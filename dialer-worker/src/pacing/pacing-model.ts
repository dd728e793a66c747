import { DurationDistribution, empiricalDistribution } from '../math/empirical-distribution';
import { lognormal, Lognormal } from '../math/lognormal';
import { RollingStats } from './rolling-stats';

/**
 * What the engine believes about the campaign right now, built from the rolling statistics:
 * the chance that a dial reaches a live person, how long live and failed attempts take to
 * resolve, and how long agents talk and wrap up. Building it costs a few milliseconds, so it
 * is cached per statistics revision (see modelFor).
 */
export interface PacingModel {
  liveRate: number;
  /** dial -> live answer (end of greeting), for attempts that reach a person */
  liveTime: DurationDistribution;
  /** dial -> failure (machine, busy, invalid, no answer) */
  failTime: DurationDistribution;
  talk: DurationDistribution;
  wrap: DurationDistribution;
  /** answer-time points (seconds after dialing) at which a new call's risk is evaluated */
  liveTimeQuantiles: number[];
}

/**
 * Priors for a campaign with no history yet, typical of a collections list. They carry the
 * weight of a few dozen samples, so real data overrides them within minutes.
 */
export interface ModelPriors {
  liveRate: number;
  liveTime: Lognormal;
  failTime: Lognormal;
  talk: Lognormal;
  wrap: Lognormal;
  weight: number;
}

export const DEFAULT_PRIORS: ModelPriors = {
  liveRate: 0.15,
  liveTime: lognormal(11, 5),
  failTime: lognormal(22, 7),
  talk: lognormal(240, 180),
  wrap: lognormal(45, 15),
  weight: 30,
};

const QUANTILE_POINTS = 8;

/** Evenly spaced quantiles of a lognormal: a deterministic stand-in sample for a prior. */
function priorSamples(d: Lognormal, n = 40): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = inverseNormal((i + 0.5) / n);
    out.push(Math.exp(d.mu + d.sigma * z));
  }
  return out;
}

/** Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Beta prior on the live rate, worth `weight` attempts. */
function liveRateEstimate(lives: number, attempts: number, priors: ModelPriors): number {
  return (lives + priors.liveRate * priors.weight) / (attempts + priors.weight);
}

export function buildPacingModel(stats: RollingStats, priors: ModelPriors = DEFAULT_PRIORS): PacingModel {
  const s = stats.state;
  const liveSec: number[] = [];
  const failSec: number[] = [];
  let lives = 0;
  const n = s.attemptLive.values.length;
  for (let i = 0; i < n; i++) {
    if (s.attemptLive.values[i] === 1) {
      lives += 1;
      liveSec.push(s.attemptSec.values[i]);
    } else failSec.push(s.attemptSec.values[i]);
  }
  const liveRate = liveRateEstimate(lives, n, priors);
  const w = priors.weight;
  const liveTime = empiricalDistribution(liveSec, { samples: priorSamples(priors.liveTime), weight: w * priors.liveRate });
  const failTime = empiricalDistribution(failSec, { samples: priorSamples(priors.failTime), weight: w });
  const talk = empiricalDistribution(s.talkSec.values, { samples: priorSamples(priors.talk), weight: w });
  const wrap = empiricalDistribution(s.wrapSec.values, { samples: priorSamples(priors.wrap), weight: w });
  const liveTimeQuantiles: number[] = [];
  for (let i = 0; i < QUANTILE_POINTS; i++) liveTimeQuantiles.push(liveTime.quantile((i + 0.5) / QUANTILE_POINTS));
  return { liveRate, liveTime, failTime, talk, wrap, liveTimeQuantiles };
}

/**
 * Models are rebuilt only when the statistics say their samples moved (their revision). The
 * live worker reloads statistics from Redis on every tick, so the cache keys on the revision,
 * not on object identity; keep one cache per campaign.
 */
export class PacingModelCache {
  private key = '';
  private model: PacingModel | undefined;

  constructor(private readonly priors: ModelPriors = DEFAULT_PRIORS) {}

  modelFor(stats: RollingStats): PacingModel {
    const key = String(stats.state.revision);
    if (!this.model || key !== this.key) {
      this.model = buildPacingModel(stats, this.priors);
      this.key = key;
    }
    const { lives, attempts } = stats.recentLiveRate();
    const liveRate = liveRateEstimate(lives, attempts, this.priors);
    if (liveRate !== this.model.liveRate) this.model = { ...this.model, liveRate };
    return this.model;
  }
}
