import crypto from 'crypto';
import { requireSecret } from '../src/security/secrets';
import { createRedisRateLimitStore, rateLimitPrefix } from '../src/scale/redis-rate-limit-store';

// Read once per Strapi instance; src/index.ts closes the store's connection when the instance stops.
const redisRateLimitStore = (url: string) => createRedisRateLimitStore(url, rateLimitPrefix(process.env));

const minutes = (n: number) => n * 60;
const hours = (n: number) => n * 3600;

export default ({ env }) => ({
  'users-permissions': {
    config: {
      // A KeyObject, not the string: jsonwebtoken otherwise tries to parse a
      // string secret as a PEM public key on every verify, which was half of
      // the CPU time of an authenticated request.
      jwtSecret: crypto.createSecretKey(Buffer.from(requireSecret('JWT_SECRET'))),
      // Short-lived access tokens with rotating refresh tokens; a session left
      // idle (an agent who walked away from a logged-in console) expires.
      jwtManagement: 'refresh',
      sessions: {
        accessTokenLifespan: env.int('ACCESS_TOKEN_LIFESPAN_SEC', minutes(15)),
        maxRefreshTokenLifespan: env.int('REFRESH_TOKEN_MAX_LIFESPAN_SEC', hours(12)),
        idleRefreshTokenLifespan: env.int('REFRESH_TOKEN_IDLE_LIFESPAN_SEC', hours(1)),
        maxSessionLifespan: env.int('SESSION_MAX_LIFESPAN_SEC', hours(12)),
        idleSessionLifespan: env.int('SESSION_IDLE_LIFESPAN_SEC', hours(1)),
      },
      ratelimit: {
        enabled: env.bool('AUTH_RATE_LIMIT_ENABLED', true),
        interval: env.int('AUTH_RATE_LIMIT_INTERVAL_MS', 60000),
        max: env.int('AUTH_RATE_LIMIT_MAX', 10),
        // Shared by every cms process of the deployment (otherwise each would allow `max`).
        ...(env('REDIS_URL') ? { store: redisRateLimitStore(env('REDIS_URL')) } : {}),
      },
      register: {
        allowedFields: [],
      },
    },
  },
  documentation: {
    enabled: true,
    config: {
      openapi: '3.0.0',
      info: {
        version: '1.0.0',
        title: 'Collections CRM API',
        description: 'REST API of the collections CRM: accounts, campaigns, calls, dispositions, promises to pay, callbacks, DNC entries and the audit trail.',
      },
      'x-strapi-config': {
        plugins: ['users-permissions'],
      },
      servers: [{ url: `${env('PUBLIC_URL', 'http://localhost:1337')}/api`, description: 'cms' }],
    },
  },
});
