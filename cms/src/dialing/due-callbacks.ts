import type { Core } from '@strapi/strapi';
import { preparedRows } from '../scale/prepared-read';

export type DueCallback = { id: number; documentId: string; phone: string | null; accountId: number | null; owner: { id: number } | null };

const CALLBACK = 'api::callback.callback';

/**
 * The client's scheduled callbacks that are due, for this campaign or for none, soonest first
 * (one account's only, when `accountDocumentId` is given). One statement on the link tables: the
 * query engine's version joined every relation it filtered on and spent more time planning
 * than running on each hopper call, most of which find no callback due.
 */
export async function dueCallbacks(
  strapi: Core.Strapi,
  { clientId, campaignId, now, limit, accountDocumentId }: { clientId: number; campaignId: number; now: Date; limit: number; accountDocumentId?: string },
): Promise<DueCallback[]> {
  const knex = strapi.db.connection;
  const callback: any = strapi.db.metadata.get(CALLBACK as any);
  const account: any = strapi.db.metadata.get('api::account.account' as any);
  const link = (field: string) => callback.attributes[field].joinTable;
  const col = (f: string) => `cb.${callback.attributes[f].columnName}`;
  const [client, campaign, owned, owner] = [link('client'), link('campaign'), link('account'), link('owner')];
  const query = knex(`${callback.tableName} as cb`)
    .join(`${client.name} as lc`, (on: any) => on.on(`lc.${client.joinColumn.name}`, 'cb.id').andOn(`lc.${client.inverseJoinColumn.name}`, knex.raw('?', [clientId])))
    .leftJoin(`${campaign.name} as lp`, `lp.${campaign.joinColumn.name}`, 'cb.id')
    .leftJoin(`${owned.name} as la`, `la.${owned.joinColumn.name}`, 'cb.id')
    .leftJoin(`${owner.name} as lo`, `lo.${owner.joinColumn.name}`, 'cb.id')
    .where(col('state'), 'scheduled')
    .where(col('dueAt'), '<=', now)
    // No link row: a callback for no campaign in particular, which any of the client's campaigns may place.
    .where((q: any) => q.where(`lp.${campaign.inverseJoinColumn.name}`, campaignId).orWhereNull(`lp.${campaign.inverseJoinColumn.name}`))
    .orderBy([{ column: col('dueAt') }, { column: 'cb.id' }])
    .limit(limit)
    .select(['cb.id as id', `${col('documentId')} as documentId`, `${col('phone')} as phone`, `la.${owned.inverseJoinColumn.name} as accountId`, `lo.${owner.inverseJoinColumn.name} as ownerId`]);
  if (accountDocumentId) query.join(`${account.tableName} as a`, 'a.id', `la.${owned.inverseJoinColumn.name}`).where(`a.${account.attributes.documentId.columnName}`, accountDocumentId);
  const rows: any[] = await preparedRows(strapi, query);
  return rows.map((r) => ({ id: r.id, documentId: r.documentId, phone: r.phone, accountId: r.accountId ?? null, owner: r.ownerId == null ? null : { id: r.ownerId } }));
}
