import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { accountContactRules } from '../../../dialing/contact-history';

export default scopedController('api::account.account', ({ strapi }) => ({
  /** The Regulation F counters of an account the reader may see, and when the next call is allowed. */
  async contactRules(ctx) {
    await assertVisible(strapi, 'api::account.account', ctx.params.id, resolveAccess(strapi, ctx));
    ctx.body = { data: await accountContactRules(strapi, ctx.params.id) };
  },
}));
