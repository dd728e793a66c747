import type { CampaignSettings, HopperItem } from '../src/cms/cms-client';
import type { AgentSnapshot, CallInFlight, PacingSettings, PacingSnapshot } from '../src/pacing/pacing-types';
import { RollingStats } from '../src/pacing/rolling-stats';
import { lognormal, sampleLognormal } from '../src/math/lognormal';
import { mulberry32 } from '../src/math/random-source';
import { CallOutcomeSampler } from '../src/simulation/call-outcome-sampler';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';

export const NOW_MS = Date.UTC(2025, 0, 6, 12);

export function settings(overrides: Partial<PacingSettings> = {}): PacingSettings {
  return { mode: 'predictive', abandonTarget: 0.03, maxLinesPerAgent: 8, dropWindowSec: 2, abandonWindowHours: 720, ...overrides };
}

/** Statistics as a campaign would have them after an hour or so of the default list. */
export function trainedStats(opts: { lives?: number; abandons?: number; atMs?: number } = {}): RollingStats {
  const random = mulberry32(7);
  const stats = new RollingStats({ abandonTarget: 0.03, windowHours: 720 });
  const sampler = new CallOutcomeSampler(DEFAULT_SCENARIO);
  for (let i = 0; i < 1500; i++) {
    const a = sampler.sample(0.15, random);
    stats.recordAttempt(a.outcome, a.resolveSec);
  }
  const talk = lognormal(240, 180);
  const wrap = lognormal(45, 15);
  for (let i = 0; i < 600; i++) {
    stats.recordTalk(sampleLognormal(talk, random));
    stats.recordWrap(sampleLognormal(wrap, random));
  }
  const lives = opts.lives ?? 2000;
  const abandons = opts.abandons ?? 0;
  const at = opts.atMs ?? NOW_MS - 60_000;
  // spread the abandons evenly so the feedback loop sees a steady rate
  for (let i = 0; i < lives; i++) stats.recordLiveOutcome(at, abandons > 0 && i % Math.floor(lives / abandons) === 0 && i / Math.floor(lives / abandons) < abandons);
  return stats;
}

export function agents(spec: Partial<Record<AgentSnapshot['state'], number[]>>): AgentSnapshot[] {
  const out: AgentSnapshot[] = [];
  for (const state of ['ready', 'talking', 'wrap', 'paused'] as const) {
    for (const stateSec of spec[state] ?? []) out.push({ id: `a${out.length + 1}`, state, stateSec });
  }
  return out;
}

export function calls(elapsed: number[], consent = true): CallInFlight[] {
  return elapsed.map((elapsedSec, i) => ({ id: `c${i + 1}`, elapsedSec, autodialConsent: consent }));
}

export function snapshot(partial: Partial<PacingSnapshot>): PacingSnapshot {
  return { nowMs: NOW_MS, agents: [], callsInFlight: [], waitingCalls: [], ...partial };
}

/** A running campaign as cms describes it to the worker, with the compliance defaults. */
export function campaignSettings(overrides: Partial<CampaignSettings> = {}): CampaignSettings {
  return {
    documentId: 'camp1', name: 'Campaign', state: 'running', dialMode: 'preview', abandonTarget: 0.03, maxDialRatio: 3, fixedDialRatio: 2,
    ringTimeoutSec: 25, dropWindowSec: 2, complianceProfile: 'us', abandonWindowHours: 720, callerId: null, clientDocumentId: 'client1', agentIds: [1, 2], wrapUpLimitSec: null, defaultDispositionId: null,
    ...overrides,
  };
}

/** A hopper item as cms hands it out, with the account summary the screen pop carries. */
export function hopperItem(n: number, phone: string, overrides: Partial<HopperItem> = {}): HopperItem {
  return {
    kind: 'account',
    callbackDocumentId: null,
    accountDocumentId: `acc${n}`,
    accountNumber: `A-${n}`,
    phone,
    phoneType: 'mobile',
    reservedAgentRequired: false,
    preferredAgentId: null,
    receipt: {},
    account: {
      documentId: `acc${n}`, accountNumber: `A-${n}`, debtorName: `Debtor ${n}`, clientName: 'Test Bank', balance: 100 + n, currency: 'USD', daysPastDue: 30,
      status: 'open', timezone: 'America/Chicago', callingWindow: { start: '08:00', end: '21:00' },
      phone: { number: phone, type: 'mobile', autodialConsent: true, consentDate: null, consentSource: null },
    },
    ...overrides,
  };
}
