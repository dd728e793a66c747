import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNothingToDial, timeUntil } from '../src/components/nothing-to-dial-text';

const now = Date.parse('2026-11-21T11:46:00Z');
const chicago = { at: '2026-11-21T14:00:00.000Z', timeZone: 'America/Chicago', localTime: '08:00' };

describe('why nothing dials, in words', () => {
  it('says when every remaining account waits for its window, and when the next one opens', () => {
    assert.deepEqual(describeNothingToDial({ remainingAccounts: 312, reasons: [{ code: 'outside_calling_window', accounts: 312, nextWindow: chicago }] }, now), {
      headline: 'All 312 remaining accounts are outside their calling window; the next window opens at 08:00 America/Chicago, in 2 h 14 min.',
      details: [],
    });
  });

  it('lists each reason when several hold, the largest first as cms sends them', () => {
    const words = describeNothingToDial(
      {
        remainingAccounts: 1250,
        reasons: [
          { code: 'outside_calling_window', accounts: 1200, nextWindow: chicago },
          { code: 'retry_delay', accounts: 30 },
          { code: 'weekly_limit', accounts: 12 },
          { code: 'no_callable_phone', accounts: 7 },
          { code: 'no_phones', accounts: 1 },
        ],
      },
      now,
    );
    assert.equal(words.headline, 'No call can be placed now. Of 1,250 accounts remaining:');
    assert.deepEqual(words.details, [
      '1,200 accounts outside their calling window; the next window opens at 08:00 America/Chicago, in 2 h 14 min.',
      "30 accounts called recently, waiting out the campaign's retry delay.",
      '12 accounts called 7 times in the last 7 days (Regulation F).',
      '7 accounts with no phone that may be called (do not call or bad number).',
      '1 account with no phone number.',
    ]);
  });

  it('says a finished book is finished', () => {
    assert.equal(describeNothingToDial({ remainingAccounts: 0, reasons: [{ code: 'all_done', accounts: 0 }] }, now).headline, 'Every account of this campaign is done: paid, closed, on hold or out of attempts.');
  });

  it('names the one reason when it holds every account', () => {
    assert.equal(describeNothingToDial({ remainingAccounts: 1, reasons: [{ code: 'daily_limit', accounts: 1 }] }, now).headline, 'No call can be placed now: 1 account already called as often as allowed today.');
  });

  it('counts down to the window on the page\'s clock', () => {
    assert.deepEqual(
      [now, now + 14 * 60_000 + 30_000, now + 2 * 3_600_000 + 14 * 60_000, now + 3 * 3_600_000 - 1].map((t) => timeUntil(chicago.at, t)),
      ['in 2 h 14 min', 'in 2 h', 'opening now', 'opening now'],
    );
    assert.equal(timeUntil('2026-11-21T11:50:00Z', now), 'in 4 min');
    assert.equal(timeUntil('2026-11-21T11:46:20Z', now), 'in 1 min');
  });
});
