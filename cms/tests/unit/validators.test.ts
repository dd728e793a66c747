import { isValidTimeZone } from '../../src/validation/time-zone';
import { moneyProblem } from '../../src/validation/money';
import { passwordProblem } from '../../src/validation/password-policy';

describe('isValidTimeZone', () => {
  it.each(['America/Chicago', 'Pacific/Honolulu', 'Europe/London', 'UTC', 'America/Argentina/Buenos_Aires'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['Mars/Olympus', '+05:00', 'EST5EDT;rm', '', 42, 'America/'])('refuses %p', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('moneyProblem', () => {
  it.each([[0], [10], [10.5], ['99.99'], [1e6], [99999999.99], ['99999999.99']])('accepts %p', (v) => expect(moneyProblem(v)).toBeNull());
  it.each([
    [-1, /negative/],
    [10.001, /two decimals/],
    ['1,000', /decimal number/],
    [Infinity, /decimal number|less than/],
    [1e13, /less than 100000000/],
    // decimal(10,2) holds 99,999,999.99: one cent more failed in PostgreSQL with a 500.
    [100000000, /less than 100000000/],
    ['123456789.5', /less than 100000000/],
    [true, /decimal number/],
  ])('refuses %p', (v, why) => expect(moneyProblem(v)).toMatch(why));
  it('can require a positive amount', () => {
    expect(moneyProblem(0, { positive: true })).toMatch(/greater than 0/);
    expect(moneyProblem(0.01, { positive: true })).toBeNull();
  });
});

describe('passwordProblem', () => {
  it.each([
    ['short1', /at least 10/],
    ['lettersonlylong', /letters and digits/],
    ['1234567890123', /letters and digits/],
    ['MyPassword2026', /too common/],
    ['jsmith-2026-pay', /username/],
  ])('refuses %s', (pw, why) => expect(passwordProblem(pw, { username: 'jsmith' })).toMatch(why));
  it('accepts a long mixed password', () => expect(passwordProblem('Harbor-lights-48', { username: 'jsmith' })).toBeNull());
});
