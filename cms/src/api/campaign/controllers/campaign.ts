import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { nextDialable } from '../../../dialing/hopper';

export default scopedController('api::campaign.campaign', ({ strapi }) => ({
  async dialable(ctx) {
    await assertVisible(strapi, 'api::campaign.campaign', ctx.params.id, resolveAccess(strapi, ctx));
    const exclude = String(ctx.query.exclude ?? '').split(',').filter(Boolean);
    // Accounts the dialer has an attempt of whose record has not reached cms yet: their counts here are not complete.
    const excludeAccounts = String(ctx.query.excludeAccounts ?? '').split(',').filter(Boolean);
    const account = typeof ctx.query.account === 'string' && ctx.query.account ? ctx.query.account : undefined;
    ctx.body = { data: await nextDialable(strapi, ctx.params.id, { limit: Number(ctx.query.limit ?? 20), excludePhones: exclude, excludeAccounts, accountDocumentId: account }) };
  },
}));
