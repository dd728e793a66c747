import type { Core } from '@strapi/strapi';
import { asServer } from '../access/access-context';
import { onBehalfOf, type Actor } from '../audit/actor';
import { diffDocuments } from '../audit/document-diff';
import type { AuditEvent } from '../api/audit-log/services/audit-log';
import { ACCOUNT_LOCK_SPACE, evaluateAccountPromises } from '../payments/promise-evaluator';
import { insertRows } from './bulk-insert';
import { newDocumentId } from './document-id';
import type { Delta, ErrorRow, Good, Job } from './import-job';
import { paymentKey } from './payment-row';
import { ImportErrorCode } from './row-problem';

const ACCOUNT = 'api::account.account';
const PAYMENT = 'api::payment.payment';
const PROMISE = 'api::promise-to-pay.promise-to-pay';
const cents = (n: unknown) => Math.round(Number(n ?? 0) * 100);
/** A `date` column's value as YYYY-MM-DD: pg answers a Date at local midnight, SQLite the text. */
const dayOf = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};

/**
 * Payments of a batch, set-based, with what the document service does for
 * one REST payment (payment-effects.ts, write-guard.ts, the audit trail):
 * each stored with its account and client, each audited under the supervisor
 * who started the import; each touched account's balance down by the sum of
 * its new payments (never below zero, as one payment at a time would leave
 * it) and lastPaymentDate its latest payment's day, audited once per batch
 * with the net change; then the promises of those accounts that have any
 * evaluated once, after all of the batch's payments are in. All of it in the
 * batch's transaction.
 */
