import { erlangB, whatIf, type WhatIfInput } from '../src/pacing/what-if';

const floor = (over: Partial<WhatIfInput> = {}): WhatIfInput => ({
  mode: 'predictive',
  activeAgents: 20,
  fixedRatio: 2,
  abandonTarget: 0.03,
  setpointFraction: 0.8,
  window: { liveAnswers: 1000, abandons: 10 },
  model: { liveRate: 0.15, liveSec: 11, failSec: 22, talkSec: 240, wrapSec: 45 },
  ...over,
});

describe('whatIf', () => {
  it('computes Erlang B as the textbook does', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 10);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 10);
    expect(erlangB(10, 5)).toBeCloseTo(0.018384, 5);
  });

  it('predictive on a thin list: a tight ratio caps the level, so a higher one raises both utilization and abandons', () => {
    const thin = floor({ model: { liveRate: 0.03, liveSec: 11, failSec: 22, talkSec: 240, wrapSec: 45 } });
    const low = whatIf(thin, 1);
    const high = whatIf(thin, 1.5);
    expect(low.bound).toBe('maxRatio');
    expect(low.linesPerAgent).toBe(1);
    expect(high.utilization).toBeGreaterThan(low.utilization);
    expect(high.abandonRate).toBeGreaterThan(low.abandonRate);
  });

  it('predictive: past the level the risk rule allows, more ratio changes nothing and abandons stay at the setpoint', () => {
    const a = whatIf(floor(), 5);
    const b = whatIf(floor(), 8);
    expect(a.bound).toBe('risk');
    expect(b).toEqual({ ...a, maxDialRatio: 8 });
    expect(a.abandonRate).toBeCloseTo(0.024, 4);
    expect(a.abandonRate).toBeLessThan(0.03);
  });

  it('with one abandon of margin or less the engine dials progressive whatever the ratio: no abandons', () => {
    const tight = floor({ window: { liveAnswers: 100, abandons: 2.5 } });
    const e = whatIf(tight, 6);
    expect(e.bound).toBe('abandonFallback');
    expect(e.abandonRate).toBe(0);
    expect(e).toEqual({ ...whatIf(tight, 2), maxDialRatio: 6 });
  });

  it('progressive and preview: the ratio does not matter', () => {
    for (const mode of ['progressive', 'preview'] as const) {
      const a = whatIf(floor({ mode }), 1.2);
      const b = whatIf(floor({ mode }), 6);
      expect(b).toEqual({ ...a, maxDialRatio: 6 });
      expect(a.bound).toBe('mode');
    }
    // (1/p − 1)·D_f + D_l idle per connect: 240 / (240 + 45 + 135.67)
    expect(whatIf(floor({ mode: 'progressive' }), 2).utilization).toBeCloseTo(240 / (285 + (1 / 0.15 - 1) * 22 + 11), 6);
  });

  it('ratio mode: the fixed ratio, capped by the maximum', () => {
    expect(whatIf(floor({ mode: 'ratio', fixedRatio: 2 }), 3)).toMatchObject({ linesPerAgent: 2, bound: 'mode' });
    expect(whatIf(floor({ mode: 'ratio', fixedRatio: 2 }), 1.2)).toMatchObject({ linesPerAgent: 1.2, bound: 'maxRatio' });
  });

  it('projects the compliance window an hour ahead from the expected abandons', () => {
    // an empty window has no margin: progressive, nothing abandoned
    expect(whatIf(floor({ window: { liveAnswers: 0, abandons: 0 } }), 5).windowRateInAnHour).toBe(0);
    const f = whatIf(floor(), 5);
    expect(f.windowRateInAnHour).toBeGreaterThan(10 / 1000);
    expect(f.windowRateInAnHour).toBeLessThan(f.abandonRate);
  });
});
