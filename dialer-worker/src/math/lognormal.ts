import { normalCdf, standardNormal } from './normal';
import type { RandomSource } from './random-source';

/** A lognormal distribution given, as call-center data usually is, by its mean and sd. */
export interface Lognormal {
  readonly mean: number;
  readonly sd: number;
  /** parameters of the underlying normal */
  readonly mu: number;
  readonly sigma: number;
}

export function lognormal(mean: number, sd: number): Lognormal {
  if (!(mean > 0) || !(sd >= 0)) throw new RangeError(`lognormal needs mean > 0 and sd >= 0, got ${mean}, ${sd}`);
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { mean, sd, mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

export function sampleLognormal(d: Lognormal, random: RandomSource): number {
  if (d.sigma === 0) return d.mean;
  return Math.exp(d.mu + d.sigma * standardNormal(random));
}

export function lognormalCdf(d: Lognormal, x: number): number {
  if (x <= 0) return 0;
  if (d.sigma === 0) return x >= d.mean ? 1 : 0;
  return normalCdf((Math.log(x) - d.mu) / d.sigma);
}
