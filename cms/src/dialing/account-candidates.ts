import type { Core } from '@strapi/strapi';
import type { AccountFilter } from './account-filter';
import { preparedRead, preparedRows, sqlBoolean as bool, whereIdIn } from '../scale/prepared-read';
import { quote as q } from '../access/scope-sql';

/**
 * The ids of a campaign's next accounts, in one SQL statement that PostgreSQL
 * answers from indexes with a LIMIT however many accounts the client has.
 *
 * Strapi's query engine writes a relation filter (the account's client) as a
 * join and then `SELECT DISTINCT accounts.*`, which makes PostgreSQL build and
 * de-duplicate every matching row before it can apply the LIMIT: about a
 * second on a client of a million accounts. Here the client is an EXISTS on
 * its link table, which needs no DISTINCT, and the order walks an index.
 * Same conditions as before (account-filter.ts, the hold statuses, the open
 * zones); the accounts themselves are read by `dialAccounts`.
 */
export type CandidateQuery = {
  clientId: number;
  holdStatuses: string[];
  zones: string[];
  filter: AccountFilter | null | undefined;
  /** true: accounts attempted before, longest untouched first; false: never attempted, largest balance first. */
  attempted: boolean | null;
  limit: number;
  accountDocumentId?: string;
  excludeIds?: number[];
};

const ACCOUNT = 'api::account.account';
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function tableOf(strapi: Core.Strapi) {
  const meta: any = strapi.db.metadata.get(ACCOUNT as any);
  const column = (attribute: string) => `${meta.tableName}.${meta.attributes[attribute]?.columnName ?? snake(attribute)}`;
  const link = meta.attributes.client.joinTable;
  return { table: meta.tableName as string, column, link: { table: link.name as string, account: link.joinColumn.name as string, client: link.inverseJoinColumn.name as string } };
}

type Conditions = Omit<CandidateQuery, 'attempted' | 'limit' | 'zones'> & { zones?: string[] };

/** The campaign's accounts as SQL conditions: its client, no hold status, its account filter. */
function conditions(strapi: Core.Strapi, q: Conditions) {
  const knex = strapi.db.connection;
  const { table, column, link } = tableOf(strapi);
  const f = q.filter ?? {};
  const query = knex(table)
    .whereExists(knex(link.table).select(knex.raw('1')).whereRaw('?? = ??', [`${link.table}.${link.account}`, `${table}.id`]).where(`${link.table}.${link.client}`, q.clientId));
  if (q.zones) query.whereIn(column('timezone'), q.zones);
  // Strapi's $notIn: a NULL status is not "not in" the list either (SQL's NOT IN), so it is left out as before.
  if (q.holdStatuses.length) query.whereNotIn(column('status'), q.holdStatuses);
  else query.whereNotNull(column('status'));
  if (f.daysPastDue?.min !== undefined) query.where(column('daysPastDue'), '>=', f.daysPastDue.min);
  if (f.daysPastDue?.max !== undefined) query.where(column('daysPastDue'), '<=', f.daysPastDue.max);
  if (f.balance?.min !== undefined) query.where(column('balance'), '>=', f.balance.min);
  if (f.balance?.max !== undefined) query.where(column('balance'), '<=', f.balance.max);
  if (f.buckets?.length) query.whereIn(column('delinquencyBucket'), f.buckets);
  if (f.statuses?.length) query.whereIn(column('status'), f.statuses);
  if (f.countries?.length) query.whereIn(column('country'), f.countries);
  if (q.accountDocumentId) query.where(column('documentId'), q.accountDocumentId);
  if (q.excludeIds?.length) query.whereNotIn(`${table}.id`, q.excludeIds);
  return query;
}

/** The query of `candidateIds`. */
export function candidateQuery(strapi: Core.Strapi, q: CandidateQuery) {
  const { table, column } = tableOf(strapi);
  const query = conditions(strapi, q).select(`${table}.id`);
  if (q.attempted === false) query.whereNull(column('lastAttemptAt')).orderBy([{ column: column('balance'), order: 'desc' }, { column: `${table}.id`, order: 'asc' }]);
  else {
    if (q.attempted === true) query.whereNotNull(column('lastAttemptAt'));
    // PostgreSQL sorts NULLs last: never-attempted accounts after the attempted ones here.
    query.orderBy([{ column: column('lastAttemptAt'), order: 'asc' }, { column: `${table}.id`, order: 'asc' }]);
  }
  return query.limit(q.limit);
}

export async function candidateIds(strapi: Core.Strapi, q: CandidateQuery): Promise<number[]> {
  if (!q.zones.length || q.limit <= 0) return [];
  return (await preparedRows<{ id: number }>(strapi, candidateQuery(strapi, q))).map((r) => r.id);
}

