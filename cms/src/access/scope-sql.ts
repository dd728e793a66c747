import type { Filter } from './scope-rules';

/** What scope-sql needs of Strapi's database metadata (strapi.db.metadata.get(uid)). */
export type ModelMeta = {
  tableName: string;
  attributes: Record<string, any>;
};

export type SqlWhere = { sql: string; bindings: unknown[] };

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * A set of ids as a SQL subquery (`select id from …`), for `{ $in: … }` in a filter that only
 * scopeWhereSql reads: the set is then worked out by the same statement instead of a round trip
 * before it. Strapi's query engine does not know it, so such a filter never goes there.
 */
export class SqlSubquery {
  constructor(
    readonly sql: string,
    readonly bindings: readonly unknown[],
  ) {}
}

/** A PostgreSQL identifier, quoted. */
export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `{ $eq: n }`, `{ $in: [n…] }`, `{ $in: SqlSubquery }` or `{ $null: true }` on an integer column; null for any other shape. */
function idCondition(column: string, condition: unknown, bindings: unknown[]): string | null {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return null;
  const entries = Object.entries(condition);
  if (entries.length !== 1) return null;
  const [op, value] = entries[0];
  if (op === '$eq' && isInteger(value)) {
    bindings.push(value);
    return `${column} = ?`;
  }
  if (op === '$in' && value instanceof SqlSubquery) {
    bindings.push(...value.bindings);
    return `${column} in (${value.sql})`;
  }
  if (op === '$in' && Array.isArray(value) && value.every(isInteger)) {
    // As an array literal: knex would spread a JS array binding into a list.
    bindings.push(`{${value.join(',')}}`);
    return `${column} = any(?::bigint[])`;
  }
  if (op === '$null' && value === true) return `${column} is null`;
  return null;
}

/**
 * A row-level scope filter (scope-rules.ts) as SQL on `alias`, for the few
 * shapes the rules use on a model: its id, a to-one relation's id through its
 * join table, and $or/$and of those. Anything else answers null, so that a
 * caller falls back to Strapi's own query rather than guess what a new shape
 * means. The rules stay in one place; this only spells them out.
 */
export function scopeWhereSql(meta: ModelMeta, filter: Filter, alias: string, bindings: unknown[] = []): SqlWhere | null {
  const parts: string[] = [];
  const entries = Object.entries(filter);
  if (entries.length === 0) return null;
  for (const [key, value] of entries) {
    let part: string | null = null;
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) return null;
      const inner: string[] = [];
      for (const sub of value) {
        if (!sub || typeof sub !== 'object' || Array.isArray(sub)) return null;
        const where = scopeWhereSql(meta, sub as Filter, alias, bindings);
        if (!where) return null;
        inner.push(`(${where.sql})`);
      }
      part = inner.join(key === '$or' ? ' or ' : ' and ');
    } else if (key === 'id') {
      part = idCondition(`${alias}.${quote('id')}`, value, bindings);
    } else {
      const attr = meta.attributes[key];
      const joinTable = attr?.joinTable;
      const toOne = attr?.type === 'relation' && (attr.relation === 'manyToOne' || attr.relation === 'oneToOne');
      if (!toOne || !joinTable || joinTable.on || !value || typeof value !== 'object' || Object.keys(value).length !== 1 || !('id' in value)) return null;
      const link = 'scope_link';
      const condition = idCondition(`${link}.${quote(joinTable.inverseJoinColumn.name)}`, (value as any).id, bindings);
      if (!condition) return null;
      part =
        `exists (select 1 from ${quote(joinTable.name)} ${link} ` +
        `where ${link}.${quote(joinTable.joinColumn.name)} = ${alias}.${quote(joinTable.joinColumn.referencedColumn)} and ${condition})`;
    }
    if (!part) return null;
    parts.push(`(${part})`);
  }
  return { sql: parts.join(' and '), bindings };
}
