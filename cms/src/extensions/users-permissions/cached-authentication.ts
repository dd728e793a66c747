import type { Core } from '@strapi/strapi';
import { authCacheOf } from '../../access/auth-cache';
import { createVerifiedTokens } from '../../access/verified-tokens';

type Strategy = { name: string; authenticate(ctx: any): Promise<any>; verify?(auth: any, config: any): Promise<void> | void };

/**
 * users-permissions' own authentication, step for step, with the user, the
 * role's ability and the advanced settings taken from the auth cache instead
 * of four queries and an ability built anew on every request (they were most
 * of an account read's CPU). A token's signature is checked once per process
 * (verified-tokens.ts); its expiry, its session and its user on every request.
 */
export function cachedAuthentication(strapi: Core.Strapi, original: Strategy): Strategy {
  const cache = () => authCacheOf(strapi);
  return {
    name: original.name,
    verify: original.verify,
    async authenticate(ctx: any) {
      try {
        const token = await strapi.plugin('users-permissions').service('jwt').getToken(ctx);
        if (token) {
          const { id, sessionId } = token;
          if (id === undefined) return { authenticated: false };
          const cached = await cache().user(id);
          if (!cached) return { error: 'Invalid credentials' };
          const settings = await cache().advancedSettings();
          if (settings?.email_confirmation && !cached.confirmed) return { error: 'Invalid credentials' };
          if (cached.blocked) return { error: 'Invalid credentials' };
          const { ability } = await cache().ability(cached.role.id);
          // A copy per request: nothing a request does to its user may reach the next one.
          const user = { ...cached, role: { ...cached.role } };
          ctx.state.user = user;
          if (sessionId) ctx.state.session = { id: sessionId };
          return { authenticated: true, credentials: user, ability };
        }
        const { ability, permissions } = await cache().ability('public');
        if (permissions === 0) return { authenticated: false };
        return { authenticated: true, credentials: null, ability };
      } catch {
        return { authenticated: false };
      }
    },
  };
}

/**
 * users-permissions' token check in refresh mode, with the user's existence
 * taken from the auth cache rather than read on every request, and a token's
 * signature checked once (verified-tokens.ts; its expiry at every use, its
 * session by session-lifecycle.ts on every request). Other modes are left as
 * they are.
 */
export function withCachedTokenUser(plugin: any) {
  const original = plugin.services.jwt;
  plugin.services.jwt = (deps: { strapi: Core.Strapi }) => {
    const service = original(deps);
    const { strapi } = deps;
    // Two access tokens a user at most (the console refreshes before expiry): room for a floor of thousands.
    const verified = createVerifiedTokens(10_000);
    const payloadOf = (token: string) => {
      let payload: any = verified.get(token);
      if (!payload) {
        const result: any = (strapi as any).sessionManager('users-permissions').validateAccessToken(token);
        if (!result.isValid || result.payload.type !== 'access') throw new Error('Invalid token.');
        payload = result.payload;
        verified.set(token, payload);
      }
      return payload;
    };
    return {
      ...service,
      async verify(token: string) {
        if ((strapi.config.get('plugin::users-permissions.jwtManagement') as string | undefined) !== 'refresh') return service.verify.call(this, token);
        const payload = payloadOf(token);
        const user = await authCacheOf(strapi).user(Number(payload.userId) || payload.userId);
        if (!user) throw new Error('Invalid token.');
        return { id: user.id, sessionId: payload.sessionId };
      },
    };
  };
  return plugin;
}

/** Strapi's API tokens are hex strings; a JWT has three dot-separated parts. */
const looksLikeJwt = (ctx: any) => /^bearer\s+[\w-]+\.[\w-]+\.[\w-]+\s*$/i.test(ctx.request?.header?.authorization ?? '');

/**
 * The API-token strategy runs first on every content-API request and looked
 * the bearer up in the token table even when it is a user's JWT, which no API
 * token can be (Strapi generates them as hex): one query per request saved.
 */
export function skipJwtInTokenLookup(original: Strategy): Strategy {
  return {
    ...original,
    authenticate: (ctx: any) => (looksLikeJwt(ctx) ? Promise.resolve({ authenticated: false }) : original.authenticate(ctx)),
  };
}

/**
 * Swaps the content-API strategies for the ones above as they are registered
 * (neither strategy is exported). Installed while plugins load, before any of
 * them registers; `strapi` is the instance being loaded.
 */
export function withCachedAuthentication(plugin: any, strapi: Core.Strapi) {
  const auth: any = strapi.get('auth');
  const add = auth.register;
  auth.register = function (type: string, strategy: Strategy) {
    if (type === 'content-api' && strategy?.name === 'users-permissions') return add.call(this, type, cachedAuthentication(strapi, strategy));
    if (type === 'content-api' && strategy?.name === 'content-api-token') return add.call(this, type, skipJwtInTokenLookup(strategy));
    return add.call(this, type, strategy);
  };
  return plugin;
}

/**
 * The worker's API token is looked up with its permissions and owner (four
 * queries) on every request it makes: from the auth cache instead, which any
 * write to a token, its permissions or an admin user or role drops. Unknown
 * keys are not remembered. Call once services exist (bootstrap).
 */
export function cacheApiTokenLookups(strapi: Core.Strapi): void {
  const service: any = strapi.service('admin::api-token-content-api' as any);
  if (!service?.getByAccessKey || service.__cachedLookups) return;
  const getByAccessKey = service.getByAccessKey.bind(service);
  service.getByAccessKey = (hash: string, options?: { includeDecryptedKey?: boolean }) => {
    if (options?.includeDecryptedKey || typeof hash !== 'string') return getByAccessKey(hash, options);
    return authCacheOf(strapi)
      .apiToken(hash, () => getByAccessKey(hash, options))
      .then((token: any) => (token ? { ...token } : token));
  };
  service.__cachedLookups = true;
}
