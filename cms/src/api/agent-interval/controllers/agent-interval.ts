import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { resolveAccess } from '../../../access/access-context';
import { readAgentInterval } from '../../../reports/agent-interval-input';

const UID = 'api::agent-interval.agent-interval';

export default factories.createCoreController(UID, ({ strapi }) => ({
  /**
   * PUT /api/agent-intervals/:intervalId from the dialer-worker (API token):
   * idempotent by interval id, so a retried post leaves one row.
   */
  async record(ctx: any) {
    if (resolveAccess(strapi, ctx).kind !== 'unrestricted') throw new errors.PolicyError('Only the dialer records agent intervals');
    const body = ctx.request.body?.data;
    const { value, problems } = readAgentInterval(String(ctx.params.intervalId), body && typeof body === 'object' ? body : {}, new Date());
    if (!value) throw new errors.ValidationError(problems.map((p) => p.message).join('; '), { errors: problems.map((p) => ({ ...p, name: 'ValidationError' })) });
    const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: value.agentId }, select: ['id'] });
    if (!user) throw new errors.ValidationError('agentId refers to a record that does not exist', { errors: [{ path: ['agentId'], message: 'agentId refers to a record that does not exist', name: 'ValidationError' }] });
    const campaign = value.campaign
      ? await strapi.db.query('api::campaign.campaign').findOne({ where: { documentId: value.campaign }, select: ['id'], populate: { client: { select: ['id'] } } } as any)
      : null;
    if (value.campaign && !campaign) throw new errors.ValidationError('campaign refers to a record that does not exist', { errors: [{ path: ['campaign'], message: 'campaign refers to a record that does not exist', name: 'ValidationError' }] });
    const row = {
      agentId: value.agentId, campaignId: campaign?.id ?? null, clientId: campaign?.client?.id ?? null, status: value.status, pauseReason: value.pauseReason,
      startedAt: value.startedAt, endedAt: value.endedAt, seconds: Math.round((value.endedAt.getTime() - value.startedAt.getTime()) / 10) / 100,
    };
    const intervalId = String(ctx.params.intervalId);
    const existing = await strapi.db.query(UID).findOne({ where: { intervalId }, select: ['id'] });
    const saved = existing
      ? await strapi.db.query(UID).update({ where: { id: existing.id }, data: row })
      : await strapi.db.query(UID).create({ data: { ...row, intervalId } }).catch(async (error: any) => {
          // A racing duplicate post landed first on the unique index: this one becomes the update.
          if (!/unique|duplicate/i.test(String(error?.message))) throw error;
          const again = await strapi.db.query(UID).findOne({ where: { intervalId }, select: ['id'] });
          return strapi.db.query(UID).update({ where: { id: again.id }, data: row });
        });
    ctx.status = existing ? 200 : 201;
    ctx.body = { data: { intervalId, seconds: Number(saved.seconds), status: saved.status } };
  },
}));
