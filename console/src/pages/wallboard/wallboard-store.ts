import type { CampaignStats } from '@protocol/campaign-stats';
import type { AgentStatePayload, WatchedAgent } from '@protocol/socket-protocol';

export type TrendPoint = { at: number; campaignId: string; abandonRate: number; utilization: number | null; dialLevel: number };

type Slice = 'agents' | 'stats' | 'trends';

/** One trend point per campaign at most this often; the last hours at that pace. */
const TREND_STEP_MS = 10_000;
const TREND_SPAN_MS = 4 * 3_600_000;

/**
 * Agent changes are told at most this often, on an animation frame: a hundred agents change
 * 15–20 times a second, and a frame per change (the rows re-sorted, re-laid out and repainted
 * each time) kept the main thread busy. The first change after a quiet spell goes on the next frame.
 */
const AGENT_FLUSH_MS = 100;

/** Pacing ticks come five times a second per campaign; cards and charts need a second's resolution. */
const SLOW_SLICE_MS = 1000;

/**
 * What the wallboard knows, kept outside React and changed by the worker's pushes (agent
 * state deltas, pacing ticks). Each part of the page subscribes to its slice: agent changes
 * are told on an animation frame at most every AGENT_FLUSH_MS (a burst paints once), ticks at
 * most once a second.
 */
export class WallboardStore {
  readonly agents = new Map<number, WatchedAgent>();
  readonly stats = new Map<string, CampaignStats>();
  readonly trends = new Map<string, TrendPoint[]>();
  lastEventAt = 0;
  private readonly versions: Record<Slice, number> = { agents: 0, stats: 0, trends: 0 };
  private readonly listeners: Record<Slice, Set<() => void>> = { agents: new Set(), stats: new Set(), trends: new Set() };
  private readonly pending = new Set<Slice>();
  private frame: number | null = null;
  private lastAgentFlush = -Infinity;
  private slowTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly schedule: (run: () => void) => unknown = (run) => requestAnimationFrame(run),
    private readonly later: (run: () => void, ms: number) => ReturnType<typeof setTimeout> = (run, ms) => setTimeout(run, ms),
  ) {}

  /** The campaign's agents by state, as a stable string: a card re-renders only when it changes. */
  countsKey(campaignId: string): string {
    const counts: Record<string, number> = {};
    for (const a of this.agents.values()) if (a.campaignId === campaignId) counts[a.status] = (counts[a.status] ?? 0) + 1;
    return JSON.stringify(counts);
  }

  version(slice: Slice): number {
    return this.versions[slice];
  }

  subscribe(slice: Slice, listener: () => void): () => void {
    this.listeners[slice].add(listener);
    return () => this.listeners[slice].delete(listener);
  }

  /** The answer to campaign:watch: the campaign's agents and last tick. */
  seed(campaignId: string, last: CampaignStats | null, agents: WatchedAgent[]): void {
    for (const a of [...this.agents.values()]) if (a.campaignId === campaignId && !agents.some((b) => b.id === a.id)) this.agents.delete(a.id);
    for (const a of agents) this.agents.set(a.id, a);
    this.changed('agents');
    if (last) this.onStats(last);
  }

  onAgent(state: AgentStatePayload | WatchedAgent): void {
    this.lastEventAt = this.now();
    if (state.status === 'logged_out') this.agents.delete(state.id);
    else {
      const known = this.agents.get(state.id);
      // A watcher's payload carries the call's account and the day; keep the last known if a plain one comes.
      this.agents.set(state.id, { accountNumber: null, today: known?.today ?? { calls: 0, talkSec: 0 }, ...state });
    }
    this.changed('agents');
  }

  onStats(stats: CampaignStats): void {
    this.lastEventAt = this.now();
    this.stats.set(stats.campaignId, stats);
    this.changed('stats');
    const at = Date.parse(stats.at);
    const points = this.trends.get(stats.campaignId) ?? [];
    const last = points[points.length - 1];
    if (!last || at - last.at >= TREND_STEP_MS) {
      const { liveAnswers, abandons } = stats.abandonRate;
      points.push({
        at,
        campaignId: stats.campaignId,
        abandonRate: liveAnswers > 0 ? abandons / liveAnswers : 0,
        utilization: stats.today.agentSec > 0 ? stats.today.talkSec / stats.today.agentSec : null,
        dialLevel: stats.dialLevel,
      });
      while (points.length && points[0].at < at - TREND_SPAN_MS) points.shift();
      this.trends.set(stats.campaignId, points);
      this.changed('trends');
    }
  }

  /** Forgets a campaign no longer listed (scope changed, deleted). */
  drop(campaignId: string): void {
    for (const a of [...this.agents.values()]) if (a.campaignId === campaignId) this.agents.delete(a.id);
    this.stats.delete(campaignId);
    this.trends.delete(campaignId);
    this.changed('agents');
    this.changed('stats');
    this.changed('trends');
  }

  private changed(slice: Slice): void {
    this.versions[slice]++;
    this.pending.add(slice);
    if (slice === 'agents') {
      if (this.frame !== null) return;
      this.frame = 1;
      const onFrame = () => {
        this.frame = null;
        this.lastAgentFlush = this.now();
        this.flush(['agents']);
      };
      const wait = this.lastAgentFlush + AGENT_FLUSH_MS - this.now();
      if (wait <= 0) this.schedule(onFrame);
      else this.later(() => this.schedule(onFrame), wait);
    } else if (this.slowTimer === null) {
      this.slowTimer = this.later(() => {
        this.slowTimer = null;
        this.flush(['stats', 'trends']);
      }, SLOW_SLICE_MS);
    }
  }

  private flush(slices: Slice[]): void {
    for (const s of slices) {
      if (!this.pending.delete(s)) continue;
      for (const l of this.listeners[s]) l();
    }
  }
}
