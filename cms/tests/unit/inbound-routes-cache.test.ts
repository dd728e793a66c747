import { createRoutesCache } from '../../src/telephony/inbound-routes-cache';
import { createInvalidationBus } from '../../src/scale/invalidation-bus';

/** Loads the test releases by hand, counted. */
function loads() {
  const pending: Array<(value: string) => void> = [];
  return { pending, load: () => new Promise<string>((resolve) => pending.push(resolve)) };
}

describe('inbound routes cache', () => {
  it('serves the routes from memory until a write to a client or a campaign drops them', async () => {
    const { pending, load } = loads();
    const cache = createRoutesCache<string>(createInvalidationBus({ channel: 'unit-routes' }));
    const first = cache.get(load);
    pending.shift()!('A');
    expect(await first).toBe('A');
    expect(await cache.get(load)).toBe('A');
    expect(pending.length).toBe(0);

    cache.invalidate();
    const again = cache.get(load);
    expect(pending.length).toBe(1);
    pending.shift()!('B');
    expect(await again).toBe('B');
  });

  it('does not keep what a read overtaken by a write returned', async () => {
    const { pending, load } = loads();
    const cache = createRoutesCache<string>(createInvalidationBus({ channel: 'unit-routes' }));
    const stale = cache.get(load);
    cache.invalidate(); // the campaign is started while the routes are read
    pending.shift()!('before the write');
    await stale;
    const fresh = cache.get(load);
    expect(pending.length).toBe(1);
    pending.shift()!('after the write');
    expect(await fresh).toBe('after the write');
  });

  it('ages out in case an invalidation from another process was lost, and forgets a failed read', async () => {
    const { pending, load } = loads();
    let now = 1_000_000;
    const cache = createRoutesCache<string>(createInvalidationBus({ channel: 'unit-routes' }), () => now);
    const first = cache.get(load);
    pending.shift()!('A');
    await first;
    now += 4_900;
    expect(await cache.get(load)).toBe('A');
    now += 200;
    const aged = cache.get(load);
    expect(pending.length).toBe(1);
    pending.shift()!('B');
    expect(await aged).toBe('B');

    cache.invalidate();
    await expect(cache.get(() => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    const retried = cache.get(load);
    expect(pending.length).toBe(1);
    pending.shift()!('C');
    expect(await retried).toBe('C');
  });
});
