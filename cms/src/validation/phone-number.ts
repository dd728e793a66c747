import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && isSupportedCountry(value as CountryCode);
}

/**
 * A phone number in E.164, read the way a debtor's number arrives from a
 * creditor's file: national format in the client's country, or international.
 */
export function normalizePhone(raw: unknown, defaultCountry: string): PhoneResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, message: 'is required' };
  const text = String(raw).trim();
  if (!text) return { ok: false, message: 'is required' };
  const country = isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(text, country);
  if (!parsed || !parsed.isValid()) {
    return { ok: false, message: `"${text}" is not a valid phone number${country ? ` for ${country}` : ''}` };
  }
  return { ok: true, e164: parsed.number };
}
