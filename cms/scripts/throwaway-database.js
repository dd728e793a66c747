const crypto = require('crypto');
const { Client } = require('pg');

/**
 * A fresh PostgreSQL database next to TEST_DATABASE_URL, and the environment
 * that points cms at it with random secrets. For scripts that boot a cms of
 * their own (benchmarks, other services' tests); `drop()` removes it.
 */
async function throwawayDatabase(label, env = {}, existing = null) {
  const base = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  // `existing`: one a previous run kept (a benchmark measured again without seeding again).
  const name = existing || `cms_${label}_${Date.now()}_${crypto.randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  if (!existing) await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const secret = () => crypto.randomBytes(24).toString('base64');
  Object.assign(process.env, {
    DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(),
    APP_KEYS: `${secret()},${secret()}`, API_TOKEN_SALT: secret(), ADMIN_JWT_SECRET: secret(), TRANSFER_TOKEN_SALT: secret(), JWT_SECRET: secret(), ENCRYPTION_KEY: secret(),
    DEMO_MODE: 'false', STRAPI_TELEMETRY_DISABLED: 'true',
    ...env,
  });
  return {
    name,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

module.exports = { throwawayDatabase };
