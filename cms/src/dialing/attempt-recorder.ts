import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const CALL = 'api::call.call';
export const ATTEMPT_ID = /^[A-Za-z0-9._:-]{6,64}$/;

export type RecordedAttempt = { call: any; created: boolean };

/** The first key of the two-key advisory locks on attempt ids ('ATMP'); one-key locks (the audit chain's) are another space. */
const ATTEMPT_LOCK_SPACE = 0x41544d50;

function isUniqueViolation(error: any): boolean {
  return error?.code === '23505' || /UNIQUE constraint failed|duplicate key|must be unique/i.test(String(error?.message ?? ''));
}

/**
 * The links every record job of a call sends again (the worker sends the whole record each time),
 * by the key it names them with. Setting a many-to-one link to what it already is still costs
 * Strapi a select, a delete and an insert per link, and its "not one of this document's
 * siblings" subquery once ran for 19-44 s in a full test run (a PUT of a call waited 78 s): a
 * link that did not change is left out of the update.
 */
const SAME_LINK: Record<string, 'documentId' | 'id'> = { account: 'documentId', campaign: 'documentId', client: 'documentId', agent: 'id' };

function withoutUnchangedLinks(fields: Record<string, any>, existing: any): Record<string, any> {
  const out = { ...fields };
  for (const [field, key] of Object.entries(SAME_LINK)) {
    const sent = out[field];
    if ((typeof sent === 'string' || typeof sent === 'number') && existing[field] && existing[field][key] === sent) delete out[field];
  }
  // An inbound call's accounts (documentIds, in order): the same list again would be deleted, inserted and reordered.
  const sent = out.accounts;
  const stored: string[] = (existing.accounts ?? []).map((a: any) => a.documentId);
  if (Array.isArray(sent) && sent.every((d) => typeof d === 'string') && sent.length === stored.length && sent.every((d, i) => d === stored[i])) delete out.accounts;
  return out;
}

/**
 * Creates or completes the call record of one dial attempt, keyed by the
 * attempt id the dialer carried into the PBX. Sending the same attempt twice
 * (a retried recording job) leaves one record; a second writer racing the
 * first lands on the unique index and becomes an update.
 */
export async function recordAttempt(strapi: Core.Strapi, attemptId: string, data: Record<string, any>): Promise<RecordedAttempt> {
  if (!ATTEMPT_ID.test(attemptId)) {
    throw new errors.ValidationError('attemptId must be 6-64 letters, digits or ._:-', { errors: [{ path: ['attemptId'], message: 'attemptId is malformed', name: 'ValidationError' }] });
  }
  const { callback, promise, scheduledCallback, ...fields } = data;
  const write = async (): Promise<RecordedAttempt> =>
    strapi.db.transaction(async ({ trx }) => {
      // The dialer's record jobs of one call run side by side: one written before the wrap-up may
      // land after the final one and would undo it, and two first writes would both create the call
      // (one then rolls back on the unique index and starts again). They take turns on a lock of
      // the attempt id, which exists before its row does; and a wrapped-up call is final.
      if (strapi.db.dialect.client === 'postgres') await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [ATTEMPT_LOCK_SPACE, attemptId]);
      const existing = await strapi.db.query(CALL).findOne({
        where: { attemptId },
        select: ['id', 'documentId', 'wrapEndedAt'],
        populate: { disposition: { select: ['id'] }, accounts: { select: ['documentId'] }, ...Object.fromEntries(Object.entries(SAME_LINK).map(([field, key]) => [field, { select: [key] }])) },
      });
      if (existing?.wrapEndedAt && !fields.wrapEndedAt) return { call: existing, created: false };
      const call = existing
        ? await strapi.documents(CALL).update({ documentId: existing.documentId, data: withoutUnchangedLinks(fields, existing) } as any)
        : await strapi.documents(CALL).create({ data: { ...fields, attemptId } } as any);
      await bookkeeping(strapi, call, fields, callback);
      // The wrap-up happens once: the first write that carries the disposition carries what it promised.
      if (fields.disposition && !existing?.disposition) await recordWrapUp(strapi, call, promise, scheduledCallback);
      return { call, created: !existing };
    });
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) return write();
    throw error;
  }
}

async function bookkeeping(strapi: Core.Strapi, call: any, fields: Record<string, any>, callbackDocumentId?: string) {
  const stored = await strapi.db.query(CALL).findOne({ where: { id: call.id }, populate: { account: { select: ['documentId', 'lastAttemptAt', 'lastContactAt'] } } });
  const account = stored?.account;
  if (account) {
    const at = stored.dialedAt ?? stored.queuedAt ?? stored.createdAt;
    const update: Record<string, unknown> = {};
    // A call the debtor made is no attempt of ours (Regulation F counts only calls placed to them).
    if (stored.direction !== 'inbound' && (!account.lastAttemptAt || new Date(account.lastAttemptAt) < new Date(at))) update.lastAttemptAt = new Date(at).toISOString();
    if (stored.outcome === 'connected' && (!account.lastContactAt || new Date(account.lastContactAt) < new Date(at))) update.lastContactAt = new Date(at).toISOString();
    if (Object.keys(update).length) await strapi.documents('api::account.account').update({ documentId: account.documentId, data: update } as any);
  }
  if (callbackDocumentId && fields.outcome && fields.outcome !== 'pending') {
    await strapi.documents('api::callback.callback').update({
      documentId: callbackDocumentId,
      data: { state: fields.outcome === 'connected' ? 'completed' : 'attempted', call: call.documentId },
    } as any);
  }
}

/**
 * The promise to pay and the callback an agent recorded in wrap-up, linked to the call and its
 * account, written in the call's transaction through the document service (audited, guarded).
 */
async function recordWrapUp(strapi: Core.Strapi, call: any, promise?: Record<string, unknown>, scheduledCallback?: Record<string, unknown>) {
  if (!promise && !scheduledCallback) return;
  const stored = await strapi.db.query(CALL).findOne({
    where: { id: call.id },
    populate: { account: { select: ['documentId', 'currency'] }, campaign: { select: ['documentId'] }, agent: { select: ['id'] } },
  });
  if (!stored?.account) throw new errors.ValidationError('A promise or callback needs the call\'s account', { errors: [{ path: ['account'], message: 'account is required with a promise or callback', name: 'ValidationError' }] });
  const links = { account: stored.account.documentId, call: stored.documentId, ...(stored.agent ? { agent: stored.agent.id } : {}) };
  if (promise && typeof promise === 'object') {
    const { amount, dueDate, paymentMethod } = promise;
    await strapi.documents('api::promise-to-pay.promise-to-pay').create({
      data: { ...links, amount, dueDate, ...(paymentMethod ? { paymentMethod } : {}), currency: stored.account.currency ?? 'USD', state: 'pending' },
    } as any);
  }
  if (scheduledCallback && typeof scheduledCallback === 'object') {
    const { agent, ...rest } = links;
    await strapi.documents('api::callback.callback').create({
      data: {
        ...rest,
        ...(stored.campaign ? { campaign: stored.campaign.documentId } : {}),
        ...(agent ? { owner: agent } : {}),
        phone: typeof scheduledCallback.phone === 'string' ? scheduledCallback.phone : stored.phone,
        dueAt: scheduledCallback.dueAt,
        state: 'scheduled',
      },
    } as any);
  }
}
