import fs from 'fs';
import path from 'path';
import { KPI_COUNT_FIELDS, KPI_DEFINITIONS, KPI_RATE_FIELDS, addCounts, emptyCounts, kpiRates, ratio, type KpiCounts } from '../../src/reports/kpi-formulas';

const counts = (over: Partial<KpiCounts>): KpiCounts => ({ ...emptyCounts(), ...over });

describe('ratio', () => {
  it.each([
    [1, 3, 4, 0.3333],
    [2, 3, 1, 0.7],
    [0, 5, 4, 0],
    [5, 0, 4, null],
    [5, null, 4, null],
    [5, -1, 4, null],
  ])('%s ÷ %s to %s digits is %s', (n, d, digits, expected) => {
    expect(ratio(n, d as number | null, digits)).toBe(expected);
  });
});

describe('kpiRates', () => {
  it.each<[string, Partial<KpiCounts>, Partial<ReturnType<typeof kpiRates>>]>([
    ['contact rate is connects over dials', { dials: 200, connects: 50 }, { contactRate: 0.25 }],
    ['rpc rate is RPC over dials, rpc per connect RPC over connects', { dials: 200, connects: 50, rightPartyContacts: 20 }, { rpcRate: 0.1, rpcPerConnect: 0.4 }],
    ['ptp rate is promises over RPC', { rightPartyContacts: 20, promises: 5 }, { ptpRate: 0.25 }],
    ['kept rate is kept over promises due, not over promises made', { promises: 10, promisesDue: 4, promisesKept: 3 }, { keptRate: 0.75 }],
    ['abandon rate is abandoned over live answered', { liveAnswered: 300, abandoned: 6 }, { abandonRate: 0.02 }],
    ['aht is talk plus wrap over connects', { connects: 4, talkSeconds: 500, wrapSeconds: 101 }, { aht: 150.3 }],
    ['utilization is talk over logged-in time', { talkSeconds: 1800, wrapSeconds: 600, loggedInSeconds: 3600, pausedSeconds: 600 }, { utilization: 0.5 }],
    ['occupancy is talk plus wrap over the time not paused', { talkSeconds: 1800, wrapSeconds: 600, loggedInSeconds: 3600, pausedSeconds: 600 }, { occupancy: 0.8 }],
    ['no dials: no rate, not zero', { dials: 0, connects: 0 }, { contactRate: null, rpcRate: null, aht: null, abandonRate: null, keptRate: null }],
    ['no agent time: no utilization nor occupancy', { talkSeconds: 100, loggedInSeconds: null }, { utilization: null, occupancy: null }],
    ['all of the logged-in time paused: no occupancy', { talkSeconds: 0, loggedInSeconds: 600, pausedSeconds: 600 }, { utilization: 0, occupancy: null }],
  ])('%s', (_name, input, expected) => {
    expect(kpiRates(counts(input))).toMatchObject(expected);
  });
});

describe('definitions', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  it.each([...KPI_COUNT_FIELDS, ...KPI_RATE_FIELDS])('%s is defined in words, and the README says the same', (field) => {
    expect(KPI_DEFINITIONS[field].length).toBeGreaterThan(10);
    expect(readme).toContain(`| \`${field}\` | ${KPI_DEFINITIONS[field]} |`);
  });
});

describe('addCounts', () => {
  it('adds every count, money to the cent, and keeps no agent time as null', () => {
    const sum = addCounts(counts({ dials: 2, collectedAmount: 0.1 }), counts({ dials: 3, collectedAmount: 0.2 }));
    expect(sum).toMatchObject({ dials: 5, collectedAmount: 0.3, loggedInSeconds: null });
    expect(addCounts(counts({ loggedInSeconds: 60 }), counts({})).loggedInSeconds).toBe(60);
  });
});
