import { readAccountRow, type RowContext } from '../../src/imports/account-row';
import { readDncRow } from '../../src/imports/dnc-row';
import { parseAmount, parseDate } from '../../src/imports/cell-values';
import { zoneFromPhone, zoneFromPostalCode } from '../../src/imports/time-zone-inference';
import type { Compliance } from '../../src/shared-config';

const account = require('../../src/api/account/content-types/account/schema.json').attributes;
const phone = require('../../src/components/contact/phone.json').attributes;
const compliance = require('../../../config/compliance.json') as Compliance;
const ctx: RowContext = { defaultCountry: 'US', defaultTimezone: 'America/New_York', currency: 'USD', compliance, now: new Date('2026-06-15T12:00:00Z'), attributes: account, phoneAttributes: phone };
const base = { accountNumber: 'A-1', debtorLastName: 'Doe', balance: '100.00', timezone: 'America/Chicago', phone1: '(312) 555-0101' };

describe('parseAmount', () => {
  it.each([
    ['1234.56', '1234.56'], ['$1,234.56', '1234.56'], ['1.234,56', '1234.56'], ['1,234', '1234'], ['1 234,5', '1234.5'], ['£12', '12'],
  ])('%s → %s', (text, value) => expect(parseAmount(text)).toEqual({ ok: true, value }));
  it.each(['12abc', '1,23,4', ''])('%j is refused', (text) => expect(parseAmount(text).ok).toBe(false));
});

describe('parseDate', () => {
  it.each([
    ['2026-03-31', 'US', '2026-03-31'], ['03/31/2026', 'US', '2026-03-31'], ['31/03/2026', 'GB', '2026-03-31'],
    [46112, 'US', '2026-03-31'], ['46112', 'GB', '2026-03-31'], ['2026-03-31T10:00:00Z', 'US', '2026-03-31'],
  ])('%j (%s) → %s', (cell, country, value) => expect(parseDate(cell, country)).toEqual({ ok: true, value }));
  it.each([['31/03/2026', 'US'], ['2026-02-30', 'US'], ['next week', 'US']])('%j (%s) is refused', (cell, country) => expect(parseDate(cell, country).ok).toBe(false));
});

describe('time zone inference', () => {
  it.each([
    ['60601', 'US', 'America/Chicago'], ['10001', 'US', 'America/New_York'], ['94105-1234', 'US', 'America/Los_Angeles'], ['85001', 'US', 'America/Phoenix'],
    ['M5V 2T6', 'CA', 'America/Toronto'], ['SW1A 1AA', 'GB', 'Europe/London'], ['ABC', 'US', null], ['12345', 'BR', null],
  ])('postal code %s in %s → %s', (code, country, zone) => expect(zoneFromPostalCode(code, country)).toBe(zone));
  it.each([
    ['+13125550101', 'America/Chicago'], ['+12125550101', 'America/New_York'], ['+14155550101', 'America/Los_Angeles'], ['+442079460018', 'Europe/London'], ['+5511999999999', null],
  ])('phone %s → %s', (e164, zone) => expect(zoneFromPhone(e164)).toBe(zone));
});

