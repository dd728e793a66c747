import { queueFigures, queueStats, type QueuedCaller } from '../../src/inbound/queue-stats';

const answered = (enteredAt: number, waitMs: number): QueuedCaller => ({ enteredAt, answeredAt: enteredAt + waitMs, abandonedAt: null });
const gaveUp = (enteredAt: number, waitMs: number): QueuedCaller => ({ enteredAt, answeredAt: null, abandonedAt: enteredAt + waitMs });
const waiting = (enteredAt: number): QueuedCaller => ({ enteredAt, answeredAt: null, abandonedAt: null });

describe('queueStats', () => {
  it.each<[string, QueuedCaller[], number, Partial<ReturnType<typeof queueStats>>]>([
    ['no callers: nothing decided yet', [], 0, { waiting: 0, longestWaitSec: 0, offered: 0, serviceLevel: null, asaSec: null }],
    ['all answered within 20 s', [answered(0, 5000), answered(0, 20000)], 60000, { answered: 2, serviceLevel: 1, asaSec: 12.5 }],
    ['one answered after 20 s', [answered(0, 5000), answered(0, 20001)], 60000, { serviceLevel: 0.5, asaSec: 12.5 }],
    ['a caller who hung up waiting counts against the service level, not the ASA', [answered(0, 4000), gaveUp(0, 3000)], 60000, { answered: 1, abandoned: 1, serviceLevel: 0.5, asaSec: 4 }],
    ['callers waiting: the longest wait from now, undecided for the service level', [waiting(10000), waiting(40000), answered(0, 1000)], 70000, { waiting: 2, longestWaitSec: 60, serviceLevel: 1, offered: 3 }],
    ['only hang-ups: service level 0, no ASA', [gaveUp(0, 1000)], 5000, { serviceLevel: 0, asaSec: null, abandoned: 1 }],
  ])('%s', (_name, callers, now, expected) => {
    expect(queueStats(callers, now)).toMatchObject(expected);
  });

  it('reads simulated seconds at a simulation speed', () => {
    // 2 s real at 10x are 20 s simulated: still within the threshold; 2.1 s real is not.
    expect(queueStats([answered(0, 2000), answered(0, 2100)], 3000, 20, 10)).toMatchObject({ serviceLevel: 0.5, asaSec: 20.5 });
  });

  it('takes another threshold', () => {
    expect(queueStats([answered(0, 15000)], 20000, 10)).toMatchObject({ serviceLevel: 0, serviceLevelThresholdSec: 10 });
  });
});

describe('queueFigures (the day\'s counts kept in Redis, and the callers waiting now)', () => {
  const day = { offered: 4, answered: 2, abandoned: 1, answeredWithin: 1, answerWaitSec: 30 };
  it('gives what queueStats gives for the same callers', () => {
    const callers = [answered(0, 5000), answered(0, 25000), gaveUp(0, 3000), waiting(50000)];
    expect(queueFigures(day, [50000], 60000)).toEqual(queueStats(callers, 60000));
  });
  it('nothing decided: no service level, no ASA; waiting callers from before the counts are offered too', () => {
    expect(queueFigures({ offered: 0, answered: 0, abandoned: 0, answeredWithin: 0, answerWaitSec: 0 }, [1000, 3000], 11000)).toMatchObject({ waiting: 2, longestWaitSec: 10, offered: 2, serviceLevel: null, asaSec: null });
  });
  it('reads simulated seconds at a simulation speed', () => {
    expect(queueFigures(day, [0], 2000, 20, 10)).toMatchObject({ longestWaitSec: 20 });
  });
});
