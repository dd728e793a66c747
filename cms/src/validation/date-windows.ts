/** An edge of a window: a fixed day, or an offset from now (negative for the past). */
export type DateEdge = { on: string } | { years?: number; days?: number; minutes?: number };
export type DateWindow = { earliest: DateEdge; latest: DateEdge };

const SKEW = { minutes: 60 };
const HISTORY = { years: -10 };

/**
 * How far from today each date a writer sends may lie. A record from before the
 * Unix epoch, or a promise due in 1900 or 2999, is a typo or a broken import:
 * the ranges are wide enough for real records and their imports, narrow enough
 * to catch those. Things that already happened may be at most an hour ahead
 * (the clocks of cms, the worker and the PBX differ by seconds, not hours).
 */
export const DATE_WINDOWS: Record<string, Record<string, DateWindow>> = {
  'api::account.account': {
    chargeOffDate: { earliest: { on: '1970-01-01' }, latest: { days: 1 } },
    lastPaymentDate: { earliest: { on: '1970-01-01' }, latest: { days: 1 } },
    lastContactAt: { earliest: { on: '1990-01-01' }, latest: SKEW },
    lastAttemptAt: { earliest: { on: '1990-01-01' }, latest: SKEW },
    nextActionDate: { earliest: { years: -5 }, latest: { years: 5 } },
  },
  'api::call.call': Object.fromEntries(
    ['queuedAt', 'dialedAt', 'answeredAt', 'bridgedAt', 'endedAt', 'wrapEndedAt'].map((f) => [f, { earliest: HISTORY, latest: SKEW }]),
  ),
  'api::promise-to-pay.promise-to-pay': {
    dueDate: { earliest: { years: -1 }, latest: { years: 5 } },
    resolvedAt: { earliest: HISTORY, latest: SKEW },
  },
  // A payment already happened: dated at most a day ahead (time zones), up to ten years back for imported history.
  'api::payment.payment': {
    paidDate: { earliest: HISTORY, latest: { days: 1 } },
  },
  'api::callback.callback': {
    dueAt: { earliest: { years: -1 }, latest: { years: 1 } },
  },
  'api::dnc-entry.dnc-entry': {
    addedAt: { earliest: { on: '1970-01-01' }, latest: SKEW },
    expiresAt: { earliest: HISTORY, latest: { years: 10 } },
  },
  'api::campaign.campaign': {
    startedAt: { earliest: HISTORY, latest: SKEW },
    finishedAt: { earliest: HISTORY, latest: SKEW },
  },
  // Consent is a fact already given: never ahead of now beyond clock skew.
  'contact.phone': {
    consentDate: { earliest: { on: '1970-01-01' }, latest: { minutes: 5 } },
    consentRevokedAt: { earliest: { on: '1970-01-01' }, latest: { minutes: 5 } },
    lastDialedAt: { earliest: HISTORY, latest: SKEW },
  },
};

function edgeTime(edge: DateEdge, now: Date): Date {
  if ('on' in edge) return new Date(`${edge.on}T00:00:00.000Z`);
  const d = new Date(now.getTime());
  if (edge.years) d.setUTCFullYear(d.getUTCFullYear() + edge.years);
  return new Date(d.getTime() + (edge.days ?? 0) * 86_400_000 + (edge.minutes ?? 0) * 60_000);
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** JavaScript rolls 2026-02-30 over to March 2nd; PostgreSQL refuses it. */
function realDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return true;
  const parsed = new Date(`${text.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && day(parsed) === text.slice(0, 10);
}

/**
 * Why a value of a `date` or `datetime` attribute is refused, or null. Both
 * edges are inclusive; a `date` is compared by calendar day (UTC).
 */
export function dateWindowProblem(type: string, value: unknown, window: DateWindow | undefined, now: Date): string | null {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : null;
  const time = text === null || text === '' ? NaN : new Date(text).getTime();
  if (Number.isNaN(time) || !realDay(text!)) return 'must be a valid date';
  if (type === 'date' && !DAY_ONLY.test(text!) && !/^\d{4}-\d{2}-\d{2}T/.test(text!)) return 'must be a valid date';
  if (!window) return null;
  const earliest = edgeTime(window.earliest, now);
  const latest = edgeTime(window.latest, now);
  if (type === 'date') {
    const v = text!.slice(0, 10);
    return v < day(earliest) || v > day(latest) ? `must be between ${day(earliest)} and ${day(latest)}` : null;
  }
  return time < earliest.getTime() || time > latest.getTime() ? `must be between ${earliest.toISOString()} and ${latest.toISOString()}` : null;
}
