import { errors } from '@strapi/utils';
import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { recordAttempt } from '../../../dialing/attempt-recorder';

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
}));
