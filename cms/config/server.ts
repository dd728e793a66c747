import { requireSecret } from '../src/security/secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('BEHIND_PROXY', false),
  // The hourly promise job (src/payments/promise-job.ts); tests run it by hand.
  cron: { enabled: env.bool('CRON_ENABLED', env('NODE_ENV') !== 'test') },
  app: {
    keys: requireSecret('APP_KEYS').split(','),
  },
});
