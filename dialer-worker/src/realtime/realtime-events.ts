import type { LiveAgent } from '../live/agent-state';

export type ScreenPop = { attemptId: string; accountDocumentId: string; phone: string; campaignId: string; callbackDocumentId: string | null; bridgedAt: string };

/** What the dialing core tells browsers. The Socket.IO server implements it; tests may record it. */
export interface RealtimeEvents {
  agentState(agent: LiveAgent): void;
  screenPop(agentId: number, pop: ScreenPop): void;
  callEnded(agentId: number, info: { attemptId: string; outcome: string; endedAt: string }): void;
  campaignStats(campaignId: string, stats: Record<string, unknown>): void;
}
