import type { Core } from '@strapi/strapi';

/** One line per request, carrying the request id that the response's X-Request-Id header shows. */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: any, next: () => Promise<void>) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // winston filters by level only after a line has gone through its streams: not at all, when nobody reads it.
      if ((strapi.log as any).isLevelEnabled?.('http') !== false) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        strapi.log.http(`${ctx.method} ${ctx.originalUrl} ${ctx.status} ${ms.toFixed(1)}ms request_id=${ctx.state.requestId ?? '-'}`);
      }
    }
  };
