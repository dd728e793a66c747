/**
 * A simulated campaign: the floor, the list and the rules. Keys match the benchmark's
 * scenario files; anything left out takes the collections defaults of research/pacing.md §3.
 */
export interface Scenario {
  name: string;
  agents: number;
  liveRate: number;
  machineRate: number;
  busyRate: number;
  invalidRate: number;
  /** the live rate moving linearly from `from` at shift start to `to` at shift end */
  liveRateDrift?: { from: number; to: number };
  postDialDelaySec: number;
  /** ring before a person picks up (lognormal), then the greeting */
  personRingMeanSec: number;
  personRingSdSec: number;
  greetingSec: number;
  /** ring before a machine picks up (uniform within ±spread), then detection */
  machineRingMeanSec: number;
  machineRingSpreadSec: number;
  amdSec: number;
  /** after the post-dial delay, a busy signal or a special information tone is this quick */
  busyDetectSec: number;
  invalidDetectSec: number;
  /** ringing time before the dialer gives up */
  noAnswerTimeoutSec: number;
  dropWindowSec: number;
  talkMeanSec: number;
  talkSdSec: number;
  wrapMeanSec: number;
  wrapSdSec: number;
  shiftHours: number;
  abandonTarget: number;
  /** compliance window: 720 (US, 30 days) or 24 (UK) */
  abandonWindowHours: number;
  maxLinesPerAgent: number;
  /** share of dialable phones without autodial consent (dialed only with a reserved agent) */
  consentlessShare: number;
}

export const DEFAULT_SCENARIO: Scenario = {
  name: 'default',
  agents: 20,
  liveRate: 0.15,
  machineRate: 0.25,
  busyRate: 0.05,
  invalidRate: 0.1,
  postDialDelaySec: 2,
  personRingMeanSec: 8,
  personRingSdSec: 5,
  greetingSec: 1,
  machineRingMeanSec: 18,
  machineRingSpreadSec: 4,
  amdSec: 3,
  busyDetectSec: 2,
  invalidDetectSec: 1,
  noAnswerTimeoutSec: 25,
  dropWindowSec: 2,
  talkMeanSec: 240,
  talkSdSec: 180,
  wrapMeanSec: 45,
  wrapSdSec: 15,
  shiftHours: 8,
  abandonTarget: 0.03,
  abandonWindowHours: 720,
  maxLinesPerAgent: 8,
  consentlessShare: 0,
};

const NUMERIC_KEYS = Object.keys(DEFAULT_SCENARIO).filter(
  (k) => typeof (DEFAULT_SCENARIO as unknown as Record<string, unknown>)[k] === 'number',
) as (keyof Scenario)[];

export class ScenarioError extends Error {}

/** Reads a scenario from parsed JSON, filling defaults and rejecting nonsense early. */
export function parseScenario(input: unknown, fallbackName = 'scenario'): Scenario {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScenarioError('a scenario must be a JSON object');
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULT_SCENARIO, name: fallbackName };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'name') {
      if (typeof value !== 'string') throw new ScenarioError('name must be a string');
      out.name = value;
    } else if (key === 'liveRateDrift') {
      const d = value as { from?: unknown; to?: unknown };
      if (typeof d !== 'object' || d === null || typeof d.from !== 'number' || typeof d.to !== 'number') {
        throw new ScenarioError('liveRateDrift must be { from: number, to: number }');
      }
      out.liveRateDrift = { from: d.from, to: d.to };
    } else if ((NUMERIC_KEYS as string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ScenarioError(`${key} must be a number`);
      out[key] = value;
    } else {
      throw new ScenarioError(`unknown scenario key "${key}"`);
    }
  }
  const s = out as unknown as Scenario;
  const rates = [s.liveRate, s.machineRate, s.busyRate, s.invalidRate];
  if (s.liveRateDrift) rates.push(s.liveRateDrift.from, s.liveRateDrift.to);
  if (rates.some((r) => r < 0 || r > 1)) throw new ScenarioError('rates must lie in [0, 1]');
  const maxLive = s.liveRateDrift ? Math.max(s.liveRateDrift.from, s.liveRateDrift.to) : s.liveRate;
  if (maxLive + s.machineRate + s.busyRate + s.invalidRate > 1 + 1e-9) throw new ScenarioError('live + machine + busy + invalid rates exceed 1');
  if (!Number.isInteger(s.agents) || s.agents < 1) throw new ScenarioError('agents must be a positive integer');
  if (s.noAnswerTimeoutSec < 15) throw new ScenarioError('noAnswerTimeoutSec must be at least 15 (ring-time rule)');
  if (s.shiftHours <= 0) throw new ScenarioError('shiftHours must be positive');
  if (s.abandonTarget <= 0 || s.abandonTarget >= 1) throw new ScenarioError('abandonTarget must lie in (0, 1)');
  return s;
}

/** Live rate at a point of the shift (0 = start, 1 = end). */
export function liveRateAt(s: Scenario, shiftFraction: number): number {
  if (!s.liveRateDrift) return s.liveRate;
  const f = Math.min(1, Math.max(0, shiftFraction));
  return s.liveRateDrift.from + (s.liveRateDrift.to - s.liveRateDrift.from) * f;
}
