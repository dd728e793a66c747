import { addDays, evaluatePromise, type PaymentFacts, type PromiseFacts } from '../../src/payments/promise-state';

const NY = 'America/New_York';
// Taken on 2026-11-02 at 10:00 in New York, 100.00 due on 2026-11-10.
const promise = (over: Partial<PromiseFacts> = {}): PromiseFacts => ({ id: 1, amount: 100, madeAt: new Date('2026-11-02T15:00:00Z'), dueDate: '2026-11-10', state: 'pending', ...over });
let nextId = 1;
const pay = (paidDate: string, amount: number, promiseId: number | null = null): PaymentFacts => ({ id: nextId++, amount, paidDate, promiseId });
const at = (iso: string) => new Date(iso);
const opts = (now: string, graceDays = 3, timeZone = NY) => ({ graceDays, timeZone, now: at(now) });

describe('addDays', () => {
  it.each([
    ['2026-11-10', 3, '2026-11-13'],
    ['2026-12-30', 3, '2027-01-02'],
    ['2028-02-27', 2, '2028-02-29'],
    ['2026-03-08', 1, '2026-03-09'],
  ])('%s + %s days is %s', (d, n, expected) => expect(addDays(d, n)).toBe(expected));
});

describe('evaluatePromise', () => {
  it.each<[string, PaymentFacts[], string, number, string, number]>([
    ['nothing paid before the due date: pending', [], '2026-11-09T12:00:00Z', 3, 'pending', 0],
    ['nothing paid, due date passed but inside the grace: pending', [], '2026-11-12T12:00:00Z', 3, 'pending', 0],
    ['nothing paid, the grace over: broken', [], '2026-11-14T12:00:00Z', 3, 'broken', 0],
    ['paid in full before the due date: kept at once', [pay('2026-11-05', 100)], '2026-11-05T20:00:00Z', 3, 'kept', 100],
    ['paid in two parts: kept', [pay('2026-11-04', 40), pay('2026-11-09', 60)], '2026-11-20T12:00:00Z', 3, 'kept', 100],
    ['paid more than promised: kept', [pay('2026-11-04', 150)], '2026-11-20T12:00:00Z', 3, 'kept', 150],
    ['part paid, the grace over: partially kept', [pay('2026-11-04', 40)], '2026-11-20T12:00:00Z', 3, 'partially_kept', 40],
    ['part paid, inside the grace: pending', [pay('2026-11-04', 40)], '2026-11-11T12:00:00Z', 3, 'pending', 40],
    ['paid late but within the grace: kept', [pay('2026-11-13', 100)], '2026-11-20T12:00:00Z', 3, 'kept', 100],
    ['paid after the grace: the payment does not count, broken', [pay('2026-11-14', 100)], '2026-11-20T12:00:00Z', 3, 'broken', 0],
    ['no grace: a payment the day after the due date is late', [pay('2026-11-11', 100)], '2026-11-20T12:00:00Z', 0, 'broken', 0],
    ['paid before the promise was taken: does not count', [pay('2026-11-01', 100)], '2026-11-20T12:00:00Z', 3, 'broken', 0],
    ['paid on the day the promise was taken: counts', [pay('2026-11-02', 100)], '2026-11-20T12:00:00Z', 3, 'kept', 100],
    ['a payment settling another promise does not count here', [pay('2026-11-05', 100, 2)], '2026-11-20T12:00:00Z', 3, 'broken', 0],
    ['a payment settling this promise counts', [pay('2026-11-05', 100, 1)], '2026-11-20T12:00:00Z', 3, 'kept', 100],
    ['a payment dated in the future does not count yet', [pay('2026-11-12', 100)], '2026-11-09T12:00:00Z', 3, 'pending', 0],
  ])('%s', (_name, payments, now, graceDays, state, paid) => {
    const v = evaluatePromise(promise(), payments, opts(now, graceDays));
    expect(v.state).toBe(state);
    expect(v.paidAmount).toBe(paid);
  });

  it('the grace ends at midnight in the client time zone, not in UTC', () => {
    // Grace ends 2026-11-13. At 03:00 UTC on the 14th it is still the 13th (22:00) in New York: pending; in London it is the 14th: broken.
    expect(evaluatePromise(promise(), [], opts('2026-11-14T03:00:00Z', 3, NY)).state).toBe('pending');
    expect(evaluatePromise(promise(), [], opts('2026-11-14T03:00:00Z', 3, 'Europe/London')).state).toBe('broken');
    expect(evaluatePromise(promise(), [], opts('2026-11-14T05:00:00Z', 3, NY)).state).toBe('broken');
  });

  it('the day a promise was taken is the client day: taken late in the evening in Los Angeles, a payment on that local day counts', () => {
    // 2026-11-03T06:30Z is 22:30 on 2026-11-02 in Los Angeles.
    const late = promise({ madeAt: at('2026-11-03T06:30:00Z') });
    expect(evaluatePromise(late, [pay('2026-11-02', 100)], opts('2026-11-20T12:00:00Z', 3, 'America/Los_Angeles')).state).toBe('kept');
    expect(evaluatePromise(late, [pay('2026-11-02', 100)], opts('2026-11-20T12:00:00Z', 3, 'UTC')).state).toBe('broken');
  });

  it('cents add up exactly: 33.33 + 33.33 + 33.34 keeps a promise of 100', () => {
    const v = evaluatePromise(promise(), [pay('2026-11-03', 33.33), pay('2026-11-04', 33.33), pay('2026-11-05', 33.34)], opts('2026-11-06T12:00:00Z'));
    expect(v).toMatchObject({ state: 'kept', paidAmount: 100, resolvedOn: '2026-11-05' });
  });

  it('counts only the unlinked payments it needed, so the next promise on the account can count the rest', () => {
    const a = pay('2026-11-03', 60), b = pay('2026-11-04', 60), c = pay('2026-11-05', 60), linked = pay('2026-11-03', 10, 1);
    const v = evaluatePromise(promise(), [c, a, linked, b], opts('2026-11-06T12:00:00Z'));
    expect(v.state).toBe('kept');
    expect(v.counted).toEqual([a.id, b.id]);
  });

  it('is idempotent: the verdict on the same facts is the same, and a later clock does not undo a kept promise', () => {
    const payments = [pay('2026-11-05', 100)];
    const first = evaluatePromise(promise(), payments, opts('2026-11-06T12:00:00Z'));
    expect(evaluatePromise(promise({ state: first.state }), payments, opts('2026-11-06T12:00:00Z'))).toEqual(first);
    expect(evaluatePromise(promise({ state: 'kept' }), payments, opts('2027-01-01T12:00:00Z')).state).toBe('kept');
  });

  it('a payment recorded late but dated inside the window turns a broken promise kept', () => {
    expect(evaluatePromise(promise({ state: 'broken' }), [pay('2026-11-09', 100)], opts('2026-11-20T12:00:00Z')).state).toBe('kept');
  });

  it('a cancelled promise stays cancelled whatever is paid', () => {
    expect(evaluatePromise(promise({ state: 'cancelled' }), [pay('2026-11-05', 100)], opts('2026-11-20T12:00:00Z'))).toMatchObject({ state: 'cancelled', counted: [] });
  });

  it('resolves a broken promise on the day after the grace', () => {
    expect(evaluatePromise(promise(), [], opts('2026-11-20T12:00:00Z')).resolvedOn).toBe('2026-11-14');
  });
});
