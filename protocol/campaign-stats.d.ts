import type { NothingToDial } from './hopper-item';
import type { AgentStatus } from './socket-protocol';

export type DialMode = 'preview' | 'progressive' | 'ratio' | 'predictive';

/** Which rule set the number of lines the pacing engine dialed. */
export type PacingBound = 'preview' | 'noAgents' | 'mode' | 'risk' | 'lineCap' | 'abandonFallback';

/** Why the pacing engine dialed what it dialed on a tick, as it decided it. */
export interface PacingReasons {
  mode: DialMode;
  boundBy: PacingBound;
  readyAgents: number;
  busyAgents: number;
  pausedAgents: number;
  linesInFlight: number;
  waitingCalls: number;
  /** agents expected free when the next new call would be answered (mean over answer times) */
  expectedAgentsFreeAtConnect: number;
  /** live answers expected from the calls in flight plus the new dials */
  expectedLiveAnswers: number;
  /** probability that the last new call, if answered live, finds no agent */
  lastCallAbandonRisk: number;
  /** risk the engine accepted for one more call (predictive mode) */
  riskThreshold: number;
  /** the compliance window as seen now */
  windowLiveAnswers: number;
  windowAbandons: number;
  windowAbandonRate: number;
  abandonTarget: number;
  /** abandons the window can still take before its rate crosses the target */
  abandonMargin: number;
  lineCap: number;
}

/** `campaign:stats`: a running campaign after each pacing tick, for the supervisors watching it. */
export type CampaignStats = {
  campaignId: string;
  /** ISO time of the tick */
  at: string;
  /** agents on the campaign by status */
  agents: Partial<Record<AgentStatus, number>>;
  linesInFlight: number;
  waiting: number;
  /** seconds the longest-waiting live answer has waited for an agent (0 when none waits) */
  longestWaitSec: number;
  /** lines in flight per agent not paused */
  dialLevel: number;
  dialedNow: number;
  /** the compliance window (hours) and what it holds now */
  abandonRate: { window: number; liveAnswers: number; abandons: number };
  reasons: PacingReasons;
  /** cms's word on the last hopper refill: why nothing dials, or null while something does. */
  nothingToDial: NothingToDial | null;
  /**
   * Phones cms has cleared to dial that the worker holds for this campaign now (its hopper, refilled
   * from cms as it runs low, at most 200); null before the first refill. Absent from older workers.
   */
  hopper?: number | null;
  /** today (UTC) on this campaign so far */
  today: CampaignDay;
  /** inbound callers routed to this campaign today (UTC); absent from a worker that takes no inbound calls */
  inbound?: InboundQueueStats;
};

/** An inbound queue's figures, as the wallboard shows them. */
export type InboundQueueStats = {
  /** callers waiting for an agent now */
  waiting: number;
  /** seconds the longest-waiting caller has waited (0 when none waits) */
  longestWaitSec: number;
  /** callers who entered the queue */
  offered: number;
  answered: number;
  /** callers who hung up while waiting */
  abandoned: number;
  /** answered within the threshold ÷ (answered + abandoned); null before any call is decided */
  serviceLevel: number | null;
  serviceLevelThresholdSec: number;
  /** average speed of answer over answered calls, seconds; null before any */
  asaSec: number | null;
};

/** `campaign:dialing`: sent to each agent on a running campaign when what it has to dial changes; `nothingToDial` null means calls can come. */
export type CampaignDialing = { campaignId: string; checkedAt: string; nothingToDial: NothingToDial | null };

/** An agent's day so far (UTC): connected calls and talk seconds. */
export type AgentDay = { calls: number; talkSec: number };

/** A campaign's day so far (UTC): agent seconds logged in on it (not paused included), talk seconds, connects. */
export type CampaignDay = { agentSec: number; talkSec: number; connects: number };
