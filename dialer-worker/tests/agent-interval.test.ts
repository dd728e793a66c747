import type { LiveAgent } from '../src/live/agent-state';
import { endedIntervals } from '../src/live/agent-interval';
import { LiveStore } from '../src/live/live-store';
import { useTestRedis } from './test-redis';

const T = Date.parse('2026-11-30T10:00:00Z');
const agent = (over: Partial<LiveAgent> = {}): LiveAgent => ({ id: 7, username: 'a7', status: 'ready', since: T, campaignId: 'camp1', pauseReason: null, attemptId: null, ...over });

describe('endedIntervals', () => {
  it.each<[string, LiveAgent | null, LiveAgent, Array<Record<string, unknown>>]>([
    ['a first state closes nothing', null, agent(), []],
    ['logged out to ready closes nothing', agent({ status: 'logged_out' }), agent({ since: T + 5000 }), []],
    ['ready to on call closes the ready time', agent(), agent({ status: 'on_call', since: T + 90_000 }), [{ intervalId: `a7-${T}`, status: 'ready', campaign: 'camp1', startedAt: '2026-11-30T10:00:00.000Z', endedAt: '2026-11-30T10:01:30.000Z', pauseReason: null }]],
    ['paused keeps its reason', agent({ status: 'paused', pauseReason: 'lunch' }), agent({ since: T + 60_000 }), [{ status: 'paused', pauseReason: 'lunch' }]],
    ['a rewrite of the same state closes nothing', agent(), agent({ legDown: true }), []],
    ['a clock going back closes nothing', agent(), agent({ status: 'paused', since: T - 1000 }), []],
    ['another campaign in the same state closes the first', agent(), agent({ campaignId: 'camp2', since: T + 1000 }), [{ campaign: 'camp1', status: 'ready' }]],
  ])('%s', (_name, prev, next, expected) => {
    const got = endedIntervals(prev, next);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject(e));
  });

  it('a state held over a day is sent in day-long pieces, each with its own id', () => {
    const got = endedIntervals(agent({ status: 'paused' }), agent({ since: T + 86_400_000 + 3_600_000 }));
    expect(got.map((g) => [g.intervalId, g.startedAt, g.endedAt])).toEqual([
      [`a7-${T}`, '2026-11-30T10:00:00.000Z', '2026-12-01T10:00:00.000Z'],
      [`a7-${T}-1`, '2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z'],
    ]);
  });
});

describe('LiveStore tells each agent change with the state before it', () => {
  const { redis, prefix } = useTestRedis('agent-interval');

  it('on a put and on a claim', async () => {
    const store = new LiveStore(redis, prefix);
    const seen: Array<[string | null, string]> = [];
    store.onAgentChange = (prev, next) => seen.push([prev?.status ?? null, next.status]);
    await store.putAgent(agent({ status: 'paused' }));
    await store.putAgent(agent({ since: T + 1000 }));
    const claimed = await store.claimAgent('camp1', 'att-1', 'on_call', T + 5000, null);
    expect(claimed?.id).toBe(7);
    expect(seen).toEqual([[null, 'paused'], ['paused', 'ready'], ['ready', 'on_call']]);
    expect(endedIntervals(agent({ since: T + 1000 }), claimed!)).toMatchObject([{ status: 'ready', startedAt: new Date(T + 1000).toISOString(), endedAt: new Date(T + 5000).toISOString() }]);
  });
});
