import { contactRules, nextWindowOpening } from '../../src/compliance/contact-rules';
import type { Compliance } from '../../src/shared-config';

const rules = require('../../../config/compliance.json') as Compliance;
const DAY = 86_400_000;
// 2026-11-21 is a Saturday; Chicago is UTC-6 in November.
const chicago = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00-06:00`);
const noon = chicago('2026-11-21', '12:00');
const daysBefore = (d: number) => new Date(noon.getTime() - d * DAY);
const facts = (attempts: Date[], lastConversationAt: Date | null = null, accountStatus = 'open') => ({ accountStatus, timezone: 'America/Chicago', attempts, lastConversationAt });

describe('nextWindowOpening', () => {
  it.each([
    ['07:15', '2026-11-21', '08:00'],
    ['08:00', '2026-11-21', '08:00'],
    ['20:59', '2026-11-21', '20:59'],
    ['21:00', '2026-11-22', '08:00'],
    ['23:40', '2026-11-22', '08:00'],
  ])('from %s Chicago time the window is open at %s %s', (time, date, opens) => {
    expect(nextWindowOpening(chicago('2026-11-21', time), 'America/Chicago', '08:00', '21:00').toISOString()).toBe(chicago(date, opens).toISOString());
  });

  it('lands on 08:00 local across a DST change', () => {
    // 2026-11-01: Chicago falls back from UTC-5 to UTC-6 at 02:00.
    const at = new Date('2026-10-31T22:00:00-05:00');
    expect(nextWindowOpening(at, 'America/Chicago', '08:00', '21:00').toISOString()).toBe(new Date('2026-11-01T08:00:00-06:00').toISOString());
  });
});

describe('contactRules', () => {
  it.each([
    ['no attempts: now', [], null, noon, []],
    ['six attempts: now', [1, 2, 3, 4, 5, 6].map(daysBefore), null, noon, []],
    // The oldest of the seven leaves the period 6.5 days before now + 7 = in half a day, at midnight: the window opens at 08:00.
    ['seven attempts: when the oldest leaves the period, inside the window', [6.5, 5, 4, 3, 2, 1, 0.1].map(daysBefore), null, chicago('2026-11-22', '08:00'), ['reg_f_7_in_7']],
    ['an attempt older than the period does not count', [8, 5, 4, 3, 2, 1].map(daysBefore), null, noon, []],
    ['a conversation 3 days ago: 7 days after it', [daysBefore(3)], daysBefore(3), new Date(daysBefore(3).getTime() + 7 * DAY), ['reg_f_after_conversation']],
    ['a conversation 8 days ago: now', [], daysBefore(8), noon, []],
  ])('%s', (_name, attempts, lastConversation, expected, blockedBy) => {
    const r = contactRules(noon, rules, facts(attempts as Date[], lastConversation as Date | null));
    expect(r.nextCallAllowedAt).toBe((expected as Date).toISOString());
    expect(r.blockedBy).toEqual(blockedBy);
    expect(r.attemptsLast7Days).toBe((attempts as Date[]).filter((t) => noon.getTime() - t.getTime() <= 7 * DAY).length);
  });

  it('says the debtor\'s local time and window, and that a night call must wait for the morning', () => {
    const r = contactRules(chicago('2026-11-21', '22:30'), rules, facts([]));
    expect(r).toMatchObject({ localTime: '2026-11-21 22:30', timezone: 'America/Chicago', callingWindow: { start: '08:00', end: '21:00' }, blockedBy: ['outside_calling_hours'], maxAttempts: 7, periodDays: 7 });
    expect(r.nextCallAllowedAt).toBe(chicago('2026-11-22', '08:00').toISOString());
  });

  it('allows no call at all while the account is on hold', () => {
    const r = contactRules(noon, rules, facts([], null, 'dispute'));
    expect(r.nextCallAllowedAt).toBeNull();
    expect(r.blockedBy).toEqual(['account_dispute']);
  });
});
