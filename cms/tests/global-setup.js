const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const APP_DIR = path.resolve(__dirname, '..');
const STATE_FILE = path.join(APP_DIR, '.tmp', 'test-database.json');

function adminUrl() {
  return process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function connect(url) {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    throw new Error(
      `cms tests need PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} (${error.message}). ` +
        'Run the tests with `npm test` from the repository root, which starts it, or start it with ' +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or set TEST_DATABASE_URL.",
    );
  }
}

module.exports = async () => {
  const base = adminUrl();
  const name = `cms_test_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = await connect(base);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const url = new URL(base);
  url.pathname = `/${name}`;
  const secret = () => crypto.randomBytes(24).toString('base64');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: url.toString(),
    APP_KEYS: [secret(), secret()].join(','),
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),
    DEMO_MODE: 'false',
    // Tests sign in many users from one address; the rate-limit test lowers it again.
    AUTH_RATE_LIMIT_MAX: '100000',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
    BROWSER: 'none',
  });
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify({ name, base }));

  // The root `npm test` compiled it once for every service (SKIP_COMPILE): compiling again here
  // would empty dist/ under the other services' cms test servers, which run meanwhile.
  if (process.env.SKIP_COMPILE) return;
  // compileStrapi exits the process on a type error; tsc ran before jest (npm test), so this only emits.
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
};
