import { lognormal, sampleLognormal, type Lognormal } from '../math/lognormal';
import type { RandomSource } from '../math/random-source';
import type { Scenario } from '../simulation/scenario';

/**
 * What a simulated number does when dialed. `declined` (a 603: the person refuses the call,
 * cause 21) and `congestion` only come by override.
 */
export type SimOutcome = 'human' | 'machine' | 'busy' | 'no_answer' | 'invalid' | 'congestion' | 'declined';

export const SIM_OUTCOMES: readonly SimOutcome[] = ['human', 'machine', 'busy', 'no_answer', 'invalid', 'congestion', 'declined'];

/** A per-number override: the outcome, and optionally its timings in simulated seconds. */
export interface OutcomeOverride {
  outcome: SimOutcome;
  /**
   * from the end of the post-dial delay to the answer (human, machine), to the refusal
   * (declined), or, for no_answer, to the carrier giving up with a 480 (if before the
   * Originate's timeout; without it, no_answer rings until that timeout)
   */
  ringSec?: number;
  /** from the bridge to the debtor hanging up (human) */
  talkSec?: number;
  /** from the answer to the AMD result (default: the greeting for a human, amdSec for a machine) */
  amdSec?: number;
}

/** The script of one customer call, in simulated seconds from the Originate. */
export interface CallPlan {
  outcome: SimOutcome;
  /** Newstate Ringing (human, machine, no answer) */
  ringingAtSec?: number;
  /** Newstate Up + OriginateResponse Success (human, machine) */
  answerAtSec?: number;
  /** AMD verdict, after the answer */
  amdAfterSec?: number;
  /** the PBX gives up: busy, congestion, invalid, or the ring timeout */
  failAtSec?: number;
  /** no_answer: the carrier gave up first (a 480 at failAtSec), not the Originate's timeout */
  farEndGaveUp?: boolean;
  /** once bridged to an agent, the debtor hangs up after this long */
  talkSec: number;
}

/**
 * Draws call scripts with the same distributions and defaults as the pacing simulator
 * (src/simulation/call-outcome-sampler.ts): live, machine, busy and invalid shares, a
 * lognormal ring before a person answers, a uniform ring before a machine, a lognormal talk
 * time. The ring timeout is the Originate's own `Timeout`, counted from the dial as Asterisk
 * counts it; a person who would pick up after it is drawn again, so the live share holds.
 */
export class CallPlanner {
  private readonly ring: Lognormal;
  private readonly talk: Lognormal;

  constructor(private readonly scenario: Scenario) {
    this.ring = lognormal(scenario.personRingMeanSec, scenario.personRingSdSec);
    this.talk = lognormal(scenario.talkMeanSec, scenario.talkSdSec);
  }

  plan(timeoutSec: number, random: RandomSource, override?: OutcomeOverride): CallPlan {
    const s = this.scenario;
    const outcome = override?.outcome ?? this.drawOutcome(random);
    const pdd = s.postDialDelaySec;
    const latestAnswer = Math.max(pdd, timeoutSec - 0.5);
    const talkSec = override?.talkSec ?? sampleLognormal(this.talk, random);
    switch (outcome) {
      case 'human': {
        let ring = override?.ringSec ?? sampleLognormal(this.ring, random);
        for (let i = 0; override?.ringSec === undefined && i < 100 && pdd + ring >= timeoutSec; i++) ring = sampleLognormal(this.ring, random);
        return { outcome, ringingAtSec: pdd, answerAtSec: Math.min(pdd + ring, latestAnswer), amdAfterSec: override?.amdSec ?? s.greetingSec, talkSec };
      }
      case 'machine': {
        const ring = override?.ringSec ?? s.machineRingMeanSec + (2 * random() - 1) * s.machineRingSpreadSec;
        return { outcome, ringingAtSec: pdd, answerAtSec: Math.min(pdd + ring, latestAnswer), amdAfterSec: override?.amdSec ?? s.amdSec, talkSec };
      }
      case 'busy':
      case 'congestion':
        return { outcome, failAtSec: pdd + s.busyDetectSec, talkSec };
      case 'invalid':
        return { outcome, failAtSec: pdd + s.invalidDetectSec, talkSec };
      case 'declined': {
        // it rings until the person looks at the screen and refuses it
        const ring = override?.ringSec ?? 1 + random() * 4;
        return { outcome, ringingAtSec: pdd, failAtSec: Math.min(pdd + ring, timeoutSec), talkSec };
      }
      case 'no_answer':
        if (override?.ringSec !== undefined && pdd + override.ringSec < timeoutSec) return { outcome, ringingAtSec: pdd, failAtSec: pdd + override.ringSec, farEndGaveUp: true, talkSec };
        return { outcome, ringingAtSec: Math.min(pdd, timeoutSec), failAtSec: timeoutSec, talkSec };
    }
  }

  private drawOutcome(random: RandomSource): SimOutcome {
    const s = this.scenario;
    const u = random();
    let c = s.liveRate;
    if (u < c) return 'human';
    c += s.machineRate;
    if (u < c) return 'machine';
    c += s.busyRate;
    if (u < c) return 'busy';
    c += s.invalidRate;
    if (u < c) return 'invalid';
    return 'no_answer';
  }
}
