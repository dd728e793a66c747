/** decimal(10,2), the column Strapi makes for a decimal: larger amounts would fail in the database. */
const MAX_AMOUNT = 1e8;

/** A money amount as stored: finite, at most two decimals, optionally strictly positive. */
export function moneyProblem(value: unknown, { positive = false } = {}): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return 'must be a decimal number';
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) >= MAX_AMOUNT) return `must be less than ${MAX_AMOUNT}`;
  if (positive ? n <= 0 : n < 0) return positive ? 'must be greater than 0' : 'must not be negative';
  if (Math.round(n * 100) / 100 !== n) return 'must have at most two decimals';
  return null;
}
