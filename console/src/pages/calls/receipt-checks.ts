import compliance from '@config/compliance.json';

/** What cms's dial rules recorded when they cleared a phone for dialing (cms/src/compliance/dial-rules.ts). */
export type ComplianceReceipt = {
  ruleSet?: string;
  checkedAt?: string;
  timezone?: string;
  localTime?: string;
  window?: string;
  accountStatus?: string;
  phoneStatus?: string;
  onDnc?: boolean;
  autodialConsent?: boolean;
  reservedAgentRequired?: boolean;
  accountAttemptsLast7Days?: number;
  lastConversationAt?: string | null;
  campaignAttempts?: number;
  phoneAttemptsToday?: number;
  isCallback?: boolean;
  ukRedialLockUntil?: string;
};

/** One rule as a reader checks it: met or not (null: a fact, not a pass/fail rule), and the facts behind it. */
export type ReceiptCheck = { rule: string; passed: boolean | null; facts: string; source?: string };

type Rules = typeof compliance;
const DAY_MS = 86_400_000;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const words = (code: string) => code.replace(/_/g, ' ');

function insideWindow(localTime: string, window: string): boolean {
  const hhmm = localTime.slice(-5);
  const [start, end] = window.split('-');
  return hhmm >= start && hhmm < end;
}

/**
 * The receipt of a dial in plain language: each rule of the compliance table, whether the facts
 * recorded at `checkedAt` met it, and the facts themselves. Pure; `when` formats instants.
 */
export function receiptChecks(receipt: ComplianceReceipt, when: (iso: string) => string, rules: Rules = compliance): ReceiptCheck[] {
  const checks: ReceiptCheck[] = [];
  const r = receipt;
  if (r.localTime && r.window) {
    checks.push({
      rule: 'Calling hours',
      passed: insideWindow(r.localTime, r.window),
      facts: `It was ${r.localTime.slice(-5)} on ${r.localTime.slice(0, 10)} where the debtor lives (${r.timezone ?? 'unknown zone'}); calls are allowed ${r.window.replace('-', '–')} there.`,
      source: 'TCPA; FDCPA 15 USC 1692c(a)(1)',
    });
  }
  if (r.accountStatus !== undefined) {
    const held = rules.holdStatuses.includes(r.accountStatus);
    checks.push({
      rule: 'Account not on hold',
      passed: !held,
      facts: held ? `The account was ${words(r.accountStatus)}, a status that is never dialed.` : `The account was ${words(r.accountStatus)}; ${rules.holdStatuses.map(words).join(', ')} accounts are never dialed.`,
    });
  }
  if (r.phoneStatus !== undefined) {
    checks.push({ rule: 'Phone usable', passed: r.phoneStatus === 'valid', facts: r.phoneStatus === 'valid' ? 'The number was marked valid.' : `The number was marked ${words(r.phoneStatus)}.` });
  }
  if (r.onDnc !== undefined) {
    checks.push({ rule: 'Do-not-call lists', passed: !r.onDnc, facts: r.onDnc ? 'The number was on a do-not-call list.' : 'The number was on no do-not-call list, global or the client’s.' });
  }
  const regF = rules.regulationF;
  if (r.accountAttemptsLast7Days !== undefined) {
    checks.push({
      rule: `At most ${regF.maxAttemptsPerAccount} calls in ${regF.periodDays} days`,
      passed: r.accountAttemptsLast7Days < regF.maxAttemptsPerAccount,
      facts: `${plural(r.accountAttemptsLast7Days, 'earlier attempt')} on this debt in the ${regF.periodDays} days before; this call was number ${r.accountAttemptsLast7Days + 1}.`,
      source: 'CFPB Regulation F, 12 CFR 1006.14(b)',
    });
  }
  if (r.lastConversationAt !== undefined && r.checkedAt) {
    const quietUntil = r.lastConversationAt ? new Date(new Date(r.lastConversationAt).getTime() + regF.quietDaysAfterConversation * DAY_MS) : null;
    const quiet = quietUntil !== null && new Date(r.checkedAt) < quietUntil;
    checks.push({
      rule: `No call within ${regF.quietDaysAfterConversation} days after a conversation`,
      passed: !quiet || !!r.isCallback,
      facts: r.lastConversationAt
        ? `The last conversation about this debt was ${when(r.lastConversationAt)}${quiet ? (r.isCallback ? '; the debtor asked for this callback, which the rule allows.' : '.') : `, more than ${regF.quietDaysAfterConversation} days before.`}`
        : 'There had been no conversation about this debt.',
      source: 'CFPB Regulation F, 12 CFR 1006.14(b)',
    });
  }
  if (r.autodialConsent !== undefined) {
    checks.push({
      rule: 'Autodial consent',
      passed: r.autodialConsent || !!r.reservedAgentRequired,
      facts: r.autodialConsent
        ? 'The debtor’s consent to automated calls was on file.'
        : 'No consent to automated calls was on file: the call was placed only with an agent already waiting, so it could not be abandoned.',
      source: 'TCPA 47 USC 227',
    });
  }
  if (r.ukRedialLockUntil) {
    checks.push({
      rule: `No redial within ${rules.uk.noRedialAfterAbandonHours} h of an abandoned call`,
      passed: !!r.reservedAgentRequired,
      facts: `An earlier call to this number was abandoned; until ${when(r.ukRedialLockUntil)} it is dialed only with an agent already waiting.`,
      source: 'Ofcom',
    });
  }
  const counts = [
    r.campaignAttempts !== undefined ? `${plural(r.campaignAttempts, 'earlier attempt')} in this campaign` : null,
    r.phoneAttemptsToday !== undefined ? `${plural(r.phoneAttemptsToday, 'earlier attempt')} on this number today` : null,
  ].filter(Boolean);
  if (counts.length) checks.push({ rule: 'Campaign limits', passed: null, facts: `${counts.join('; ')}, within the campaign's limits.` });
  if (r.isCallback) checks.push({ rule: 'Callback', passed: null, facts: 'The debtor asked to be called back at this time.' });
  return checks;
}
