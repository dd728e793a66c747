/**
 * How one value reads in a spreadsheet cell. Pure: the CSV and XLSX writers
 * share it, so both neutralise formula injection the same way.
 */

// A cell a spreadsheet would evaluate: =, +, -, @ (and tab / carriage return, which Excel strips before looking).
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain signed number (an E.164 phone, a negative balance) is not a formula a spreadsheet runs: left as is, so phones round-trip.
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutralise(text: string): string {
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
export function csvField(value: CellValue): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: CellValue[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export const UTF8_BOM = '\uFEFF';
