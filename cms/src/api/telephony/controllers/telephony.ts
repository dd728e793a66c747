import { errors } from '@strapi/utils';
import { verifyTelephonySignature } from '../../../telephony/webhook-signature';
import { telephonyWebhookSecret } from '../../../telephony/webhook-secret';
import { readProviderEvent } from '../../../telephony/provider-event-input';
import { applyProviderEvent } from '../../../telephony/provider-events';

const UNPARSED = Symbol.for('unparsedBody');

export default ({ strapi }) => ({
  /** `POST /api/telephony/events`: another telephony provider's call.ringing / answered / ended, signed with the shared secret. */
  async events(ctx) {
    const secret = telephonyWebhookSecret();
    if (!secret) {
      ctx.status = 503;
      ctx.body = { error: { status: 503, name: 'ServiceUnavailableError', code: 'NOT_CONFIGURED', message: 'TELEPHONY_WEBHOOK_SECRET is not set' } };
      return;
    }
    const raw = ctx.request.body?.[UNPARSED];
    const check = verifyTelephonySignature({
      secret,
      timestamp: ctx.get('x-timestamp') || undefined,
      signature: ctx.get('x-signature') || undefined,
      rawBody: typeof raw === 'string' || Buffer.isBuffer(raw) ? raw : '',
      nowSec: Math.floor(Date.now() / 1000),
    });
    if (!check.ok) {
      ctx.status = 401;
      ctx.body = { error: { status: 401, name: 'UnauthorizedError', code: (check as { code: string }).code, message: (check as { message: string }).message } };
      return;
    }
    const input = readProviderEvent(ctx.request.body);
    if (!input.ok) {
      const problems = (input as { problems: Array<{ path: string[]; message: string }> }).problems;
      throw new errors.ValidationError(problems.map((p) => p.message).join('; '), { errors: problems.map((p) => ({ ...p, name: 'ValidationError' })) });
    }
    ctx.body = { data: await applyProviderEvent(strapi, (input as { event: any }).event) };
  },
});
