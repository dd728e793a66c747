import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { nextDialable } from '../../../dialing/hopper';

export default scopedController('api::campaign.campaign', ({ strapi }) => ({
  async dialable(ctx) {
    await assertVisible(strapi, 'api::campaign.campaign', ctx.params.id, resolveAccess(strapi, ctx));
    const exclude = String(ctx.query.exclude ?? '').split(',').filter(Boolean);
    const account = typeof ctx.query.account === 'string' && ctx.query.account ? ctx.query.account : undefined;
    ctx.body = { data: await nextDialable(strapi, ctx.params.id, { limit: Number(ctx.query.limit ?? 20), excludePhones: exclude, accountDocumentId: account }) };
  },
}));
