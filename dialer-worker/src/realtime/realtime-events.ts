import type { NothingToDial } from '../cms/cms-client';
import type { LiveAgent } from '../live/agent-state';

/** Sent to each agent on a running campaign when what it has to dial changes: `nothingToDial` null means calls can come. */
export type CampaignDialing = { campaignId: string; checkedAt: string; nothingToDial: NothingToDial | null };

export type ScreenPop = { attemptId: string; accountDocumentId: string; phone: string; campaignId: string; callbackDocumentId: string | null; bridgedAt: string };

/** What the dialing core tells browsers. The Socket.IO server implements it; tests may record it. */
export interface RealtimeEvents {
  agentState(agent: LiveAgent): void;
  screenPop(agentId: number, pop: ScreenPop): void;
  callEnded(agentId: number, info: { attemptId: string; outcome: string; endedAt: string }): void;
  campaignStats(campaignId: string, stats: Record<string, unknown>): void;
  campaignDialing(agentId: number, info: CampaignDialing): void;
}
