import type { Core } from '@strapi/strapi';
import { KPI_COUNT_FIELDS, addCounts, emptyCounts, kpiRates, type KpiCounts, type KpiRates } from './kpi-formulas';
import type { KpiRequest } from './kpi-request';
import { kpiReport } from './kpi-report';

/** One campaign's average agent over a period: aggregates only, never a single agent's row; null when withheld. */
export type PeerAverage = { key: string | null; id: number; label: string; agents: number; average: (KpiCounts & KpiRates) | null };

/**
 * Below three agents an average gives a colleague away: with two, the average
 * times two less the reader's own figures is the other agent's row.
 */
export const MIN_PEERS = 3;

export const PEER_AVERAGE_DEFINITION =
  'peerAverage: per campaign the agent worked in the period, the average agent of that campaign: the counts and amounts attributed to its agents ' +
  '(calls they took, promises they made, payments on those promises, their logged time) summed and divided by the number of agents with any figure ' +
  'in that campaign in the period, the reader included; the rates are the pooled ones (summed numerator ÷ summed denominator), not a mean of rates. ' +
  'Work with no agent (a dial nobody took) is left out. With fewer than ' + MIN_PEERS + ' agents the average is withheld (average null): ' +
  'with two, the average and the reader\'s own figures would give the other agent\'s.';

/** The per-agent average of grouped agent rows (pure: no I/O); rows keyed null (no agent) are left out. */
export function averageAgent(rows: Array<{ key: string | null } & KpiCounts>): { agents: number; counts: KpiCounts; rates: KpiRates } {
  const agents = rows.filter((r) => r.key !== null);
  const total = agents.reduce((acc, r) => addCounts(acc, r), emptyCounts());
  const counts = emptyCounts();
  for (const f of KPI_COUNT_FIELDS) {
    const v = total[f];
    (counts as any)[f] = v === null ? null : agents.length ? Math.round((v / agents.length) * 100) / 100 : 0;
  }
  return { agents: agents.length, counts, rates: kpiRates(total) };
}

/**
 * For an agent: the campaigns they worked in the period (the report by
 * campaign, filtered to them), then each campaign's report by agent, read by
 * the same set-based queries as every other report and reduced here to one
 * average row; the agents' rows are never returned.
 */
export async function peerAverages(strapi: Core.Strapi, req: KpiRequest, agentId: number, clientIds: number[] | null): Promise<PeerAverage[]> {
  const mine = await kpiReport(strapi, { ...req, groupBy: 'campaign' }, { clientIds, campaignId: null, agentId });
  const out: PeerAverage[] = [];
  for (const campaign of mine.data) {
    if (campaign.id === null) continue;
    const peers = await kpiReport(strapi, { ...req, groupBy: 'agent' }, { clientIds, campaignId: campaign.id, agentId: null });
    const { agents, counts, rates } = averageAgent(peers.data);
    out.push({ key: campaign.key, id: campaign.id, label: campaign.label, agents, average: agents >= MIN_PEERS ? { ...counts, ...rates } : null });
  }
  return out;
}
