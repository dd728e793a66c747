import { validateRecord, type FieldError } from '../validation/record-rules';
import type { Compliance } from '../shared-config';
import { cellText, parseAmount, parseDate, parseEnum, parseWholeNumber, parseYesNo, type Cell, type Parsed } from './cell-values';
import { MAX_FILE_PHONES } from './import-kinds';
import { ImportErrorCode, type RowProblem } from './row-problem';
import { zoneFromPhone, zoneFromPostalCode } from './time-zone-inference';

const ACCOUNT = 'api::account.account';

export type RowContext = {
  defaultCountry: string;
  defaultTimezone: string;
  currency: string;
  compliance: Compliance;
  now: Date;
  attributes: Record<string, any>;
  phoneAttributes: Record<string, any>;
};

export type TimeZoneSource = 'file' | 'postalCode' | 'phone' | 'client';
export type AccountRow =
  | { ok: true; data: Record<string, any>; timezoneSource: TimeZoneSource; notices: RowProblem[] }
  | { ok: false; problems: RowProblem[] };

const TEXT_FIELDS = ['accountNumber', 'debtorFirstName', 'debtorLastName', 'debtorEmail', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'originalCreditor', 'notes'];

function codeOf(e: FieldError): ImportErrorCode {
  if (/is required$/.test(e.message)) return ImportErrorCode.REQUIRED;
  if (e.path[0] === 'phones' && e.path[2] === 'number') return ImportErrorCode.INVALID_PHONE;
  if (/must be one of/.test(e.message)) return ImportErrorCode.INVALID_ENUM;
  return ImportErrorCode.INVALID_VALUE;
}

/**
 * One file row (cells by field) as an account the document service would
 * accept, or every problem with it. Values are read the way creditors write
 * them, then judged by the same rules as any other write (record-rules.ts),
 * so an import cannot store what the API would refuse.
 */
export function readAccountRow(cells: Record<string, Cell>, ctx: RowContext): AccountRow {
  const problems: RowProblem[] = [];
  const raw = (f: string) => (cells[f] === undefined || cells[f] === null ? null : String(cells[f]));
  const present = (f: string) => cellText(cells[f] ?? null) !== '';
  const fail = (field: string, code: ImportErrorCode, message: string) => problems.push({ field, code, message: `${field} ${message}`, value: raw(field) });
  const take = <T>(field: string, parsed: Parsed<T>, code = ImportErrorCode.INVALID_VALUE): T | undefined => {
    if (parsed.ok === true) return parsed.value;
    fail(field, code, parsed.message);
    return undefined;
  };
  const data: Record<string, any> = {};
  for (const f of TEXT_FIELDS) if (present(f)) data[f] = cellText(cells[f]);
  const country = present('country') ? cellText(cells.country).toUpperCase() : ctx.defaultCountry;
  if (present('country')) data.country = country;
  data.currency = present('currency') ? cellText(cells.currency).toUpperCase() : ctx.currency;
  for (const f of ['balance', 'originalBalance']) if (present(f)) data[f] = take(f, parseAmount(cells[f]));
  if (present('daysPastDue')) data.daysPastDue = take('daysPastDue', parseWholeNumber(cells.daysPastDue));
  for (const f of ['delinquencyBucket', 'status']) if (present(f)) data[f] = take(f, parseEnum(cells[f], ctx.attributes[f].enum), ImportErrorCode.INVALID_ENUM);
  for (const f of ['chargeOffDate', 'lastPaymentDate', 'nextActionDate']) if (present(f)) data[f] = take(f, parseDate(cells[f], ctx.defaultCountry), ImportErrorCode.INVALID_DATE);
  if (present('timezone')) data.timezone = cellText(cells.timezone);

  const phoneFieldOf: string[] = [];
  const phones: Record<string, any>[] = [];
  for (let n = 1; n <= MAX_FILE_PHONES; n++) {
    const f = `phone${n}`;
    if (!present(f)) continue;
    const phone: Record<string, any> = { number: cellText(cells[f]), status: 'valid', isPrimary: phones.length === 0, autodialConsent: false };
    phone.type = present(`${f}Type`) ? take(`${f}Type`, parseEnum(cells[`${f}Type`], ctx.phoneAttributes.type.enum), ImportErrorCode.INVALID_ENUM) : 'mobile';
    if (present(`${f}Status`)) phone.status = take(`${f}Status`, parseEnum(cells[`${f}Status`], ctx.phoneAttributes.status.enum), ImportErrorCode.INVALID_ENUM);
    if (present(`${f}Consent`)) {
      phone.autodialConsent = take(`${f}Consent`, parseYesNo(cells[`${f}Consent`]));
      // Consent that arrives in a placement file is the creditor's record of it.
      if (phone.autodialConsent) phone.consentSource = 'import';
    }
    if (present(`${f}ConsentDate`)) {
      const day = take(`${f}ConsentDate`, parseDate(cells[`${f}ConsentDate`], ctx.defaultCountry), ImportErrorCode.INVALID_DATE);
      if (day) phone.consentDate = `${day}T00:00:00.000Z`;
    }
    phoneFieldOf.push(f);
    phones.push(phone);
  }
  if (phones.length) data.phones = phones;

  // A value that did not parse is not also judged by the rules: one problem per cell.
  const unparsed = new Set(problems.map((p) => p.field));
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  let timezoneSource: TimeZoneSource = 'file';
  const notices: RowProblem[] = [];
  const errors = validateRecord(ACCOUNT, ctx.attributes, { ...data, client: 'import', timezone: data.timezone ?? ctx.defaultTimezone }, { defaultCountry: ctx.defaultCountry, existing: null, compliance: ctx.compliance, now: ctx.now }, () => ctx.phoneAttributes);
  for (const e of errors) {
    const field = e.path[0] === 'phones' ? (e.path[2] === 'number' || e.path.length === 2 ? phoneFieldOf[Number(e.path[1])] : `${phoneFieldOf[Number(e.path[1])]}${String(e.path[2])[0].toUpperCase()}${String(e.path[2]).slice(1)}`) : String(e.path[0]);
    if (!field || unparsed.has(field)) continue;
    const message = e.path[0] === 'phones' ? e.message.replace(/^phones\[\d+\]\.number/, field).replace(/^phones\[\d+\]\./, `${field} `) : e.message;
    problems.push({ field, code: codeOf(e), message, value: raw(field) });
  }
  if (problems.length) return { ok: false, problems };
  // validateRecord normalised the phones in place (E.164).
  if (!data.timezone) {
    const fromPostal = zoneFromPostalCode(data.postalCode, country);
    const fromPhone = fromPostal ? null : zoneFromPhone(phones[0]?.number);
    data.timezone = fromPostal ?? fromPhone ?? ctx.defaultTimezone;
    timezoneSource = fromPostal ? 'postalCode' : fromPhone ? 'phone' : 'client';
    const how = fromPostal ? `postal code ${data.postalCode}` : fromPhone ? `phone ${phones[0].number}` : "client's default time zone";
    notices.push({ field: 'timezone', code: ImportErrorCode.TIMEZONE_INFERRED, message: `timezone ${data.timezone} inferred from the ${how}`, value: null });
  }
  return { ok: true, data, timezoneSource, notices };
}
