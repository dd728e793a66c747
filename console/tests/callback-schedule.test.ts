import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cameDue, dayBounds, nextDueAt } from '../src/pages/callbacks/callback-schedule';

const at = (iso: string) => Date.parse(iso);
const callbacks = [
  { id: 'a', dueAt: '2026-11-30T09:00:00Z', state: 'scheduled' },
  { id: 'b', dueAt: '2026-11-30T10:00:00Z', state: 'scheduled' },
  { id: 'c', dueAt: '2026-11-30T10:00:00Z', state: 'completed' },
  { id: 'd', dueAt: '2026-11-30T11:30:00Z', state: 'scheduled' },
];

describe('which callbacks come due', () => {
  it('reminds of a scheduled callback once, in the interval its time falls in', () => {
    assert.deepEqual(cameDue(callbacks, at('2026-11-30T09:30:00Z'), at('2026-11-30T10:00:00Z')).map((c) => c.id), ['b']);
    assert.deepEqual(cameDue(callbacks, at('2026-11-30T10:00:00Z'), at('2026-11-30T11:00:00Z')).map((c) => c.id), []);
    assert.deepEqual(cameDue(callbacks, at('2026-11-30T08:00:00Z'), at('2026-11-30T12:00:00Z')).map((c) => c.id), ['a', 'b', 'd']);
  });

  it('knows when the next one is due, and that none is after the last', () => {
    assert.equal(nextDueAt(callbacks, at('2026-11-30T09:00:00Z')), at('2026-11-30T10:00:00Z'));
    assert.equal(nextDueAt(callbacks, at('2026-11-30T11:30:00Z')), null);
  });
});

describe("the reader's day", () => {
  it('runs from local midnight to the next', () => {
    const { start, end } = dayBounds(new Date(2026, 10, 30, 15, 45));
    assert.deepEqual([start, end], [new Date(2026, 10, 30), new Date(2026, 11, 1)]);
  });
});
