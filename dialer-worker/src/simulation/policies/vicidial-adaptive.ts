import type { PacingSnapshot } from '../../pacing/pacing-types';
import type { RollingStats } from '../../pacing/rolling-stats';
import type { DialPolicy, PolicyDecision } from './dial-policy';

export interface VicidialAdaptiveOptions {
  /** adaptive_maximum_level */
  maximumLevel: number;
  /** adaptive_dropped_percentage, as a fraction */
  droppedTarget: number;
  /** available_only_ratio_tally: count only ready agents in the level's base */
  availableOnlyTally: boolean;
}

/**
 * VICIdial's ADAPT_HARD_LIMIT, re-implemented from its published control law
 * (AST_VDadapt.pl, see research/vicidial.md §2): sample ready agents and waiting calls every
 * second; every 15 s, level ← level·(1 + (avg ready − avg waiting)/avg agents), clamped to
 * [1, maximum]; once today's drops/answers exceed the target after 50 calls, level ← 1.
 * Lines = round(level × agents) − active calls, where active calls include calls in
 * flight, waiting and talking (as vicidial_auto_calls does).
 */
export class VicidialAdaptivePolicy implements DialPolicy {
  readonly name = 'vicidial-adaptive';
  private level = 1;
  private readySamples: number[] = [];
  private waitingSamples: number[] = [];
  private totalSamples: number[] = [];
  private lastSampleMs = -Infinity;
  private lastAdaptMs = -Infinity;
  private callsToday = 0;
  private readonly o: VicidialAdaptiveOptions;

  constructor(options: Partial<VicidialAdaptiveOptions> = {}) {
    this.o = { maximumLevel: 3, droppedTarget: 0.03, availableOnlyTally: false, ...options };
  }

  startShift(): void {
    this.callsToday = 0;
  }

  decide(snapshot: PacingSnapshot, stats: RollingStats): PolicyDecision {
    let ready = 0;
    let talking = 0;
    let active = 0;
    for (const a of snapshot.agents) {
      if (a.state === 'paused') continue;
      active += 1;
      if (a.state === 'ready') ready += 1;
      if (a.state === 'talking') talking += 1;
    }
    const waiting = snapshot.waitingCalls.length;
    const now = snapshot.nowMs;
    if (now - this.lastSampleMs >= 1000) {
      this.lastSampleMs = now;
      this.readySamples.push(ready);
      this.waitingSamples.push(waiting);
      this.totalSamples.push(active);
      if (this.readySamples.length > 15) {
        this.readySamples.shift();
        this.waitingSamples.shift();
        this.totalSamples.shift();
      }
    }
    if (now - this.lastAdaptMs >= 15_000 && this.readySamples.length > 0) {
      this.lastAdaptMs = now;
      const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const avgTotal = avg(this.totalSamples);
      const differential = avg(this.readySamples) - avg(this.waitingSamples);
      if (avgTotal > 0) this.level *= 1 + differential / avgTotal;
      this.level = Math.min(this.o.maximumLevel, Math.max(1, this.level));
      const today = stats.windowCounts(now, 24);
      if (this.callsToday > 50 && today.liveAnswers > 0 && today.abandons / today.liveAnswers > this.o.droppedTarget) this.level = 1;
    }
    const base = this.o.availableOnlyTally ? ready : active;
    const activeCalls = snapshot.callsInFlight.length + waiting + talking;
    const dials = Math.max(0, Math.round(this.level * base) - activeCalls);
    this.callsToday += dials;
    return { dials, reservedDials: 0 };
  }
}
