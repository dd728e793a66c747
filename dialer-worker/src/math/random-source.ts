/**
 * A source of uniform numbers in [0, 1). Everything that needs chance takes one of these
 * as a parameter, so a seed makes a whole simulation (or test) repeat exactly.
 */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG. Statistically fine for simulation (it passes gjrand's
 * and PractRand's smaller batteries) and fast, which matters for multi-day grids.
 */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Derives independent seeds for sub-streams (one per simulated day, per policy...) so that
 * adding a draw in one stream does not shift every other stream.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
