import { emptyCounts, type KpiCounts } from '../../src/reports/kpi-formulas';
import { averageAgent } from '../../src/reports/kpi-peer-average';

const row = (key: string | null, over: Partial<KpiCounts>) => ({ key, ...emptyCounts(), ...over });

describe('averageAgent', () => {
  it('divides the agents\u2019 sums by the number of agents, leaving out work with no agent', () => {
    const { agents, counts } = averageAgent([
      row('1', { dials: 3, collectedAmount: 100, loggedInSeconds: 600 }),
      row('2', { dials: 1 }),
      row(null, { dials: 50, collectedAmount: 999 }),
      row('3', { dials: 1, collectedAmount: 0.01 }),
    ]);
    expect(agents).toBe(3);
    expect(counts).toMatchObject({ dials: 1.67, collectedAmount: 33.34, loggedInSeconds: 200 });
  });

  it('pools the rates: summed numerator over summed denominator, not a mean of each agent\u2019s rate', () => {
    // Agent 1: 1 of 1 kept (100 %), agent 2: 0 of 3 (0 %): pooled 25 %, where a mean of rates would say 50 %.
    const { rates } = averageAgent([row('1', { promisesDue: 1, promisesKept: 1 }), row('2', { promisesDue: 3 })]);
    expect(rates.keptRate).toBe(0.25);
  });

  it('keeps "no logged time" apart from zero, and gives zeros for a campaign with no agent', () => {
    expect(averageAgent([row('1', { dials: 2 })]).counts.loggedInSeconds).toBeNull();
    const none = averageAgent([row(null, { dials: 4 })]);
    expect(none.agents).toBe(0);
    expect(none.counts.dials).toBe(0);
    expect(none.rates.contactRate).toBeNull();
  });
});
