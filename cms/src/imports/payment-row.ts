import { cellText, parseAmount, parseDate, parseEnum, type Cell } from './cell-values';
import { ImportErrorCode, type RowProblem } from './row-problem';

export type PaymentRowContext = { defaultCountry: string; methods: readonly string[]; now: Date };
export type PaymentRowData = { accountNumber: string; amount: string; paidDate: string; currency?: string; method?: string; reference?: string };
export type PaymentRow = { ok: true; data: PaymentRowData } | { ok: false; problems: RowProblem[] };

const MAX_AMOUNT = 99_999_999.99;

/** What makes two payment rows the same payment: one account, reference, day and amount (in cents). */
export const paymentKey = (d: { accountNumber: string; reference?: string | null; paidDate: string; amount: string | number }) =>
  JSON.stringify([d.accountNumber, d.reference ?? '', String(d.paidDate).slice(0, 10), Math.round(Number(d.amount) * 100)]);

/**
 * One line of a payment file, read alone (the account it names is found by
 * the writer, which knows the client's accounts). The payment rules of the
 * REST path (record-rules.ts, date-windows.ts) are repeated here so that a
 * refused row names its cell rather than failing the batch's transaction.
 */
export function readPaymentRow(cells: Record<string, Cell>, ctx: PaymentRowContext): PaymentRow {
  const problems: RowProblem[] = [];
  const raw = (f: string) => (cells[f] === undefined || cells[f] === null ? null : String(cells[f]));
  const text = (f: string) => cellText(cells[f] ?? null);
  const fail = (field: string, code: ImportErrorCode, message: string) => problems.push({ field, code, message: `${field} ${message}`, value: raw(field) });

  const accountNumber = text('accountNumber');
  if (!accountNumber) fail('accountNumber', ImportErrorCode.REQUIRED, 'is required');
  let amount: string | undefined;
  if (!text('amount')) fail('amount', ImportErrorCode.REQUIRED, 'is required');
  else {
    const parsed = parseAmount(cells.amount);
    if (parsed.ok === false) fail('amount', ImportErrorCode.INVALID_VALUE, parsed.message);
    else if (!(Number(parsed.value) >= 0.01) || Number(parsed.value) > MAX_AMOUNT) fail('amount', ImportErrorCode.INVALID_VALUE, `must be a positive amount of at most ${MAX_AMOUNT}`);
    else if (!/^\d+(\.\d{1,2})?$/.test(parsed.value)) fail('amount', ImportErrorCode.INVALID_VALUE, 'must have at most two decimals');
    else amount = parsed.value;
  }
  let paidDate: string | undefined;
  if (!text('paidDate')) fail('paidDate', ImportErrorCode.REQUIRED, 'is required');
  else {
    const parsed = parseDate(cells.paidDate, ctx.defaultCountry);
    // A day ahead is allowed, as on REST: the debtor's day may be tomorrow in UTC.
    const latest = new Date(ctx.now.getTime() + 86_400_000).toISOString().slice(0, 10);
    const earliest = `${ctx.now.getUTCFullYear() - 10}${ctx.now.toISOString().slice(4, 10)}`;
    if (parsed.ok === false) fail('paidDate', ImportErrorCode.INVALID_DATE, parsed.message);
    else if (parsed.value > latest) fail('paidDate', ImportErrorCode.INVALID_DATE, 'must not be in the future');
    else if (parsed.value < earliest) fail('paidDate', ImportErrorCode.INVALID_DATE, 'must be within the last ten years');
    else paidDate = parsed.value;
  }
  const data: Partial<PaymentRowData> = {};
  if (text('currency')) {
    const currency = text('currency').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) fail('currency', ImportErrorCode.INVALID_VALUE, 'must be a three-letter ISO 4217 code');
    else data.currency = currency;
  }
  if (text('method')) {
    const parsed = parseEnum(cells.method, ctx.methods);
    if (parsed.ok === false) fail('method', ImportErrorCode.INVALID_ENUM, parsed.message);
    else data.method = parsed.value;
  }
  if (text('reference')) {
    if (text('reference').length > 128) fail('reference', ImportErrorCode.INVALID_VALUE, 'must be at most 128 characters');
    else data.reference = text('reference');
  }
  if (problems.length || !amount || !paidDate) return { ok: false, problems };
  return { ok: true, data: { accountNumber, amount, paidDate, ...data } };
}
