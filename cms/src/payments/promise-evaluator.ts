import type { Core } from '@strapi/strapi';
import { AsyncLocalStorage } from 'async_hooks';
import { asServer } from '../access/access-context';
import { sharedConfig, type PromiseRules } from '../shared-config';
import { evaluatePromise, type PaymentFacts, type PromiseFacts, type PromiseState } from './promise-state';

const PROMISE = 'api::promise-to-pay.promise-to-pay';
const PAYMENT = 'api::payment.payment';
/** Key space of the PostgreSQL advisory locks taken per account (the second key is the account id). */
export const ACCOUNT_LOCK_SPACE = 815_002;

const settling = new AsyncLocalStorage<true>();

/** True inside an evaluation: the payments it links are bookkeeping, not new money, and set off no evaluation of their own. */
export const isSettling = () => settling.getStore() === true;

export type EvaluationResult = { promises: number; changed: number; callbacks: number };

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

/**
 * Settles the promises of one account by rule (promise-state.ts) and writes
 * what changed, through the document service so each change is validated and
 * audited. Call it inside a transaction: on PostgreSQL it takes the account's
 * advisory lock for the rest of that transaction, so a payment and the hourly
 * job evaluating the same account never both raise a callback.
 */
export async function evaluateAccountPromises(strapi: Core.Strapi, accountId: number, now: Date): Promise<EvaluationResult> {
  // Nested in the caller's transaction, so the lock lasts until it commits.
  if (isPostgres(strapi)) await strapi.db.transaction(({ trx }) => trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [ACCOUNT_LOCK_SPACE, accountId]));
  const rules = sharedConfig<PromiseRules>('promises');
  const account = await strapi.db.query('api::account.account').findOne({
    where: { id: accountId }, select: ['id', 'documentId'],
    populate: { client: { select: ['id', 'defaultTimezone', 'promiseGraceDays', 'callbackOnBrokenPromise'] } },
  } as any);
  if (!account) return { promises: 0, changed: 0, callbacks: 0 };
  const client = account.client ?? {};
  const timeZone = client.defaultTimezone || 'UTC';
  const graceDays = client.promiseGraceDays ?? rules.graceDays;
  const callbackOn = new Set<PromiseState>(
    (client.callbackOnBrokenPromise ?? rules.brokenPromiseCallback.enabled) ? ['broken', ...(rules.brokenPromiseCallback.alsoPartiallyKept ? ['partially_kept' as const] : [])] : [],
  );

  const promises = await strapi.db.query(PROMISE).findMany({
    where: { account: { id: accountId }, state: { $ne: 'cancelled' } },
    select: ['id', 'documentId', 'amount', 'dueDate', 'state', 'paidAmount', 'createdAt', 'resolvedAt'],
    populate: { agent: { select: ['id'] }, brokenCallback: { select: ['id'] } },
    orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
  } as any);
  if (!promises.length) return { promises: 0, changed: 0, callbacks: 0 };
  const paymentRows = await strapi.db.query(PAYMENT).findMany({
    where: { account: { id: accountId } }, select: ['id', 'documentId', 'amount', 'paidDate'], populate: { promise: { select: ['id'] } },
  } as any);
  const payments: PaymentFacts[] = paymentRows.map((p: any) => ({ id: p.id, amount: Number(p.amount), paidDate: String(p.paidDate).slice(0, 10), promiseId: p.promise?.id ?? null }));
  const paymentDoc = new Map<number, string>(paymentRows.map((p: any) => [p.id, p.documentId]));

  let changed = 0, callbacks = 0;
  await settling.run(true, () => asServer(async () => {
    // Earliest due first: an unlinked payment settles the promise due first, and is then linked to it.
    for (const row of promises) {
      const facts: PromiseFacts = { id: row.id, amount: Number(row.amount), madeAt: new Date(row.createdAt), dueDate: String(row.dueDate).slice(0, 10), state: row.state };
      const verdict = evaluatePromise(facts, payments, { graceDays, timeZone, now });
      for (const id of verdict.counted) {
        const p = payments.find((x) => x.id === id)!;
        p.promiseId = row.id;
        await strapi.documents(PAYMENT).update({ documentId: paymentDoc.get(id)!, data: { promise: row.documentId } } as any);
      }
      const resolvedAt = verdict.resolvedOn ? new Date(`${verdict.resolvedOn}T00:00:00Z`).toISOString() : null;
      const data: Record<string, unknown> = {};
      if (verdict.state !== row.state) data.state = verdict.state;
      if (Number(row.paidAmount ?? 0) !== verdict.paidAmount) data.paidAmount = verdict.paidAmount;
      if ((row.resolvedAt ? new Date(row.resolvedAt).toISOString() : null) !== resolvedAt) data.resolvedAt = resolvedAt;
      if (callbackOn.has(verdict.state) && !row.brokenCallback) {
        const callback = await strapi.documents('api::callback.callback').create({
          data: {
            account: account.documentId, owner: row.agent?.id ?? null, state: 'scheduled',
            dueAt: new Date(now.getTime() + rules.brokenPromiseCallback.dueInHours * 3_600_000).toISOString(),
            notes: `Promise of ${row.amount} due ${facts.dueDate} ${verdict.state === 'broken' ? 'broken' : `partially kept (${verdict.paidAmount} paid)`}`,
          },
        } as any);
        data.brokenCallback = callback.documentId;
        callbacks++;
      }
      if (Object.keys(data).length) {
        await strapi.documents(PROMISE).update({ documentId: row.documentId, data } as any);
        changed++;
      }
    }
  }));
  return { promises: promises.length, changed, callbacks };
}