describe('readAccountRow', () => {
  const problems = (cells: Record<string, any>) => {
    const row = readAccountRow(cells, ctx);
    return !('problems' in row) ? [] : row.problems.map((p) => [p.field, p.code]);
  };
  it.each([
    ['a good row', base, []],
    ['no account number', { ...base, accountNumber: '' }, [['accountNumber', 'REQUIRED']]],
    ['no last name', { ...base, debtorLastName: ' ' }, [['debtorLastName', 'REQUIRED']]],
    ['no balance', { ...base, balance: '' }, [['balance', 'REQUIRED']]],
    ['a negative balance', { ...base, balance: '-5' }, [['balance', 'INVALID_VALUE']]],
    ['three decimals', { ...base, balance: '1.234' }, []],
    ['a balance of letters', { ...base, balance: 'lots' }, [['balance', 'INVALID_VALUE']]],
    ['a bad phone', { ...base, phone1: '555' }, [['phone1', 'INVALID_PHONE']]],
    ['a bad second phone', { ...base, phone2: '12' }, [['phone2', 'INVALID_PHONE']]],
    ['the same phone twice', { ...base, phone2: '312-555-0101' }, [['phone2', 'INVALID_PHONE']]],
    ['a bad phone type', { ...base, phone1Type: 'pager' }, [['phone1Type', 'INVALID_ENUM']]],
    ['a bad status', { ...base, status: 'happy' }, [['status', 'INVALID_ENUM']]],
    ['a status in words', { ...base, status: 'In Arrangement' }, []],
    ['a bad time zone', { ...base, timezone: 'Mars/Olympus' }, [['timezone', 'INVALID_VALUE']]],
    ['a bad currency', { ...base, currency: 'dollars' }, [['currency', 'INVALID_VALUE']]],
    ['a bad date', { ...base, chargeOffDate: '31/31/2020' }, [['chargeOffDate', 'INVALID_DATE']]],
    ['a charge-off in the future', { ...base, chargeOffDate: '2030-01-01' }, [['chargeOffDate', 'INVALID_VALUE']]],
    ['days past due not a number', { ...base, daysPastDue: 'ten' }, [['daysPastDue', 'INVALID_VALUE']]],
    ['a too long account number', { ...base, accountNumber: 'x'.repeat(65) }, [['accountNumber', 'INVALID_VALUE']]],
    ['several problems at once', { ...base, balance: '', phone1: 'x', status: '?' }, [['status', 'INVALID_ENUM'], ['balance', 'REQUIRED'], ['phone1', 'INVALID_PHONE']]],
  ])('%s', (_label, cells, expected) => {
    expect(problems(cells).sort()).toEqual((expected as string[][]).sort());
  });

  it('normalises phones to E.164 with the client country and reads their columns', () => {
    const row = readAccountRow({ ...base, phone1Type: 'Landline', phone2: '+44 20 7946 0018', phone2Type: 'work', phone2Consent: 'yes' }, ctx);
    expect('data' in row && row.data.phones).toEqual([
      { number: '+13125550101', type: 'landline', status: 'valid', isPrimary: true, autodialConsent: false },
      { number: '+442079460018', type: 'work', status: 'valid', isPrimary: false, autodialConsent: true, consentSource: 'import' },
    ]);
  });

  it.each([
    ['postal code first', { postalCode: '94105' }, 'America/Los_Angeles', 'postalCode'],
    ['then the phone', {}, 'America/Chicago', 'phone'],
    ['then the client', { phone1: '+5511999999999' }, 'America/New_York', 'client'],
  ])('infers a missing time zone: %s, and says so', (_label, extra, zone, source) => {
    const { timezone: _tz, ...cells } = base;
    const row = readAccountRow({ ...cells, ...extra }, ctx);
    expect('data' in row && [row.data.timezone, row.timezoneSource, row.notices.map((n) => n.code)]).toEqual([zone, source, ['TIMEZONE_INFERRED']]);
  });
});

describe('readDncRow', () => {
  const dnc = { defaultCountry: 'GB', reasons: ['debtor_request', 'attorney'], now: new Date('2026-06-15T12:00:00Z') };
  it.each([
    [{ phone: '020 7946 0018' }, { ok: true, data: { phone: '+442079460018', reason: 'debtor_request' } }],
    [{ phone: '020 7946 0018', reason: 'Attorney', expiresAt: '01/01/2027' }, { ok: true, data: { phone: '+442079460018', reason: 'attorney', expiresAt: '2027-01-01T00:00:00.000Z' } }],
    [{ phone: '' }, { ok: false, problems: [{ field: 'phone', code: 'REQUIRED', message: 'phone is required', value: '' }] }],
    [{ phone: '12', reason: 'bored' }, { ok: false, problems: [
      { field: 'phone', code: 'INVALID_PHONE', message: 'phone "12" is not a valid phone number for GB', value: '12' },
      { field: 'reason', code: 'INVALID_ENUM', message: 'reason must be one of: debtor_request, attorney', value: 'bored' },
    ] }],
    [{ phone: '020 7946 0018', expiresAt: '2020-01-01' }, { ok: false, problems: [{ field: 'expiresAt', code: 'INVALID_DATE', message: 'expiresAt must be in the future', value: '2020-01-01' }] }],
  ])('%j', (cells, expected) => expect(readDncRow(cells, dnc)).toEqual(expected));
});
