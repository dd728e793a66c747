import { localClock } from '../compliance/local-time';

export type PromiseState = 'pending' | 'kept' | 'broken' | 'partially_kept' | 'cancelled';

export type PromiseFacts = {
  id: number;
  amount: number;
  /** When the promise was taken. */
  madeAt: Date;
  /** The day it is due, YYYY-MM-DD, in the client's time zone. */
  dueDate: string;
  state: PromiseState;
};

export type PaymentFacts = {
  id: number;
  amount: number;
  /** The day the money came in, YYYY-MM-DD (a date, as banks report it). */
  paidDate: string;
  /** The promise the payment says it settles, if any. */
  promiseId: number | null;
};

export type PromiseVerdict = {
  state: PromiseState;
  /** What counted toward the promise, rounded to cents. */
  paidAmount: number;
  /** The last day a payment counts: the due date plus the grace days. */
  graceEnds: string;
  /** Unlinked payments this promise counted: the caller links them so no other promise counts them again. */
  counted: number[];
  /** When the verdict became final (kept: the day the amount was reached; broken or partial: the day after the grace), null while pending. */
  resolvedOn: string | null;
};

/** YYYY-MM-DD plus n calendar days (no time zone involved: a date is a date). */
export function addDays(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const cents = (n: number) => Math.round(n * 100);

/**
 * A promise's state by rule, never by hand: payments on the account dated from
 * the day the promise was taken (in the client's time zone) to its due date
 * plus the grace days count toward it. Kept as soon as they reach the amount;
 * once the grace has ended (the client's calendar is past its last day), broken
 * when nothing came and partially kept when some did. Payments outside the
 * window (before the promise, after the grace) never count; a payment linked to
 * another promise counts only there. A cancelled promise stays cancelled.
 * Re-evaluating with the same facts gives the same verdict (the job is idempotent),
 * and a payment recorded late but dated inside the window corrects a verdict.
 */
export function evaluatePromise(promise: PromiseFacts, payments: PaymentFacts[], opts: { graceDays: number; timeZone: string; now: Date }): PromiseVerdict {
  const from = localClock(promise.madeAt, opts.timeZone).date;
  const graceEnds = addDays(promise.dueDate, Math.max(0, Math.floor(opts.graceDays)));
  const today = localClock(opts.now, opts.timeZone).date;
  const eligible = payments
    .filter((p) => (p.promiseId === null || p.promiseId === promise.id) && p.paidDate >= from && p.paidDate <= graceEnds && p.paidDate <= today)
    .sort((a, b) => (a.paidDate < b.paidDate ? -1 : a.paidDate > b.paidDate ? 1 : a.id - b.id));
  const target = cents(promise.amount);
  let paid = 0;
  let reachedOn: string | null = null;
  const counted: number[] = [];
  for (const p of eligible) {
    if (reachedOn) break;
    paid += cents(p.amount);
    if (p.promiseId === null) counted.push(p.id);
    if (paid >= target) reachedOn = p.paidDate;
  }
  const paidAmount = paid / 100;
  if (promise.state === 'cancelled') return { state: 'cancelled', paidAmount, graceEnds, counted: [], resolvedOn: null };
  if (reachedOn) return { state: 'kept', paidAmount, graceEnds, counted, resolvedOn: reachedOn };
  if (today > graceEnds) return { state: paid > 0 ? 'partially_kept' : 'broken', paidAmount, graceEnds, counted, resolvedOn: addDays(graceEnds, 1) };
  return { state: 'pending', paidAmount, graceEnds, counted, resolvedOn: null };
}
