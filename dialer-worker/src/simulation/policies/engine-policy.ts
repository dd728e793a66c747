import { PacingEngine } from '../../pacing/pacing-engine';
import type { DialDecision, PacingSettings, PacingSnapshot } from '../../pacing/pacing-types';
import type { RollingStats } from '../../pacing/rolling-stats';
import type { DialPolicy } from './dial-policy';

/** Our pacing engine, in any of its modes, as a simulator policy. */
export class EnginePolicy implements DialPolicy {
  private readonly engine = new PacingEngine();
  lastDecision: DialDecision | undefined;

  constructor(
    readonly name: string,
    private readonly settings: PacingSettings,
  ) {}

  decide(snapshot: PacingSnapshot, stats: RollingStats): DialDecision {
    this.lastDecision = this.engine.decide(snapshot, this.settings, stats);
    return this.lastDecision;
  }
}
