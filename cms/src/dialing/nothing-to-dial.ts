import { localClock } from '../compliance/local-time';

import type { NothingToDial, NothingToDialCode, NothingToDialReason } from '../../../protocol/hopper-item';

/**
 * Why a running campaign has no phone to dial, counted in accounts, for the
 * people waiting on it. Returned with an empty hopper (`nothingToDial`), never
 * as a field of a hopper item. The shapes are the protocol's.
 */
export type { NothingToDial, NothingToDialCode, NothingToDialReason };

/** What the hopper learned about one account it could not dial: each phone's refusals (`in_flight` for a phone on a line). */
export type BlockedAccount = { phones: string[][] } | 'in_flight';

// A refusal of dial-rules, as the reason a person reads; in order from the one that lasts
// longest to the one that clears first.
const BINDING: Array<[NothingToDialCode, (refusal: string) => boolean]> = [
  ['no_callable_phone', (r) => r === 'dnc' || (r.startsWith('phone_') && r !== 'phone_daily_limit') || r.startsWith('account_')],
  ['attempt_limit', (r) => r === 'campaign_attempt_limit'],
  ['after_conversation', (r) => r === 'reg_f_after_conversation'],
  ['weekly_limit', (r) => r === 'reg_f_7_in_7'],
  ['daily_limit', (r) => r === 'phone_daily_limit'],
  ['outside_calling_window', (r) => r === 'outside_calling_hours'],
  ['retry_delay', (r) => r === 'retry_delay'],
  ['in_flight', (r) => r === 'in_flight'],
];

/** A phone is held by its longest-lasting refusal; an account by the phone that frees up first. */
export function accountReason(blocked: BlockedAccount): NothingToDialCode {
  if (typeof blocked === 'string') return blocked;
  if (!blocked.phones.length) return 'no_phones';
  // A refusal this list does not know yet counts as the most binding: nobody is told it will clear.
  const rank = (refusals: string[]) => Math.max(0, BINDING.findIndex(([, matches]) => refusals.some(matches)));
  return BINDING[Math.max(...blocked.phones.map(rank))][0];
}

const DAY_MIN = 24 * 60;

/** When the calling window next opens in a zone, at `startMinutes` local time. */
export function nextWindowOpening(now: Date, timeZone: string, startMinutes: number): Date {
  const local = localClock(now, timeZone).minutes;
  let at = new Date(now.getTime() + (((startMinutes - local + DAY_MIN) % DAY_MIN) || DAY_MIN) * 60_000);
  at.setUTCSeconds(0, 0);
  // A change of clocks in between moves local time by the offset change: step over it.
  const drift = localClock(at, timeZone).minutes - startMinutes;
  if (drift) at = new Date(at.getTime() - drift * 60_000);
  return at;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Pure: the campaign's remaining accounts by zone, which zones are in their window now,
 * and what the hopper found on the accounts of open zones it checked.
 */
export function whyNothingDials(
  now: Date,
  window: { start: number; end: number },
  remainingByZone: Array<{ timeZone: string; accounts: number }>,
  blocked: BlockedAccount[],
): NothingToDial {
  const remainingAccounts = remainingByZone.reduce((sum, z) => sum + z.accounts, 0);
  if (!remainingAccounts) return { remainingAccounts, reasons: [{ code: 'all_done', accounts: 0 }] };
  const counts = new Map<NothingToDialCode, number>();
  const add = (code: NothingToDialCode, n: number) => counts.set(code, (counts.get(code) ?? 0) + n);

  let next: { at: Date; timeZone: string } | null = null;
  for (const z of remainingByZone) {
    const m = localClock(now, z.timeZone).minutes;
    if (!z.accounts || (m >= window.start && m < window.end)) continue;
    add('outside_calling_window', z.accounts);
    const at = nextWindowOpening(now, z.timeZone, window.start);
    if (!next || at < next.at) next = { at, timeZone: z.timeZone };
  }
  for (const b of blocked) add(accountReason(b), 1);

  const order: NothingToDialCode[] = ['outside_calling_window', ...BINDING.map(([code]) => code), 'no_phones'];
  const reasons = [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || order.indexOf(a) - order.indexOf(b))
    .map(([code, accounts]): NothingToDialReason =>
      code === 'outside_calling_window' && next
        ? { code, accounts, nextWindow: { at: next.at.toISOString(), timeZone: next.timeZone, localTime: hhmm(window.start) } }
        : { code, accounts },
    );
  return { remainingAccounts, reasons };
}
