import { normalCdf } from './normal';

/**
 * A smoothed empirical distribution of positive durations. Samples are binned in log-time
 * and smoothed with a Gaussian kernel (Silverman bandwidth), so that a few hundred samples
 * give a usable CDF, conditional residuals at long elapsed times do not fall off a cliff at
 * the largest sample, and lookups cost one log and one interpolation.
 */
export interface DurationDistribution {
  cdf(seconds: number): number;
  /** P(X <= t + h | X > t) */
  conditional(t: number, h: number): number;
  quantile(p: number): number;
  readonly mean: number;
}

const LOG_MIN = Math.log(0.05);
const LOG_MAX = Math.log(86_400);
const BIN = 0.01;
const BINS = Math.ceil((LOG_MAX - LOG_MIN) / BIN) + 1;
const LINEAR_STEPS_PER_SEC = 4;
const LINEAR_MAX_SEC = 3600;

function quantileOf(cdfTable: Float64Array, p: number): number {
  let lo = 0;
  let hi = BINS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdfTable[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return Math.exp(LOG_MIN + lo * BIN);
}

export function empiricalDistribution(samples: readonly number[], prior?: { samples: readonly number[]; weight: number }): DurationDistribution {
  const all: { x: number; w: number }[] = [];
  for (const s of samples) if (s > 0 && Number.isFinite(s)) all.push({ x: s, w: 1 });
  if (prior && prior.samples.length > 0 && prior.weight > 0) {
    const w = prior.weight / prior.samples.length;
    for (const s of prior.samples) all.push({ x: s, w });
  }
  if (all.length === 0) throw new RangeError('empiricalDistribution needs at least one positive sample');

  let wSum = 0;
  let lSum = 0;
  let lSq = 0;
  let mean = 0;
  for (const { x, w } of all) {
    const l = Math.log(x);
    wSum += w;
    lSum += w * l;
    lSq += w * l * l;
    mean += w * x;
  }
  mean /= wSum;
  const lMean = lSum / wSum;
  const lVar = Math.max(0, lSq / wSum - lMean * lMean);
  const n = Math.max(1, samples.length + (prior?.weight ?? 0));
  const bandwidth = Math.max(0.02, 1.06 * Math.sqrt(lVar) * Math.pow(n, -0.2));

  const mass = new Float64Array(BINS);
  for (const { x, w } of all) {
    const idx = Math.min(BINS - 1, Math.max(0, Math.round((Math.log(x) - LOG_MIN) / BIN)));
    mass[idx] += w / wSum;
  }
  // Smooth the CDF rather than the density: the CDF at each bin edge is the kernel-weighted
  // sum of the mass, evaluated with the normal CDF over a window of +-5 bandwidths.
  const reach = Math.ceil((5 * bandwidth) / BIN);
  const cdfTable = new Float64Array(BINS);
  const kernel = new Float64Array(2 * reach + 1);
  for (let d = -reach; d <= reach; d++) kernel[d + reach] = normalCdf((d * BIN) / bandwidth);
  let below = 0;
  for (let i = 0; i < BINS; i++) {
    // mass far below contributes fully
    if (i - reach - 1 >= 0) below += mass[i - reach - 1];
    let c = below;
    const lo = Math.max(0, i - reach);
    const hi = Math.min(BINS - 1, i + reach);
    for (let j = lo; j <= hi; j++) if (mass[j] > 0) c += mass[j] * kernel[i - j + reach];
    cdfTable[i] = Math.min(1, c);
  }
  for (let i = 1; i < BINS; i++) if (cdfTable[i] < cdfTable[i - 1]) cdfTable[i] = cdfTable[i - 1];

  const logCdf = (t: number): number => {
    if (t <= 0) return 0;
    const pos = (Math.log(t) - LOG_MIN) / BIN;
    if (pos <= 0) return cdfTable[0];
    if (pos >= BINS - 1) return 1;
    const i = Math.floor(pos);
    const f = pos - i;
    return cdfTable[i] + f * (cdfTable[i + 1] - cdfTable[i]);
  };
  // Decisions look up CDFs thousands of times; a linear grid over the common range avoids
  // a logarithm per lookup.
  const linearTop = Math.min(LINEAR_MAX_SEC, Math.max(60, quantileOf(cdfTable, 0.9999)));
  const linearN = Math.ceil(linearTop * LINEAR_STEPS_PER_SEC) + 1;
  const linear = new Float64Array(linearN + 1);
  for (let i = 0; i <= linearN; i++) linear[i] = logCdf(i / LINEAR_STEPS_PER_SEC);
  const cdf = (t: number): number => {
    if (t <= 0) return 0;
    const pos = t * LINEAR_STEPS_PER_SEC;
    if (pos >= linearN) return logCdf(t);
    const i = pos | 0;
    return linear[i] + (pos - i) * (linear[i + 1] - linear[i]);
  };

  return {
    mean,
    cdf,
    conditional(t: number, h: number): number {
      const base = cdf(t);
      const surv = 1 - base;
      if (surv <= 1e-9) return 1;
      return Math.min(1, Math.max(0, (cdf(t + h) - base) / surv));
    },
    quantile(p: number): number {
      return quantileOf(cdfTable, p);
    },
  };
}
