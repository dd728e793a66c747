import { createAuthCache } from '../../src/access/auth-cache';
import { createInvalidationBus } from '../../src/scale/invalidation-bus';

/** A Strapi with just the users-permissions user service, whose reads the test releases by hand. */
function fakeStrapi() {
  const pending: Array<{ id: number; resolve: (user: any) => void }> = [];
  let reads = 0;
  const strapi: any = {
    plugin: () => ({
      service: () => ({
        fetchAuthenticatedUser: (id: number) => {
          reads++;
          return new Promise((resolve) => pending.push({ id, resolve }));
        },
      }),
    }),
  };
  return { strapi, pending, reads: () => reads };
}

describe('auth cache', () => {
  it('serves a user from memory until a write drops it', async () => {
    const { strapi, pending, reads } = fakeStrapi();
    const cache = createAuthCache(strapi, createInvalidationBus({ channel: 'unit' }));
    const first = cache.user(7);
    pending.shift()!.resolve({ id: 7, role: { id: 1, type: 'agent' } });
    expect((await first).role.type).toBe('agent');
    expect((await cache.user(7)).role.type).toBe('agent');
    expect(reads()).toBe(1);

    cache.invalidate();
    const again = cache.user(7);
    expect(reads()).toBe(2);
    pending.shift()!.resolve({ id: 7, role: { id: 2, type: 'supervisor' } });
    expect((await again).role.type).toBe('supervisor');
  });

  it('does not keep what a read overtaken by a write returned', async () => {
    const { strapi, pending, reads } = fakeStrapi();
    const cache = createAuthCache(strapi, createInvalidationBus({ channel: 'unit' }));
    const stale = cache.user(7);
    cache.invalidate(); // the admin's write lands while the read is in flight
    pending.shift()!.resolve({ id: 7, role: { id: 1, type: 'agent' } });
    await stale;
    const fresh = cache.user(7);
    expect(reads()).toBe(2);
    pending.shift()!.resolve({ id: 7, role: { id: 3, type: 'authenticated' } });
    expect((await fresh).role.type).toBe('authenticated');
  });

  it('lets entries age out in case an invalidation from another process was lost', async () => {
    const { strapi, pending, reads } = fakeStrapi();
    let now = 1_000_000;
    const cache = createAuthCache(strapi, createInvalidationBus({ channel: 'unit' }), () => now);
    const first = cache.user(7);
    pending.shift()!.resolve({ id: 7, role: { id: 1 } });
    await first;
    now += 29_000;
    await cache.user(7);
    expect(reads()).toBe(1);
    now += 2_000;
    const later = cache.user(7);
    pending.shift()!.resolve({ id: 7, role: { id: 1 } });
    await later;
    expect(reads()).toBe(2);
  });
});
