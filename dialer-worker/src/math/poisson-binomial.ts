/**
 * Distribution of a sum of independent Bernoulli trials with different probabilities, as a
 * probability mass array indexed by count. Tails below `epsilon` are cut as they form, so the
 * cost is n × (mean + a few sd) instead of n², which keeps a decision for 300 calls in flight
 * well under a millisecond.
 */
export function poissonBinomial(probabilities: ArrayLike<number>, count = probabilities.length, epsilon = 1e-12): Float64Array {
  let pmf = new Float64Array(Math.min(count, 64) + 1);
  pmf[0] = 1;
  let len = 1;
  for (let i = 0; i < count; i++) {
    const p = probabilities[i];
    if (p <= 0) continue;
    if (len + 1 > pmf.length) {
      const bigger = new Float64Array(pmf.length * 2);
      bigger.set(pmf.subarray(0, len));
      pmf = bigger;
    }
    const q = 1 - p;
    pmf[len] = 0;
    for (let k = len; k >= 1; k--) pmf[k] = pmf[k] * q + pmf[k - 1] * p;
    pmf[0] *= q;
    len += 1;
    while (len > 1 && pmf[len - 1] < epsilon) len -= 1;
  }
  return pmf.slice(0, len);
}

/** Adds one more Bernoulli(p) to a count distribution, in place, growing the array by one. */
export function addBernoulli(pmf: Float64Array, len: number, p: number): number {
  const q = 1 - p;
  pmf[len] = 0;
  for (let k = len; k >= 1; k--) pmf[k] = pmf[k] * q + pmf[k - 1] * p;
  pmf[0] *= q;
  return len + 1;
}
