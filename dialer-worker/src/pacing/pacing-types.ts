import type { DialMode, PacingBound, PacingReasons } from '../../../protocol/campaign-stats';

/**
 * The data the pacing engine reads and writes. These types are the contract between the
 * engine and whoever drives it: the simulator now, the live Bull/AMI worker next. Times in
 * the snapshot are elapsed seconds measured by the caller, so the engine never reads a clock.
 */

export type AgentState = 'ready' | 'talking' | 'wrap' | 'paused';

export interface AgentSnapshot {
  id: string;
  state: AgentState;
  /** seconds spent in the current state */
  stateSec: number;
  /** a ready agent held for a consent-less call in flight: it takes no other call */
  reservedForCallId?: string;
  /**
   * Seconds left in the current state (talk or wrap-up), known exactly. Nothing live knows
   * this: only the simulator sets it, for the benchmark's information bound (`--reveal`),
   * which measures what perfect knowledge of agents would be worth to the same rule.
   */
  revealedStateLeftSec?: number;
}

export interface CallInFlight {
  id: string;
  /** seconds since the dial was sent (post-dial delay and ringing included) */
  elapsedSec: number;
  /** false: the phone has no autodial consent and this call was dialed with an agent reserved */
  autodialConsent: boolean;
  reservedAgentId?: string;
  /** Seconds until this call turns live, Infinity if it never will: the simulator's information bound only. */
  revealedLiveInSec?: number;
}

/** A live answer that no agent has taken yet; it is abandoned when the drop window runs out. */
export interface WaitingCall {
  id: string;
  waitingSec: number;
}

export interface PacingSnapshot {
  /** epoch milliseconds of the snapshot; used only to read the rolling abandon window */
  nowMs: number;
  agents: AgentSnapshot[];
  callsInFlight: CallInFlight[];
  waitingCalls: WaitingCall[];
  /** dialable phones without autodial consent waiting in the hopper (0 when unknown) */
  pendingConsentless?: number;
}

export type { DialMode };

export interface PacingSettings {
  mode: DialMode;
  /** abandoned / live-answered allowed per window, e.g. 0.03 */
  abandonTarget: number;
  /** lines in flight never exceed this many per logged-in, non-paused agent */
  maxLinesPerAgent: number;
  /** seconds a live answer may wait for an agent before it counts as abandoned */
  dropWindowSec: number;
  /** ratio mode: lines per ready agent */
  ratio?: number;
  /** hours of the compliance window: 720 (US, 30 days) or 24 (UK) */
  abandonWindowHours: number;
}

/** The engine's reasons travel to supervisors as they are, so they are part of the socket protocol. */
export type DecisionBound = PacingBound;
export type DecisionReasons = PacingReasons;

export interface DialDecision {
  /** numbers with autodial consent to dial now */
  dials: number;
  /** numbers without consent to dial now, each with one idle agent reserved for it */
  reservedDials: number;
  reasons: DecisionReasons;
}
