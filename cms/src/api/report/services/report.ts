import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { loadClients, type Access } from '../../../access/access-context';
import { kpiReport, type KpiFilters, type KpiReport } from '../../../reports/kpi-report';
import { readKpiRequest } from '../../../reports/kpi-request';
import { PEER_AVERAGE_DEFINITION, peerAverages } from '../../../reports/kpi-peer-average';

const notFound = (what: string): never => {
  throw new errors.NotFoundError(`${what} not found`);
};

/**
 * The reader's scope and the request's filters as row ids. A client, campaign
 * or agent outside the reader's scope answers 404, as if it did not exist; an
 * agent sees their own figures only, whatever they ask.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async kpis(query: Record<string, unknown>, access: Access): Promise<KpiReport> {
    const { value: req, problems } = readKpiRequest(query);
    if (!req) throw new errors.ValidationError(problems.map((p) => p.message).join('; '), { errors: problems.map((p) => ({ ...p, name: 'ValidationError' })) });
    if (access.kind === 'scoped' && access.role === 'none') throw new errors.ForbiddenError('Forbidden');

    let clientIds: number[] | null = null;
    if (access.kind === 'scoped') clientIds = (await access.clients()).map((c) => c.id);
    if (req.client) {
      const client = await strapi.db.query('api::client.client').findOne({ where: { documentId: req.client }, select: ['id'] });
      if (!client || (clientIds && !clientIds.includes(client.id))) notFound('client');
      clientIds = [client.id];
    }
    let campaignId: number | null = null;
    if (req.campaign) {
      const campaign = await strapi.db.query('api::campaign.campaign').findOne({ where: { documentId: req.campaign }, select: ['id'], populate: { client: { select: ['id'] } } } as any);
      if (!campaign || (clientIds && !clientIds.includes(campaign.client?.id))) notFound('campaign');
      campaignId = campaign.id;
    }
    let agentId: number | null = null;
    if (req.agent) {
      const where = /^\d+$/.test(req.agent) ? { id: Number(req.agent) } : { documentId: req.agent };
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where, select: ['id'] });
      if (!user) notFound('agent');
      if (access.kind === 'scoped') {
        const theirs = (await loadClients(strapi, user.id)).map((c) => c.id);
        const visible = access.role === 'agent' ? user.id === access.userId : theirs.some((id) => clientIds!.includes(id));
        if (!visible) notFound('agent');
      }
      agentId = user.id;
    }
    if (access.kind === 'scoped' && access.role === 'agent') agentId = access.userId;
    const filters: KpiFilters = { clientIds, campaignId, agentId };
    const report = await kpiReport(strapi, req, filters);
    if (access.kind === 'scoped' && access.role === 'agent') {
      // An agent compares themself with their campaigns' average agent: aggregates only, no colleague's row.
      const averages = await peerAverages(strapi, req, access.userId, clientIds);
      report.peerAverage = campaignId === null ? averages : averages.filter((a) => a.id === campaignId);
      report.meta.definitions = { ...report.meta.definitions, peerAverage: PEER_AVERAGE_DEFINITION };
    }
    return report;
  },
});
