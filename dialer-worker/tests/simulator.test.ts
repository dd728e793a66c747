import { settingsFor } from '../src/simulation/benchmark-grid';
import { closedForm } from '../src/simulation/closed-form';
import { EnginePolicy } from '../src/simulation/policies/engine-policy';
import { FixedRatioPolicy } from '../src/simulation/policies/fixed-ratio';
import { VicidialAdaptivePolicy } from '../src/simulation/policies/vicidial-adaptive';
import { parseScenario, ScenarioError } from '../src/simulation/scenario';
import { simulate } from '../src/simulation/simulator';

const engine = (mode: 'preview' | 'progressive' | 'ratio' | 'predictive', scenario = parseScenario({}), ratio?: number) =>
  new EnginePolicy(mode, { ...settingsFor(scenario, mode), ratio });

describe('simulator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const scenario = parseScenario({ agents: 5, shiftHours: 1 });
    const a = simulate({ scenario, policy: new FixedRatioPolicy(2), days: 1, seed: 11 });
    const b = simulate({ scenario, policy: new FixedRatioPolicy(2), days: 1, seed: 11 });
    const c = simulate({ scenario, policy: new FixedRatioPolicy(2), days: 1, seed: 12 });
    expect(b).toEqual(a);
    expect(c.utilization).not.toEqual(a.utilization);
  });

  it.each([0.15, 0.3])('progressive matches the closed form U = T/(T+W+I) within one point at live rate %f', (liveRate) => {
    // 100 agents × 3 shifts ≈ 20 000 connects: the talk-time noise alone is ±0.3 points
    const scenario = parseScenario({ agents: 100, liveRate });
    const r = simulate({ scenario, policy: engine('progressive', scenario), days: 3, seed: 5 });
    const cf = closedForm(scenario);
    expect(r.abandonRate).toBe(0);
    expect(Math.abs(r.utilization - cf.progressiveUtilization)).toBeLessThan(0.01);
    expect(Math.abs(r.meanIdleSec - cf.progressiveIdleSec) / cf.progressiveIdleSec).toBeLessThan(0.05);
  });

  it('closed form reproduces the published figures for the defaults', () => {
    const cf = closedForm(parseScenario({}));
    expect(cf.ceilingUtilization).toBeCloseTo(0.842, 3);
    expect(cf.failedAttemptSec).toBeGreaterThan(21);
    expect(cf.failedAttemptSec).toBeLessThan(22.5);
    expect(cf.progressiveUtilization).toBeGreaterThan(0.565);
    expect(cf.progressiveUtilization).toBeLessThan(0.58);
  });

  it('preview dials nothing', () => {
    const scenario = parseScenario({ agents: 5, shiftHours: 1 });
    const r = simulate({ scenario, policy: engine('preview', scenario), days: 1, seed: 1 });
    expect(r.dialsPerAgentHour).toBe(0);
    expect(r.utilization).toBe(0);
  });

  it('ratio mode beats progressive and its guardrail keeps every window within target', () => {
    const scenario = parseScenario({ agents: 20, shiftHours: 4 });
    const progressive = simulate({ scenario, policy: engine('progressive', scenario), days: 1, seed: 3 });
    const ratio = simulate({ scenario, policy: engine('ratio', scenario, 5), days: 1, seed: 3 });
    expect(ratio.utilization).toBeGreaterThan(progressive.utilization + 0.05);
    expect(ratio.worstWindowAbandonRate).toBeLessThanOrEqual(0.03);
    // the same ratio without the guardrail breaks the limit: the guardrail is what held it
    const raw = simulate({ scenario, policy: new FixedRatioPolicy(5), days: 1, seed: 3 });
    expect(raw.abandonRate).toBeGreaterThan(0.03);
  });

  it('predictive stays under target in every window and keeps agents busy (20 agents, 15 % live)', () => {
    const scenario = parseScenario({ agents: 20 });
    const r = simulate({ scenario, policy: engine('predictive', scenario), days: 2, seed: 9 });
    expect(r.worstWindowAbandonRate).toBeLessThanOrEqual(0.03);
    expect(r.abandonRate).toBeLessThanOrEqual(0.027);
    expect(r.utilization).toBeGreaterThan(0.74);
    expect(r.utilization).toBeLessThan(closedForm(scenario).ceilingUtilization);
  });

  it('predictive holds the UK 24-hour window on a small team', () => {
    const scenario = parseScenario({ agents: 5, abandonWindowHours: 24 });
    const r = simulate({ scenario, policy: engine('predictive', scenario), days: 3, seed: 4 });
    expect(r.windowAbandonRates).toHaveLength(3);
    expect(Math.max(...r.windowAbandonRates)).toBeLessThanOrEqual(0.03);
    expect(r.utilization).toBeGreaterThan(0.65);
  });

  it('never abandons a phone without autodial consent', () => {
    const scenario = parseScenario({ agents: 10, consentlessShare: 0.3, shiftHours: 4 });
    const r = simulate({ scenario, policy: engine('predictive', scenario), days: 1, seed: 2 });
    expect(r.consentlessDials).toBeGreaterThan(100);
    expect(r.consentlessAbandons).toBe(0);
    expect(r.abandonRate).toBeGreaterThan(0); // autodialed calls were paced predictively
  });

  it('VICIdial-style adaptive pacing dials above progressive but trips its drop brake', () => {
    const scenario = parseScenario({ agents: 20, shiftHours: 4 });
    const progressive = simulate({ scenario, policy: engine('progressive', scenario), days: 1, seed: 8 });
    const vici = simulate({ scenario, policy: new VicidialAdaptivePolicy(), days: 1, seed: 8 });
    expect(vici.utilization).toBeGreaterThan(progressive.utilization);
    expect(vici.abandonRate).toBeGreaterThan(0);
  });
});

describe('scenario files', () => {
  it('fill defaults and accept the documented keys', () => {
    const s = parseScenario({ agents: 7, liveRateDrift: { from: 0.1, to: 0.25 }, abandonTarget: 0.02 });
    expect(s).toMatchObject({ agents: 7, liveRate: 0.15, talkMeanSec: 240, abandonTarget: 0.02, liveRateDrift: { from: 0.1, to: 0.25 } });
  });

  it.each([
    [{ agents: 0 }, /agents/],
    [{ liveRate: 0.7, machineRate: 0.4 }, /exceed/],
    [{ noAnswerTimeoutSec: 10 }, /15/],
    [{ talkMean: 3 }, /unknown/],
    [{ liveRateDrift: { from: 0.1 } }, /liveRateDrift/],
  ])('reject %j', (input, message) => {
    expect(() => parseScenario(input)).toThrow(ScenarioError);
    expect(() => parseScenario(input)).toThrow(message);
  });
});
