import { decide } from '../src/pacing';
import { PacingEngine } from '../src/pacing/pacing-engine';
import { agents, calls, settings, snapshot, trainedStats } from './helpers';

describe('pacing engine modes', () => {
  const engine = new PacingEngine();
  const stats = trainedStats({ lives: 2000, abandons: 40 });

  it('preview dials nothing, whatever the floor looks like', () => {
    const d = engine.decide(snapshot({ agents: agents({ ready: [30, 30, 30] }) }), settings({ mode: 'preview' }), stats);
    expect(d.dials).toBe(0);
    expect(d.reservedDials).toBe(0);
    expect(d.reasons.boundBy).toBe('preview');
  });

  it.each([
    // ready, in flight, waiting, expected progressive dials
    [5, 0, 0, 5],
    [5, 2, 0, 3],
    [5, 2, 1, 2],
    [2, 4, 0, 0],
    [0, 0, 0, 0],
  ])('progressive with %i ready, %i in flight, %i waiting dials %i', (ready, inFlight, waiting, expected) => {
    const snap = snapshot({
      agents: agents({ ready: Array(ready).fill(5), talking: [100, 200] }),
      callsInFlight: calls(Array(inFlight).fill(3)),
      waitingCalls: Array.from({ length: waiting }, (_, i) => ({ id: `w${i}`, waitingSec: 0.5 })),
    });
    expect(engine.decide(snap, settings({ mode: 'progressive' }), stats).dials).toBe(expected);
  });

  it.each([
    // ratio, ready, in flight, expected
    [2.5, 4, 3, 7],
    [3, 2, 0, 6],
    [1.5, 3, 10, 0],
  ])('ratio %f with %i ready and %i in flight dials %i', (ratio, ready, inFlight, expected) => {
    const snap = snapshot({ agents: agents({ ready: Array(ready).fill(5), wrap: [10] }), callsInFlight: calls(Array(inFlight).fill(4)) });
    expect(engine.decide(snap, settings({ mode: 'ratio', ratio }), stats).dials).toBe(expected);
  });

  it('predictive dials more than progressive when agents are about to leave wrap-up', () => {
    const snap = snapshot({ agents: agents({ ready: [3], wrap: [40, 42, 44, 38], talking: [60, 120, 300] }) });
    const progressive = engine.decide(snap, settings({ mode: 'progressive' }), stats);
    const predictive = engine.decide(snap, settings({ mode: 'predictive' }), stats);
    expect(progressive.dials).toBe(1);
    expect(predictive.dials).toBeGreaterThan(progressive.dials);
    expect(predictive.reasons.lastCallAbandonRisk).toBeLessThanOrEqual(predictive.reasons.riskThreshold);
  });

  it('predictive dials fewer when the same agents have only just started talking', () => {
    const soon = snapshot({ agents: agents({ ready: [1], wrap: [40, 42, 44] }) });
    const late = snapshot({ agents: agents({ ready: [1], talking: [5, 6, 7] }) });
    const s = settings({ mode: 'predictive' });
    expect(engine.decide(late, s, stats).dials).toBeLessThan(engine.decide(soon, s, stats).dials);
  });

  it('predictive counts calls already ringing: fresh calls hold back more than stale ones', () => {
    const floor = agents({ ready: [2], wrap: [30, 35] });
    const fresh = engine.decide(snapshot({ agents: floor, callsInFlight: calls([1, 1, 1, 1, 1, 1]) }), settings(), stats);
    const stale = engine.decide(snapshot({ agents: floor, callsInFlight: calls([24, 24, 24, 24, 24, 24]) }), settings(), stats);
    expect(stale.dials).toBeGreaterThan(fresh.dials);
    expect(fresh.reasons.expectedLiveAnswers).toBeGreaterThan(stale.reasons.expectedLiveAnswers);
  });

  it('explains itself with data', () => {
    const d = engine.decide(snapshot({ agents: agents({ ready: [3], wrap: [30], talking: [100] }), callsInFlight: calls([5]) }), settings(), stats);
    expect(d.reasons).toMatchObject({ mode: 'predictive', readyAgents: 1, busyAgents: 2, linesInFlight: 1, windowLiveAnswers: 2000, windowAbandons: 40 });
    expect(d.reasons.windowAbandonRate).toBeCloseTo(0.02, 5);
    expect(d.reasons.abandonMargin).toBeCloseTo(0.03 * 2000 - 40, 5);
    expect(d.reasons.expectedLiveAnswers).toBeGreaterThan(0);
    expect(d.reasons.expectedAgentsFreeAtConnect).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('guardrails', () => {
  const engine = new PacingEngine();

  it.each(['ratio', 'predictive'] as const)('%s mode never exceeds the maximum lines per agent', (mode) => {
    const stats = trainedStats({ lives: 2000, abandons: 10 });
    const snap = snapshot({ agents: agents({ ready: [10, 10, 10, 10], talking: [50, 60] }), callsInFlight: calls([3, 4, 5, 6, 7, 8, 9]) });
    const d = engine.decide(snap, settings({ mode, ratio: 20, maxLinesPerAgent: 2 }), stats);
    // 6 active agents × 2 lines = 12 lines, 7 already out
    expect(d.dials).toBe(5);
    expect(d.reasons.boundBy).toBe('lineCap');
  });

  it('paused agents count for no lines', () => {
    const stats = trainedStats();
    const snap = snapshot({ agents: agents({ ready: [5], paused: [10, 10, 10] }) });
    const d = engine.decide(snap, settings({ mode: 'ratio', ratio: 8, maxLinesPerAgent: 3 }), stats);
    expect(d.dials).toBe(3);
    expect(engine.decide(snapshot({ agents: agents({ paused: [1, 2] }) }), settings(), stats).dials).toBe(0);
  });

  it('falls back to progressive before the window crosses the target, not after', () => {
    // 2000 live answers, 59 abandons: the window is at 2.95 %, still under 3 %, with room
    // for one more abandon only. Predictive must not dial beyond progressive now.
    const stats = trainedStats({ lives: 2000, abandons: 59 });
    const snap = snapshot({ agents: agents({ ready: [3, 3, 3], wrap: [40, 42, 44, 38], talking: [60, 120] }), callsInFlight: calls([2]) });
    const d = engine.decide(snap, settings(), stats);
    expect(d.reasons.windowAbandonRate).toBeLessThan(0.03);
    expect(d.reasons.boundBy).toBe('abandonFallback');
    expect(d.dials).toBe(2); // 3 idle agents − 1 line already out
    const ratio = engine.decide(snap, settings({ mode: 'ratio', ratio: 4 }), stats);
    expect(ratio.dials).toBe(2);
    expect(ratio.reasons.boundBy).toBe('abandonFallback');
  });

  it('uses the room again once the window has margin', () => {
    const stats = trainedStats({ lives: 2000, abandons: 30 });
    const snap = snapshot({ agents: agents({ ready: [3, 3, 3], wrap: [40, 42, 44, 38], talking: [60, 120] }), callsInFlight: calls([2]) });
    const d = engine.decide(snap, settings(), stats);
    expect(d.reasons.boundBy).not.toBe('abandonFallback');
    expect(d.dials).toBeGreaterThan(2);
  });

  it('shrinks the usable risk as the margin narrows', () => {
    const snap = snapshot({ agents: agents({ ready: [2], wrap: [40, 42, 44, 38, 30, 30], talking: [60, 120] }) });
    const roomy = engine.decide(snap, settings(), trainedStats({ lives: 2000, abandons: 40 }));
    const tight = engine.decide(snap, settings(), trainedStats({ lives: 2000, abandons: 57 }));
    expect(tight.reasons.riskThreshold).toBeLessThan(roomy.reasons.riskThreshold);
    expect(tight.dials).toBeLessThanOrEqual(roomy.dials);
  });

  it('a new campaign with an empty window starts progressive', () => {
    const stats = trainedStats({ lives: 0 });
    const d = engine.decide(snapshot({ agents: agents({ ready: [1, 1, 1, 1], wrap: [40, 41] }) }), settings(), stats);
    expect(d.dials).toBe(4);
    expect(d.reasons.boundBy).toBe('abandonFallback');
  });

  describe('phones without autodial consent', () => {
    it('are dialed only with an idle agent reserved, one per uncommitted agent', () => {
      const stats = trainedStats({ lives: 2000, abandons: 40 });
      const d = engine.decide(snapshot({ agents: agents({ ready: [5, 5, 5], talking: [50] }), pendingConsentless: 10 }), settings(), stats);
      expect(d.reservedDials).toBe(3);
      // with all idle agents reserved, predictive calls may only count on agents freeing later
      expect(d.reasons.readyAgents).toBe(3);
    });

    it('take no agent that calls in flight are expected to need', () => {
      const stats = trainedStats({ lives: 2000, abandons: 40 });
      // 12 fresh calls in flight: about 1.8 live answers expected, so 2 of 3 idle agents are committed
      const d = engine.decide(
        snapshot({ agents: agents({ ready: [5, 5, 5] }), callsInFlight: calls(Array(12).fill(1)), pendingConsentless: 10 }),
        settings(),
        stats,
      );
      expect(d.reservedDials).toBe(1);
    });

    it('are never dialed without a pending consent-less phone or an idle agent', () => {
      const stats = trainedStats();
      expect(engine.decide(snapshot({ agents: agents({ ready: [5, 5] }) }), settings(), stats).reservedDials).toBe(0);
      expect(engine.decide(snapshot({ agents: agents({ talking: [5, 5] }), pendingConsentless: 4 }), settings(), stats).reservedDials).toBe(0);
    });

    it('reserved agents and their calls are left out of the predictive pool', () => {
      const stats = trainedStats({ lives: 2000, abandons: 40 });
      const floor = agents({ ready: [5, 5], wrap: [30] });
      floor[0].reservedForCallId = 'r1';
      const d = engine.decide(
        snapshot({ agents: floor, callsInFlight: [{ id: 'r1', elapsedSec: 3, autodialConsent: false, reservedAgentId: floor[0].id }] }),
        settings({ mode: 'progressive' }),
        stats,
      );
      // one unreserved idle agent, no autodial line out for it yet
      expect(d.dials).toBe(1);
    });
  });
});

describe('decide() without an engine instance', () => {
  it('gives the same decision as the caching engine', () => {
    const stats = trainedStats({ lives: 2000, abandons: 40 });
    const snap = snapshot({ agents: agents({ ready: [1, 2], wrap: [30, 41, 44], talking: [100, 400] }), callsInFlight: calls([2, 9, 15]) });
    expect(decide(snap, settings(), stats)).toEqual(new PacingEngine().decide(snap, settings(), stats));
  });
});

describe('the information bound (revealed truth, simulator only)', () => {
  const engine = new PacingEngine();
  const stats = trainedStats({ lives: 2000, abandons: 40 });
  const reveal = (floor: ReturnType<typeof agents>, leftSec: number) =>
    floor.map((a) => (a.state === 'ready' ? a : { ...a, revealedStateLeftSec: leftSec }));

  it('a wrap-up revealed to end now frees its agent; one revealed to end late keeps it busy', () => {
    // 30 s into a 45 s wrap-up, the model gives these agents middling odds of freeing in time
    const floor = agents({ ready: [1], wrap: [30, 30, 30, 30] });
    const guessed = engine.decide(snapshot({ agents: floor }), settings(), stats).dials;
    const soon = engine.decide(snapshot({ agents: reveal(floor, 1) }), settings(), stats).dials;
    const late = engine.decide(snapshot({ agents: reveal(floor, 300) }), settings(), stats).dials;
    expect(soon).toBeGreaterThan(guessed);
    expect(late).toBeLessThan(guessed);
    expect(late).toBe(1); // the one ready agent: progressive
  });

  it('a talk revealed to end now still leaves the agent a wrap-up to go', () => {
    const talking = agents({ ready: [1], talking: [30, 30, 30, 30] });
    const wrapping = agents({ ready: [1], wrap: [30, 30, 30, 30] });
    const afterTalk = engine.decide(snapshot({ agents: reveal(talking, 0.5) }), settings(), stats).dials;
    const afterWrap = engine.decide(snapshot({ agents: reveal(wrapping, 0.5) }), settings(), stats).dials;
    expect(afterTalk).toBeLessThan(afterWrap);
  });

  it('calls revealed to fail hold nothing back; calls revealed to turn live hold agents', () => {
    const floor = agents({ ready: [2], wrap: [30, 35] });
    const inFlight = calls([1, 1, 1, 1, 1, 1]);
    const guessed = engine.decide(snapshot({ agents: floor, callsInFlight: inFlight }), settings(), stats);
    const failing = engine.decide(
      snapshot({ agents: floor, callsInFlight: inFlight.map((c) => ({ ...c, revealedLiveInSec: Infinity })) }),
      settings(),
      stats,
    );
    const live = engine.decide(
      snapshot({ agents: floor, callsInFlight: inFlight.map((c, i) => ({ ...c, revealedLiveInSec: i < 4 ? 5 : Infinity })) }),
      settings(),
      stats,
    );
    expect(failing.dials).toBeGreaterThan(guessed.dials);
    expect(failing.reasons.expectedLiveAnswers).toBeCloseTo(failing.dials * 0.15, 1);
    expect(live.dials).toBe(0);
    expect(live.reasons.expectedLiveAnswers).toBe(4);
  });
});
