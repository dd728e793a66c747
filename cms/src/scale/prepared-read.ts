import crypto from 'crypto';
import type { Core } from '@strapi/strapi';

/** Statements given a name at most; past this, reads go unnamed as before (a text built per user would otherwise grow without end). */
const MAX_NAMED = 200;
const named = new Map<string, { name: string; text: string }>();

/**
 * Rows of a read on PostgreSQL as a named prepared statement: each connection parses and plans it
 * once, then PostgreSQL runs a cached plan. Knex sends every statement unnamed, so it is parsed and
 * planned on every call: on an agent's account read (two statements that run in 0.07 ms) the
 * planning was 1.2 ms of PostgreSQL's CPU per request. For hot reads whose SQL text is the same from
 * call to call (values as `?` parameters, lists as one array parameter). Outside any transaction, as
 * a raw read on the root connection is. `DATABASE_PREPARED_STATEMENTS=false` sends them unnamed (a
 * pooler in transaction mode that does not track prepared statements: PgBouncer before 1.21, or
 * without `max_prepared_statements`).
 */
export async function preparedRead<T = any>(strapi: Core.Strapi, sql: string, values: unknown[]): Promise<T[]> {
  const knex: any = strapi.db.connection;
  const postgres = strapi.db.dialect.client === 'postgres';
  let statement = postgres ? named.get(sql) : undefined;
  if (postgres && !statement && process.env.DATABASE_PREPARED_STATEMENTS !== 'false' && named.size < MAX_NAMED && !sql.includes('??')) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    statement = { name: `cms_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
    named.set(sql, statement);
  }
  if (!statement) {
    const result = await knex.raw(sql, values);
    // SQLite's raw answers the rows themselves, PostgreSQL's a result holding them.
    return Array.isArray(result) ? result : result.rows;
  }
  const connection = await knex.client.acquireConnection();
  try {
    return (await connection.query({ name: statement.name, text: statement.text, values })).rows;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** A knex query's rows, through `preparedRead` on PostgreSQL (as the builder runs it elsewhere). */
export async function preparedRows<T = any>(strapi: Core.Strapi, query: { toSQL(): { sql: string; bindings: readonly unknown[] } }): Promise<T[]> {
  if (strapi.db.dialect.client !== 'postgres') return (await (query as any)) as T[];
  const { sql, bindings } = query.toSQL();
  return preparedRead<T>(strapi, sql, [...bindings]);
}

/**
 * `column in ids` as one array parameter on PostgreSQL, so that the statement's text is the same
 * whatever the number of ids (a prepared statement per list length would never be reused).
 */
export function whereIdIn<Q extends { whereRaw(sql: string, bindings: unknown[]): Q; whereIn(column: string, values: readonly unknown[]): Q }>(strapi: Core.Strapi, query: Q, column: string, ids: readonly number[]): Q {
  return strapi.db.dialect.client === 'postgres' ? query.whereRaw('?? = any(?::bigint[])', [column, [...ids]]) : query.whereIn(column, ids);
}

/** A boolean column as raw SQL answers it: PostgreSQL a boolean, SQLite 0 or 1. */
export const sqlBoolean = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't' || v === 'true';
