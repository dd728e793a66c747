import type { PaymentMethod, WrapUpCallback, WrapUpPromise } from '../../../protocol/socket-protocol';
import { CommandError } from './command-errors';

export type { PaymentMethod, WrapUpCallback, WrapUpPromise };
/** The methods the protocol names, as a runtime list for checking input. */
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'check', 'cash', 'other'] as const satisfies readonly PaymentMethod[];

const DAY_MS = 86_400_000;
const MAX_AMOUNT = 99_999_999.99;

const invalid = (field: string, rule: string) => new CommandError('INVALID', `${field} ${rule}`);

/**
 * The promise and callback of a `disposition` command, checked against the bounds cms applies
 * (input-bounds), so that cms never refuses a wrap-up the worker has accepted: a record cms
 * refused would lose the call. Pure: the clock is a parameter.
 */
export function wrapUpInput(p: Record<string, unknown>, now: number): { promise: WrapUpPromise | null; scheduledCallback: WrapUpCallback | null } {
  return { promise: promiseIn(p.promise, now), scheduledCallback: callbackIn(p.callback, now) };
}

function promiseIn(raw: unknown, now: number): WrapUpPromise | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('promise', 'must be an object with amount and dueDate');
  const { amount, dueDate, paymentMethod } = raw as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0.01 || amount > MAX_AMOUNT) throw invalid('promise.amount', `must be a number from 0.01 to ${MAX_AMOUNT}`);
  if (Math.abs(Math.round(amount * 100) - amount * 100) > 1e-6) throw invalid('promise.amount', 'must have at most two decimals');
  if (typeof dueDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`)) || new Date(`${dueDate}T00:00:00Z`).toISOString().slice(0, 10) !== dueDate) {
    throw invalid('promise.dueDate', 'must be a date as YYYY-MM-DD');
  }
  const due = Date.parse(`${dueDate}T00:00:00Z`);
  // A day of slack behind: the debtor's "today" may still be yesterday in UTC.
  if (due < now - 2 * DAY_MS || due > now + 5 * 365 * DAY_MS) throw invalid('promise.dueDate', 'must be from today to five years ahead');
  if (paymentMethod !== undefined && paymentMethod !== null && !PAYMENT_METHODS.includes(paymentMethod as PaymentMethod)) {
    throw invalid('promise.paymentMethod', `must be one of ${PAYMENT_METHODS.join(', ')}`);
  }
  return { amount: Math.round(amount * 100) / 100, dueDate, paymentMethod: (paymentMethod as PaymentMethod | undefined) ?? null };
}

function callbackIn(raw: unknown, now: number): WrapUpCallback | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('callback', 'must be an object with dueAt');
  const { dueAt } = raw as Record<string, unknown>;
  const at = typeof dueAt === 'string' ? Date.parse(dueAt) : NaN;
  if (Number.isNaN(at)) throw invalid('callback.dueAt', 'must be a date-time (ISO 8601)');
  if (at < now - 60_000 || at > now + 365 * DAY_MS) throw invalid('callback.dueAt', 'must be from now to a year ahead');
  return { dueAt: new Date(at).toISOString() };
}
