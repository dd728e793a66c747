import type { Core } from '@strapi/strapi';
import { invalidationBusOf, type InvalidationBus } from '../scale/invalidation-bus';
import type { ClientRef } from './access-context';

/**
 * What every authenticated request used to read again: the user with their
 * role, the role's permissions turned into an ability, users-permissions'
 * advanced settings, and the clients the user belongs to. Kept per process and
 * dropped whole whenever a user, role, grant, membership or setting is written
 * (here by lifecycle, in the other processes through the invalidation bus).
 * Such writes are an administrator's, a few a day: dropping everything is
 * simpler than tracking which entry a write touched, and cannot miss one.
 *
 * A load that started before a write must not refill the cache with what it
 * read: every entry carries the generation it was loaded in, and a drop starts
 * a new generation. Entries also age out after MAX_AGE_MS, in case an
 * invalidation message between processes was lost.
 */
export const AUTH_TOPIC = 'auth';
const MAX_AGE_MS = 30_000;
const MAX_USERS = 20_000;
const MISS = Symbol('not found');

/** Writes to these change who may do what. */
export const AUTH_MODELS = new Set([
  'plugin::users-permissions.user',
  'plugin::users-permissions.role',
  'plugin::users-permissions.permission',
  'api::client.client',
  'strapi::core-store',
  'admin::api-token',
  'admin::api-token-permission',
  'admin::permission',
  'admin::role',
  'admin::user',
]);

type Entry<T> = { value: Promise<T>; generation: number; at: number };

export type AuthCache = {
  user(id: number): Promise<any | null>;
  clients(userId: number): Promise<ClientRef[]>;
  /** The role's ability, and how many permissions it was built from. */
  ability(roleId: number | 'public'): Promise<{ ability: any; permissions: number }>;
  advancedSettings(): Promise<any>;
  /** An API token by its access key's hash, as `load` finds it (null when none). */
  apiToken(accessKeyHash: string, load: () => Promise<any>): Promise<any>;
  /** Forget everything here and in every other process. */
  invalidate(): void;
  readonly stats: { hits: number; loads: number; drops: number };
};

export function createAuthCache(strapi: Core.Strapi, bus: InvalidationBus, clock: () => number = Date.now): AuthCache {
  let generation = 0;
  const users = new Map<number, Entry<any | null>>();
  const clientsOf = new Map<number, Entry<ClientRef[]>>();
  const abilities = new Map<number | 'public', Entry<{ ability: any; permissions: number }>>();
  const apiTokens = new Map<string, Entry<any>>();
  let settings: Entry<any> | undefined;
  const stats = { hits: 0, loads: 0, drops: 0 };

  function dropLocal() {
    generation++;
    stats.drops++;
    users.clear();
    clientsOf.clear();
    abilities.clear();
    apiTokens.clear();
    settings = undefined;
  }
  bus.subscribe(AUTH_TOPIC, dropLocal);

  function cached<K, T>(map: Map<K, Entry<T>>, key: K, load: () => Promise<T>): Promise<T> {
    const now = clock();
    const hit = map.get(key);
    if (hit && hit.generation === generation && now - hit.at < MAX_AGE_MS) {
      stats.hits++;
      return hit.value;
    }
    stats.loads++;
    const loadedIn = generation;
    const value = load();
    if (map.size >= MAX_USERS) map.clear();
    const entry = { value, generation: loadedIn, at: now };
    map.set(key, entry);
    // A failed load is not remembered; nor is one overtaken by a write while it ran (its generation is stale).
    value.catch(() => map.get(key) === entry && map.delete(key));
    return value;
  }

  const up = () => strapi.plugin('users-permissions');
  const toAbility = async (permissions: Array<{ action: string }>) => ({
    ability: await (strapi as any).contentAPI.permissions.engine.generateAbility(permissions.map((p) => up().service('permission').toContentAPIPermission(p))),
    permissions: permissions.length,
  });

  return {
    stats,
    user: (id) => cached(users, id, () => up().service('user').fetchAuthenticatedUser(id)),
    clients: (userId) =>
      cached(clientsOf, userId, async () => {
        const rows = await strapi.db.query('api::client.client').findMany({ where: { members: { id: userId } }, select: ['id', 'documentId'] });
        return rows.map((r: ClientRef) => ({ id: r.id, documentId: r.documentId }));
      }),
    ability: (roleId) =>
      cached(abilities, roleId, async () =>
        toAbility(roleId === 'public' ? await up().service('permission').findPublicPermissions() : await up().service('permission').findRolePermissions(roleId)),
      ),
    advancedSettings() {
      const now = clock();
      if (settings && settings.generation === generation && now - settings.at < MAX_AGE_MS) {
        stats.hits++;
        return settings.value;
      }
      stats.loads++;
      const entry = { value: strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' }) as Promise<any>, generation, at: now };
      settings = entry;
      entry.value.catch(() => settings === entry && (settings = undefined));
      return entry.value;
    },
    // A miss is not remembered: the load "fails", which drops the entry.
    apiToken: (hash, load) =>
      cached(apiTokens, hash, async () => (await load()) ?? Promise.reject(MISS)).catch((error) => (error === MISS ? null : Promise.reject(error))),
    invalidate() {
      bus.publish(AUTH_TOPIC);
    },
  };
}

const WRITES = new Set(['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany']);

/**
 * Drops the caches on every write to a model in AUTH_MODELS: at once, and again
 * when the write's transaction commits (a request in between could have read
 * and cached the rows as they were before it).
 */
export function invalidateOnAuthWrites(strapi: Core.Strapi, cache: AuthCache): void {
  strapi.db.lifecycles.subscribe(async (event: any) => {
    if (!WRITES.has(event.action) || !AUTH_MODELS.has(event.model?.uid)) return;
    cache.invalidate();
    if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(() => cache.invalidate()));
  });
}

const caches = new WeakMap<object, AuthCache>();

/** The auth cache of a Strapi instance, made (and wired to lifecycles) on first use. */
export function authCacheOf(strapi: Core.Strapi): AuthCache {
  let cache = caches.get(strapi);
  if (!cache) {
    cache = createAuthCache(strapi, invalidationBusOf(strapi));
    invalidateOnAuthWrites(strapi, cache);
    caches.set(strapi, cache);
  }
  return cache;
}
