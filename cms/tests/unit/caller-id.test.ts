import { normalizeCallerId } from '../../src/validation/caller-id';

describe('normalizeCallerId', () => {
  it.each<[unknown, string, string]>([
    ['+14155552671', 'US', '+14155552671'],
    ['14155552671', 'US', '+14155552671'],
    ['4155552671', 'US', '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['00442079460958', 'GB', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+1 415 555 2671', 'GB', '+14155552671'],
    ['0033612345678', 'FR', '+33612345678'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['sip:+14155552671@trunk.example.net', 'US', '+14155552671'],
    ['tel:+44-20-7946-0958', 'US', '+442079460958'],
    [4155552671, 'US', '+14155552671'],
  ])('reads %p in %s as %s', (raw, country, e164) => {
    expect(normalizeCallerId(raw, country)).toEqual({ kind: 'number', e164 });
  });

  it.each<[unknown]>([[''], ['anonymous'], ['Anonymous'], ['<unknown>'], ['Restricted'], ['PRIVATE'], [null], [undefined], ['sip:anonymous@anonymous.invalid']])('reads %p as withheld', (raw) => {
    expect(normalizeCallerId(raw, 'US')).toEqual({ kind: 'withheld' });
  });

  it.each<[unknown, string]>([
    ['12345', 'US'],
    ['call me', 'US'],
    ['(415) 555-2671', 'GB'],
    [{ $ne: null }, 'US'],
    [['+14155552671'], 'US'],
  ])('refuses %p in %s as not a number', (raw, country) => {
    expect(normalizeCallerId(raw, country).kind).toBe('invalid');
  });
});
