import type { RandomSource } from './random-source';

/**
 * Standard normal CDF. Uses the Cody-style erfc rational approximation (W. J. Cody 1969
 * via Numerical Recipes' erfcc), absolute error below 1.2e-7, good enough for risk levels
 * around 1e-3 and cheap enough to call thousands of times per decision.
 */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const y =
    t *
    Math.exp(
      -ax * ax -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? y : 2 - y;
  return 0.5 * erfc;
}

/** Box-Muller without caching the second draw: simpler to reason about for reproducibility. */
export function standardNormal(random: RandomSource): number {
  let u = random();
  while (u <= Number.MIN_VALUE) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
