import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { MAX_PAGE_SIZE } from '../../config/api';
import { resolveAccess, type Access } from './access-context';
import { and, scopeFilter } from './scope-rules';
import { scopePopulate } from './populate-scope';
import { assertVisible as assertVisibleTo } from './visibility';
import { AGENT_SELF_FIELDS, forbiddenFields, OWNER_FIELDS } from './write-rules';
import { plainRead } from '../scale/plain-reads';
import { findPage } from '../scale/page-and-count';

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

function clampPagination(query: Record<string, any>): void {
  const p = query.pagination;
  if (!isObject(p)) return;
  for (const key of ['pageSize', 'limit']) {
    const n = Number(p[key]);
    if (p[key] !== undefined && Number.isFinite(n) && (n > MAX_PAGE_SIZE || n < 0)) p[key] = MAX_PAGE_SIZE;
  }
}

/**
 * Strapi's own input validation names the field in `details.path` ("Invalid
 * key $in at account"); every other 400 of ours lists `details.errors[]`.
 * One shape for clients and forms: the same error, with the list added.
 */
async function withFieldErrors(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error: any) {
    const details = error?.details;
    if (error instanceof errors.ValidationError && details && !Array.isArray(details.errors) && typeof details.path === 'string') {
      throw new errors.ValidationError(error.message, { ...details, errors: [{ path: details.path.split('.'), message: error.message, name: 'ValidationError' }] });
    }
    throw error;
  }
}

function notFound(): never {
  throw new errors.NotFoundError('Not Found');
}

/**
 * The core controller of a content type, with row-level scoping: reads are
 * AND-ed with the reader's scope (on the type and on every populated
 * relation), a row outside the scope answers 404 as if it did not exist, and
 * writes may only point at documents the writer can see.
 */
export function scopedController(uid: any, extra?: (deps: { strapi: any }) => Record<string, (ctx: any) => unknown>) {
  return factories.createCoreController(uid, ({ strapi }) => {
    const schemaOf = (u: string) => (strapi.contentTypes[u] ?? strapi.components[u]) as any;

    async function scopedQuery(query: Record<string, any>, access: Access) {
      clampPagination(query);
      const populate = await scopePopulate(uid, query.populate, access, schemaOf);
      return { ...query, populate, filters: and(query.filters, await scopeFilter(uid, access)) };
    }

    const assertWritableRow = (documentId: string, access: Access) => assertVisibleTo(strapi, uid, documentId, access, 'write');

    function assertWritable(action: 'create' | 'update', data: Record<string, any>, access: Access) {
      if (access.kind !== 'scoped' || access.role !== 'agent') return;
      const refused = forbiddenFields(uid, action, data);
      // A PolicyError, because Strapi replaces any other 403's message with a bare "Forbidden".
      if (refused.length > 0) throw new errors.PolicyError(`An agent cannot set ${refused.join(', ')}`, { fields: refused });
    }

    /**
     * Query and body of a write, checked against the writer's rights, then
     * Strapi's own validation and sanitising. A closure, not a controller
     * method: every method would show as a grantable action in the panel.
     */
    async function writeRequest(controller: any, ctx: any, action: 'create' | 'update', access: Access) {
      await controller.validateQuery(ctx);
      const query = await controller.sanitizeQuery(ctx);
      // The record a write answers with is populated under the same scope as a read: no reaching around it through a PUT.
      query.populate = await scopePopulate(uid, query.populate, access, schemaOf);
      if (query.populate === undefined) delete query.populate;
      const data = bodyData(ctx);
      assertWritable(action, data, access);
      await withFieldErrors(() => controller.validateInput(data, ctx));
      // Relations, their scope and derived fields are checked where every write passes (write-guard.ts).
      return { query, input: await controller.sanitizeInput(data, ctx) };
    }

    function bodyData(ctx: any): Record<string, any> {
      const data = ctx.request.body?.data;
      if (!isObject(data)) throw new errors.ValidationError('Missing "data" payload in the request body');
      return data;
    }

    return {
      async find(ctx) {
        const access = resolveAccess(strapi, ctx);
        await this.validateQuery(ctx);
        const query = await scopedQuery(await this.sanitizeQuery(ctx), access);
        const { results, pagination } = await plainRead(() => findPage(strapi, uid, query));
        return this.transformResponse(await this.sanitizeOutput(results, ctx), { pagination });
      },

      async findOne(ctx) {
        const access = resolveAccess(strapi, ctx);
        await this.validateQuery(ctx);
        const query = await scopedQuery(await this.sanitizeQuery(ctx), access);
        // One query for the hot path: the row, its scope and its populate together.
        const entity = await plainRead(() => strapi.documents(uid).findFirst({ ...query, filters: and(query.filters, { documentId: ctx.params.id }) } as any));
        if (!entity) notFound();
        return this.transformResponse(await this.sanitizeOutput(entity, ctx));
      },

      async create(ctx) {
        const access = resolveAccess(strapi, ctx);
        const { query, input } = await writeRequest(this, ctx, 'create', access);
        if (access.kind === 'scoped' && access.role === 'agent' && AGENT_SELF_FIELDS[uid]) {
          input[AGENT_SELF_FIELDS[uid]] = access.userId;
        }
        if (OWNER_FIELDS[uid]) input[OWNER_FIELDS[uid]] = access.kind === 'scoped' ? access.userId : null;
        const entity = await strapi.service(uid).create({ ...query, data: input });
        ctx.status = 201;
        return this.transformResponse(await this.sanitizeOutput(entity, ctx));
      },

      async update(ctx) {
        const access = resolveAccess(strapi, ctx);
        await assertWritableRow(ctx.params.id, access);
        const { query, input } = await writeRequest(this, ctx, 'update', access);
        if (OWNER_FIELDS[uid]) delete input[OWNER_FIELDS[uid]];
        const entity = await strapi.service(uid).update(ctx.params.id, { ...query, data: input });
        if (!entity) notFound();
        return this.transformResponse(await this.sanitizeOutput(entity, ctx));
      },

      async delete(ctx) {
        const access = resolveAccess(strapi, ctx);
        await assertWritableRow(ctx.params.id, access);
        await this.validateQuery(ctx);
        await strapi.service(uid).delete(ctx.params.id, await this.sanitizeQuery(ctx));
        ctx.status = 204;
      },

      ...(extra?.({ strapi }) ?? {}),
    };
  });
}