export async function writePayments(strapi: Core.Strapi, trx: any, job: Job, good: Good[], errors: ErrorRow[], columnOf: Map<string, string>, actor: Actor): Promise<Delta> {
  const delta: Delta = { created: 0, updated: 0, skipped: 0 };
  if (good.length === 0) return delta;
  const pg = strapi.db.dialect.client === 'postgres';
  const meta = strapi.db.metadata.get(ACCOUNT as any) as any;
  const clientLink = meta.attributes.client.joinTable;
  const col = (f: string) => meta.attributes[f].columnName;
  // Only the import's client's accounts: another client's account number is as unknown as a mistyped one.
  const numbers = [...new Set(good.map((g) => g.data.accountNumber))];
  const accounts = await trx(meta.tableName)
    .join(clientLink.name, `${clientLink.name}.${clientLink.joinColumn.name}`, `${meta.tableName}.id`)
    .where(`${clientLink.name}.${clientLink.inverseJoinColumn.name}`, job.client!.id)
    .whereIn(`${meta.tableName}.${col('accountNumber')}`, numbers)
    .select(`${meta.tableName}.id as id`, `${meta.tableName}.document_id as documentId`, `${meta.tableName}.${col('accountNumber')} as accountNumber`, `${meta.tableName}.${col('currency')} as currency`);
  const byNumber = new Map<string, any>(accounts.map((a: any) => [a.accountNumber, a]));
  const pmeta = strapi.db.metadata.get(PAYMENT as any) as any;
  const accountLink = pmeta.attributes.account.joinTable;
  const paymentClientLink = pmeta.attributes.client.joinTable;
  const pcol = (f: string) => pmeta.attributes[f].columnName;
  const stored = new Set<string>();
  const numberOf = new Map<number, string>(accounts.map((a: any) => [a.id, a.accountNumber]));
  if (accounts.length) {
    const rows = await trx(pmeta.tableName)
      .join(accountLink.name, `${accountLink.name}.${accountLink.joinColumn.name}`, `${pmeta.tableName}.id`)
      .whereIn(`${accountLink.name}.${accountLink.inverseJoinColumn.name}`, accounts.map((a: any) => a.id))
      .whereIn(`${pmeta.tableName}.${pcol('paidDate')}`, [...new Set(good.map((g) => g.data.paidDate))])
      .select(`${accountLink.name}.${accountLink.inverseJoinColumn.name} as account`, `${pmeta.tableName}.${pcol('reference')} as reference`, `${pmeta.tableName}.${pcol('paidDate')} as paidDate`, `${pmeta.tableName}.${pcol('amount')} as amount`);
    for (const r of rows) stored.add(paymentKey({ accountNumber: numberOf.get(r.account)!, reference: r.reference, paidDate: dayOf(r.paidDate)!, amount: r.amount }));
  }
  const refuse = (g: Good, field: string, code: ImportErrorCode, message: string, severity: 'error' | 'warning' = 'error') =>
    errors.push({ row: g.row, severity, column: columnOf.get(field) ?? null, field, code, message: `Row ${g.row}: ${message}`, rawValue: g.data[field] == null ? null : String(g.data[field]), rawRow: g.raw });
  const creates: Array<{ g: Good; account: any }> = [];
  for (const g of good) {
    const account = byNumber.get(g.data.accountNumber);
    if (!account) { refuse(g, 'accountNumber', ImportErrorCode.UNKNOWN_ACCOUNT, `accountNumber ${g.data.accountNumber} is not an account of this client`); continue; }
    const currency = account.currency ?? 'USD';
    if (g.data.currency && g.data.currency !== currency) { refuse(g, 'currency', ImportErrorCode.CURRENCY_MISMATCH, `currency must be the account's, ${currency}`); continue; }
    if (stored.has(paymentKey(g.data as any))) {
      refuse(g, 'accountNumber', ImportErrorCode.DUPLICATE_IN_DATABASE, `this payment (reference ${g.data.reference ?? '(none)'}, paidDate ${g.data.paidDate}, amount ${g.data.amount}) is already stored on accountNumber ${g.data.accountNumber}: skipped`, 'warning');
      delta.skipped++;
      continue;
    }
    creates.push({ g, account });
  }
  delta.created = creates.length;
  if (job.mode === 'dry-run' || creates.length === 0) return delta;

  // The payments, and their links to account and client (the write guard's: a payment's client is its account's).
  const now = new Date();
  const docIds = creates.map(() => newDocumentId());
  const facts = creates.map(({ g, account }) => ({
    amount: g.data.amount, currency: g.data.currency ?? account.currency ?? 'USD', paidDate: g.data.paidDate,
    method: g.data.method ?? null, reference: g.data.reference ?? null, source: 'import', notes: null,
  }));
  const rows = facts.map((f, k) => {
    const row: Record<string, unknown> = { document_id: docIds[k], created_at: now, updated_at: now, published_at: now };
    for (const [field, value] of Object.entries(f)) row[pcol(field)] = value;
    return row;
  });
  const inserted = await insertRows(trx, strapi.db.dialect.client, pmeta.tableName, rows, ['id', 'document_id']);
  const idOf = new Map<string, number>((inserted.length === rows.length ? inserted : await trx(pmeta.tableName).whereIn('document_id', docIds).select('id', 'document_id')).map((r: any) => [r.document_id, r.id]));
  await insertRows(trx, strapi.db.dialect.client, accountLink.name, creates.map(({ account }, k) => ({ [accountLink.joinColumn.name]: idOf.get(docIds[k]), [accountLink.inverseJoinColumn.name]: account.id })));
  await insertRows(trx, strapi.db.dialect.client, paymentClientLink.name, docIds.map((d) => ({ [paymentClientLink.joinColumn.name]: idOf.get(d), [paymentClientLink.inverseJoinColumn.name]: job.client!.id })));

  // The accounts with promises to evaluate, locked before anything here takes the audit chain's lock: a REST
  // payment takes its account's lock, then the chain's; the same order here cannot deadlock with it.
  const touched = [...new Set(creates.map((c) => c.account.id as number))].sort((a, b) => a - b);
  const promised = [...new Set<number>((await strapi.db.query(PROMISE as any).findMany({
    where: { account: { id: { $in: touched } }, state: { $ne: 'cancelled' } }, select: ['id'], populate: { account: { select: ['id'] } },
  } as any)).map((p: any) => p.account?.id).filter((id: unknown) => id != null))].sort((a, b) => a - b);
  // One statement, in id order (the aggregate runs over the sorted rows), so two imports lock alike.
  if (pg && promised.length) await trx.raw('SELECT count(pg_advisory_xact_lock(?, s.id)) FROM (SELECT unnest(?::int[]) AS id ORDER BY 1) s', [ACCOUNT_LOCK_SPACE, promised]);

  // Balances and last payment days: the account rows locked (a REST payment on one waits), moved once each.
  const balanceCol = col('balance');
  const lastCol = col('lastPaymentDate');
  const current = pg
    ? (await trx.raw(`SELECT id, document_id, ?? AS balance, ?? AS last FROM ?? WHERE id = ANY(?) ORDER BY id FOR UPDATE`, [balanceCol, lastCol, meta.tableName, touched])).rows
    : await trx(meta.tableName).whereIn('id', touched).select('id', 'document_id', `${balanceCol} as balance`, `${lastCol} as last`);
  const latest = new Map<number, string | null>((await trx(pmeta.tableName)
    .join(accountLink.name, `${accountLink.name}.${accountLink.joinColumn.name}`, `${pmeta.tableName}.id`)
    .whereIn(`${accountLink.name}.${accountLink.inverseJoinColumn.name}`, touched)
    .groupBy(`${accountLink.name}.${accountLink.inverseJoinColumn.name}`)
    .select(`${accountLink.name}.${accountLink.inverseJoinColumn.name} as account`)
    .max({ d: `${pmeta.tableName}.${pcol('paidDate')}` })).map((r: any) => [Number(r.account), dayOf(r.d)]));
  const paid = new Map<number, number>();
  for (const { g, account } of creates) paid.set(account.id, (paid.get(account.id) ?? 0) + cents(g.data.amount));
  const accountAttributes = strapi.contentTypes[ACCOUNT].attributes as Record<string, any>;
  const paymentAttributes = strapi.contentTypes[PAYMENT].attributes as Record<string, any>;
  const moves: Array<{ id: number; balance: number; last: string | null }> = [];
  const events: AuditEvent[] = creates.map(({ account }, k) => ({
    actor, action: 'create', entity: PAYMENT, entityDocumentId: docIds[k], clientDocumentId: job.client!.documentId, requestId: `import:${job.documentId}`,
    changes: diffDocuments(paymentAttributes, null, { ...facts[k], account: { documentId: account.documentId }, client: { documentId: job.client!.documentId } }),
  }));
  for (const a of current) {
    // Each payment alone would clamp at zero; amounts are positive, so the sum clamped once ends at the same balance.
    const before = { balance: Number(a.balance ?? 0), lastPaymentDate: dayOf(a.last) };
    const after = { balance: Math.max(0, cents(a.balance) - (paid.get(a.id) ?? 0)) / 100, lastPaymentDate: latest.get(a.id) ?? null };
    const changes = diffDocuments(accountAttributes, before, after);
    if (Object.keys(changes).length === 0) continue;
    moves.push({ id: a.id, balance: after.balance, last: after.lastPaymentDate });
    events.push({ actor, action: 'update', entity: ACCOUNT, entityDocumentId: a.document_id, clientDocumentId: job.client!.documentId, changes, requestId: `import:${job.documentId}` });
  }
  if (moves.length && pg) {
    await trx.raw(`UPDATE ?? AS a SET ?? = v.balance, ?? = v.last, updated_at = ? FROM json_to_recordset(?::json) AS v(id int, balance numeric, last date) WHERE a.id = v.id`,
      [meta.tableName, balanceCol, lastCol, now, JSON.stringify(moves)]);
  } else {
    for (const m of moves) await trx(meta.tableName).where({ id: m.id }).update({ [balanceCol]: m.balance, [lastCol]: m.last, updated_at: now });
  }
  await (strapi.service('api::audit-log.audit-log') as any).appendMany(events);

  // Promises see every payment of the batch; their changes go through the document service (validated, audited).
  if (promised.length) {
    await onBehalfOf(actor, () => asServer(async () => {
      for (const accountId of promised) await evaluateAccountPromises(strapi, accountId, new Date());
    }));
  }
  return delta;
}
