import { agentsForInbound, ArrivalRate } from '../../src/inbound/inbound-reservation';

describe('agentsForInbound', () => {
  it.each<[string, number, number, number, number, number]>([
    ['nothing expected, nobody held', 5, 0, 15, 0, 0],
    ['callers on hold take that many ready agents', 5, 0, 15, 2, 2],
    ['arrivals expected within the horizon, rounded up', 5, 1 / 60, 15, 0, 1],
    ['both', 5, 2 / 60, 45, 1, 3],
    ['never more than the ready agents', 2, 1, 60, 4, 2],
    ['no ready agent: nothing to hold', 0, 1, 60, 4, 0],
  ])('%s', (_name, ready, rate, horizon, onHold, expected) => {
    expect(agentsForInbound(ready, rate, horizon, onHold)).toBe(expected);
  });
});

describe('ArrivalRate', () => {
  it('measures a steady stream within 10 %', () => {
    const r = new ArrivalRate(300);
    for (let t = 0; t <= 3600; t += 30) r.arrived(t); // 2 a minute
    expect(r.perSec(3600) * 60).toBeGreaterThan(1.8);
    expect(r.perSec(3600) * 60).toBeLessThan(2.2);
  });

  it('falls towards zero once the stream stops', () => {
    const r = new ArrivalRate(300);
    for (let t = 0; t <= 3600; t += 30) r.arrived(t);
    expect(r.perSec(3600 + 1500) * 60).toBeLessThan(0.1);
  });

  it('is 0 before any arrival', () => {
    expect(new ArrivalRate().perSec(100)).toBe(0);
  });
});
