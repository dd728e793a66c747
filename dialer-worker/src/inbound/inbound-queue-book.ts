import type { InboundQueueStats } from '../../../protocol/campaign-stats';
import { queueStats, type QueuedCaller } from './queue-stats';
import { ArrivalRate } from './inbound-reservation';

const DAY_MS = 86_400_000;

/**
 * Today's inbound callers per campaign of their group, for the wallboard's queue figures. A
 * caller routed to several campaigns is counted on each (each card shows the callers its agents
 * could take). Held in this worker's memory: a restart starts the day's figures afresh, and two
 * workers each count the callers they took in (the calls themselves are in Redis and cms).
 */
export class InboundQueueBook {
  private readonly callers = new Map<string, QueuedCaller>();
  private readonly byCampaign = new Map<string, Set<string>>();
  private readonly arrivals = new Map<string, ArrivalRate>();

  constructor(private readonly simSpeed = 1) {}

  entered(attemptId: string, campaignIds: string[], at: number): void {
    if (this.callers.has(attemptId)) return;
    this.callers.set(attemptId, { enteredAt: at, answeredAt: null, abandonedAt: null });
    for (const id of campaignIds) {
      let rate = this.arrivals.get(id);
      if (!rate) this.arrivals.set(id, (rate = new ArrivalRate(600)));
      rate.arrived(this.simSec(at));
      let set = this.byCampaign.get(id);
      if (!set) this.byCampaign.set(id, (set = new Set()));
      set.add(attemptId);
    }
  }

  answered(attemptId: string, at: number): void {
    const c = this.callers.get(attemptId);
    if (c && c.answeredAt === null && c.abandonedAt === null) c.answeredAt = at;
  }

  abandoned(attemptId: string, at: number): void {
    const c = this.callers.get(attemptId);
    if (c && c.answeredAt === null && c.abandonedAt === null) c.abandonedAt = at;
  }

  private simSec(ms: number): number {
    return (ms / 1000) * this.simSpeed;
  }

  /** Inbound callers per simulated second routed to the campaign lately (0 when none came). */
  arrivalsPerSec(campaignId: string, now: number): number {
    return this.arrivals.get(campaignId)?.perSec(this.simSec(now)) ?? 0;
  }

  /** The campaign's figures now; null when no caller was routed to it today. */
  stats(campaignId: string, now: number): InboundQueueStats | null {
    this.prune(now);
    const ids = this.byCampaign.get(campaignId);
    if (!ids?.size) return null;
    return queueStats([...ids].map((id) => this.callers.get(id)!), now, undefined, this.simSpeed);
  }

  /** Yesterday's decided callers go; a caller still waiting across midnight stays until decided. */
  private prune(now: number): void {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    for (const [id, c] of this.callers) {
      const decidedAt = c.answeredAt ?? c.abandonedAt;
      if (decidedAt === null || c.enteredAt >= today) continue;
      this.callers.delete(id);
      for (const set of this.byCampaign.values()) set.delete(id);
    }
  }
}
