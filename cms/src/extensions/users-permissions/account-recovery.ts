import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/**
 * Password recovery and e-mail confirmation answer the same for every
 * well-formed address. Strapi answers an unknown address with success and a
 * known one with whatever happened next (an e-mail provider's failure as 500,
 * "Already confirmed", "User blocked", the stored spelling of the address),
 * which tells anyone which addresses have accounts. What happened is logged
 * here instead. A malformed body is still a 400: that says nothing about
 * accounts.
 */
export function withUniformRecoveryAnswers(plugin: any) {
  const originalAuth = plugin.controllers.auth;
  plugin.controllers.auth = (deps: { strapi: Core.Strapi }) => {
    const controller = typeof originalAuth === 'function' ? originalAuth(deps) : originalAuth;
    const { strapi } = deps;

    const uniform = (action: string, answer: (ctx: any) => unknown) => async (ctx: any) => {
      try {
        await controller[action](ctx);
      } catch (error: any) {
        if (error instanceof errors.ValidationError) throw error;
        strapi.log.error(`auth.${action}: ${error?.name ?? 'Error'}: ${error?.message ?? error} request_id=${ctx.state.requestId ?? '-'}`);
      }
      ctx.status = 200;
      ctx.body = answer(ctx);
    };

    return {
      ...controller,
      forgotPassword: uniform('forgotPassword', () => ({ ok: true })),
      sendEmailConfirmation: uniform('sendEmailConfirmation', (ctx) => ({ email: ctx.request.body.email, sent: true })),
    };
  };
  return plugin;
}
