import type { LiveAgent } from './agent-state';

/** A stretch of time an agent spent in one state on one campaign, as cms records it (PUT /api/agent-intervals/:intervalId). */
export type AgentInterval = {
  intervalId: string;
  agentId: number;
  campaign: string | null;
  status: Exclude<LiveAgent['status'], 'logged_out'>;
  pauseReason: string | null;
  startedAt: string;
  endedAt: string;
};

const DAY_MS = 86_400_000;

/**
 * The intervals an agent change closes: the previous state, from when it began to when the new
 * one begins. Keyed by agent and start time, so the same change reported twice (a retry, two
 * workers) is one record in cms. Longer than a day is sent as day-long pieces (cms's bound).
 */
export function endedIntervals(prev: LiveAgent | null, next: LiveAgent): AgentInterval[] {
  if (!prev || prev.status === 'logged_out' || prev.id !== next.id) return [];
  const unchanged = prev.status === next.status && prev.campaignId === next.campaignId && prev.since === next.since;
  if (unchanged || !(next.since > prev.since)) return [];
  const out: AgentInterval[] = [];
  for (let start = prev.since, k = 0; start < next.since; start += DAY_MS, k++) {
    const end = Math.min(next.since, start + DAY_MS);
    out.push({
      intervalId: `a${prev.id}-${prev.since}${k ? `-${k}` : ''}`,
      agentId: prev.id,
      campaign: prev.campaignId,
      status: prev.status,
      pauseReason: prev.status === 'paused' ? prev.pauseReason : null,
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(end).toISOString(),
    });
  }
  return out;
}
