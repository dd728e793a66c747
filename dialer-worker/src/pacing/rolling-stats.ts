import { AbandonFeedbackState, initialAbandonFeedback, updateAbandonFeedback } from './abandon-feedback';

/**
 * Everything the engine learns from what already happened on a campaign: outcomes of recent
 * attempts and how long they took to resolve, recent talk and wrap-up durations, live answers
 * and abandons per hour (the compliance ledger) and the abandon feedback loop. It is fed
 * events with their own timestamps and never reads a clock; its state is plain JSON so the
 * live worker can keep it in Redis and a restart (or a second worker) carries on from it.
 */

export type AttemptOutcome = 'live' | 'machine' | 'busy' | 'invalid' | 'no_answer' | 'failed';

export interface RollingStatsOptions {
  /** the campaign's abandon limit, e.g. 0.03 */
  abandonTarget: number;
  /** share of the limit the feedback loop aims at; the rest is headroom for noise */
  setpointFraction: number;
  /** length of the compliance window: 720 h (US, 30 days) or 24 h (UK) */
  windowHours: number;
  /** how many recent attempts inform the outcome model */
  attemptCapacity: number;
  /** how many recent talk and wrap samples inform the agent model */
  durationCapacity: number;
}

export const DEFAULT_STATS_OPTIONS: RollingStatsOptions = {
  abandonTarget: 0.03,
  setpointFraction: 0.8,
  windowHours: 720,
  attemptCapacity: 1500,
  durationCapacity: 600,
};

interface Ring {
  values: number[];
  next: number;
}

export interface RollingStatsState {
  version: 1;
  options: RollingStatsOptions;
  /** bumps whenever the samples moved enough that a cached model should be rebuilt */
  revision: number;
  samplesSinceRevision: number;
  attemptLive: Ring;
  /** how many of the attempts in the ring reached a live person */
  attemptLiveCount: number;
  attemptSec: Ring;
  talkSec: Ring;
  wrapSec: Ring;
  /** hourly ledger: [bucket start epoch ms, live answers, abandons] */
  buckets: [number, number, number][];
  feedback: AbandonFeedbackState;
}

const HOUR_MS = 3_600_000;

/** Stores a value, returning the one it overwrote (0 while the ring is filling). */
function pushRing(ring: Ring, capacity: number, value: number): number {
  let old = 0;
  if (ring.values.length < capacity) ring.values.push(value);
  else {
    old = ring.values[ring.next];
    ring.values[ring.next] = value;
  }
  ring.next = (ring.next + 1) % capacity;
  return old;
}

export interface WindowCounts {
  liveAnswers: number;
  abandons: number;
}

export class RollingStats {
  readonly state: RollingStatsState;

  constructor(options: Partial<RollingStatsOptions> = {}, state?: RollingStatsState) {
    this.state = state ?? {
      version: 1,
      options: { ...DEFAULT_STATS_OPTIONS, ...options },
      revision: 0,
      samplesSinceRevision: 0,
      attemptLive: { values: [], next: 0 },
      attemptLiveCount: 0,
      attemptSec: { values: [], next: 0 },
      talkSec: { values: [], next: 0 },
      wrapSec: { values: [], next: 0 },
      buckets: [],
      feedback: initialAbandonFeedback(),
    };
  }

  static fromJSON(json: RollingStatsState | string): RollingStats {
    const state = typeof json === 'string' ? (JSON.parse(json) as RollingStatsState) : json;
    if (state.version !== 1) throw new Error(`unknown rolling stats version ${String(state.version)}`);
    return new RollingStats(undefined, state);
  }

  toJSON(): RollingStatsState {
    return this.state;
  }

  get options(): RollingStatsOptions {
    return this.state.options;
  }

  /** A dial attempt resolved: it reached a live person, or failed in one of the other ways. */
  recordAttempt(outcome: AttemptOutcome, resolveSec: number): void {
    const cap = this.state.options.attemptCapacity;
    const live = outcome === 'live' ? 1 : 0;
    this.state.attemptLiveCount += live - pushRing(this.state.attemptLive, cap, live);
    pushRing(this.state.attemptSec, cap, resolveSec);
    this.touch();
  }

  recordTalk(seconds: number): void {
    pushRing(this.state.talkSec, this.state.options.durationCapacity, seconds);
    this.touch();
  }

  recordWrap(seconds: number): void {
    pushRing(this.state.wrapSec, this.state.options.durationCapacity, seconds);
    this.touch();
  }

  /** A live answer settled at atMs: bridged to an agent, or abandoned. */
  recordLiveOutcome(atMs: number, abandoned: boolean): void {
    const start = Math.floor(atMs / HOUR_MS) * HOUR_MS;
    const buckets = this.state.buckets;
    let last = buckets[buckets.length - 1];
    if (!last || last[0] !== start) {
      last = [start, 0, 0];
      buckets.push(last);
      const oldest = start - this.state.options.windowHours * HOUR_MS;
      while (buckets.length > 0 && buckets[0][0] < oldest) buckets.shift();
    }
    last[1] += 1;
    if (abandoned) last[2] += 1;
    const o = this.state.options;
    updateAbandonFeedback(this.state.feedback, abandoned, o.abandonTarget * o.setpointFraction);
  }

  /** Live answers and abandons in the compliance window that ends at nowMs. */
  windowCounts(nowMs: number, windowHours = this.state.options.windowHours): WindowCounts {
    const from = Math.floor(nowMs / HOUR_MS) * HOUR_MS - (windowHours - 1) * HOUR_MS;
    let liveAnswers = 0;
    let abandons = 0;
    for (const [start, lives, drops] of this.state.buckets) {
      if (start >= from && start <= nowMs) {
        liveAnswers += lives;
        abandons += drops;
      }
    }
    return { liveAnswers, abandons };
  }

  /** Live share of the recent attempts; kept current on every attempt, unlike the model. */
  recentLiveRate(): { lives: number; attempts: number } {
    return { lives: this.state.attemptLiveCount, attempts: this.state.attemptLive.values.length };
  }

  private touch(): void {
    this.state.samplesSinceRevision += 1;
    // Rebuild the duration model often while it is thin, then every 400 samples: building it
    // costs a few milliseconds and the shapes of talk, wrap and ring times change slowly. The
    // live rate, which can drift within a shift, is read fresh at every decision instead.
    const total = this.state.attemptSec.values.length;
    const every = total < 300 ? 20 : total < 1000 ? 100 : 400;
    if (this.state.samplesSinceRevision >= every) {
      this.state.revision += 1;
      this.state.samplesSinceRevision = 0;
    }
  }
}
