import { evaluateDial, type DialCandidate } from '../../src/compliance/dial-rules';
import { dispositionEffects } from '../../src/dialing/disposition-effects';
import type { Compliance } from '../../src/shared-config';

const rules = require('../../../config/compliance.json') as Compliance;
const DAY = 86_400_000;
// 2026-11-21 is a Saturday; Chicago is UTC-6 in November.
const chicago = (hhmm: string) => new Date(`2026-11-21T${hhmm}:00-06:00`);
const campaign = { complianceProfile: 'us' as const, callWindowStart: '08:00', callWindowEnd: '21:00', maxAttemptsPerAccount: 20, maxAttemptsPerPhonePerDay: 3, retryDelayMinutes: 60 };

function candidate(overrides: Partial<DialCandidate> = {}, history: Partial<DialCandidate['history']> = {}): DialCandidate {
  return {
    accountStatus: 'open',
    timezone: 'America/Chicago',
    phone: { number: '+13125550101', status: 'valid', autodialConsent: true },
    onDnc: false,
    isCallback: false,
    ...overrides,
    history: { accountAttemptsLast7Days: 0, lastConversationAt: null, campaignAttempts: 0, phoneAttemptsToday: 0, lastAttemptOnPhoneAt: null, lastAbandonOnPhoneAt: null, ...history },
  };
}

describe('evaluateDial', () => {
  it.each([
    ['07:59', false],
    ['08:00', true],
    ['20:59', true],
    ['21:00', false],
    ['23:30', false],
  ])('at %s in the debtor\'s zone, dialable=%s', (time, ok) => {
    const d = evaluateDial(chicago(time), rules, campaign, candidate());
    expect(d.dialable).toBe(ok);
    expect(d.receipt.localTime).toBe(`2026-11-21 ${time}`);
  });

  it('uses the debtor\'s zone, not the server\'s: 20:30 in Chicago is 21:30 in New York', () => {
    const now = chicago('20:30');
    expect(evaluateDial(now, rules, campaign, candidate()).dialable).toBe(true);
    expect(evaluateDial(now, rules, campaign, candidate({ timezone: 'America/New_York' })).refusals).toEqual(['outside_calling_hours']);
  });

  it('narrows to the campaign window but never widens the legal one', () => {
    expect(evaluateDial(chicago('09:30'), rules, { ...campaign, callWindowStart: '10:00' }, candidate()).refusals).toEqual(['outside_calling_hours']);
    expect(evaluateDial(chicago('07:30'), rules, { ...campaign, callWindowStart: '06:00' }, candidate()).refusals).toEqual(['outside_calling_hours']);
  });

  it.each([
    ['a DNC number', candidate({ onDnc: true }), 'dnc'],
    ['a bad number', candidate({ phone: { number: '+1', status: 'bad', autodialConsent: true } }), 'phone_bad'],
    ['a disputed account', candidate({ accountStatus: 'dispute' }), 'account_dispute'],
    ['a cease-contact account', candidate({ accountStatus: 'cease_contact' }), 'account_cease_contact'],
    ['a paid account', candidate({ accountStatus: 'paid' }), 'account_paid'],
    ['the 8th attempt in 7 days', candidate({}, { accountAttemptsLast7Days: 7 }), 'reg_f_7_in_7'],
    ['a conversation 3 days ago', candidate({}, { lastConversationAt: new Date(chicago('12:00').getTime() - 3 * DAY) }), 'reg_f_after_conversation'],
    ['the campaign\'s attempt limit', candidate({}, { campaignAttempts: 20 }), 'campaign_attempt_limit'],
    ['the phone\'s daily limit', candidate({}, { phoneAttemptsToday: 3 }), 'phone_daily_limit'],
    ['a retry too soon', candidate({}, { lastAttemptOnPhoneAt: new Date(chicago('12:00').getTime() - 30 * 60_000) }), 'retry_delay'],
  ])('refuses %s', (_label, c, code) => {
    const d = evaluateDial(chicago('12:00'), rules, campaign, c);
    expect(d.dialable).toBe(false);
    expect(d.refusals).toContain(code);
  });

  it('allows the 7th attempt and a call 8 days after a conversation', () => {
    expect(evaluateDial(chicago('12:00'), rules, campaign, candidate({}, { accountAttemptsLast7Days: 6, lastConversationAt: new Date(chicago('12:00').getTime() - 8 * DAY) })).dialable).toBe(true);
  });

  it('lets a requested callback through the quiet days after a conversation, but not past the 7-in-7 cap', () => {
    const recent = { lastConversationAt: new Date(chicago('12:00').getTime() - DAY) };
    expect(evaluateDial(chicago('12:00'), rules, campaign, candidate({ isCallback: true }, recent)).dialable).toBe(true);
    expect(evaluateDial(chicago('12:00'), rules, campaign, candidate({ isCallback: true }, { ...recent, accountAttemptsLast7Days: 7 })).dialable).toBe(false);
  });

  it('requires a reserved agent without autodial consent, and in the UK for 72 h after an abandon', () => {
    expect(evaluateDial(chicago('12:00'), rules, campaign, candidate({ phone: { number: '+1', status: 'valid', autodialConsent: false } })).reservedAgentRequired).toBe(true);
    expect(evaluateDial(chicago('12:00'), rules, campaign, candidate()).reservedAgentRequired).toBe(false);
    const london = { ...campaign, complianceProfile: 'uk' as const };
    const now = new Date('2026-11-21T12:00:00Z');
    const uk = (hoursAgo: number) => candidate({ timezone: 'Europe/London' }, { lastAbandonOnPhoneAt: new Date(now.getTime() - hoursAgo * 3_600_000) });
    expect(evaluateDial(now, rules, london, uk(71)).reservedAgentRequired).toBe(true);
    expect(evaluateDial(now, rules, london, uk(73)).reservedAgentRequired).toBe(false);
  });

  it('keeps the facts it checked in the receipt', () => {
    const d = evaluateDial(chicago('12:00'), rules, campaign, candidate({}, { accountAttemptsLast7Days: 2 }));
    expect(d.receipt).toMatchObject({ ruleSet: rules.version, timezone: 'America/Chicago', window: '08:00-21:00', accountAttemptsLast7Days: 2, onDnc: false, autodialConsent: true });
  });
});

describe('dispositionEffects', () => {
  it.each([
    [{ code: 'CEASE', doNotCall: true, final: true }, { dncReason: 'cease_and_desist', accountStatus: 'cease_contact' }],
    [{ code: 'PIF', final: true }, { dncReason: null, accountStatus: 'paid' }],
    [{ code: 'WRONG_NUMBER', doNotCall: true }, { dncReason: 'wrong_number', accountStatus: null }],
    [{ code: 'PTP' }, { dncReason: null, accountStatus: null }],
    [{ code: 'CUSTOM_FINAL', final: true }, { dncReason: null, accountStatus: 'closed' }],
  ])('%j → %j', (d, expected) => expect(dispositionEffects(d)).toEqual(expected));
});
