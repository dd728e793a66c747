import { requireSecret } from '../src/security/secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('BEHIND_PROXY', false),
  app: {
    keys: requireSecret('APP_KEYS').split(','),
  },
});
