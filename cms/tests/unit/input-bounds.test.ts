import fs from 'fs';
import path from 'path';
import { validateRecord } from '../../src/validation/record-rules';
import { dateWindowProblem } from '../../src/validation/date-windows';
import type { Compliance } from '../../src/shared-config';

const compliance = require('../../../config/compliance.json') as Compliance;
const API = path.resolve(__dirname, '../../src/api');
const WRITABLE = ['account', 'call', 'promise-to-pay', 'callback', 'dnc-entry', 'campaign', 'client', 'disposition'];
const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(API, name, 'content-types', name, 'schema.json'), 'utf8')).attributes;
const phone = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../src/components/contact/phone.json'), 'utf8')).attributes;

const NOW = new Date('2026-06-15T12:00:00Z');
const day = (offsetDays: number, years = 0) => {
  const d = new Date(NOW);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return new Date(d.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
};
const at = (offsetMinutes: number) => new Date(NOW.getTime() + offsetMinutes * 60_000).toISOString();

/** Enough of each type that a create passes its required fields. */
const BASE: Record<string, Record<string, unknown>> = {
  account: { accountNumber: 'N1', client: 'c', debtorLastName: 'L', balance: 10, timezone: 'America/Chicago' },
  call: { account: 'a' },
  'promise-to-pay': { account: 'a', amount: 10, dueDate: day(30) },
  callback: { account: 'a', dueAt: at(60) },
  'dnc-entry': { phone: '+13125550100', scope: 'global' },
  campaign: { name: 'C', client: 'c' },
  client: { name: 'Bank', code: 'BANK' },
  disposition: { code: 'X', label: 'X' },
};

function check(type: string, data: Record<string, unknown>, existing: Record<string, unknown> | null = null) {
  const uid = `api::${type}.${type}`;
  return validateRecord(uid, schemaOf(type), { ...(existing ? {} : BASE[type]), ...data }, { defaultCountry: 'US', existing, compliance, now: NOW }, () => phone)
    .map((e) => e.path.join('.'));
}

describe('every writable type bounds its text and numbers in the schema', () => {
  const cases = WRITABLE.flatMap((type) => Object.entries(schemaOf(type)).map(([field, attr]) => [type, field, attr] as [string, string, any]));
  it.each(cases.filter(([, , a]) => ['string', 'text', 'richtext', 'email'].includes(a.type)))('%s.%s has a maxLength', (_t, _f, attr) => {
    expect(attr.maxLength).toBeLessThanOrEqual(attr.type === 'text' || attr.type === 'richtext' ? 10_000 : 255);
  });
  it.each(cases.filter(([, , a]) => ['integer', 'decimal', 'float'].includes(a.type)))('%s.%s has a min and a max', (_t, _f, attr) => {
    expect(typeof attr.min).toBe('number');
    expect(typeof attr.max).toBe('number');
  });
});

describe('bounds name the field', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['account', { phones: Array.from({ length: 21 }, (_, i) => ({ number: `+1312555${String(1000 + i)}`, type: 'mobile', status: 'valid' })) }, ['phones']],
    ['account', { phones: Array.from({ length: 20 }, (_, i) => ({ number: `+1312555${String(1000 + i)}`, type: 'mobile', status: 'valid' })) }, []],
    ['account', { notes: 'x'.repeat(10_001) }, ['notes']],
    ['account', { notes: 'x'.repeat(10_000) }, []],
    ['account', { debtorFirstName: 'x'.repeat(101) }, ['debtorFirstName']],
    ['account', { debtorEmail: `${'x'.repeat(250)}@example.com` }, ['debtorEmail']],
    ['account', { daysPastDue: 3_000_000_000 }, ['daysPastDue']],
    ['account', { daysPastDue: 36_500 }, []],
    ['account', { balance: 100_000_000 }, ['balance']],
    ['account', { balance: '99999999.99' }, []],
    ['account', { chargeOffDate: '1969-12-31' }, ['chargeOffDate']],
    ['account', { chargeOffDate: '1970-01-01' }, []],
    ['account', { chargeOffDate: day(2) }, ['chargeOffDate']],
    ['account', { nextActionDate: day(0, 5) }, []],
    ['account', { nextActionDate: day(1, 5) }, ['nextActionDate']],
    ['account', { phones: [{ number: '+13125550101', type: 'mobile', status: 'valid', consentDate: at(10), consentSource: 'import' }] }, ['phones.0.consentDate']],
    ['account', { phones: [{ number: '+13125550101', type: 'mobile', status: 'valid', consentDate: at(0), consentSource: 'import' }] }, []],
    ['account', { phones: [{ number: '+13125550101', type: 'mobile', status: 'valid', consentCallId: 'x'.repeat(65) }] }, ['phones.0.consentCallId']],
    ['promise-to-pay', { dueDate: '1900-01-01' }, ['dueDate']],
    ['promise-to-pay', { dueDate: day(-1, -1) }, ['dueDate']],
    ['promise-to-pay', { dueDate: day(0, -1) }, []],
    ['promise-to-pay', { dueDate: day(0, 5) }, []],
    ['promise-to-pay', { dueDate: day(1, 5) }, ['dueDate']],
    ['promise-to-pay', { amount: 123_456_789 }, ['amount']],
    ['promise-to-pay', { notes: 'x'.repeat(2001) }, ['notes']],
    ['callback', { dueAt: '2999-01-01T10:00:00Z' }, ['dueAt']],
    ['callback', { dueAt: at(60 * 24 * 364) }, []],
    ['call', { ringSeconds: 86_401 }, ['ringSeconds']],
    ['call', { talkSeconds: 86_400, wrapSeconds: 0, ringSeconds: 0 }, []],
    ['call', { wrapSeconds: -1 }, ['wrapSeconds']],
    ['call', { hangupCause: 128 }, ['hangupCause']],
    ['call', { queuedAt: '1999-01-01T00:00:00Z' }, ['queuedAt']],
    ['call', { endedAt: at(24 * 60) }, ['endedAt']],
    ['call', { endedAt: at(59) }, []],
    ['call', { dialedAt: at(-10), endedAt: at(-20) }, ['endedAt']],
    ['call', { bridgedAt: at(-10), endedAt: at(-9), talkSeconds: 600 }, ['talkSeconds']],
    ['call', { bridgedAt: at(-10), endedAt: at(-9), talkSeconds: 60 }, []],
    ['call', { recordingRef: 'x'.repeat(256) }, ['recordingRef']],
    ['call', { complianceReceipt: { blob: 'x'.repeat(20_000) } }, ['complianceReceipt']],
    ['dnc-entry', { addedAt: at(-60), expiresAt: at(-120) }, ['expiresAt']],
    ['dnc-entry', { expiresAt: day(0, 11) }, ['expiresAt']],
    ['dnc-entry', { expiresAt: at(-1) }, ['expiresAt']],
    ['dnc-entry', { expiresAt: at(1) }, []],
    ['campaign', { maxAttemptsPerAccount: 0 }, ['maxAttemptsPerAccount']],
    ['campaign', { retryDelayMinutes: 43_201 }, ['retryDelayMinutes']],
    ['campaign', { description: 'x'.repeat(5001) }, ['description']],
    ['campaign', { startedAt: at(-60), finishedAt: at(-120) }, ['finishedAt']],
    ['client', { name: 'x'.repeat(201) }, ['name']],
    ['disposition', { sortOrder: 10_001 }, ['sortOrder']],
    ['disposition', { label: 'x'.repeat(101) }, ['label']],
  ])('%s %j → %j', (type, data, expected) => {
    expect(check(type, data)).toEqual(expected);
  });

  it('judges a call update against the stored timestamps, and only the pairs it touches', () => {
    const stored = { bridgedAt: at(-10), endedAt: at(-9), talkSeconds: 60 };
    expect(check('call', { wrapEndedAt: at(-9.5) }, stored)).toEqual(['wrapEndedAt']);
    expect(check('call', { wrapEndedAt: at(-8), wrapSeconds: 55 }, stored)).toEqual([]);
    expect(check('call', { notes: 'ok' }, { ...stored, talkSeconds: 9999 })).toEqual([]);
  });

  it('reports a field once even when a rule and the schema both refuse it', () => {
    expect(check('account', { balance: -1 })).toEqual(['balance']);
    expect(check('campaign', { abandonTarget: 0.5 })).toEqual(['abandonTarget']);
  });
});

describe('dateWindowProblem', () => {
  const window = { earliest: { years: -1 }, latest: { years: 5 } };
  it.each<[string, unknown, RegExp | null]>([
    ['date', 'someday', /valid date/],
    ['date', '2026-02-30', /valid date/],
    ['datetime', '2026-02-30T10:00:00Z', /valid date/],
    ['date', '2028-02-29', null],
    ['date', day(0), null],
    ['date', '1900-01-01', /between 2025-06-15 and 2031-06-15/],
    ['datetime', 12, /valid date/],
    ['datetime', new Date(NOW), null],
    ['datetime', '2032-01-01T00:00:00Z', /between/],
  ])('%s %p', (type, value, why) => {
    const problem = dateWindowProblem(type, value, window, NOW);
    if (why) expect(problem).toMatch(why);
    else expect(problem).toBeNull();
  });
});
