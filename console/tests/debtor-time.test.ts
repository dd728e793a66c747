import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callbackRefusal, localParts, narrowWindow, parseDueDate, zonedInstant } from '../src/pages/workspace/debtor-time';

const WINDOW = { start: '08:00', end: '21:00' };
const NOW = Date.parse('2026-11-21T18:00:00Z'); // 12:00 in Chicago (UTC-6 in November)

describe('debtor-time', () => {
  it('turns a wall-clock time in the debtor\'s zone into the instant, on both sides of a DST change', () => {
    assert.equal(new Date(zonedInstant('2026-11-22', '10:30', 'America/Chicago')).toISOString(), '2026-11-22T16:30:00.000Z');
    assert.equal(new Date(zonedInstant('2026-10-31', '10:30', 'America/Chicago')).toISOString(), '2026-10-31T15:30:00.000Z');
    assert.equal(new Date(zonedInstant('2026-11-22', '10:30', 'Asia/Kolkata')).toISOString(), '2026-11-22T05:00:00.000Z');
    assert.deepEqual(localParts(NOW, 'America/Chicago'), { date: '2026-11-21', hhmm: '12:00', minutes: 720 });
  });

  for (const [date, time, expected] of [
    ['2026-11-22', '07:59', /Outside the calling window/],
    ['2026-11-22', '08:00', null],
    ['2026-11-22', '20:59', null],
    ['2026-11-22', '21:00', /Outside the calling window/],
    ['2026-11-21', '11:30', /passed/],
    ['2026-11-21', '12:30', null],
  ] as const) {
    it(`a callback at ${date} ${time} Chicago time: ${expected ?? 'allowed'}`, () => {
      const refusal = callbackRefusal(date, time, 'America/Chicago', WINDOW, NOW);
      if (expected === null) assert.equal(refusal, null);
      else assert.match(refusal ?? '', expected);
    });
  }

  it('takes the narrower of the legal and the campaign window', () => {
    assert.deepEqual(narrowWindow(WINDOW, { start: '09:00', end: '22:00' }), { start: '09:00', end: '21:00' });
    assert.deepEqual(narrowWindow(WINDOW, null), WINDOW);
  });

  it('reads a due date as YYYY-MM-DD or +days', () => {
    assert.equal(parseDueDate('+7', '2026-11-28'), '2026-12-05');
    assert.equal(parseDueDate('2026-12-01', '2026-11-28'), '2026-12-01');
    assert.equal(parseDueDate('2026-02-30', '2026-11-28'), null);
    assert.equal(parseDueDate('next week', '2026-11-28'), null);
  });
});
