/**
 * A CSV line written by PostgreSQL, byte for byte what csvLine (cell-text.ts)
 * writes from the same row: Node then only forwards text. Formatting a
 * million rows' cells in JavaScript (a value object per cell, a regular
 * expression per string) cost the export most of its CPU; in SQL it runs
 * beside the scan, in C. Pure: SQL text in, SQL text out, no bindings (the
 * text goes into a cursor declaration that knex scans for `?`).
 */

/** Types whose every value reads the same in SQL as in cellValue + csvField. JSON is not one (jsonb's text has spaces). */
const FORMATTED: Record<string, (ref: string) => string> = {
  // As cellValue: ISO 8601 in UTC with milliseconds, and the stored day. A datetime column holds UTC wall time
  // (timestamp without time zone): formatted as stored, without a time zone conversion per cell (a tenth of the line's cost).
  datetime: (ref) => `to_char(${ref}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  date: (ref) => `to_char(${ref}, 'YYYY-MM-DD')`,
  // As Number(value) then String(): no trailing zeros of the column's scale (1234.50 is 1234.5).
  decimal: (ref) => `trim_scale(${ref})::text`,
  float: (ref) => `(${ref})::text`,
  integer: (ref) => `(${ref})::text`,
  biginteger: (ref) => `(${ref})::text`,
  boolean: (ref) => `(${ref})::text`,
  time: (ref) => `(${ref})::text`,
};

const TEXT = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration']);

export function sqlFormattable(type: string): boolean {
  return Object.hasOwn(FORMATTED, type) || TEXT.has(type);
}

// neutralise(): =, +, -, @, tab, CR first (ascii() reads only the first character), unless a plain signed number.
// `{0,1}` rather than `?`: knex would read a `?` as a binding.
const neutralised = (x: string) =>
  `(case when ascii(${x}) in (61, 43, 45, 64, 9, 13) and ${x} !~ '^[+-]{0,1}[0-9]+([.][0-9]+){0,1}$' then '''' || ${x} else ${x} end)`;

/** csvField() of a text value: neutralised, quoted when it holds a quote, comma, CR or LF, quotes doubled. NULL stays NULL. */
export function csvTextSql(x: string): string {
  const n = neutralised(x);
  return `(case when ${x} ~ '[",\\r\\n]' then '"' || replace(${n}, '"', '""') || '"' else ${n} end)`;
}

// A value csvField writes as it is: no quote, comma, CR or LF, and no formula start.
const PLAIN_TEXT = /^[^",\r\n=+\-@\t][^",\r\n]*$/;
// Into SQL as a literal: `?` (a knex binding) and backslashes are left to the general expression.
const LITERAL_SAFE = /^[^?\\]*$/;

/**
 * An enumeration's declared values that need no escaping compare equal and go out as they are: a
 * comparison instead of two regular expressions per cell. Anything else (a value written around
 * Strapi) still takes the general expression.
 */
function enumerationSql(x: string, values: readonly string[]): string {
  const plain = values.filter((v) => PLAIN_TEXT.test(v) && LITERAL_SAFE.test(v));
  if (plain.length === 0) return csvTextSql(x);
  const list = plain.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  return `(case when ${x} in (${list}) then ${x} else ${csvTextSql(x)} end)`;
}

/** One cell's SQL: its CSV text, or NULL for an empty cell. `ref` is a quoted column reference; `values` an enumeration's. */
export function csvCellSql(ref: string, type: string, values?: readonly string[]): string {
  if (type === 'enumeration' && values?.length) return enumerationSql(`(${ref})::text`, values);
  if (TEXT.has(type)) return csvTextSql(`(${ref})::text`);
  const format = FORMATTED[type];
  if (!format) throw new Error(`no SQL CSV format for type ${type}`);
  return format(ref);
}

/** The whole line, CRLF ended; concat() reads a NULL cell as empty. */
export function csvLineSql(cells: string[]): string {
  const args: string[] = [];
  cells.forEach((cell, i) => {
    if (i) args.push(`','`);
    args.push(cell);
  });
  args.push(`E'\\r\\n'`);
  return `concat(${args.join(', ')})`;
}
