import type { Core } from '@strapi/strapi';
import type { RegFCall } from '../compliance/reg-f-history';
import { preparedRows, sqlBoolean, whereIdIn } from '../scale/prepared-read';

export type HistoryCall = RegFCall & { phone: string | null };

export type CallHistory = {
  /** Each account's calls recorded since `since`, both directions. */
  recent: Map<number, HistoryCall[]>;
  /** Each account's calls in the campaign, ever. */
  campaignAttempts: Map<number, number>;
};

const CALL = 'api::call.call';

/**
 * What the dialing rules read of the accounts' recorded calls: their calls of the Regulation F
 * period (any direction, any campaign: an inbound conversation starts the quiet period) with the
 * disposition's right-party flag, and how many calls each has had in this campaign. Two
 * statements on the link tables, run side by side, where the query engine took six and its row
 * transforms on every hopper call.
 */
export async function callHistory(strapi: Core.Strapi, { accountIds, since, campaignId }: { accountIds: number[]; since: Date; campaignId: number }): Promise<CallHistory> {
  const out: CallHistory = { recent: new Map(), campaignAttempts: new Map() };
  if (!accountIds.length) return out;
  const knex = strapi.db.connection;
  const call: any = strapi.db.metadata.get(CALL as any);
  const disposition: any = strapi.db.metadata.get('api::disposition.disposition' as any);
  const col = (f: string) => `c.${call.attributes[f].columnName}`;
  const account = call.attributes.account.joinTable;
  const dispositionLink = call.attributes.disposition.joinTable;
  const campaign = call.attributes.campaign.joinTable;
  const accountColumn = `la.${account.inverseJoinColumn.name}`;
  const [recent, inCampaign] = await Promise.all([
    preparedRows(strapi, whereIdIn(strapi, knex(`${call.tableName} as c`)
      .join(`${account.name} as la`, `la.${account.joinColumn.name}`, 'c.id')
      .leftJoin(`${dispositionLink.name} as ld`, `ld.${dispositionLink.joinColumn.name}`, 'c.id')
      .leftJoin(`${disposition.tableName} as d`, 'd.id', `ld.${dispositionLink.inverseJoinColumn.name}`)
      .where(col('createdAt'), '>=', since)
      .select([
        `la.${account.inverseJoinColumn.name} as accountId`, 'ld.id as dispositionLink', `d.${disposition.attributes.rightPartyContact.columnName} as rightPartyContact`,
        ...['direction', 'outcome', 'phone', 'dialedAt', 'queuedAt', 'answeredAt', 'createdAt'].map((f) => `${col(f)} as ${f}`),
      ]), accountColumn, accountIds)),
    preparedRows(strapi, whereIdIn(strapi, knex(`${campaign.name} as lc`)
      .join(`${account.name} as la`, `la.${account.joinColumn.name}`, `lc.${campaign.joinColumn.name}`)
      .where(`lc.${campaign.inverseJoinColumn.name}`, campaignId)
      .groupBy(accountColumn)
      .select(`${accountColumn} as accountId`)
      .count({ n: '*' }), accountColumn, accountIds)),
  ]);
  for (const r of recent as any[]) {
    const { accountId, dispositionLink: linked, rightPartyContact, ...fields } = r;
    // SQLite answers booleans as 0 and 1: "not the debtor" must stay false, never a 0 that is not `false`.
    const rpc = rightPartyContact === null || rightPartyContact === undefined ? null : sqlBoolean(rightPartyContact);
    const entry: HistoryCall = { ...fields, disposition: linked == null ? null : { rightPartyContact: rpc } };
    const list = out.recent.get(accountId);
    if (list) list.push(entry);
    else out.recent.set(accountId, [entry]);
  }
  for (const r of inCampaign as any[]) out.campaignAttempts.set(r.accountId, Number(r.n));
  return out;
}
