import { RollingStats, type AttemptOutcome } from '../pacing';
import type { LiveStore } from '../live/live-store';

/**
 * The pacing statistics of each campaign, in memory for the engine and in
 * Redis for the next worker: written back after every change, so a restart
 * loses at most the change in flight.
 */
export class CampaignStatsBook {
  private readonly book = new Map<string, RollingStats>();
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly live: LiveStore) {}

  async load(campaignId: string, options: { abandonTarget: number; windowHours: number }): Promise<RollingStats> {
    let stats = this.book.get(campaignId);
    if (!stats) {
      const saved = await this.live.stats(campaignId);
      stats = saved ? RollingStats.fromJSON(saved) : new RollingStats(options);
      this.book.set(campaignId, stats);
    }
    return stats;
  }

  get(campaignId: string): RollingStats | undefined {
    return this.book.get(campaignId);
  }

  private touch(campaignId: string): void {
    this.dirty.add(campaignId);
    this.flushing = this.flushing.then(() => this.flush());
  }

  async flush(): Promise<void> {
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      const stats = this.book.get(id);
      if (stats) await this.live.putStats(id, JSON.stringify(stats));
    }
  }

  recordAttempt(campaignId: string, outcome: AttemptOutcome, resolveSec: number): void {
    this.book.get(campaignId)?.recordAttempt(outcome, resolveSec);
    this.touch(campaignId);
  }

  recordTalk(campaignId: string, seconds: number): void {
    this.book.get(campaignId)?.recordTalk(seconds);
    this.touch(campaignId);
  }

  recordWrap(campaignId: string, seconds: number): void {
    this.book.get(campaignId)?.recordWrap(seconds);
    this.touch(campaignId);
  }

  recordLive(campaignId: string, atMs: number, abandoned: boolean): void {
    this.book.get(campaignId)?.recordLiveOutcome(atMs, abandoned);
    this.touch(campaignId);
  }

  settled(): Promise<void> {
    return this.flushing;
  }
}
