import { RollingStats, type AttemptOutcome } from '../pacing';
import type { LiveStore } from '../live/live-store';

export type StatsStore = Pick<LiveStore, 'stats' | 'putStats'>;

/**
 * The pacing statistics of each campaign, in memory for the engine and in
 * Redis for the next worker: written back after every change, so a restart
 * loses at most the change in flight.
 *
 * One flush runs at a time. A failed write is logged and its campaign stays
 * dirty, so the next change (or `settled()`) writes it again: a Redis hiccup
 * costs a late save, never every save after it.
 */
export class CampaignStatsBook {
  private readonly book = new Map<string, RollingStats>();
  private readonly dirty = new Set<string>();
  private flushing: Promise<void> | null = null;
  private again = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly live: StatsStore,
    private readonly log: (message: string, extra?: Record<string, unknown>) => void = () => undefined,
    /** A failed save is tried again after this long even if nothing changes meanwhile. */
    private readonly retryMs = 1000,
  ) {}

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
    this.schedule();
  }

  /** Starts a flush, or asks the running one to go round again; never rejects. */
  private schedule(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.flush();
      } while (this.again && this.dirty.size > 0);
    };
    this.flushing = run().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Writes every dirty campaign; one that fails is logged and stays dirty for the next flush. */
  async flush(): Promise<void> {
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      const stats = this.book.get(id);
      if (!stats) continue;
      try {
        await this.live.putStats(id, JSON.stringify(stats));
      } catch (error) {
        this.dirty.add(id);
        this.log('saving pacing statistics failed; kept for the next save', { campaignId: id, error: (error as Error).message });
        this.retryLater();
      }
    }
  }

  private retryLater(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.schedule();
    }, this.retryMs);
    this.retry.unref();
  }

  /** Stops the background retry (shutdown); `settled()` still makes one last attempt. */
  stop(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
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

  /** Resolves once every change so far has had one more attempt at being saved. */
  settled(): Promise<void> {
    return this.dirty.size > 0 || this.flushing ? this.schedule() : Promise.resolve();
  }

  /** Campaigns whose last save failed and which wait for the next one. */
  unsaved(): string[] {
    return [...this.dirty];
  }
}
