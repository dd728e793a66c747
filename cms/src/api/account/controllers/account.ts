import { scopedController } from '../../../access/scoped-controller';
import { resolveAccess } from '../../../access/access-context';
import { assertVisible } from '../../../access/visibility';
import { accountContactRules } from '../../../dialing/contact-history';
import { MAX_PAGE_SIZE } from '../../../../config/api';
import { ACCOUNT_CALL_FIELDS, accountCallView } from '../account-calls';
import { readReassignRequest } from '../reassign-request';
import { assignableAgents, reassignAccounts } from '../account-reassignment';
import { throwValidation } from '../../../validation/validation-middleware';
import { actorOf } from '../../../audit/actor';

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

  /**
   * Bulk reassignment: the selected accounts (by documentId, or every one a list filter matches,
   * within the writer's scope) to one agent of their client, audited account by account.
   */
  async reassign(ctx) {
    const { request, problems } = readReassignRequest(ctx.request.body);
    if (!request) return throwValidation(problems);
    if ('filters' in request.selection) {
      // The same filter rules as the list: what a reader may not filter on, a writer may not select by.
      const options = { auth: ctx.state.auth };
      const schema = strapi.contentType('api::account.account');
      try {
        await strapi.contentAPI.validate.query({ filters: request.selection.filters }, schema, options);
      } catch (error: any) {
        const at = typeof error?.details?.path === 'string' ? error.details.path.split('.') : [];
        throwValidation([{ path: ['filters', ...at], message: `filters: ${error?.message ?? 'invalid filter'}`, name: 'ValidationError' }]);
      }
      const filters = (await strapi.contentAPI.sanitize.query({ filters: request.selection.filters }, schema, options)).filters;
      // A filter sanitised down to nothing would select every account in scope: never what was asked.
      if (!filters || Object.keys(filters).length === 0) throwValidation([{ path: ['filters'], message: 'filters select by nothing a list may filter on', name: 'ValidationError' }]);
      request.selection.filters = filters;
    }
    const audit = { actor: actorOf(strapi.requestContext.get()), requestId: ctx.state.requestId ?? null };
    ctx.body = { data: await reassignAccounts(strapi, resolveAccess(strapi, ctx), request, audit) };
  },

  /** Who accounts may be reassigned to: the agents of the reader's clients. */
  async agents(ctx) {
    ctx.body = { data: await assignableAgents(strapi, resolveAccess(strapi, ctx)) };
  },

  /** The Regulation F counters of an account the reader may see, and when the next call is allowed. */
  async contactRules(ctx) {
    await assertVisible(strapi, 'api::account.account', ctx.params.id, resolveAccess(strapi, ctx));
    ctx.body = { data: await accountContactRules(strapi, ctx.params.id) };
  },
}));
