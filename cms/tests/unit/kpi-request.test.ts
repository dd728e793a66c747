import { previousPeriod, readKpiRequest } from '../../src/reports/kpi-request';
import { readAgentInterval } from '../../src/reports/agent-interval-input';
import { csvCell } from '../../src/reports/kpi-table';
import { localMidnightUtc, utcOffsetMinutes } from '../../src/reports/kpi-report';

describe('readKpiRequest', () => {
  it('reads a plain request, grouping by day unless told', () => {
    expect(readKpiRequest({ from: '2026-10-01', to: '2026-10-31' }).value).toEqual({ from: '2026-10-01', to: '2026-10-31', groupBy: 'day', client: null, campaign: null, agent: null });
    expect(readKpiRequest({ from: '2026-10-01', to: '2026-10-01', groupBy: 'agent', agent: '12' }).value).toMatchObject({ groupBy: 'agent', agent: '12' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no from', { to: '2026-10-01' }, 'from'],
    ['no to', { from: '2026-10-01' }, 'to'],
    ['a month that does not exist', { from: '2026-13-01', to: '2026-12-01' }, 'from'],
    ['the 31st of November', { from: '2026-11-31', to: '2026-12-01' }, 'from'],
    ['a time in the date', { from: '2026-10-01T00:00', to: '2026-10-02' }, 'from'],
    ['to before from', { from: '2026-10-02', to: '2026-10-01' }, 'to'],
    ['more than 367 days', { from: '2025-01-01', to: '2026-01-03' }, 'to'],
    ['a list', { from: ['2026-10-01', '2026-10-02'], to: '2026-10-03' }, 'from'],
    ['an operator object', { from: { $gt: '2026-10-01' }, to: '2026-10-03' }, 'from'],
    ['groupBy week', { from: '2026-10-01', to: '2026-10-03', groupBy: 'week' }, 'groupBy'],
    ['a campaign with a quote', { from: '2026-10-01', to: '2026-10-03', campaign: "x' OR 1=1" }, 'campaign'],
    ['an unknown parameter', { from: '2026-10-01', to: '2026-10-03', filters: { a: 1 } }, 'filters'],
  ])('refuses %s, naming %s', (_name, query, field) => {
    const { value, problems } = readKpiRequest(query);
    expect(value).toBeNull();
    expect(problems.map((p) => p.path[0])).toContain(field);
  });
});

describe('previousPeriod', () => {
  it.each([
    ['2026-10-01', '2026-10-31', '2026-08-31', '2026-09-30'],
    ['2026-11-30', '2026-11-30', '2026-11-29', '2026-11-29'],
    ['2026-03-02', '2026-03-08', '2026-02-23', '2026-03-01'],
  ])('%s..%s follows %s..%s', (from, to, pFrom, pTo) => expect(previousPeriod(from, to)).toEqual({ from: pFrom, to: pTo }));
});

describe('readAgentInterval', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ok = { agentId: 4, campaign: 'abcdefghij1234567890abcd', status: 'ready', startedAt: '2026-11-30T10:00:00Z', endedAt: '2026-11-30T10:05:00Z' };
  it('reads a good interval', () => {
    expect(readAgentInterval('w1-agent4-000001', ok, now).value).toMatchObject({ agentId: 4, status: 'ready' });
  });
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a short id', 'x', ok, 'intervalId'],
    ['no agent', 'w1-agent4-000001', { ...ok, agentId: undefined }, 'agentId'],
    ['an agent as text', 'w1-agent4-000001', { ...ok, agentId: 'four' }, 'agentId'],
    ['an unknown state', 'w1-agent4-000001', { ...ok, status: 'lunch' }, 'status'],
    ['an end before the start', 'w1-agent4-000001', { ...ok, endedAt: '2026-11-30T09:00:00Z' }, 'endedAt'],
    ['more than a day', 'w1-agent4-000001', { ...ok, startedAt: '2026-11-28T10:00:00Z' }, 'endedAt'],
    ['an end in the future', 'w1-agent4-000001', { ...ok, endedAt: '2026-11-30T13:00:00Z' }, 'endedAt'],
    ['a campaign as an object', 'w1-agent4-000001', { ...ok, campaign: { id: 1 } }, 'campaign'],
    ['a date that is not one', 'w1-agent4-000001', { ...ok, startedAt: 'yesterday' }, 'startedAt'],
  ])('refuses %s', (_name, id, data, field) => {
    const { value, problems } = readAgentInterval(id, data, now);
    expect(value).toBeNull();
    expect(problems.map((p) => p.path[0])).toContain(field);
  });
});

describe('csvCell', () => {
  it.each<[string | number | null, string]>([
    [12.5, '12.5'],
    [null, ''],
    ['agent1', 'agent1'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1 312', "'+1 312"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['Smith, Pat', '"Smith, Pat"'],
  ])('%s is written %s', (v, expected) => expect(csvCell(v)).toBe(expected));
});

describe('utcOffsetMinutes', () => {
  it.each([
    ['America/New_York', '2026-07-01T12:00:00Z', -240],
    ['America/New_York', '2026-12-01T12:00:00Z', -300],
    ['Asia/Kolkata', '2026-12-01T12:00:00Z', 330],
    ['UTC', '2026-12-01T12:00:00Z', 0],
  ])('%s at %s is %s minutes', (tz, at, minutes) => expect(utcOffsetMinutes(tz, new Date(at))).toBe(minutes));
});

describe('localMidnightUtc', () => {
  it.each([
    ['2026-10-01', 'America/New_York', '2026-10-01T04:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-07-01', 'Europe/London', '2026-06-30T23:00:00.000Z'],
    ['2026-07-01', 'Pacific/Kiritimati', '2026-06-30T10:00:00.000Z'],
    ['2026-07-01', 'UTC', '2026-07-01T00:00:00.000Z'],
  ])('%s begins in %s at %s', (date, tz, iso) => expect(localMidnightUtc(date, tz).toISOString()).toBe(iso));
});
