import type { DialMode } from './campaign-stats';

/** What bounds the dialing level in an estimate: the maximum ratio, the abandon risk the engine accepts, or the mode itself. */
export type WhatIfBound = 'maxRatio' | 'risk' | 'mode' | 'abandonFallback';

/** The engine's expectation at one maximum dial ratio, for the floor as it is now. */
export type WhatIfEstimate = {
  maxDialRatio: number;
  /** lines in flight per active agent the engine would average */
  linesPerAgent: number;
  /** share of live answers expected to find no agent within the drop window */
  abandonRate: number;
  /** talk time over logged-in time */
  utilization: number;
  /** live connects per agent-hour */
  connectsPerAgentHour: number;
  /** the compliance window's rate after one more hour at this level */
  windowRateInAnHour: number;
  bound: WhatIfBound;
};

/** `campaign:what-if`: the engine's expectation at the current and at a proposed maximum ratio, and what it assumed. */
export type WhatIfResult = {
  campaignId: string;
  mode: DialMode;
  current: WhatIfEstimate;
  proposed: WhatIfEstimate;
  assumptions: {
    activeAgents: number;
    liveRate: number;
    meanAttemptSec: number;
    meanTalkSec: number;
    meanWrapSec: number;
    abandonTarget: number;
    windowLiveAnswers: number;
    windowAbandons: number;
  };
};
