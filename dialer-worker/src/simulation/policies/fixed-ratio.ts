import type { PacingSnapshot } from '../../pacing/pacing-types';
import type { DialPolicy, PolicyDecision } from './dial-policy';

/**
 * A fixed ratio as supervisors know it from other dialers: keep `ratio` lines out per ready
 * agent, with no abandon guard at all. It is the yardstick the issue asks us to beat, so it
 * deliberately has none of the engine's guardrails (the engine's own `ratio` mode does).
 */
export class FixedRatioPolicy implements DialPolicy {
  readonly name: string;

  constructor(readonly ratio: number) {
    this.name = `ratio ${ratio.toFixed(2)}`;
  }

  decide(snapshot: PacingSnapshot): PolicyDecision {
    let ready = 0;
    for (const a of snapshot.agents) if (a.state === 'ready' && !a.reservedForCallId) ready += 1;
    let autodial = 0;
    for (const c of snapshot.callsInFlight) if (!c.reservedAgentId) autodial += 1;
    const dials = Math.max(0, Math.round(this.ratio * ready) - autodial - snapshot.waitingCalls.length);
    return { dials, reservedDials: 0 };
  }
}
