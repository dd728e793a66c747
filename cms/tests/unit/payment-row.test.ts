import { paymentKey, readPaymentRow } from '../../src/imports/payment-row';

const ctx = { defaultCountry: 'US', methods: ['card', 'bank_transfer', 'check', 'cash', 'other'], now: new Date('2026-06-15T12:00:00Z') };

describe('a payment file row', () => {
  it.each([
    [{ accountNumber: 'A1', amount: '$1,234.50', paidDate: '06/14/2026', method: 'Bank Transfer', currency: 'usd', reference: ' R1 ' }, { accountNumber: 'A1', amount: '1234.50', paidDate: '2026-06-14', method: 'bank_transfer', currency: 'USD', reference: 'R1' }],
    [{ accountNumber: 'A1', amount: 5, paidDate: '2026-06-16' }, { accountNumber: 'A1', amount: '5', paidDate: '2026-06-16' }],
  ])('reads %j', (cells, data) => {
    expect(readPaymentRow(cells as any, ctx)).toEqual({ ok: true, data });
  });

  it.each([
    [{ amount: '1', paidDate: '2026-06-01' }, 'accountNumber', 'REQUIRED'],
    [{ accountNumber: 'A', paidDate: '2026-06-01' }, 'amount', 'REQUIRED'],
    [{ accountNumber: 'A', amount: '0', paidDate: '2026-06-01' }, 'amount', 'INVALID_VALUE'],
    [{ accountNumber: 'A', amount: '-3', paidDate: '2026-06-01' }, 'amount', 'INVALID_VALUE'],
    [{ accountNumber: 'A', amount: 'ten', paidDate: '2026-06-01' }, 'amount', 'INVALID_VALUE'],
    [{ accountNumber: 'A', amount: '1,2,3', paidDate: '2026-06-01' }, 'amount', 'INVALID_VALUE'],
    [{ accountNumber: 'A', amount: '1' }, 'paidDate', 'REQUIRED'],
    [{ accountNumber: 'A', amount: '1', paidDate: '2026-06-17' }, 'paidDate', 'INVALID_DATE'],
    [{ accountNumber: 'A', amount: '1', paidDate: '2015-01-01' }, 'paidDate', 'INVALID_DATE'],
    [{ accountNumber: 'A', amount: '1', paidDate: '31/02/2026' }, 'paidDate', 'INVALID_DATE'],
    [{ accountNumber: 'A', amount: '1', paidDate: '2026-06-01', currency: 'dollars' }, 'currency', 'INVALID_VALUE'],
    [{ accountNumber: 'A', amount: '1', paidDate: '2026-06-01', method: 'pigeon' }, 'method', 'INVALID_ENUM'],
    [{ accountNumber: 'A', amount: '1', paidDate: '2026-06-01', reference: 'x'.repeat(129) }, 'reference', 'INVALID_VALUE'],
  ])('refuses %j on %s (%s)', (cells, field, code) => {
    const read = readPaymentRow(cells as any, ctx);
    expect(read.ok).toBe(false);
    if (read.ok === false) expect(read.problems.map((p) => [p.field, p.code, p.message.startsWith(field)])).toEqual([[field, code, true]]);
  });

  it('one payment has one key, whatever the amount looks like', () => {
    expect(paymentKey({ accountNumber: 'A', reference: 'R', paidDate: '2026-06-01', amount: '100.00' })).toBe(paymentKey({ accountNumber: 'A', reference: 'R', paidDate: '2026-06-01T00:00:00Z', amount: 100 }));
    expect(paymentKey({ accountNumber: 'A', reference: 'R', paidDate: '2026-06-01', amount: '100.01' })).not.toBe(paymentKey({ accountNumber: 'A', reference: 'R', paidDate: '2026-06-01', amount: 100 }));
    expect(paymentKey({ accountNumber: 'A', reference: null, paidDate: '2026-06-01', amount: 1 })).toBe(paymentKey({ accountNumber: 'A', paidDate: '2026-06-01', amount: 1 }));
  });
});
