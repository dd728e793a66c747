import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receiptChecks, type ComplianceReceipt } from '../src/pages/calls/receipt-checks';

/** A receipt as cms's dial rules issue it (cms/src/compliance/dial-rules.ts) for a clean first call. */
const CLEAN: ComplianceReceipt = {
  ruleSet: '2026-11-us-uk-1',
  checkedAt: '2026-11-30T15:00:00.000Z',
  timezone: 'America/Chicago',
  localTime: '2026-11-30 09:00',
  window: '08:00-21:00',
  accountStatus: 'open',
  phoneStatus: 'valid',
  onDnc: false,
  autodialConsent: true,
  reservedAgentRequired: false,
  accountAttemptsLast7Days: 0,
  lastConversationAt: null,
  campaignAttempts: 2,
  phoneAttemptsToday: 1,
  isCallback: false,
};
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const check = (receipt: ComplianceReceipt, rule: RegExp) => {
  const found = receiptChecks(receipt, when).find((c) => rule.test(c.rule));
  assert.ok(found, `a check named ${rule}`);
  return found;
};

describe("a call's compliance receipt in words", () => {
  it('names every rule a clean first call met, with its facts', () => {
    const checks = receiptChecks(CLEAN, when);
    assert.deepEqual(checks.map((c) => [c.rule, c.passed]), [
      ['Calling hours', true],
      ['Account not on hold', true],
      ['Phone usable', true],
      ['Do-not-call lists', true],
      ['At most 7 calls in 7 days', true],
      ['No call within 7 days after a conversation', true],
      ['Autodial consent', true],
      ['Campaign limits', null],
    ]);
    assert.equal(checks[0].facts, 'It was 09:00 on 2026-11-30 where the debtor lives (America/Chicago); calls are allowed 08:00–21:00 there.');
    assert.equal(checks[4].facts, '0 earlier attempts on this debt in the 7 days before; this call was number 1.');
    assert.equal(checks[7].facts, "2 earlier attempts in this campaign; 1 earlier attempt on this number today, within the campaign's limits.");
  });

  const cases: Array<[string, Partial<ComplianceReceipt>, RegExp, boolean, RegExp]> = [
    ['a call at 21:00 local', { localTime: '2026-11-30 21:00' }, /Calling hours/, false, /It was 21:00/],
    ['a call at 07:59 local', { localTime: '2026-11-30 07:59' }, /Calling hours/, false, /07:59/],
    ['a disputed account', { accountStatus: 'dispute' }, /on hold/, false, /was dispute, a status that is never dialed/],
    ['a number on a DNC list', { onDnc: true }, /Do-not-call/, false, /was on a do-not-call list/],
    ['the eighth call in seven days', { accountAttemptsLast7Days: 7 }, /7 calls in 7 days/, false, /this call was number 8/],
    ['the seventh call in seven days', { accountAttemptsLast7Days: 6 }, /7 calls in 7 days/, true, /this call was number 7/],
    ['a call 3 days after a conversation', { lastConversationAt: '2026-11-27T15:00:00.000Z' }, /after a conversation/, false, /was 2026-11-27 15:00\.$/],
    ['a callback 3 days after a conversation', { lastConversationAt: '2026-11-27T15:00:00.000Z', isCallback: true }, /after a conversation/, true, /asked for this callback/],
    ['a call 8 days after a conversation', { lastConversationAt: '2026-11-22T15:00:00.000Z' }, /after a conversation/, true, /more than 7 days before/],
    ['no consent, with an agent reserved', { autodialConsent: false, reservedAgentRequired: true }, /Autodial consent/, true, /only with an agent already waiting/],
    ['no consent and no agent reserved', { autodialConsent: false, reservedAgentRequired: false }, /Autodial consent/, false, /No consent/],
    ['a UK redial after an abandon', { ukRedialLockUntil: '2026-12-01T10:00:00.000Z', reservedAgentRequired: true }, /72 h of an abandoned call/, true, /until 2026-12-01 10:00/],
  ];
  for (const [label, change, rule, passed, facts] of cases) {
    it(`judges ${label}`, () => {
      const found = check({ ...CLEAN, ...change }, rule);
      assert.equal(found.passed, passed);
      assert.match(found.facts, facts);
    });
  }

  it('leaves out the rules a receipt holds no facts for', () => {
    assert.deepEqual(receiptChecks({ checkedAt: CLEAN.checkedAt, onDnc: false }, when).map((c) => c.rule), ['Do-not-call lists']);
  });
});
