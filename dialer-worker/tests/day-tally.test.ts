import { DayTally } from '../src/live/day-tally';
import { useTestRedis } from './test-redis';

const { redis, prefix } = useTestRedis('day-tally');
const DAY = Date.parse('2026-11-30T10:00:00Z');

describe('DayTally', () => {
  it('adds up an agent\'s and a campaign\'s day, one UTC day at a time, shared by every worker', async () => {
    const a = new DayTally(redis, prefix);
    const b = new DayTally(redis, prefix); // another worker on the same Redis
    await a.connected('c1', 7, 61.4, DAY);
    await b.connected('c1', 7, 30, DAY + 3_600_000);
    await b.connected('c2', 8, 10, DAY);
    await a.agentTime('c1', 1800, DAY);
    await b.agentTime('c1', 1800.5, DAY);
    expect(await a.agent(7, DAY)).toEqual({ calls: 2, talkSec: 91 });
    expect(await b.campaign('c1', DAY)).toEqual({ agentSec: 3601, talkSec: 91, connects: 2 });
    expect(await a.campaign('c2', DAY)).toEqual({ agentSec: 0, talkSec: 10, connects: 1 });
    // The next UTC day starts from nothing; the day's hash does not outlive two days.
    expect(await a.agent(7, Date.parse('2026-12-01T00:00:01Z'))).toEqual({ calls: 0, talkSec: 0 });
    const ttl = await redis.pttl(`${prefix}:today:2026-11-30`);
    expect(ttl).toBeGreaterThan(86_400_000);
    expect(ttl).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('adds nothing for an empty or negative step of agent time', async () => {
    const t = new DayTally(redis, prefix);
    await t.agentTime('c3', 0, DAY);
    await t.agentTime('c3', -5, DAY);
    expect(await t.campaign('c3', DAY)).toEqual({ agentSec: 0, talkSec: 0, connects: 0 });
  });
});
