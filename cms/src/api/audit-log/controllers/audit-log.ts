import { scopedController } from '../../../access/scoped-controller';

export default scopedController('api::audit-log.audit-log', ({ strapi }) => ({
  async verify(ctx) {
    ctx.body = await strapi.service('api::audit-log.audit-log').verifyChain();
  },
}));
