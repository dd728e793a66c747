import { CommandError } from '../src/realtime/command-errors';
import { wrapUpInput } from '../src/realtime/wrap-up-input';

const NOW = Date.parse('2026-11-21T18:00:00Z');

describe('wrapUpInput', () => {
  it('takes a promise and a callback within the bounds cms applies', () => {
    expect(wrapUpInput({ promise: { amount: 150.25, dueDate: '2026-12-01', paymentMethod: 'card' }, callback: { dueAt: '2026-11-23T15:30:00-06:00' } }, NOW)).toEqual({
      promise: { amount: 150.25, dueDate: '2026-12-01', paymentMethod: 'card' },
      scheduledCallback: { dueAt: '2026-11-23T21:30:00.000Z' },
    });
    expect(wrapUpInput({}, NOW)).toEqual({ promise: null, scheduledCallback: null });
  });

  it.each([
    [{ promise: 'soon' }, 'promise must be an object'],
    [{ promise: { amount: 0, dueDate: '2026-12-01' } }, 'promise.amount must be a number'],
    [{ promise: { amount: '10', dueDate: '2026-12-01' } }, 'promise.amount must be a number'],
    [{ promise: { amount: 100_000_000, dueDate: '2026-12-01' } }, 'promise.amount must be a number'],
    [{ promise: { amount: 10.005, dueDate: '2026-12-01' } }, 'promise.amount must have at most two decimals'],
    [{ promise: { amount: 10, dueDate: '2026-02-30' } }, 'promise.dueDate must be a date'],
    [{ promise: { amount: 10, dueDate: '12/01/2026' } }, 'promise.dueDate must be a date'],
    [{ promise: { amount: 10, dueDate: '2026-11-01' } }, 'promise.dueDate must be from today'],
    [{ promise: { amount: 10, dueDate: '2032-01-01' } }, 'promise.dueDate must be from today'],
    [{ promise: { amount: 10, dueDate: '2026-12-01', paymentMethod: 'bitcoin' } }, 'promise.paymentMethod must be one of'],
    [{ callback: { dueAt: 'tomorrow' } }, 'callback.dueAt must be a date-time'],
    [{ callback: { dueAt: '2026-11-21T17:00:00Z' } }, 'callback.dueAt must be from now'],
    [{ callback: { dueAt: '2027-12-01T17:00:00Z' } }, 'callback.dueAt must be from now'],
  ])('refuses %j, naming the field', (payload, message) => {
    let thrown: unknown;
    try {
      wrapUpInput(payload as Record<string, unknown>, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CommandError);
    expect((thrown as CommandError).code).toBe('INVALID');
    expect((thrown as CommandError).message).toContain(message);
  });
});
