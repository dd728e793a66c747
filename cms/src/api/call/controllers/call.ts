import { errors } from '@strapi/utils';
import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { recordAttempt } from '../../../dialing/attempt-recorder';
import { inboundLookup } from '../../../telephony/inbound-lookup';
import { linkInboundAccount, searchInboundAccounts } from '../../../telephony/inbound-account-link';

export default scopedController('api::call.call', ({ strapi }) => ({
  /** The dialer's write of one attempt, idempotent on the attempt id. Only API tokens (the worker) may call it. */
  async recordAttempt(ctx) {
    if (resolveAccess(strapi, ctx).kind !== 'unrestricted') throw new errors.PolicyError('Only the dialer records attempts');
    const data = ctx.request.body?.data;
    if (!data || typeof data !== 'object') throw new errors.ValidationError('Missing "data" payload in the request body');
    const { call, created } = await recordAttempt(strapi, ctx.params.attemptId, data);
    ctx.status = created ? 201 : 200;
    ctx.body = { data: call };
  },

  /** Who an inbound caller is (their accounts at the DID's client) and which campaigns take the call. Only the dialer asks. */
  async inboundLookup(ctx) {
    if (resolveAccess(strapi, ctx).kind !== 'unrestricted') throw new errors.PolicyError('Only the dialer looks up inbound callers');
    const body = ctx.request.body?.data;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new errors.ValidationError('Missing "data" payload in the request body');
    ctx.body = { data: await inboundLookup(strapi, { callerId: body.callerId, did: body.did }) };
  },

  /** An unknown inbound caller: the agent on the call searches the DID's client's accounts (audited). */
  async inboundAccountSearch(ctx) {
    ctx.body = { data: await searchInboundAccounts(strapi, ctx, resolveAccess(strapi, ctx), ctx.params.attemptId, ctx.query?.q) };
  },

  /** The agent on an inbound call links the account the caller is about to the call (audited with the call's write). */
  async linkInboundAccount(ctx) {
    const body = ctx.request.body?.data;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new errors.ValidationError('Missing "data" payload in the request body');
    ctx.body = { data: await linkInboundAccount(strapi, resolveAccess(strapi, ctx), ctx.params.attemptId, body.accountDocumentId) };
  },
}));
