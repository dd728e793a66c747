import type { CampaignDay, CampaignStats } from '@protocol/campaign-stats';
import type { AgentStatus } from '@protocol/socket-protocol';
import type { WhatIfEstimate, WhatIfResult } from '@protocol/what-if';

/**
 * The wallboard's words: what the pacing engine's reasons, the compliance window and the
 * what-if mean for a supervisor. Pure: figures in, sentences out.
 */

export const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const abandonsWord = (n: number) => `${n.toFixed(1)} abandon${Math.abs(n - 1) < 0.05 ? '' : 's'}`;

/** Answered calls the target needs for each abandon it allows: 3% → 34 (1 in 33 would be 3.03%). */
const perAbandon = (target: number) => (target > 0 ? Math.ceil(1 / target - 1e-9) : Infinity);

/** 720 → "30-day", 24 → "24-hour". */
export function windowName(hours: number): string {
  return hours % 24 === 0 && hours > 24 ? `${hours / 24}-day` : `${hours}-hour`;
}

export type AbandonStanding = { rate: number; target: number; margin: number; level: 'ok' | 'near' | 'over'; text: string };

/** The compliance window against the target: the rate, and how many more abandons it can take. */
export function abandonStanding(stats: CampaignStats): AbandonStanding {
  const { liveAnswers, abandons, window } = stats.abandonRate;
  const target = stats.reasons.abandonTarget;
  const rate = liveAnswers > 0 ? abandons / liveAnswers : 0;
  const margin = target * liveAnswers - abandons;
  if (liveAnswers === 0) {
    // No rate exists yet: "0.0 abandons of margin left" would read as an alarm on a quiet window.
    return { rate, target, margin, level: 'ok', text: `no answered call yet in the ${windowName(window)} window · ${pct(target, 0)} allowed: one abandon per ${perAbandon(target)} answered calls` };
  }
  const level = rate > target ? 'over' : margin <= 3 ? 'near' : 'ok';
  const left = margin >= 0 ? `${abandonsWord(margin)} of margin left` : `${abandonsWord(-margin)} over the limit`;
  return { rate, target, margin, level, text: `${pct(rate)} of ${pct(target, 0)} allowed · ${left} in the ${windowName(window)} window (${abandons} of ${liveAnswers} answered)` };
}

/** Why the engine dialed what it dialed on its last tick, as a supervisor would say it. */
export function pacingSentence(stats: CampaignStats): string {
  const r = stats.reasons;
  const window = windowName(stats.abandonRate.window);
  const active = r.readyAgents + r.busyAgents;
  switch (r.boundBy) {
    case 'preview':
      return 'Preview: agents dial each call themselves; the engine places none.';
    case 'noAgents':
      return `Not dialing: no agent is ready or on a call${r.pausedAgents ? ` (${r.pausedAgents} paused)` : ''}.`;
    case 'lineCap':
      return `At the maximum dial ratio: ${r.linesInFlight} lines for ${active} agent${active === 1 ? '' : 's'} (cap ${r.lineCap}).`;
    case 'abandonFallback':
      if (r.windowLiveAnswers === 0) return `Holding back: no call answered yet in the ${window} window, so no abandon fits under the ${pct(r.abandonTarget, 0)} target — one line per free agent until calls are answered.`;
      return r.abandonMargin <= 1
        ? `Holding back: ${abandonsWord(Math.max(0, r.abandonMargin))} of margin left in the ${window} window — one line per free agent until it recovers.`
        : `Slowing down: ${abandonsWord(r.abandonMargin)} of margin left in the ${window} window.`;
    case 'risk':
      return `Dialing ahead of free agents: the next call has a ${pct(r.lastCallAbandonRisk)} chance of finding no agent (the engine accepts ${pct(r.riskThreshold)}).`;
    case 'mode':
      if (r.mode === 'progressive') return `Progressive: one line per free agent (${r.readyAgents} ready).`;
      if (r.mode === 'ratio') return `Fixed ratio: lines per ready agent as set on the campaign (${r.readyAgents} ready).`;
      return `Predictive at progressive pace: no extra line is safe now (${r.readyAgents} ready, ${r.waitingCalls} waiting).`;
  }
}

const STATE_WHY: Record<string, string> = {
  draft: 'Not started yet.',
  paused: 'Paused by a supervisor.',
  finished: 'Finished.',
};

