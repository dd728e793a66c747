import Redis from 'ioredis';

/**
 * A real Redis for one test file (the root `npm test` starts one and passes REDIS_URL), under a
 * key prefix of its own that is deleted afterwards. Registers its own beforeAll/afterAll.
 */
export function useTestRedis(name: string): { redis: Redis; prefix: string } {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `test-${name}-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    try {
      await redis.connect();
    } catch (error) {
      throw new Error(`Redis is not reachable at ${url}: run the tests through the root npm test, which starts it (${(error as Error).message})`);
    }
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return { redis, prefix };
}
