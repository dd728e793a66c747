import type { Core } from '@strapi/strapi';
import security from './security-middleware';
import { requireFromStrapiCore } from './strapi-core';

// koa-body as strapi::body requires it (the same module instance).
const koaBodyModule = requireFromStrapiCore('koa-body');
const built = Symbol.for('collections.koaBodyBuiltOnce');

/**
 * strapi::body calls `koaBody(options)` on every request with the same options object, and
 * koa-body validates those options with zod each time (~4 % of an agent's account read). The
 * middleware it returns holds nothing per request: one per options object does the same work.
 */
function koaBodyOncePerOptions(): void {
  if (koaBodyModule[built]) return;
  const koaBody = koaBodyModule.koaBody;
  const byOptions = new WeakMap<object, unknown>();
  koaBodyModule.koaBody = (options?: object) => {
    if (!options || typeof options !== 'object') return koaBody(options);
    if (!byOptions.has(options)) byOptions.set(options, koaBody(options));
    return byOptions.get(options);
  };
  koaBodyModule[built] = true;
}

/**
 * Two of Strapi's global middlewares rebuilt their third-party middleware on every request:
 * strapi::security (lodash's defaultsDeep and helmet's directive parsing) and strapi::body. Both
 * keep their names and configuration (plugins extend strapi::security's by name) and do the
 * same per request; only the building happens once. Call in register, before the server mounts.
 */
export function buildRequestMiddlewaresOnce(strapi: Core.Strapi): void {
  (strapi.get('middlewares') as any).extend('strapi::security', () => security);
  koaBodyOncePerOptions();
}
