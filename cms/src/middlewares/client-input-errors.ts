import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { clientInputProblem } from '../security/client-input-problem';

/**
 * Bad input answers 400, never 500, and the client never sees the SQL or
 * the driver's words; the server's log keeps the original for whoever
 * investigates (with the request id the client was given).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: any, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error: any) {
      const problem = clientInputProblem(error);
      if (!problem) throw error;
      strapi.log.warn(`bad input answered 400: ${error.message} request_id=${ctx.state.requestId ?? '-'}`);
      throw new errors.ValidationError(problem);
    }
  };
