import type { AgentStatus } from '../../../protocol/socket-protocol';

export type { AgentStatus };

export type LiveAgent = {
  id: number;
  username: string;
  status: AgentStatus;
  /** epoch ms the agent entered this status: "longest waiting" is the smallest `since` among ready agents */
  since: number;
  campaignId: string | null;
  pauseReason: string | null;
  attemptId: string | null;
  /** The agent's login call into their own conference (with a real Asterisk), once placed. */
  legId?: string | null;
  /**
   * True while the PBX has not shown that leg up (just placed, gone with a PBX restart, or
   * never placed): the agent takes no call then, since a debtor sent to an empty conference
   * hears the abandon message. Absent on agents that never had a leg asked for.
   */
  legDown?: boolean;
  /** epoch ms the current leg was asked for: a leg younger than a few seconds may not be listed yet */
  legPlacedAt?: number;
};

const ALLOWED: Record<AgentStatus, AgentStatus[]> = {
  logged_out: ['ready', 'paused'],
  ready: ['reserved', 'on_call', 'paused', 'logged_out'],
  reserved: ['on_call', 'ready', 'logged_out'],
  on_call: ['wrap_up', 'logged_out'],
  wrap_up: ['ready', 'paused', 'logged_out'],
  paused: ['ready', 'logged_out'],
};

export class AgentStateError extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(from: AgentStatus, to: AgentStatus) {
    super(`an agent cannot go from ${from} to ${to}`);
    this.name = 'AgentStateError';
  }
}

/** The agent after a status change; throws when the change makes no sense (ready while on a call). */
export function transition(agent: LiveAgent, to: AgentStatus, at: number, patch: Partial<LiveAgent> = {}): LiveAgent {
  if (agent.status !== to && !ALLOWED[agent.status].includes(to)) throw new AgentStateError(agent.status, to);
  return {
    ...agent,
    ...patch,
    status: to,
    since: agent.status === to ? agent.since : at,
    pauseReason: to === 'paused' ? (patch.pauseReason ?? agent.pauseReason ?? 'break') : null,
    attemptId: to === 'reserved' || to === 'on_call' || to === 'wrap_up' ? (patch.attemptId ?? agent.attemptId) : null,
  };
}
