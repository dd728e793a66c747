import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/math/random-source';
import { parseScenario, ScenarioError } from '../../src/simulation/scenario';
import { CallPlanner, type SimOutcome } from '../../src/pbx-simulator/call-plan';
import { loadSimulatorFile, parseSimulatorFile } from '../../src/pbx-simulator/simulator-config';

describe('CallPlanner', () => {
  const planner = new CallPlanner(parseScenario({}));

  it('draws the pacing simulator\'s default shares: live 15 %, machine 25 %, busy 5 %, invalid 10 %, no answer the rest', () => {
    const random = mulberry32(7);
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const o = planner.plan(25, random).outcome;
      counts[o] = (counts[o] ?? 0) + 1;
    }
    const share = (o: SimOutcome) => (counts[o] ?? 0) / n;
    expect(share('human')).toBeCloseTo(0.15, 1.7);
    expect(share('machine')).toBeCloseTo(0.25, 1.7);
    expect(share('busy')).toBeCloseTo(0.05, 1.7);
    expect(share('invalid')).toBeCloseTo(0.1, 1.7);
    expect(share('no_answer')).toBeCloseTo(0.45, 1.7);
    expect(counts.congestion).toBeUndefined();
  });

  it('a person answers after the post-dial delay and a lognormal ring (mean 8 s), always before the ring timeout', () => {
    const random = mulberry32(11);
    const answers: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const p = planner.plan(25, random, { outcome: 'human' });
      expect(p.ringingAtSec).toBe(2);
      expect(p.answerAtSec as number).toBeLessThan(25);
      expect(p.amdAfterSec).toBe(1);
      answers.push((p.answerAtSec as number) - 2);
    }
    const mean = answers.reduce((a, b) => a + b, 0) / answers.length;
    expect(mean).toBeGreaterThan(7);
    expect(mean).toBeLessThan(8.5);
  });

  it('machines pick up at 18 ± 4 s after the post-dial delay, then 3 s of detection', () => {
    const random = mulberry32(5);
    for (let i = 0; i < 1_000; i++) {
      const p = planner.plan(30, random, { outcome: 'machine' });
      expect(p.answerAtSec as number).toBeGreaterThanOrEqual(2 + 14);
      expect(p.answerAtSec as number).toBeLessThanOrEqual(2 + 22);
      expect(p.amdAfterSec).toBe(3);
    }
  });

  it.each([
    ['busy', { failAtSec: 4 }],
    ['congestion', { failAtSec: 4 }],
    ['invalid', { failAtSec: 3 }],
    ['no_answer', { ringingAtSec: 2, failAtSec: 20 }],
  ] as const)('%s gives up at the right time', (outcome, expected) => {
    expect(planner.plan(20, mulberry32(1), { outcome })).toMatchObject({ outcome, ...expected });
  });

  it('no answer with a ring time: the carrier gives up first (a 480), unless the Originate\'s timeout comes before', () => {
    expect(planner.plan(20, mulberry32(1), { outcome: 'no_answer', ringSec: 8 })).toEqual({ outcome: 'no_answer', ringingAtSec: 2, failAtSec: 10, farEndGaveUp: true, talkSec: expect.any(Number) });
    expect(planner.plan(20, mulberry32(1), { outcome: 'no_answer', ringSec: 18 })).toEqual({ outcome: 'no_answer', ringingAtSec: 2, failAtSec: 20, talkSec: expect.any(Number) });
  });

  it('a declined call rings 1-5 s, then the person refuses it (never past the ring timeout)', () => {
    const random = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const p = planner.plan(20, random, { outcome: 'declined' });
      expect(p.ringingAtSec).toBe(2);
      expect(p.failAtSec as number).toBeGreaterThanOrEqual(3);
      expect(p.failAtSec as number).toBeLessThanOrEqual(7);
    }
    expect(planner.plan(4, mulberry32(1), { outcome: 'declined', ringSec: 10 }).failAtSec).toBe(4);
  });

  it('takes the timings of an override, and is the same for the same seed', () => {
    expect(planner.plan(25, mulberry32(1), { outcome: 'human', ringSec: 3, talkSec: 42, amdSec: 0.5 })).toEqual({
      outcome: 'human',
      ringingAtSec: 2,
      answerAtSec: 5,
      amdAfterSec: 0.5,
      talkSec: 42,
    });
    expect(planner.plan(25, mulberry32(9))).toEqual(planner.plan(25, mulberry32(9)));
  });
});

describe('simulator files', () => {
  it('reads every pacing scenario file as it is', () => {
    const dir = join(__dirname, '../../scenarios');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const file = loadSimulatorFile(join(dir, name));
      expect(file.outcomes).toEqual({});
      expect(file.scenario.liveRate).toBeGreaterThan(0);
    }
  });

  it('adds per-number outcomes and the simulator\'s own timings', () => {
    const file = parseSimulatorFile({
      name: 'test floor',
      liveRate: 0.3,
      outcomes: { '+13125550100': 'busy', '+13125550101': { outcome: 'human', talkSec: 20 } },
      silenceHangupSec: 8,
      safeHarborSec: 4,
    });
    expect(file.scenario).toMatchObject({ name: 'test floor', liveRate: 0.3, machineRate: 0.25 });
    expect(file.outcomes).toEqual({ '+13125550100': { outcome: 'busy' }, '+13125550101': { outcome: 'human', talkSec: 20 } });
    expect(file).toMatchObject({ silenceHangupSec: 8, safeHarborSec: 4 });
  });

  it.each([
    ['an unknown outcome', { outcomes: { '+1': 'voicemail' } }],
    ['an unknown override key', { outcomes: { '+1': { outcome: 'busy', colour: 'red' } } }],
    ['a negative timing', { outcomes: { '+1': { outcome: 'human', talkSec: -1 } } }],
    ['an unknown scenario key', { agentz: 3 }],
    ['a bad silence', { silenceHangupSec: 0 }],
  ])('refuses %s', (_name, input) => {
    expect(() => parseSimulatorFile(input)).toThrow(ScenarioError);
  });
});
