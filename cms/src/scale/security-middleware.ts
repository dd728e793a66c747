import type { Core } from '@strapi/strapi';
import { CSP_DEFAULTS } from '@strapi/utils';
import { requireFromStrapiCore } from './strapi-core';

// The very helmet and lodash strapi::security runs.
const helmet: (options: object) => (ctx: any, next: () => Promise<void>) => Promise<void> = requireFromStrapiCore('koa-helmet');
const fp = requireFromStrapiCore('lodash/fp');

/** strapi::security's defaults in @strapi/core 5.54 (not exported). tests/unit/security-headers.test.ts compares the headers with its own. */
const DEFAULTS = {
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  contentSecurityPolicy: { useDefaults: true, directives: { ...CSP_DEFAULTS, upgradeInsecureRequests: null } },
  xssFilter: false,
  hsts: { maxAge: 31536000, includeSubDomains: true },
  frameguard: { action: 'sameorigin' },
};

const mergeConfig = (existing: object, extra: object) =>
  fp.mergeWith((obj: unknown, src: unknown) => (Array.isArray(obj) && Array.isArray(src) ? obj.concat(src) : undefined), existing, extra);

/**
 * strapi::security, with its helmet middleware built once per kind of request rather than on
 * every request: Strapi merges its defaults into the configuration (lodash's defaultsDeep) and
 * has helmet parse every directive anew for each request, ~7 % of an agent's account read. The
 * headers depend only on the kind: a GET of /documentation or of GraphQL's playground, a GET of
 * the admin panel in development or test, or any other request.
 */
export default (config: object, { strapi }: { strapi: Core.Strapi }) => {
  const base = fp.defaultsDeep(DEFAULTS, config ?? {});
  const built = new Map<string, ReturnType<typeof helmet>>();
  let specialPaths: string[] | undefined;
  let playground = false;

  const configFor = (special: boolean, devAdmin: boolean) => {
    let helmetConfig = base;
    if (special) {
      const directives: Record<string, string[]> = {
        'script-src': ["'self'", "'unsafe-inline'", 'cdn.jsdelivr.net'],
        'img-src': ["'self'", 'data:', 'cdn.jsdelivr.net', 'strapi.io'],
        'manifest-src': [],
        'frame-src': [],
      };
      if (playground) {
        directives['script-src'].push(`https: 'unsafe-inline'`);
        directives['img-src'].push(`'apollo-server-landing-page.cdn.apollographql.com'`);
        directives['manifest-src'].push(`'self'`, 'apollo-server-landing-page.cdn.apollographql.com');
        directives['frame-src'].push(`'self'`, 'sandbox.embed.apollographql.com');
      }
      helmetConfig = mergeConfig(helmetConfig, { crossOriginEmbedderPolicy: false, contentSecurityPolicy: { directives } });
    }
    if (devAdmin) {
      helmetConfig = mergeConfig(helmetConfig, {
        contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'connect-src': ["'self'", 'http:', 'https:', 'ws:'] } },
      });
    }
    return helmetConfig;
  };

  return (ctx: any, next: () => Promise<void>) => {
    if (!specialPaths) {
      // As Strapi asks it, once the plugins are up: a GraphQL playground adds its endpoint and sources.
      const graphql: any = strapi.plugin('graphql');
      playground = !!graphql?.service('utils').playground.isEnabled();
      specialPaths = ['/documentation', ...(playground ? [graphql.config('endpoint')] : [])];
    }
    const get = ctx.method === 'GET';
    const special = get && specialPaths.some((path) => ctx.path.startsWith(path));
    const devAdmin =
      ['development', 'test'].includes(process.env.NODE_ENV ?? '') && get && ctx.path.startsWith(strapi.config.get('admin.path') as string);
    const kind = `${special}:${devAdmin}`;
    let middleware = built.get(kind);
    if (!middleware) built.set(kind, (middleware = helmet(configFor(special, devAdmin))));
    return middleware(ctx, next);
  };
};
