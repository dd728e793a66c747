import type { Core } from '@strapi/strapi';
import { asServer } from '../access/access-context';
import { dispositionEffects } from './disposition-effects';

/** Applies a call's disposition to the account and the DNC list, whoever records it (agent, worker, admin). */
export function registerDispositionEffects(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    const params = ctx.params as any;
    if (ctx.uid !== 'api::call.call' || !['create', 'update'].includes(ctx.action) || !params?.data?.disposition) return next();
    const result: any = await next();
    if (!result?.id) return result;
    const call = await strapi.db.query('api::call.call').findOne({
      where: { id: result.id },
      populate: { disposition: true, account: { select: ['documentId', 'status'] }, client: { select: ['documentId'] } },
    });
    if (!call?.disposition) return result;
    const effects = dispositionEffects(call.disposition);
    // The writer may record the disposition; what it does to the account and the list is the server's doing.
    await asServer(() => applyEffects(strapi, call, effects));
    return result;
  });
}

async function applyEffects(strapi: Core.Strapi, call: any, effects: ReturnType<typeof dispositionEffects>) {
  // A call always has its account's client (write-guard.ts); an entry without one would silently be global.
  if (effects.dncReason && call.phone && call.client) {
    const exists = await strapi.db.query('api::dnc-entry.dnc-entry').findOne({
      where: { phone: call.phone, $or: [{ scope: 'global' }, { client: { documentId: call.client?.documentId ?? '' } }] },
      select: ['id'],
    });
    if (!exists) {
      await strapi.documents('api::dnc-entry.dnc-entry').create({
        data: { phone: call.phone, scope: 'client', client: call.client.documentId, reason: effects.dncReason, source: 'disposition', notes: `Disposition ${call.disposition.code} on call ${call.documentId}` },
      } as any);
    }
  }
  if (effects.accountStatus && call.account && call.account.status !== effects.accountStatus) {
    await strapi.documents('api::account.account').update({ documentId: call.account.documentId, data: { status: effects.accountStatus } } as any);
  }
}
