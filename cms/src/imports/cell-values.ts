/** A cell as a reader gives it: text from CSV, text, number or boolean from a spreadsheet. */
export type Cell = string | number | boolean | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const cellText = (cell: Cell): string => (cell === null || cell === undefined ? '' : String(cell).trim());

/**
 * An amount as creditors write it: "$1,234.56", "1.234,56", "1234.5", "(12.00)"
 * is refused (a negative balance is not a debt). The last separator followed by
 * one or two digits is the decimal one; the others group thousands.
 */
export function parseAmount(cell: Cell): Parsed<string> {
  if (typeof cell === 'number') return { ok: true, value: String(cell) };
  let text = cellText(cell).replace(/[\s\u00a0$€£¥]|USD|EUR|GBP|CAD/gi, '');
  if (!/^-?[\d.,]+$/.test(text)) return { ok: false, message: 'must be an amount such as 1234.56' };
  const lastSep = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  if (lastSep >= 0 && text.length - lastSep - 1 <= 2) {
    const whole = text.slice(0, lastSep);
    if (!/^-?(\d+|\d{1,3}([.,]\d{3})+)$/.test(whole)) return { ok: false, message: 'must be an amount such as 1234.56' };
    text = whole.replace(/[.,]/g, '') + '.' + text.slice(lastSep + 1);
  } else {
    if (lastSep >= 0 && !/^-?\d{1,3}([.,]\d{3})+$/.test(text)) return { ok: false, message: 'must be an amount such as 1234.56' };
    text = text.replace(/[.,]/g, '');
  }
  return { ok: true, value: text };
}

export function parseWholeNumber(cell: Cell): Parsed<number> {
  const text = typeof cell === 'number' ? String(cell) : cellText(cell).replace(/[,\s]/g, '');
  if (!/^-?\d+$/.test(text)) return { ok: false, message: 'must be a whole number' };
  return { ok: true, value: Number(text) };
}

/** Day 1 of Excel's calendar is 1900-01-01, and it counts a 29 February 1900 that never was. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const iso = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.toISOString().slice(0, 10) : null;
};

/**
 * A calendar date as YYYY-MM-DD: ISO, an Excel serial (a spreadsheet date, or
 * one pasted into CSV), or day/month/year with the order of the client's
 * country (month first in the US, day first elsewhere).
 */
export function parseDate(cell: Cell, country: string): Parsed<string> {
  const text = cellText(cell);
  const bad = { ok: false as const, message: `must be a date such as 2026-03-31${country === 'US' ? ' or 03/31/2026' : ' or 31/03/2026'}` };
  if (!text) return bad;
  if (typeof cell === 'number' || /^\d{1,5}(\.\d+)?$/.test(text)) {
    const serial = Number(text);
    if (serial < 1 || serial > 2958465) return bad;
    return { ok: true, value: new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10) };
  }
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) { const v = iso(+m[1], +m[2], +m[3]); return v ? { ok: true, value: v } : bad; }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) {
    const [a, b] = [+m[1], +m[2]];
    const v = country === 'US' ? iso(+m[3], a, b) : iso(+m[3], b, a);
    return v ? { ok: true, value: v } : bad;
  }
  return bad;
}

/** "In Arrangement", "DPD 1-30" and "in_arrangement" name one enumeration value. */
export function parseEnum(cell: Cell, values: readonly string[]): Parsed<string> {
  const key = cellText(cell).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (values.includes(key)) return { ok: true, value: key };
  return { ok: false, message: `must be one of: ${values.join(', ')}` };
}

const TRUE = new Set(['yes', 'y', 'true', '1', 'x']);
const FALSE = new Set(['no', 'n', 'false', '0', '']);
export function parseYesNo(cell: Cell): Parsed<boolean> {
  if (typeof cell === 'boolean') return { ok: true, value: cell };
  const key = cellText(cell).toLowerCase();
  if (TRUE.has(key)) return { ok: true, value: true };
  if (FALSE.has(key)) return { ok: true, value: false };
  return { ok: false, message: 'must be yes or no' };
}
