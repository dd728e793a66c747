import { empiricalDistribution } from '../src/math/empirical-distribution';
import { lognormal, lognormalCdf, sampleLognormal } from '../src/math/lognormal';
import { normalCdf } from '../src/math/normal';
import { poissonBinomial } from '../src/math/poisson-binomial';
import { mulberry32 } from '../src/math/random-source';

describe('numerics the engine relies on', () => {
  it('mulberry32 repeats for a seed and differs across seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it.each([
    [0, 0.5],
    [1.959964, 0.975],
    [-2.326348, 0.01],
    [-3.090232, 0.001],
  ])('normalCdf(%f) = %f', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 6);
  });

  it.each([
    [240, 180],
    [45, 15],
    [8, 5],
  ])('lognormal(%i, %i) samples have that mean and sd', (mean, sd) => {
    const d = lognormal(mean, sd);
    const random = mulberry32(3);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = sampleLognormal(d, random);
      s += x;
      s2 += x * x;
    }
    const m = s / n;
    expect(m / mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(s2 / n - m * m) / sd).toBeCloseTo(1, 1);
  });

  it('the smoothed empirical CDF tracks the distribution it was sampled from', () => {
    const d = lognormal(45, 15);
    const random = mulberry32(5);
    const dist = empiricalDistribution(Array.from({ length: 600 }, () => sampleLognormal(d, random)));
    for (const t of [20, 35, 45, 60, 90]) expect(Math.abs(dist.cdf(t) - lognormalCdf(d, t))).toBeLessThan(0.04);
    expect(Math.abs(dist.quantile(0.5) - Math.exp(d.mu))).toBeLessThan(3);
    // residual: 40 s into wrap-up, most agents are done within another 20 s
    expect(dist.conditional(40, 20)).toBeGreaterThan(0.6);
    expect(dist.conditional(40, 20)).toBeLessThan(0.9);
  });

  it('poissonBinomial matches brute force', () => {
    const ps = [0.1, 0.5, 0.9, 0.3];
    const pmf = poissonBinomial(ps);
    const brute = [0, 0, 0, 0, 0];
    for (let mask = 0; mask < 16; mask++) {
      let pr = 1;
      let k = 0;
      for (let i = 0; i < 4; i++) {
        if (mask & (1 << i)) {
          pr *= ps[i];
          k++;
        } else pr *= 1 - ps[i];
      }
      brute[k] += pr;
    }
    brute.forEach((p, k) => expect(pmf[k] ?? 0).toBeCloseTo(p, 12));
  });

  it('poissonBinomial stays short for many small probabilities', () => {
    const pmf = poissonBinomial(new Array(300).fill(0.02));
    expect(pmf.length).toBeLessThan(40);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
