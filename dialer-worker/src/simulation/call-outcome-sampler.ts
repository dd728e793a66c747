import { lognormal, sampleLognormal } from '../math/lognormal';
import type { RandomSource } from '../math/random-source';
import type { AttemptOutcome } from '../pacing/rolling-stats';
import { Scenario } from './scenario';

export interface SampledAttempt {
  outcome: AttemptOutcome;
  /** seconds from dial to resolution: end of the greeting for a live person */
  resolveSec: number;
}

/**
 * Draws what a dial will turn out to be and when. The simulator knows the answer at dial
 * time; the engine only ever sees the call's elapsed time until it resolves.
 */
export class CallOutcomeSampler {
  private readonly ring;

  constructor(private readonly s: Scenario) {
    this.ring = lognormal(s.personRingMeanSec, s.personRingSdSec);
  }

  sample(liveRate: number, random: RandomSource): SampledAttempt {
    const s = this.s;
    const u = random();
    if (u < liveRate) {
      // People who would answer after the timeout are in the no-answer share already, so the
      // live share stays exactly `liveRate` and the ring is drawn below the timeout.
      let ring = sampleLognormal(this.ring, random);
      for (let i = 0; i < 100 && ring >= s.noAnswerTimeoutSec; i++) ring = sampleLognormal(this.ring, random);
      ring = Math.min(ring, s.noAnswerTimeoutSec);
      return { outcome: 'live', resolveSec: s.postDialDelaySec + ring + s.greetingSec };
    }
    let c = liveRate + s.machineRate;
    if (u < c) {
      const ring = s.machineRingMeanSec + (2 * random() - 1) * s.machineRingSpreadSec;
      return { outcome: 'machine', resolveSec: s.postDialDelaySec + Math.min(ring, s.noAnswerTimeoutSec) + s.amdSec };
    }
    c += s.busyRate;
    if (u < c) return { outcome: 'busy', resolveSec: s.postDialDelaySec + s.busyDetectSec };
    c += s.invalidRate;
    if (u < c) return { outcome: 'invalid', resolveSec: s.postDialDelaySec + s.invalidDetectSec };
    return { outcome: 'no_answer', resolveSec: s.postDialDelaySec + s.noAnswerTimeoutSec };
  }
}
