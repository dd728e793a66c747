import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseScenario, ScenarioError, type Scenario } from '../simulation/scenario';
import { SIM_OUTCOMES, type OutcomeOverride, type SimOutcome } from './call-plan';

/**
 * A simulator file (`SIM_SCENARIO`) is a pacing scenario file (the keys of
 * dialer-worker/scenarios/*.json), plus, optionally:
 * - `outcomes`: per-number overrides, `{ "+13125550100": "busy" }` or
 *   `{ "+13125550101": { "outcome": "human", "ringSec": 3, "talkSec": 20 } }`;
 * - `silenceHangupSec`: how long an answered, never-bridged debtor waits before hanging up;
 * - `safeHarborSec`: how long the abandon message plays.
 */
export interface SimulatorFile {
  scenario: Scenario;
  outcomes: Record<string, OutcomeOverride>;
  silenceHangupSec?: number;
  safeHarborSec?: number;
}

export const DEFAULT_SILENCE_HANGUP_SEC = 10;
export const DEFAULT_SAFE_HARBOR_SEC = 6;

const EXTRA_KEYS = ['outcomes', 'silenceHangupSec', 'safeHarborSec'] as const;

export function parseSimulatorFile(input: unknown, fallbackName = 'scenario'): SimulatorFile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScenarioError('a simulator file must be a JSON object');
  const raw = { ...(input as Record<string, unknown>) };
  const extras: Record<string, unknown> = {};
  for (const key of EXTRA_KEYS) {
    if (key in raw) {
      extras[key] = raw[key];
      delete raw[key];
    }
  }
  const file: SimulatorFile = { scenario: parseScenario(raw, fallbackName), outcomes: normalizeOutcomes(extras.outcomes ?? {}) };
  for (const key of ['silenceHangupSec', 'safeHarborSec'] as const) {
    const v = extras[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v > 0)) throw new ScenarioError(`${key} must be a positive number`);
    file[key] = v;
  }
  return file;
}

export function loadSimulatorFile(path: string): SimulatorFile {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${path}: ${(err as Error).message}`);
  }
  return parseSimulatorFile(json, basename(path, '.json'));
}

/** Accepts `"busy"` or `{ outcome: "busy", ... }` per number. */
export function normalizeOutcomes(input: unknown): Record<string, OutcomeOverride> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScenarioError('outcomes must be an object keyed by phone number');
  const out: Record<string, OutcomeOverride> = {};
  for (const [phone, value] of Object.entries(input as Record<string, unknown>)) {
    const o = typeof value === 'string' ? { outcome: value } : value;
    if (typeof o !== 'object' || o === null) throw new ScenarioError(`outcomes["${phone}"] must be an outcome or an object`);
    const { outcome, ringSec, talkSec, amdSec, ...rest } = o as Record<string, unknown>;
    if (!SIM_OUTCOMES.includes(outcome as SimOutcome)) throw new ScenarioError(`outcomes["${phone}"]: outcome must be one of ${SIM_OUTCOMES.join(', ')}`);
    if (Object.keys(rest).length > 0) throw new ScenarioError(`outcomes["${phone}"]: unknown key ${Object.keys(rest)[0]}`);
    const override: OutcomeOverride = { outcome: outcome as SimOutcome };
    for (const [k, v] of [['ringSec', ringSec], ['talkSec', talkSec], ['amdSec', amdSec]] as const) {
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v >= 0)) throw new ScenarioError(`outcomes["${phone}"].${k} must be a number >= 0`);
      override[k] = v;
    }
    out[phone] = override;
  }
  return out;
}
