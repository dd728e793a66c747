import type { LiveAgent } from '../live/agent-state';
import type { CampaignStats } from '../../../protocol/campaign-stats';
import type { CallEndedPayload, ScreenPop } from '../../../protocol/socket-protocol';

export type { CallEndedPayload, CampaignStats, ScreenPop };

/** What the dialing core tells browsers. The Socket.IO server implements it; tests may record it. */
export interface RealtimeEvents {
  agentState(agent: LiveAgent): void;
  screenPop(agentId: number, pop: ScreenPop): void;
  callEnded(agentId: number, info: CallEndedPayload): void;
  campaignStats(campaignId: string, stats: CampaignStats): void;
}
