import type { NothingToDial } from '@worker/cms/cms-client';

type Reason = NothingToDial['reasons'][number];

const accounts = (n: number) => `${n.toLocaleString('en-US')} account${n === 1 ? '' : 's'}`;

/** "in 2 h 14 min", counted from `now` (the page's clock) to an ISO time. */
export function timeUntil(iso: string, now: number): string {
  const minutes = Math.ceil((Date.parse(iso) - now) / 60_000);
  if (minutes <= 0) return 'opening now';
  if (minutes < 60) return `in ${minutes} min`;
  const rest = minutes % 60;
  return `in ${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

const opens = (r: Reason, now: number) => (r.nextWindow ? `the next window opens at ${r.nextWindow.localTime} ${r.nextWindow.timeZone}, ${timeUntil(r.nextWindow.at, now)}` : '');

const WHY: Record<Reason['code'], (r: Reason, now: number) => string> = {
  outside_calling_window: (r, now) => `${accounts(r.accounts)} outside their calling window; ${opens(r, now)}`,
  retry_delay: (r) => `${accounts(r.accounts)} called recently, waiting out the campaign's retry delay`,
  daily_limit: (r) => `${accounts(r.accounts)} already called as often as allowed today`,
  weekly_limit: (r) => `${accounts(r.accounts)} called 7 times in the last 7 days (Regulation F)`,
  after_conversation: (r) => `${accounts(r.accounts)} spoken to in the last 7 days (Regulation F)`,
  attempt_limit: (r) => `${accounts(r.accounts)} at the campaign's attempt limit`,
  no_callable_phone: (r) => `${accounts(r.accounts)} with no phone that may be called (do not call or bad number)`,
  no_phones: (r) => `${accounts(r.accounts)} with no phone number`,
  in_flight: (r) => `${accounts(r.accounts)} on a call right now`,
  all_done: () => 'every account of this campaign is done: paid, closed, on hold or out of attempts',
};

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

/** Why no call comes, for the agent and supervisor waiting on a campaign: a headline and, when several reasons hold, one line each. */
export function describeNothingToDial(why: NothingToDial, now: number): { headline: string; details: string[] } {
  const [first, ...others] = why.reasons;
  if (!first || first.code === 'all_done') return { headline: sentence(WHY.all_done(first, now)), details: [] };
  if (!others.length && first.accounts === why.remainingAccounts) {
    const all = why.remainingAccounts === 1 ? 'the one remaining account is' : `all ${why.remainingAccounts.toLocaleString('en-US')} remaining accounts are`;
    if (first.code === 'outside_calling_window') return { headline: sentence(`${all} outside their calling window; ${opens(first, now)}`), details: [] };
    return { headline: sentence(`no call can be placed now: ${WHY[first.code](first, now)}`), details: [] };
  }
  return { headline: `No call can be placed now. Of ${accounts(why.remainingAccounts)} remaining:`, details: why.reasons.map((r) => sentence(WHY[r.code](r, now))) };
}
