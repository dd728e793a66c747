import type { Core } from '@strapi/strapi';
import { invalidationBusOf, type InvalidationBus } from '../scale/invalidation-bus';

/**
 * The clients and running campaigns an inbound caller's DID is routed by: two of the lookup's
 * three statements, and the same for every caller until an administrator or the dialer writes
 * a client or a campaign (a few times a day). Kept per process and dropped whole on any such
 * write (here by lifecycle, at once and again on commit; in the other processes through the
 * invalidation bus), so the caller's lookup is one statement on the path to the agent's screen.
 *
 * A load that started before a write must not refill the cache with what it read: the entry
 * carries the generation it was loaded in, and a drop starts a new one. It also ages out after
 * MAX_AGE_MS, in case an invalidation message between processes was lost.
 */
export const ROUTES_TOPIC = 'inbound-routes';
const MAX_AGE_MS = 5_000;
/** Writes to these change where a DID goes. */
export const ROUTE_MODELS = new Set(['api::client.client', 'api::campaign.campaign']);
const WRITES = new Set(['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany']);

export type RoutesCache<T> = { get(load: () => Promise<T>): Promise<T>; invalidate(): void; readonly stats: { hits: number; loads: number; drops: number } };

export function createRoutesCache<T>(bus: InvalidationBus, clock: () => number = Date.now): RoutesCache<T> {
  let generation = 0;
  let entry: { value: Promise<T>; generation: number; at: number } | undefined;
  const stats = { hits: 0, loads: 0, drops: 0 };
  bus.subscribe(ROUTES_TOPIC, () => {
    generation++;
    stats.drops++;
    entry = undefined;
  });
  return {
    stats,
    get(load) {
      const now = clock();
      if (entry && entry.generation === generation && now - entry.at < MAX_AGE_MS) {
        stats.hits++;
        return entry.value;
      }
      stats.loads++;
      const mine = { value: load(), generation, at: now };
      entry = mine;
      // A failed load is not remembered.
      mine.value.catch(() => entry === mine && (entry = undefined));
      return mine.value;
    },
    invalidate: () => bus.publish(ROUTES_TOPIC),
  };
}

const caches = new WeakMap<object, RoutesCache<any>>();

/** One cache per Strapi instance, dropped on every write to a client or a campaign. */
export function routesCacheOf<T>(strapi: Core.Strapi): RoutesCache<T> {
  let cache = caches.get(strapi);
  if (!cache) {
    const created = createRoutesCache<T>(invalidationBusOf(strapi));
    strapi.db.lifecycles.subscribe(async (event: any) => {
      if (!WRITES.has(event.action) || !ROUTE_MODELS.has(event.model?.uid)) return;
      created.invalidate();
      // A lookup between the write and its commit could have cached the rows as they were before it.
      if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(() => created.invalidate()));
    });
    caches.set(strapi, created);
    cache = created;
  }
  return cache;
}
