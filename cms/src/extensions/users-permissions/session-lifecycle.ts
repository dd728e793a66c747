import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { createSessionFamilies, type SessionFamilies } from '../../security/session-families';

const FAMILIES_SERVICE = 'session-families';

const families = (strapi: Core.Strapi): SessionFamilies => strapi.plugin('users-permissions').service(FAMILIES_SERVICE) as any;
const refreshMode = (strapi: Core.Strapi) => strapi.config.get('plugin::users-permissions.jwtManagement') === 'refresh';

function refreshTokenOf(strapi: Core.Strapi, ctx: any): string | undefined {
  const cookieName = (strapi.config.get('plugin::users-permissions.sessions') as any)?.cookie?.name || 'strapi_up_refresh';
  const token = ctx.cookies?.get(cookieName) || ctx.request.body?.refreshToken;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Sessions end when the user says so (logout), when a rotated refresh token
 * comes back (theft), or when the user is blocked, and their access tokens stop
 * working then rather than at expiry. See session-families.ts.
 */
export function withSessionLifecycle(plugin: any) {
  plugin.services[FAMILIES_SERVICE] = ({ strapi }: { strapi: Core.Strapi }) => createSessionFamilies(strapi);

  const originalJwt = plugin.services.jwt;
  plugin.services.jwt = (deps: { strapi: Core.Strapi }) => {
    const service = originalJwt(deps);
    const verify = service.verify;
    return {
      ...service,
      async verify(token: string) {
        const payload = await verify.call(this, token);
        if (refreshMode(deps.strapi) && !(await families(deps.strapi).isLive(payload?.sessionId))) throw new Error('Invalid token.');
        return payload;
      },
    };
  };

  const originalAuth = plugin.controllers.auth;
  plugin.controllers.auth = (deps: { strapi: Core.Strapi }) => {
    const controller = typeof originalAuth === 'function' ? originalAuth(deps) : originalAuth;
    const { strapi } = deps;
    return {
      ...controller,

      // Every row of a login inherits its device id through rotation; it is what names the login as a whole.
      async callback(ctx: any) {
        const body = ctx.request.body;
        if (refreshMode(strapi) && body && typeof body === 'object' && !(typeof body.deviceId === 'string' && body.deviceId)) {
          body.deviceId = crypto.randomUUID();
        }
        return controller.callback(ctx);
      },

      async refresh(ctx: any) {
        const token = refreshMode(strapi) ? refreshTokenOf(strapi, ctx) : undefined;
        const row = token ? await families(strapi).rowOfRefreshToken(token) : null;
        if (row?.status === 'rotated') {
          await families(strapi).revokeForReplay(row, ctx.state.requestId ?? null);
          return ctx.unauthorized('Invalid refresh token');
        }
        if (row) {
          const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: Number(row.userId) }, select: ['id', 'blocked'] });
          if (!user || user.blocked) {
            await families(strapi).revokeFamily(row);
            return ctx.unauthorized('Invalid refresh token');
          }
        }
        return controller.refresh(ctx);
      },

      // Strapi deletes only the row the request names; the rest of the login's rows would keep their access tokens alive.
      async logout(ctx: any) {
        const ended: string[] = [];
        if (refreshMode(strapi) && ctx.state.user) {
          if (ctx.state.session?.id) ended.push(ctx.state.session.id);
          const token = refreshTokenOf(strapi, ctx);
          const row = token ? await families(strapi).rowOfRefreshToken(token) : null;
          if (row && row.userId === String(ctx.state.user.id)) ended.push(row.sessionId);
        }
        const rows = await Promise.all(ended.map((id) => families(strapi).rowOf(id)));
        const result = await controller.logout(ctx);
        for (const row of rows) if (row) await families(strapi).revokeFamily(row);
        return result;
      },
    };
  };

  return plugin;
}

/** A blocked user's logins end at once, refresh tokens included. */
export function revokeSessionsOfBlockedUsers(strapi: Core.Strapi) {
  strapi.db.lifecycles.subscribe({
    models: ['plugin::users-permissions.user'],
    async afterUpdate(event: any) {
      if (event.result?.blocked === true) await families(strapi).revokeUser(event.result.id);
    },
  });
}
