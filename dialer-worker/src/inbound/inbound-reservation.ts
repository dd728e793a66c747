/**
 * Arrivals per second measured from what was seen: an exponentially weighted count, so a
 * stream that speeds up or stops is followed within a few half-lives. Pure: times are passed in.
 */
export class ArrivalRate {
  private weight = 0;
  private last: number | null = null;
  private started: number | null = null;

  constructor(private readonly halfLifeSec = 600) {}

  private decayTo(nowSec: number): void {
    if (this.last !== null) this.weight *= Math.pow(0.5, Math.max(0, nowSec - this.last) / this.halfLifeSec);
    this.last = nowSec;
    this.started ??= nowSec;
  }

  arrived(nowSec: number): void {
    this.decayTo(nowSec);
    this.weight += 1;
  }

  /** arrivals per second now; 0 before anything was seen */
  perSec(nowSec: number): number {
    if (this.started === null) return 0;
    this.decayTo(nowSec);
    // The weights of a steady stream of rate r sum to r·h/ln 2 once the window is full; before that, to r·(elapsed) roughly.
    const span = Math.min(this.halfLifeSec / Math.LN2, Math.max(1, nowSec - this.started));
    return this.weight / span;
  }
}

/** About the time from a dial to a live answer: the arrivals expected within it take the agents a call dialed now would need. */
export const INBOUND_HORIZON_SEC = 15;

/**
 * How many ready agents the outbound pacing must leave to inbound callers: those already on
 * hold, plus the arrivals expected before an outbound call dialed now could be answered
 * (`horizonSec`, about the mean time from dial to a live answer), rounded up. A blended agent
 * takes inbound first; without this the engine would dial for agents that an inbound caller is
 * about to take, and the live answer would find nobody (an abandon). Pure.
 */
export function agentsForInbound(readyAgents: number, arrivalsPerSec: number, horizonSec: number, callersOnHold: number): number {
  if (readyAgents <= 0) return 0;
  const expected = callersOnHold + arrivalsPerSec * Math.max(0, horizonSec);
  return Math.min(readyAgents, Math.max(0, Math.ceil(expected - 1e-9)));
}
