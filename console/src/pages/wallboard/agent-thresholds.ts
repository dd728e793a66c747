import { DEFAULT_THRESHOLDS, type Thresholds } from './pacing-wording';

/** Bounds a supervisor may set: a second is noise, a day would never colour anything. */
export const THRESHOLD_LIMITS: Record<keyof Thresholds, { min: number; max: number }> = {
  pausedSec: { min: 60, max: 8 * 3600 },
  wrapUpSec: { min: 5, max: 3600 },
  readySec: { min: 60, max: 8 * 3600 },
};

/** Where a supervisor's thresholds live in this browser: one entry per user, so a shared screen keeps each one's. */
export const thresholdsKey = (userId: string | number) => `wallboard.thresholds.${userId}`;

/**
 * A supervisor's stored thresholds, read back: anything missing, out of bounds or not a number
 * falls back to the default for that threshold only.
 */
export function readThresholds(stored: string | null | undefined): Thresholds {
  let parsed: Record<string, unknown> = {};
  try {
    const value = stored ? JSON.parse(stored) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value;
  } catch {
    // A hand-edited or truncated entry: the defaults.
  }
  const out = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(THRESHOLD_LIMITS) as Array<keyof Thresholds>) {
    const v = parsed[key];
    const { min, max } = THRESHOLD_LIMITS[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) out[key] = Math.round(v);
  }
  return out;
}

/** "paused over 10 min, wrap-up over 60 s, idle over 5 min" */
export function thresholdsText(t: Thresholds): string {
  const min = (sec: number) => (sec % 60 === 0 ? `${sec / 60} min` : `${(sec / 60).toFixed(1)} min`);
  return `paused over ${min(t.pausedSec)}, wrap-up over ${t.wrapUpSec} s, idle over ${min(t.readySec)}`;
}
