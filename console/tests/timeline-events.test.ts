import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorLabel, buildTimeline, type TimelineCall } from '../src/pages/accounts/timeline-events';

const call = (id: string, times: Partial<TimelineCall>): TimelineCall => ({ id, createdAt: '2026-11-01T00:00:00Z', outcome: 'connected', ...times });

describe('an account timeline', () => {
  it('puts calls, promises and callbacks together, newest first', () => {
    const events = buildTimeline(
      [call('c1', { endedAt: '2026-11-03T10:00:00Z' }), call('c2', { queuedAt: '2026-11-05T09:00:00Z' })],
      [{ id: 'p1', createdAt: '2026-11-03T10:01:00Z', amount: 50, dueDate: '2026-12-01', state: 'pending' }],
      [{ id: 'b1', createdAt: '2026-11-04T12:00:00Z', dueAt: '2026-11-10T15:00:00Z', state: 'scheduled' }],
    );
    assert.deepEqual(events.map((e) => e.id), ['call:c2', 'callback:b1', 'promise:p1', 'call:c1']);
  });

  it('dates a call by its end, then its dial, then its queueing, then its record', () => {
    const cases: Array<[Partial<TimelineCall>, string]> = [
      [{ endedAt: 'E', dialedAt: 'D', queuedAt: 'Q' }, 'E'],
      [{ dialedAt: 'D', queuedAt: 'Q' }, 'D'],
      [{ queuedAt: 'Q' }, 'Q'],
      [{}, '2026-11-01T00:00:00Z'],
    ];
    for (const [times, at] of cases) assert.equal(buildTimeline([call('c', times)], [], [])[0].at, at);
  });

  it('is empty for an account with no history', () => assert.deepEqual(buildTimeline([], [], []), []));
});

describe('who did it', () => {
  it('says "you" for the reader, the name cms gave for others, nothing when cms named nobody', () => {
    assert.equal(actorLabel({ id: 3, username: 'agent3' }, 3), 'you');
    assert.equal(actorLabel({ id: 4, username: 'agent4' }, 3), 'agent4');
    assert.equal(actorLabel(null, 3), null);
  });
});
