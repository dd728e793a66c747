// pg's own conversion of a JS value to its text form: a Date becomes exactly the string a knex insert would send.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => unknown };

/** Rows a knex multi-row insert takes at once on SQLite (its bound-variable limit is what caps it). */
const SQLITE_CHUNK = 200;

/**
 * Inserts rows (column name → value) into one table. On PostgreSQL the whole
 * set is one statement with one parameter, a JSON array expanded by
 * json_populate_recordset: no per-value placeholders to build, bind and parse
 * (a 1,000-row multi-row INSERT of accounts has ~15,000), and the server casts
 * each value to its column's type. A key a row lacks is NULL there, not the
 * column's default: callers give every column that has one. JSON columns take
 * the value itself (an object), not its text. Answers the `returning` columns
 * of the rows, in the order given.
 */
export async function insertRows(trx: any, client: string, table: string, rows: Array<Record<string, unknown>>, returning: string[] = []): Promise<any[]> {
  if (rows.length === 0) return [];
  if (client !== 'postgres') {
    const out: any[] = [];
    for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
      const chunk = rows.slice(i, i + SQLITE_CHUNK);
      if (returning.length) out.push(...(await trx(table).insert(chunk, returning)));
      else await trx(table).insert(chunk);
    }
    return out;
  }
  const columns = new Set<string>();
  for (const row of rows) for (const k in row) columns.add(k);
  const cols = [...columns];
  // Dates as pg would send them (local time, as knex inserts store them in `timestamp` columns), not as toJSON's UTC.
  const json = JSON.stringify(rows.some(hasDate) ? rows.map(withDates) : rows);
  const list = cols.map(() => '??').join(', ');
  const ret = returning.length ? ` RETURNING ${returning.map(() => '??').join(', ')}` : '';
  // WITH ORDINALITY and ORDER BY: rows are inserted, and their ids given, in the order of the array.
  const sql = `INSERT INTO ?? (${list}) SELECT ${list} FROM json_populate_recordset(NULL::??, ?::json) WITH ORDINALITY AS r ORDER BY r.ordinality${ret}`;
  const result = await trx.raw(sql, [table, ...cols, ...cols, table, json, ...returning]);
  return result.rows ?? [];
}

function hasDate(row: Record<string, unknown>): boolean {
  for (const k in row) if (row[k] instanceof Date) return true;
  return false;
}

function withDates(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in row) {
    const v = row[k];
    out[k] = v instanceof Date ? prepareValue(v) : v;
  }
  return out;
}
