import { createRequire } from 'module';

/**
 * `require` as @strapi/core's own code resolves it: its dependencies (the very helmet, lodash and
 * koa-body its middlewares run, not copies of ours) and, with a `./` path, its modules that the
 * package does not export (relative to its dist/).
 */
export const requireFromStrapiCore = createRequire(require.resolve('@strapi/core'));
