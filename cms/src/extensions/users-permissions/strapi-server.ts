import { resolveAccess } from '../../access/access-context';
import { and, scopeFilter } from '../../access/scope-rules';
import { scopePopulate } from '../../access/populate-scope';
import { withSessionLifecycle } from './session-lifecycle';
import { withUniformRecoveryAnswers } from './account-recovery';
import { withCachedAuthentication, withCachedTokenUser } from './cached-authentication';

const USER_UID = 'plugin::users-permissions.user';

/**
 * Users gain the other side of client.members, and the users endpoints obey
 * the same row scope as every other type: a supervisor reads the users of
 * their own clients and nobody else.
 */
export default (plugin: any) => {
  plugin.contentTypes.user.schema.attributes.clients = {
    type: 'relation',
    relation: 'manyToMany',
    target: 'api::client.client',
    mappedBy: 'members',
  };

  const original = plugin.controllers.user;
  plugin.controllers.user = (deps: any) => {
    const controller = typeof original === 'function' ? original(deps) : original;
    const { strapi } = deps;
    const schemaOf = (u: string) => strapi.contentTypes[u] ?? strapi.components[u];
    const scoped = (action: string) => async (ctx: any) => {
      const access = resolveAccess(strapi, ctx);
      const query = { ...(ctx.query ?? {}) };
      const populate = await scopePopulate(USER_UID, query.populate, access, schemaOf);
      ctx.query = { ...query, populate, filters: and(query.filters, await scopeFilter(USER_UID, access)) };
      if (ctx.query.populate === undefined) delete ctx.query.populate;
      if (ctx.query.filters === undefined) delete ctx.query.filters;
      await controller[action](ctx);
      if (action === 'findOne' && !ctx.body) ctx.notFound();
    };
    return { ...controller, find: scoped('find'), findOne: scoped('findOne'), count: scoped('count') };
  };

  // The token's user from the auth cache, then the session check around it. The global is the Strapi instance loading this plugin (its constructor sets it).
  return withCachedAuthentication(withUniformRecoveryAnswers(withSessionLifecycle(withCachedTokenUser(plugin))), (globalThis as any).strapi);
};
