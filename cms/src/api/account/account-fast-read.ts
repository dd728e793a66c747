import type { Core } from '@strapi/strapi';
import { contentTypes as contentTypeUtils } from '@strapi/utils';
import { liveAccountsSubquery, type Access } from '../../access/access-context';
import { scopeFilter } from '../../access/scope-rules';
import { quote, scopeWhereSql, type ModelMeta } from '../../access/scope-sql';
import { preparedRead } from '../../scale/prepared-read';

// Strapi's own row-to-entity conversion (the document service's): the same
// converter per column type, so dates, decimals and booleans come out alike.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { fromRow } = require('@strapi/database/dist/query/helpers/transform.js');

const UID = 'api::account.account';
const PHONES = 'phones';
const PHONE_PREFIX = 'phone:';

type Plan = {
  meta: ModelMeta & { columnToAttribute: Record<string, string> };
  phoneMeta: ModelMeta;
  /** The entity's keys the content API answers with, in the order it gives them (see keep()). */
  accountKeys: Set<string>;
  phoneKeys: Set<string>;
  phoneColumns: string;
  phonesJoin: string;
  phonesOrder: string;
};


/**
 * What the content API's output sanitiser keeps of a row: its id, its
 * documentId (a content type's, added by Strapi to the database model and not
 * to the schema) and the model's scalar attributes that are neither private
 * nor passwords. Relations are never part of a row here (they live in join tables).
 */
function keptKeys(strapi: Core.Strapi, uid: string, meta: ModelMeta): Set<string> {
  const isContentType = uid in (strapi as any).contentTypes;
  const schema: any = isContentType ? (strapi as any).contentTypes[uid] : (strapi as any).components[uid];
  const keys = new Set<string>(['id']);
  if (isContentType && meta.attributes.documentId) keys.add('documentId');
  for (const [name, attr] of Object.entries<any>(meta.attributes)) {
    const declared = schema.attributes[name];
    if (!declared || !contentTypeUtils.isScalarAttribute(declared) || declared.type === 'password') continue;
    if (contentTypeUtils.isPrivateAttribute(schema, name)) continue;
    if (attr.type === 'relation') continue;
    keys.add(name);
  }
  return keys;
}

const plans = new WeakMap<object, Plan | null>();

/**
 * How the account and its phones are read in one statement, from Strapi's
 * metadata; null when the database is not PostgreSQL or the model is not what
 * this reader was written for (draft & publish, i18n, a phones attribute of
 * another shape), so that every request falls back to the generic read.
 */
function planOf(strapi: Core.Strapi): Plan | null {
  if (plans.has(strapi)) return plans.get(strapi)!;
  let plan: Plan | null = null;
  const contentType: any = (strapi as any).contentTypes[UID];
  const meta: any = strapi.db.metadata.get(UID);
  const phones = meta?.attributes?.[PHONES];
  const joinTable = phones?.joinTable;
  const i18n = contentType?.pluginOptions?.i18n?.localized === true;
  if (
    // The SQL below is PostgreSQL's (`= any(?::bigint[])`, `{ rows }` from raw): SQLite (the demo's) and MySQL take the generic path.
    (strapi.db as any).dialect?.client === 'postgres' &&
    contentType &&
    !contentTypeUtils.hasDraftAndPublish(contentType) &&
    !i18n &&
    contentType.attributes?.[PHONES]?.type === 'component' &&
    contentType.attributes[PHONES].repeatable === true &&
    joinTable?.orderColumnName &&
    joinTable.on &&
    Object.values(joinTable.on).every((v) => typeof v === 'string')
  ) {
    const phoneUid = contentType.attributes[PHONES].component;
    const phoneMeta: any = strapi.db.metadata.get(phoneUid);
    const phoneColumns = [...new Set(Object.keys(phoneMeta.columnToAttribute))]
      .map((column) => `p.${quote(column)} as ${quote(PHONE_PREFIX + column)}`)
      .join(', ');
    const on = Object.entries(joinTable.on as Record<string, string>)
      .map(([column, value]) => `pl.${quote(column)} = '${value.replace(/'/g, "''")}'`)
      .join(' and ');
    plan = {
      meta,
      phoneMeta,
      accountKeys: keptKeys(strapi, UID, meta),
      phoneKeys: keptKeys(strapi, phoneUid, phoneMeta),
      phoneColumns,
      phonesJoin:
        `left join ${quote(joinTable.name)} pl on pl.${quote(joinTable.joinColumn.name)} = a.${quote(joinTable.joinColumn.referencedColumn)} and ${on} ` +
        `left join ${quote(phoneMeta.tableName)} p on p.${quote(joinTable.inverseJoinColumn.referencedColumn)} = pl.${quote(joinTable.inverseJoinColumn.name)}`,
      // Strapi orders a repeatable component by its join table's order column alone; the id only settles ties.
      phonesOrder: `order by pl.${quote(joinTable.orderColumnName)} asc, p.id asc`,
    };
  }
  plans.set(strapi, plan);
  return plan;
}

function keep(entity: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(entity)) if (keys.has(key)) out[key] = entity[key];
  return out;
}

export type FastRead = { found: true; data: Record<string, unknown> } | { found: false } | { unsupported: true };

/**
 * GET /api/accounts/:documentId (with or without `populate=phones`) as the
 * generic path answers it, in one SQL statement: the account within the
 * reader's scope (scopeFilter, the same rules) and its phones in their order.
 * `{ unsupported: true }` when the scope or the model has a shape this reader
 * does not spell out: the caller then takes the generic path.
 */
export async function readAccount(strapi: Core.Strapi, documentId: string, withPhones: boolean, access: Access): Promise<FastRead> {
  const plan = planOf(strapi);
  if (!plan) return { unsupported: true };
  // An agent's live-call accounts are worked out inside the read's statement, not by one before it.
  const live = access.kind === 'scoped' && access.role === 'agent' ? liveAccountsSubquery(strapi, access.userId) : null;
  const filter = await scopeFilter(UID, access, live ?? undefined);
  const bindings: unknown[] = [documentId];
  let scope = '';
  if (filter) {
    const where = scopeWhereSql(plan.meta, filter, 'a', bindings);
    if (!where) return { unsupported: true };
    scope = ` and (${where.sql})`;
  }
  const sql = withPhones
    ? `select a.*, ${plan.phoneColumns} from ${quote(plan.meta.tableName)} a ${plan.phonesJoin} where a.document_id = ?${scope} ${plan.phonesOrder}`
    : `select a.* from ${quote(plan.meta.tableName)} a where a.document_id = ?${scope} limit 1`;
  const rows = await preparedRead(strapi, sql, bindings);
  if (rows.length === 0) return { found: false };
  const data = keep(fromRow(plan.meta, rows[0]), plan.accountKeys);
  if (withPhones) {
    const phones = [];
    for (const row of rows) {
      const phoneRow: Record<string, unknown> = {};
      let present = false;
      for (const column of Object.keys(row)) {
        if (!column.startsWith(PHONE_PREFIX)) continue;
        const name = column.slice(PHONE_PREFIX.length);
        phoneRow[name] = row[column];
        if (name === 'id' && row[column] !== null) present = true;
      }
      if (present) phones.push(keep(fromRow(plan.phoneMeta, phoneRow), plan.phoneKeys));
    }
    data[PHONES] = phones;
  }
  return { found: true, data };
}
