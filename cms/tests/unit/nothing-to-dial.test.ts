import { accountReason, nextWindowOpening, whyNothingDials, type BlockedAccount } from '../../src/dialing/nothing-to-dial';

const WINDOW = { start: 8 * 60, end: 21 * 60 };

describe('accountReason', () => {
  it.each<[string, BlockedAccount, string]>([
    ['no phone at all', { phones: [] }, 'no_phones'],
    ['on a line now', 'in_flight', 'in_flight'],
    ['every phone on the DNC list or bad', { phones: [['dnc'], ['phone_bad']] }, 'no_callable_phone'],
    ['called too recently', { phones: [['retry_delay']] }, 'retry_delay'],
    ['today\'s attempts used', { phones: [['phone_daily_limit', 'retry_delay']] }, 'daily_limit'],
    ['7 calls in 7 days', { phones: [['reg_f_7_in_7', 'retry_delay']] }, 'weekly_limit'],
    ['a conversation last week', { phones: [['reg_f_after_conversation']] }, 'after_conversation'],
    ['the campaign\'s attempts used', { phones: [['campaign_attempt_limit']] }, 'attempt_limit'],
    // The account waits for the phone that frees up first.
    ['one phone DNC, the other in its retry delay', { phones: [['dnc'], ['retry_delay']] }, 'retry_delay'],
    ['one phone on a line, the other done for today', { phones: [['in_flight'], ['phone_daily_limit']] }, 'in_flight'],
    ['a refusal nobody knows yet', { phones: [['something_new']] }, 'no_callable_phone'],
  ])('%s: %s', (_name, blocked, code) => {
    expect(accountReason(blocked)).toBe(code);
  });
});

describe('nextWindowOpening', () => {
  it.each([
    // 2026-11-21 06:00 in Chicago (UTC-6): opens at 08:00 the same day.
    ['2026-11-21T12:00:00Z', 'America/Chicago', '2026-11-21T14:00:00.000Z'],
    // 21:30 in Chicago: tomorrow at 08:00.
    ['2026-11-22T03:30:00Z', 'America/Chicago', '2026-11-22T14:00:00.000Z'],
    // Across the spring change of clocks (2026-03-08 02:00 in Chicago): 08:00 CDT is 13:00 UTC.
    ['2026-03-08T05:00:00Z', 'America/Chicago', '2026-03-08T13:00:00.000Z'],
    // Across the autumn change in London (2026-10-25): 08:00 GMT is 08:00 UTC.
    ['2026-10-24T22:00:00Z', 'Europe/London', '2026-10-25T08:00:00.000Z'],
    ['2026-11-21T12:00:00Z', 'Pacific/Guam', '2026-11-21T22:00:00.000Z'],
  ])('at %s in %s the window opens at %s', (now, zone, at) => {
    expect(nextWindowOpening(new Date(now), zone, WINDOW.start).toISOString()).toBe(at);
  });
});

describe('whyNothingDials', () => {
  // 05:46 in Chicago, 06:46 in New York, 11:46 in London.
  const now = new Date('2026-11-21T11:46:00Z');

  it('says when every remaining account is outside its window, and which window opens first', () => {
    const why = whyNothingDials(now, WINDOW, [
      { timeZone: 'America/New_York', accounts: 200 },
      { timeZone: 'America/Chicago', accounts: 112 },
    ], []);
    expect(why).toEqual({
      remainingAccounts: 312,
      reasons: [{ code: 'outside_calling_window', accounts: 312, nextWindow: { at: '2026-11-21T13:00:00.000Z', timeZone: 'America/New_York', localTime: '08:00' } }],
    });
  });

  it('counts open-zone accounts by what holds each back, the largest first', () => {
    const why = whyNothingDials(now, WINDOW, [
      { timeZone: 'Europe/London', accounts: 5 },
      { timeZone: 'America/Chicago', accounts: 3 },
      { timeZone: 'Asia/Tokyo', accounts: 0 },
    ], [{ phones: [['retry_delay']] }, { phones: [['retry_delay']] }, { phones: [['dnc']] }, 'in_flight', { phones: [] }]);
    expect(why.remainingAccounts).toBe(8);
    expect(why.reasons).toEqual([
      { code: 'outside_calling_window', accounts: 3, nextWindow: { at: '2026-11-21T14:00:00.000Z', timeZone: 'America/Chicago', localTime: '08:00' } },
      { code: 'retry_delay', accounts: 2 },
      { code: 'no_callable_phone', accounts: 1 },
      { code: 'in_flight', accounts: 1 },
      { code: 'no_phones', accounts: 1 },
    ]);
  });

  it('says the campaign is done when no account remains', () => {
    expect(whyNothingDials(now, WINDOW, [{ timeZone: 'America/Chicago', accounts: 0 }], [])).toEqual({ remainingAccounts: 0, reasons: [{ code: 'all_done', accounts: 0 }] });
  });

  it('uses the campaign\'s own window: a 10:00 start keeps London (11:46) open and Chicago shut until 10:00', () => {
    const why = whyNothingDials(now, { start: 10 * 60, end: 18 * 60 }, [{ timeZone: 'America/Chicago', accounts: 4 }, { timeZone: 'Europe/London', accounts: 1 }], [{ phones: [['phone_daily_limit']] }]);
    expect(why.reasons).toEqual([
      { code: 'outside_calling_window', accounts: 4, nextWindow: { at: '2026-11-21T16:00:00.000Z', timeZone: 'America/Chicago', localTime: '10:00' } },
      { code: 'daily_limit', accounts: 1 },
    ]);
  });
});
