import type { Compliance } from '../shared-config';
import { localClock, toMinutes } from './local-time';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export type ContactFacts = {
  accountStatus: string;
  timezone: string;
  /** When each attempt on the debt was made, any campaign, any phone, over at least the last Regulation F period. */
  attempts: Date[];
  lastConversationAt: Date | null;
};

export type ContactRules = {
  attemptsLast7Days: number;
  maxAttempts: number;
  periodDays: number;
  lastConversationAt: string | null;
  /** The debtor's local time now, and the legal calling window there. */
  localTime: string;
  timezone: string;
  callingWindow: { start: string; end: string };
  /** The first moment every rule allows another call about this debt; null while the account is on hold. */
  nextCallAllowedAt: string | null;
  /** What holds it back now, as the hopper's refusal codes. */
  blockedBy: string[];
};

/** The first moment at or after `at` inside [start, end) local time in `timeZone`, to the minute. */
export function nextWindowOpening(at: Date, timeZone: string, start: string, end: string): Date {
  const from = toMinutes(start);
  const to = toMinutes(end);
  let candidate = at;
  // Twice at most: a DST change between now and the opening moves the local clock by up to an hour.
  for (let i = 0; i < 3; i++) {
    const m = localClock(candidate, timeZone).minutes;
    if (m >= from && m < to) return candidate;
    const wait = m < from ? from - m : 1440 - m + from;
    candidate = new Date(Math.floor(candidate.getTime() / MINUTE_MS) * MINUTE_MS + wait * MINUTE_MS);
  }
  return candidate;
}

/**
 * The Regulation F counters of one debt and when the next call about it is allowed, by the
 * rules the hopper applies (dial-rules.ts): at most N attempts in any N-day period, none in the
 * quiet days after a conversation, and only inside the debtor's legal calling hours. Pure.
 */
export function contactRules(now: Date, rules: Compliance, facts: ContactFacts): ContactRules {
  const regF = rules.regulationF;
  const since = now.getTime() - regF.periodDays * DAY_MS;
  const recent = facts.attempts.filter((t) => t.getTime() >= since).sort((a, b) => a.getTime() - b.getTime());
  const blockedBy: string[] = [];
  let earliest = now.getTime();
  if (recent.length >= regF.maxAttemptsPerAccount) {
    blockedBy.push('reg_f_7_in_7');
    // The count falls below the cap when the attempt that made it full leaves the period.
    earliest = Math.max(earliest, recent[recent.length - regF.maxAttemptsPerAccount].getTime() + regF.periodDays * DAY_MS);
  }
  const quietUntil = facts.lastConversationAt ? facts.lastConversationAt.getTime() + regF.quietDaysAfterConversation * DAY_MS : 0;
  if (quietUntil > now.getTime()) {
    blockedBy.push('reg_f_after_conversation');
    earliest = Math.max(earliest, quietUntil);
  }
  const local = localClock(now, facts.timezone);
  const { start, end } = rules.callingHours;
  if (local.minutes < toMinutes(start) || local.minutes >= toMinutes(end)) blockedBy.push('outside_calling_hours');
  const onHold = rules.holdStatuses.includes(facts.accountStatus);
  if (onHold) blockedBy.push(`account_${facts.accountStatus}`);
  return {
    attemptsLast7Days: recent.length,
    maxAttempts: regF.maxAttemptsPerAccount,
    periodDays: regF.periodDays,
    lastConversationAt: facts.lastConversationAt?.toISOString() ?? null,
    localTime: `${local.date} ${local.hhmm}`,
    timezone: facts.timezone,
    callingWindow: { start, end },
    nextCallAllowedAt: onHold ? null : nextWindowOpening(new Date(earliest), facts.timezone, start, end).toISOString(),
    blockedBy,
  };
}