/** How many of the campaign's accounts each time zone holds (one grouped count, not one per zone). */
export async function countByZone(strapi: Core.Strapi, q: Conditions): Promise<Map<string, number>> {
  const { column } = tableOf(strapi);
  const rows: any[] = await conditions(strapi, q).select(`${column('timezone')} as tz`).count({ n: '*' }).groupBy(column('timezone'));
  return new Map(rows.map((r) => [r.tz, Number(r.n)]));
}

/** A candidate account as the hopper reads it: what its rules and the agent's screen pop need, nothing more. */
export type DialAccount = {
  id: number;
  documentId: string;
  accountNumber: string;
  debtorFirstName: string | null;
  debtorLastName: string | null;
  balance: number | string | null;
  currency: string | null;
  daysPastDue: number | null;
  status: string;
  timezone: string;
  assignedAgent: { id: number } | null;
  phones: Array<{ number: string; type: string | null; status: string; isPrimary: boolean; autodialConsent: boolean; consentDate: Date | string | number | null; consentSource: string | null }>;
};

const ACCOUNT_FIELDS = ['documentId', 'accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'daysPastDue', 'status', 'timezone'] as const;
const PHONE_FIELDS = ['number', 'type', 'status', 'isPrimary', 'autodialConsent', 'consentDate', 'consentSource'] as const;

/**
 * The accounts of `ids` with their phones (in their order) and assigned agent, in the order of
 * `ids`, in one statement. Through the query engine this was three statements and their row
 * transforms, more of a hopper call's CPU than every compliance rule together (a call reads up
 * to 60 accounts and their phones). The phones are the component rows linked to the account under
 * the field `phones`, ordered as Strapi orders them.
 */
export async function dialAccounts(strapi: Core.Strapi, ids: number[]): Promise<DialAccount[]> {
  if (!ids.length) return [];
  const knex = strapi.db.connection;
  const account: any = strapi.db.metadata.get(ACCOUNT as any);
  const phone: any = strapi.db.metadata.get('contact.phone' as any);
  const cmps = account.attributes.phones.joinTable;
  const agent = account.attributes.assignedAgent.joinTable;
  const query = knex(`${account.tableName} as a`)
    .leftJoin(`${agent.name} as g`, `g.${agent.joinColumn.name}`, 'a.id')
    .leftJoin(`${cmps.name} as c`, (on: any) => on.on(`c.${cmps.joinColumn.name}`, 'a.id').andOn('c.field', knex.raw('?', [cmps.on.field])))
    .leftJoin(`${phone.tableName} as p`, 'p.id', `c.${cmps.inverseJoinColumn.name}`)
    .orderBy([{ column: 'a.id' }, { column: `c.${cmps.orderColumnName}` }, { column: 'p.id' }])
    .select([
      'a.id as id', `g.${agent.inverseJoinColumn.name} as agentId`, 'p.id as phoneId',
      ...ACCOUNT_FIELDS.map((f) => `a.${account.attributes[f].columnName} as ${f}`),
      ...PHONE_FIELDS.map((f) => `p.${phone.attributes[f].columnName} as phone_${f}`),
    ]);
  const rows: any[] = await preparedRows(strapi, whereIdIn(strapi, query, 'a.id', ids));
  const byId = new Map<number, DialAccount>();
  for (const r of rows) {
    let a = byId.get(r.id);
    if (!a) {
      a = { id: r.id, assignedAgent: r.agentId == null ? null : { id: r.agentId }, phones: [] } as unknown as DialAccount;
      for (const f of ACCOUNT_FIELDS) (a as any)[f] = r[f];
      byId.set(r.id, a);
    }
    if (r.phoneId == null) continue;
    a.phones.push({
      number: r.phone_number, type: r.phone_type, status: r.phone_status, isPrimary: bool(r.phone_isPrimary), autodialConsent: bool(r.phone_autodialConsent),
      consentDate: r.phone_consentDate, consentSource: r.phone_consentSource,
    });
  }
  return ids.map((id) => byId.get(id)).filter((a): a is DialAccount => !!a);
}

/**
 * The time zones accounts are in, by skipping through the timezone index (one
 * probe per zone) instead of reading a million index entries for a DISTINCT.
 */
export async function accountZones(strapi: Core.Strapi): Promise<string[]> {
  const { table, column } = tableOf(strapi);
  const tz = q(column('timezone').split('.')[1]);
  const rows = await preparedRead<{ tz: string }>(
    strapi,
    `WITH RECURSIVE z(tz) AS (
       SELECT min(${tz}) FROM ${q(table)}
       UNION ALL
       SELECT (SELECT min(${tz}) FROM ${q(table)} WHERE ${tz} > z.tz) FROM z WHERE z.tz IS NOT NULL
     ) SELECT tz FROM z WHERE tz IS NOT NULL`,
    [],
  );
  return rows.map((r) => r.tz);
}
