/**
 * How one value reads in a spreadsheet cell. Pure: the CSV and XLSX writers
 * share it, so both neutralise formula injection the same way.
 */

// A cell a spreadsheet would evaluate: =, +, -, @ (and tab / carriage return, which Excel strips before looking).
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain signed number (an E.164 phone, a negative balance) is not a formula a spreadsheet runs: left as is, so phones round-trip.
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

const FIRST_OF_FORMULA = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutralise(text: string): string {
  // The first character decides almost always, without a regular expression: this runs for every cell.
  if (text.length === 0 || !FIRST_OF_FORMULA.has(text[0])) return text;
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export type CellValue = string | number | boolean | null;

/** Text of a value for CSV: numbers and booleans as they are, strings neutralised. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return neutralise(value);
  return String(value);
}

/** RFC 4180: a field holding a quote, comma, CR or LF is quoted, quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

export function csvField(value: CellValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = neutralise(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

export function csvLine(values: CellValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvField(values[i]);
  return line + '\r\n';
}

export const UTF8_BOM = '\uFEFF';
