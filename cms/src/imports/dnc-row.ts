import { normalizePhone } from '../validation/phone-number';
import { cellText, parseDate, parseEnum, type Cell } from './cell-values';
import { ImportErrorCode, type RowProblem } from './row-problem';

export type DncRowContext = { defaultCountry: string; reasons: readonly string[]; now: Date };
export type DncRow = { ok: true; data: { phone: string; reason: string; expiresAt?: string; notes?: string } } | { ok: false; problems: RowProblem[] };

/** One line of a do-not-call list: a phone (E.164 in the client's country), why, and until when. */
export function readDncRow(cells: Record<string, Cell>, ctx: DncRowContext): DncRow {
  const problems: RowProblem[] = [];
  const raw = (f: string) => (cells[f] === undefined || cells[f] === null ? null : String(cells[f]));
  const phone = normalizePhone(cellText(cells.phone ?? null), ctx.defaultCountry);
  if (phone.ok === false) problems.push({ field: 'phone', code: phone.message === 'is required' ? ImportErrorCode.REQUIRED : ImportErrorCode.INVALID_PHONE, message: `phone ${phone.message}`, value: raw('phone') });
  let reason = 'debtor_request';
  if (cellText(cells.reason ?? null)) {
    const parsed = parseEnum(cells.reason, ctx.reasons);
    if (parsed.ok === true) reason = parsed.value;
    else problems.push({ field: 'reason', code: ImportErrorCode.INVALID_ENUM, message: `reason ${parsed.message}`, value: raw('reason') });
  }
  let expiresAt: string | undefined;
  if (cellText(cells.expiresAt ?? null)) {
    const parsed = parseDate(cells.expiresAt, ctx.defaultCountry);
    if (parsed.ok === false) problems.push({ field: 'expiresAt', code: ImportErrorCode.INVALID_DATE, message: `expiresAt ${parsed.message}`, value: raw('expiresAt') });
    else if (new Date(parsed.value) <= ctx.now) problems.push({ field: 'expiresAt', code: ImportErrorCode.INVALID_DATE, message: 'expiresAt must be in the future', value: raw('expiresAt') });
    else expiresAt = `${parsed.value}T00:00:00.000Z`;
  }
  const notes = cellText(cells.notes ?? null);
  if (notes.length > 2000) problems.push({ field: 'notes', code: ImportErrorCode.INVALID_VALUE, message: 'notes must be at most 2000 characters', value: notes.slice(0, 32) });
  if (problems.length || phone.ok === false) return { ok: false, problems };
  return { ok: true, data: { phone: phone.e164, reason, ...(expiresAt ? { expiresAt } : {}), ...(notes ? { notes } : {}) } };
}
