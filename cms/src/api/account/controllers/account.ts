import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { accountContactRules } from '../../../dialing/contact-history';
import { MAX_PAGE_SIZE } from '../../../../config/api';
import { ACCOUNT_CALL_FIELDS, accountCallView } from '../account-calls';

const pageParam = (value: unknown, fallback: number, max: number) => {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
};

export default scopedController('api::account.account', ({ strapi }) => ({
  /**
   * Every call on an account the reader may open, newest first: the account's history belongs
   * to whoever works it, whoever dialed before (see account-calls.ts for who is named).
   */
  async calls(ctx) {
    const access = resolveAccess(strapi, ctx);
    await assertVisible(strapi, 'api::account.account', ctx.params.id, access);
    const pagination = ctx.query.pagination ?? {};
    const page = pageParam(pagination.page, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = pageParam(pagination.pageSize, 25, MAX_PAGE_SIZE);
    const filters = { account: { documentId: ctx.params.id } };
    const [calls, total] = await Promise.all([
      strapi.documents('api::call.call').findMany({
        filters,
        sort: ['createdAt:desc', 'id:desc'],
        fields: [...ACCOUNT_CALL_FIELDS],
        populate: { disposition: { fields: ['code', 'label'] }, agent: { fields: ['username'] } },
        start: (page - 1) * pageSize,
        limit: pageSize,
      } as any),
      strapi.documents('api::call.call').count({ filters } as any),
    ]);
    ctx.body = {
      data: calls.map((call: any) => accountCallView(call, access)),
      meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } },
    };
  },

  /** The Regulation F counters of an account the reader may see, and when the next call is allowed. */
  async contactRules(ctx) {
    await assertVisible(strapi, 'api::account.account', ctx.params.id, resolveAccess(strapi, ctx));
    ctx.body = { data: await accountContactRules(strapi, ctx.params.id) };
  },
}));
