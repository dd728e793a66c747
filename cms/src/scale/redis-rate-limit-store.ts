import { createRequire } from 'module';
import crypto from 'crypto';
import Redis from 'ioredis';

// The Store class users-permissions' rate limiter checks its store against (instanceof): the copy it loads itself.
const fromUsersPermissions = createRequire(require.resolve('@strapi/plugin-users-permissions/package.json'));
const { Store, Memory: MemoryStore } = fromUsersPermissions('koa2-ratelimit').Stores;

// One counter per key and window: the first hit of a window sets its expiry.
const INCR = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {c, ttl}`;

/**
 * The login rate limit's counters in Redis, so that N cms processes allow the
 * configured number of attempts, not N times as many. While Redis cannot be
 * reached, each process counts on its own (the limit then holds per process),
 * rather than refusing every login or allowing them all.
 */
export function createRedisRateLimitStore(redisUrl: string, prefix: string, log: (msg: string) => void = console.warn) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let warned = false;
  redis.on('error', (error: Error) => {
    if (!warned) log(`login rate limit: Redis unreachable (${error.message}); counting per process until it is back`);
    warned = true;
  });
  redis.on('ready', () => (warned = false));
  const fallback = new MemoryStore();
  // On first use: a store made by a config read that is never used opens no connection.
  let connected: Promise<unknown> | undefined;
  const connect = () => (connected ??= redis.connect().catch(() => undefined));

  class RedisRateLimitStore extends Store {
    async incr(key: string, options: { interval: number }, weight: number) {
      await connect();
      try {
        const [counter, ttl] = (await redis.eval(INCR, 1, `${prefix}${key}`, weight, options.interval)) as [number, number];
        return { counter: Number(counter), dateEnd: Date.now() + Number(ttl) };
      } catch {
        return fallback.incr(key, options, weight);
      }
    }

    async decrement(key: string, options: unknown, weight: number) {
      try {
        await redis.decrby(`${prefix}${key}`, weight);
      } catch {
        fallback.decrement(key, options, weight);
      }
    }

    saveAbuse() {}
  }
  const store = new RedisRateLimitStore();
  return Object.assign(store, { close: () => redis.disconnect() });
}

/** A key prefix of the deployment's own: its database, so test stacks on one Redis do not share counters. */
export function rateLimitPrefix(env: NodeJS.ProcessEnv): string {
  const database = env.DATABASE_URL || `${env.DATABASE_HOST ?? ''}/${env.DATABASE_NAME ?? ''}${env.DATABASE_FILENAME ?? ''}`;
  return `collections:ratelimit:${crypto.createHash('sha256').update(database).digest('hex').slice(0, 16)}:`;
}
