import { normalizePhone } from './phone-number';

/**
 * What a caller id says about who is calling: a number in E.164, a withheld number, or
 * something that is not a phone number (kept as it came, for the call record).
 */
export type CallerId = { kind: 'number'; e164: string } | { kind: 'withheld' } | { kind: 'invalid'; raw: string };

/** What carriers and Asterisk put in CALLERID(num) when the caller hides their number. */
const WITHHELD = new Set(['', 'anonymous', 'unknown', '<unknown>', 'restricted', 'private', 'unavailable', 'withheld', 'p', 'o']);

/**
 * A caller id as a trunk, Asterisk or a provider's webhook hands it over, read with the
 * project's phone normalisation in the country of the client the dialed number belongs to:
 * national formats (`(415) 555-2671`, `020 7946 0958`), international ones with `+` or an
 * exit code (`00`, `011`), and SIP URIs (`sip:+14155552671@trunk`).
 */
export function normalizeCallerId(raw: unknown, defaultCountry: string): CallerId {
  if (raw === null || raw === undefined) return { kind: 'withheld' };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { kind: 'invalid', raw: String(raw).slice(0, 64) };
  let text = String(raw).trim();
  if (WITHHELD.has(text.toLowerCase())) return { kind: 'withheld' };
  // A SIP or tel URI: the user part is the number.
  const uri = /^(?:sips?|tel):([^@;]+)/i.exec(text);
  if (uri) text = decodeURIComponent(uri[1]);
  if (WITHHELD.has(text.toLowerCase())) return { kind: 'withheld' };
  const phone = normalizePhone(text, defaultCountry);
  return phone.ok ? { kind: 'number', e164: phone.e164 } : { kind: 'invalid', raw: text.slice(0, 64) };
}
