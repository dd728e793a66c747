/**
 * The KPIs a collections agency is judged by, as pure arithmetic over counts
 * the report's SQL sums. The same words are served in `meta.definitions` and
 * printed in the README: a figure means exactly what its definition says.
 */
export type KpiCounts = {
  dials: number;
  connects: number;
  rightPartyContacts: number;
  promises: number;
  promisedAmount: number;
  promisesDue: number;
  promisesKept: number;
  promisesPartiallyKept: number;
  promisesBroken: number;
  collectedAmount: number;
  liveAnswered: number;
  abandoned: number;
  talkSeconds: number;
  wrapSeconds: number;
  /** Agent time logged in (null where the grouping has no agent time, e.g. by campaign without sessions). */
  loggedInSeconds: number | null;
  /** Of the logged-in time, the time paused (not available for calls). */
  pausedSeconds: number | null;
};

export type KpiRates = {
  contactRate: number | null;
  rpcRate: number | null;
  rpcPerConnect: number | null;
  ptpRate: number | null;
  keptRate: number | null;
  abandonRate: number | null;
  aht: number | null;
  utilization: number | null;
  occupancy: number | null;
};

export const KPI_DEFINITIONS: Record<keyof KpiCounts | keyof KpiRates, string> = {
  dials: 'Outbound call attempts started in the period (every outbound call record, whatever its outcome).',
  connects: 'Calls bridged to an agent in the period (outcome connected).',
  rightPartyContacts: 'Calls in the period whose disposition is flagged right-party contact (the debtor themself was reached).',
  promises: 'Promises to pay made in the period (by creation time), cancelled ones excluded.',
  promisedAmount: 'The sum of the amounts of those promises.',
  promisesDue: 'Promises whose due date falls in the period, cancelled ones excluded.',
  promisesKept: 'Of the promises due in the period, those kept: payments on the account between the promise and its due date plus the grace days reached the amount.',
  promisesPartiallyKept: 'Of the promises due in the period, those whose grace ended with some but not all of the amount paid.',
  promisesBroken: 'Of the promises due in the period, those whose grace ended with nothing paid.',
  collectedAmount: 'The sum of payments with a paid date in the period. By agent and campaign: payments settling a promise, credited to the agent who took it and to the campaign of its call.',
  liveAnswered: 'Calls answered by a person in the period (outcome connected or abandoned).',
  abandoned: 'Live-answered calls that reached no agent within the drop window (outcome abandoned).',
  talkSeconds: 'Seconds talking on the calls of the period.',
  wrapSeconds: 'Seconds of wrap-up after the calls of the period.',
  loggedInSeconds: 'Seconds agents were logged in to the dialer in the period (the intervals the dialer-worker records), pauses included.',
  pausedSeconds: 'Of the logged-in seconds, those spent paused.',
  contactRate: 'connects ÷ dials.',
  rpcRate: 'right-party contacts ÷ dials.',
  rpcPerConnect: 'right-party contacts ÷ connects.',
  ptpRate: 'promises ÷ right-party contacts.',
  keptRate: 'promises kept ÷ promises due in the period.',
  abandonRate: 'abandoned ÷ live answered.',
  aht: 'Average handle time in seconds: (talk seconds + wrap seconds) ÷ connects.',
  utilization: 'talk seconds ÷ logged-in seconds (agents only).',
  occupancy: '(talk seconds + wrap seconds) ÷ (logged-in seconds − paused seconds): the share of the time available for calls spent handling them (agents only).',
};

/** A ratio, or null when there is nothing to divide by: 0 ÷ 0 is no rate, not 0 %. */
export function ratio(numerator: number, denominator: number | null, digits = 4): number | null {
  if (denominator === null || !Number.isFinite(denominator) || denominator <= 0) return null;
  const f = 10 ** digits;
  return Math.round((numerator / denominator) * f) / f;
}

export function kpiRates(c: KpiCounts): KpiRates {
  const handle = c.talkSeconds + c.wrapSeconds;
  const available = c.loggedInSeconds === null ? null : c.loggedInSeconds - (c.pausedSeconds ?? 0);
  return {
    contactRate: ratio(c.connects, c.dials),
    rpcRate: ratio(c.rightPartyContacts, c.dials),
    rpcPerConnect: ratio(c.rightPartyContacts, c.connects),
    ptpRate: ratio(c.promises, c.rightPartyContacts),
    keptRate: ratio(c.promisesKept, c.promisesDue),
    abandonRate: ratio(c.abandoned, c.liveAnswered),
    aht: ratio(handle, c.connects, 1),
    utilization: ratio(c.talkSeconds, c.loggedInSeconds),
    occupancy: ratio(handle, available),
  };
}

export const KPI_COUNT_FIELDS: Array<keyof KpiCounts> = [
  'dials', 'connects', 'rightPartyContacts', 'promises', 'promisedAmount', 'promisesDue', 'promisesKept', 'promisesPartiallyKept',
  'promisesBroken', 'collectedAmount', 'liveAnswered', 'abandoned', 'talkSeconds', 'wrapSeconds', 'loggedInSeconds', 'pausedSeconds',
];
export const KPI_RATE_FIELDS: Array<keyof KpiRates> = ['contactRate', 'rpcRate', 'rpcPerConnect', 'ptpRate', 'keptRate', 'abandonRate', 'aht', 'utilization', 'occupancy'];

export function emptyCounts(): KpiCounts {
  return {
    dials: 0, connects: 0, rightPartyContacts: 0, promises: 0, promisedAmount: 0, promisesDue: 0, promisesKept: 0, promisesPartiallyKept: 0,
    promisesBroken: 0, collectedAmount: 0, liveAnswered: 0, abandoned: 0, talkSeconds: 0, wrapSeconds: 0, loggedInSeconds: null, pausedSeconds: null,
  };
}

/** Counts of two rows added: the totals row, and a period's sum of its days. */
export function addCounts(a: KpiCounts, b: KpiCounts): KpiCounts {
  const out = emptyCounts();
  for (const f of KPI_COUNT_FIELDS) {
    const x = a[f], y = b[f];
    (out as any)[f] = x === null && y === null ? null : roundMoney((x ?? 0) + (y ?? 0));
  }
  return out;
}

const roundMoney = (n: number) => Math.round(n * 100) / 100;