/** When the campaign dials nothing, why; null while it dials (or has calls up). */
export function whyNothingDials(state: string, stats: CampaignStats | null): string | null {
  if (state !== 'running') return STATE_WHY[state] ?? `The campaign is ${state}.`;
  if (!stats) return 'Waiting for the engine\'s first decision.';
  if (stats.linesInFlight > 0 || stats.waiting > 0 || stats.dialedNow > 0) return null;
  const r = stats.reasons;
  if (r.boundBy === 'preview') return null;
  if (r.boundBy === 'noAgents') return r.pausedAgents ? `No agent is ready: ${r.pausedAgents} paused.` : 'No agent is logged in and ready.';
  if (r.readyAgents === 0) return 'Every agent is on a call, in wrap-up or paused.';
  if (r.boundBy === 'abandonFallback' && r.abandonMargin <= 0) return 'The abandon window is at its limit.';
  return 'No account may be called now (calling windows, retry delays or an empty list).';
}

/** Below this much agent time a rate per agent-hour says more about chance than about the floor. */
export const MIN_AGENT_SEC_FOR_RATES = 15 * 60;

/** Utilization and rates per agent-hour from today's figures; null until a quarter agent-hour is logged. */
export function dayRates(today: CampaignDay, rightPartyContacts: number | null): { utilization: number | null; connectsPerHour: number | null; rpcPerHour: number | null } {
  const hours = today.agentSec / 3600;
  if (today.agentSec < MIN_AGENT_SEC_FOR_RATES) return { utilization: null, connectsPerHour: null, rpcPerHour: null };
  return { utilization: today.talkSec / today.agentSec, connectsPerHour: today.connects / hours, rpcPerHour: rightPartyContacts === null ? null : rightPartyContacts / hours };
}

const BOUND_WORDS: Record<WhatIfEstimate['bound'], string> = {
  maxRatio: 'held by the maximum ratio',
  risk: 'held by the abandon limit, not the ratio',
  mode: 'the dial mode sets the pace',
  abandonFallback: 'the window has no margin: one line per free agent',
};

/** What the engine expects of a proposed ratio, in one sentence. */
export function whatIfSentence(r: WhatIfResult): string {
  const { current: a, proposed: b } = r;
  const same = Math.abs(a.abandonRate - b.abandonRate) < 5e-4 && Math.abs(a.utilization - b.utilization) < 5e-4;
  if (same) return `No change expected at ${b.maxDialRatio}: ${BOUND_WORDS[b.bound]} (${b.linesPerAgent.toFixed(2)} lines per agent).`;
  return (
    `At ${b.maxDialRatio} instead of ${a.maxDialRatio}: abandons ${pct(a.abandonRate)} → ${pct(b.abandonRate)}, ` +
    `utilization ${pct(a.utilization, 0)} → ${pct(b.utilization, 0)}; the window in an hour ${pct(b.windowRateInAnHour)} (target ${pct(r.assumptions.abandonTarget, 0)}).`
  );
}

export type Thresholds = { pausedSec: number; wrapUpSec: number; readySec: number };
export const DEFAULT_THRESHOLDS: Thresholds = { pausedSec: 10 * 60, wrapUpSec: 60, readySec: 5 * 60 };

/** An agent's state past its threshold: paused too long, wrap-up too long, idle (ready) too long. */
export function overThreshold(status: AgentStatus, secInState: number, t: Thresholds = DEFAULT_THRESHOLDS): boolean {
  const limit = thresholdFor(status, t);
  return limit !== null && secInState > limit;
}

/** The seconds in a state past which the agent is over its threshold; null for states without one (on a call, reserved). */
export function thresholdFor(status: AgentStatus, t: Thresholds = DEFAULT_THRESHOLDS): number | null {
  if (status === 'paused') return t.pausedSec;
  if (status === 'wrap_up') return t.wrapUpSec;
  if (status === 'ready') return t.readySec;
  return null;
}

/** `0:45`, `12:05`, `1 h 02`. */
export function duration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * How fresh the board is: the age of the newest event, and whether updates have stopped. A
 * running campaign reports at every pacing tick, so silence then (or a lost socket) is stale;
 * with nothing running, silence is normal.
 */
export function freshness(lastEventAt: number, now: number, o: { connected: boolean; expecting: boolean; staleAfterMs?: number }): { stale: boolean; text: string } {
  const age = lastEventAt ? Math.max(0, (now - lastEventAt) / 1000) : null;
  const ageText = age === null ? 'no update yet' : age < 1 ? 'updated just now' : `updated ${duration(age)} ago`;
  if (!o.connected) return { stale: true, text: `Not connected to the dialer — ${ageText}` };
  if (o.expecting && (age === null || age * 1000 > (o.staleAfterMs ?? 5000))) return { stale: true, text: `Updates stopped — ${ageText}` };
  return { stale: false, text: ageText[0].toUpperCase() + ageText.slice(1) };
}
