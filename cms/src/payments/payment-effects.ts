import type { Core } from '@strapi/strapi';
import { asServer } from '../access/access-context';
import { evaluateAccountPromises, isSettling } from './promise-evaluator';

const PAYMENT = 'api::payment.payment';
const ACCOUNT = 'api::account.account';
const cents = (n: unknown) => Math.round(Number(n ?? 0) * 100);

/**
 * A payment moves its account: the balance goes down by its amount (never
 * below zero: an overpayment is a refund's business, not a negative debt) and
 * lastPaymentDate is the latest payment's day; then the account's promises are
 * evaluated. All of it in the payment's own transaction (the audit trail opens
 * one around every write), so a payment never lands without its effects.
 */
export function registerPaymentEffects(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== PAYMENT || !['create', 'update', 'delete'].includes(ctx.action) || isSettling()) return next();
    const params = ctx.params as any;
    // Joins the audit trail's transaction when there is one: the payment, its effects and their audit entries commit together.
    return strapi.db.transaction(async () => {
    const load = (where: Record<string, unknown>) => strapi.db.query(PAYMENT).findOne({ where, select: ['id', 'amount'], populate: { account: { select: ['id'] } } } as any);
    const before = ctx.action === 'create' ? null : await load({ documentId: params.documentId });
    const result: any = await next();
    const after = ctx.action === 'delete' ? null : result?.id ? await load({ id: result.id }) : null;
    const accounts = new Map<number, number>();
    if (before?.account) accounts.set(before.account.id, (accounts.get(before.account.id) ?? 0) + cents(before.amount));
    if (after?.account) accounts.set(after.account.id, (accounts.get(after.account.id) ?? 0) - cents(after.amount));
    await asServer(async () => {
      for (const [accountId, delta] of accounts) await moveAccount(strapi, accountId, delta);
      for (const accountId of accounts.keys()) await evaluateAccountPromises(strapi, accountId, new Date());
    });
    return result;
    });
  });
}

async function moveAccount(strapi: Core.Strapi, accountId: number, deltaCents: number) {
  const account = await strapi.db.query(ACCOUNT).findOne({ where: { id: accountId }, select: ['documentId', 'balance', 'lastPaymentDate'] } as any);
  if (!account) return;
  const link = (strapi.db.metadata.get(PAYMENT as any) as any).attributes.account.joinTable;
  const table = (strapi.db.metadata.get(PAYMENT as any) as any).tableName as string;
  // In the payment's transaction: the payment just written (or deleted) counts.
  const latest = await strapi.db.transaction(({ trx }) => trx(table)
    .max({ d: 'paid_date' })
    .whereIn('id', trx(link.name).select(link.joinColumn.name).where(link.inverseJoinColumn.name, accountId))
    .first());
  const data: Record<string, unknown> = {};
  if (deltaCents !== 0) data.balance = Math.max(0, cents(account.balance) + deltaCents) / 100;
  const lastPaymentDate = latest?.d ? new Date(latest.d).toISOString().slice(0, 10) : null;
  const stored = account.lastPaymentDate ? String(account.lastPaymentDate).slice(0, 10) : null;
  if (lastPaymentDate !== stored) data.lastPaymentDate = lastPaymentDate;
  if (Object.keys(data).length) await strapi.documents(ACCOUNT).update({ documentId: account.documentId, data } as any);
}
