import { normalizePhone } from '../../src/validation/phone-number';

describe('normalizePhone', () => {
  it.each([
    ['(212) 555-0123', 'US', '+12125550123'],
    ['212.555.0123', 'US', '+12125550123'],
    ['+1 312 555 0101', 'GB', '+13125550101'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['07911 123456', 'GB', '+447911123456'],
    [2125550123, 'US', '+12125550123'],
  ])('reads %p in %s as %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['12345', 'US'],
    ['', 'US'],
    ['call me maybe', 'US'],
    ['(212) 555-0123', 'GB'],
    [null, 'US'],
  ])('refuses %p in %s', (raw, country) => {
    expect(normalizePhone(raw, country).ok).toBe(false);
  });
});
