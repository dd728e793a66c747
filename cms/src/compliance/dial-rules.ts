import type { Compliance } from '../shared-config';
import { localClock, toMinutes } from './local-time';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type DialCampaign = {
  complianceProfile: 'us' | 'uk';
  callWindowStart?: string | null;
  callWindowEnd?: string | null;
  maxAttemptsPerAccount?: number | null;
  maxAttemptsPerPhonePerDay?: number | null;
  retryDelayMinutes?: number | null;
};

export type DialHistory = {
  /** Attempts on the account (any campaign, any phone) in the last 7 days: Regulation F counts per debt. */
  accountAttemptsLast7Days: number;
  /** The last conversation with the debtor about this debt, if any. */
  lastConversationAt: Date | null;
  /** Attempts on the account in this campaign, ever. */
  campaignAttempts: number;
  /** Attempts on this phone since the debtor's local midnight. */
  phoneAttemptsToday: number;
  lastAttemptOnPhoneAt: Date | null;
  /** The last abandoned (dropped) call to this phone. */
  lastAbandonOnPhoneAt: Date | null;
};

export type DialCandidate = {
  accountStatus: string;
  timezone: string;
  phone: { number: string; status: string; autodialConsent: boolean };
  onDnc: boolean;
  history: DialHistory;
  /** A callback the debtor asked for: their request is consent to this one contact. */
  isCallback: boolean;
};

export type DialDecision = {
  dialable: boolean;
  /** Why not, as stable codes a supervisor's report can group on. */
  refusals: string[];
  /** No autodial consent (or a UK re-dial after an abandon): only with an agent already reserved, so no abandon is possible. */
  reservedAgentRequired: boolean;
  receipt: Record<string, unknown>;
};

/**
 * Whether one phone of one account may be dialed now, by every rule of the
 * compliance table, with the facts checked kept as a receipt for the call
 * record. Pure: the clock is a parameter.
 */
export function evaluateDial(now: Date, rules: Compliance, campaign: DialCampaign, c: DialCandidate): DialDecision {
  const refusals: string[] = [];
  const local = localClock(now, c.timezone);
  const legalStart = toMinutes(rules.callingHours.start);
  const legalEnd = toMinutes(rules.callingHours.end);
  const start = Math.max(legalStart, campaign.callWindowStart ? toMinutes(campaign.callWindowStart) : legalStart);
  const end = Math.min(legalEnd, campaign.callWindowEnd ? toMinutes(campaign.callWindowEnd) : legalEnd);
  // The window is [start, end): a call placed at 21:00 local is already late.
  if (local.minutes < start || local.minutes >= end) refusals.push('outside_calling_hours');
  if (rules.holdStatuses.includes(c.accountStatus)) refusals.push(`account_${c.accountStatus}`);
  if (c.phone.status !== 'valid') refusals.push(`phone_${c.phone.status}`);
  if (c.onDnc) refusals.push('dnc');

  const h = c.history;
  const regF = rules.regulationF;
  if (h.accountAttemptsLast7Days >= regF.maxAttemptsPerAccount) refusals.push('reg_f_7_in_7');
  if (!c.isCallback && h.lastConversationAt && now.getTime() - h.lastConversationAt.getTime() < regF.quietDaysAfterConversation * DAY_MS) {
    refusals.push('reg_f_after_conversation');
  }
  if (campaign.maxAttemptsPerAccount && h.campaignAttempts >= campaign.maxAttemptsPerAccount) refusals.push('campaign_attempt_limit');
  if (campaign.maxAttemptsPerPhonePerDay && h.phoneAttemptsToday >= campaign.maxAttemptsPerPhonePerDay) refusals.push('phone_daily_limit');
  if (!c.isCallback && campaign.retryDelayMinutes && h.lastAttemptOnPhoneAt && now.getTime() - h.lastAttemptOnPhoneAt.getTime() < campaign.retryDelayMinutes * 60_000) {
    refusals.push('retry_delay');
  }

  const ukRedialLock = campaign.complianceProfile === 'uk' && h.lastAbandonOnPhoneAt !== null
    && now.getTime() - h.lastAbandonOnPhoneAt.getTime() < rules.uk.noRedialAfterAbandonHours * HOUR_MS;
  const reservedAgentRequired = !c.phone.autodialConsent || ukRedialLock;

  return {
    dialable: refusals.length === 0,
    refusals,
    reservedAgentRequired,
    receipt: {
      ruleSet: rules.version,
      checkedAt: now.toISOString(),
      timezone: c.timezone,
      localTime: `${local.date} ${local.hhmm}`,
      window: `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}-${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`,
      accountStatus: c.accountStatus,
      phoneStatus: c.phone.status,
      onDnc: c.onDnc,
      autodialConsent: c.phone.autodialConsent,
      reservedAgentRequired,
      accountAttemptsLast7Days: h.accountAttemptsLast7Days,
      lastConversationAt: h.lastConversationAt?.toISOString() ?? null,
      campaignAttempts: h.campaignAttempts,
      phoneAttemptsToday: h.phoneAttemptsToday,
      isCallback: c.isCallback,
      ...(ukRedialLock ? { ukRedialLockUntil: new Date(h.lastAbandonOnPhoneAt!.getTime() + rules.uk.noRedialAfterAbandonHours * HOUR_MS).toISOString() } : {}),
    },
  };
}
