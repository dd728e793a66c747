import { PacingEngine } from '../src/pacing/pacing-engine';
import { RollingStats } from '../src/pacing/rolling-stats';
import { agents, calls, NOW_MS, settings, snapshot, trainedStats } from './helpers';

const HOUR = 3_600_000;

describe('rolling statistics', () => {
  it('survive a JSON round trip (as through Redis) and give the same decision', () => {
    const stats = trainedStats({ lives: 1500, abandons: 30 });
    const restored = RollingStats.fromJSON(JSON.stringify(stats.toJSON()));
    const snap = snapshot({ agents: agents({ ready: [2, 4], wrap: [20, 35, 41], talking: [80, 300] }), callsInFlight: calls([1, 6, 14]) });
    const a = new PacingEngine().decide(snap, settings(), stats);
    const b = new PacingEngine().decide(snap, settings(), restored);
    expect(b).toEqual(a);
    expect(restored.toJSON()).toEqual(stats.toJSON());
  });

  it('rejects a state of an unknown version', () => {
    expect(() => RollingStats.fromJSON({ ...new RollingStats().toJSON(), version: 2 as 1 })).toThrow(/version/);
  });

  it('counts live answers and abandons only inside the window', () => {
    const stats = new RollingStats({ windowHours: 24 });
    stats.recordLiveOutcome(NOW_MS - 30 * HOUR, true);
    stats.recordLiveOutcome(NOW_MS - 30 * HOUR, false);
    stats.recordLiveOutcome(NOW_MS - 2 * HOUR, true);
    stats.recordLiveOutcome(NOW_MS - HOUR, false);
    stats.recordLiveOutcome(NOW_MS, false);
    expect(stats.windowCounts(NOW_MS)).toEqual({ liveAnswers: 3, abandons: 1 });
    expect(stats.windowCounts(NOW_MS, 48)).toEqual({ liveAnswers: 3, abandons: 1 }); // older buckets were pruned
  });

  it('keeps a bounded number of samples and buckets', () => {
    const stats = new RollingStats({ attemptCapacity: 50, durationCapacity: 20, windowHours: 24 });
    for (let i = 0; i < 500; i++) {
      stats.recordAttempt(i % 7 === 0 ? 'live' : 'no_answer', 10 + (i % 13));
      stats.recordTalk(100 + i);
      stats.recordLiveOutcome(NOW_MS + i * HOUR, false);
    }
    const s = stats.toJSON();
    expect(s.attemptSec.values).toHaveLength(50);
    expect(s.talkSec.values).toHaveLength(20);
    expect(s.buckets.length).toBeLessThanOrEqual(25);
    // the ring keeps the newest samples
    expect(Math.max(...s.talkSec.values)).toBe(599);
  });

  it('feedback lowers the accepted risk on abandons and raises it on connects, settling at the setpoint', () => {
    const stats = new RollingStats({ abandonTarget: 0.03, setpointFraction: 0.8 });
    const start = stats.toJSON().feedback.logRiskThreshold;
    stats.recordLiveOutcome(NOW_MS, true);
    const afterAbandon = stats.toJSON().feedback.logRiskThreshold;
    expect(afterAbandon).toBeLessThan(start);
    for (let i = 0; i < 50; i++) stats.recordLiveOutcome(NOW_MS, false);
    expect(stats.toJSON().feedback.logRiskThreshold).toBeGreaterThan(afterAbandon);
    // over many answers the loop moves the threshold up below the setpoint and down above it
    const run = (abandonEvery: number) => {
      const st = new RollingStats({ abandonTarget: 0.03, setpointFraction: 0.8 });
      for (let i = 0; i < 5000; i++) st.recordLiveOutcome(NOW_MS, i % abandonEvery === 0);
      return st.toJSON().feedback.logRiskThreshold;
    };
    const initial = new RollingStats().toJSON().feedback.logRiskThreshold;
    expect(run(100)).toBeGreaterThan(initial); // 1 %
    expect(run(20)).toBeLessThan(initial); // 5 %
    expect(Math.abs(run(42) - initial)).toBeLessThan(Math.abs(run(20) - initial) / 5); // ≈ 2.4 %
  });

  it('bumps its revision as samples arrive so cached models are rebuilt', () => {
    const stats = new RollingStats();
    const r0 = stats.toJSON().revision;
    for (let i = 0; i < 100; i++) stats.recordAttempt('busy', 4);
    expect(stats.toJSON().revision).toBeGreaterThan(r0);
  });
});
