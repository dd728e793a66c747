// `npm test`: every test of every service, against real PostgreSQL and Redis.
const path = require('path');
const { ROOT, SERVICES, log, fail, run, ensureInstalled, ensurePostgres, ensureRedis } = require('./services');

async function main() {
  const started = Date.now();
  const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  await ensurePostgres(pgUrl);
  await ensureRedis(redisUrl);
  for (const service of SERVICES) ensureInstalled(service);

  const results = [];
  for (const service of SERVICES) {
    const t = Date.now();
    log(`testing ${service}…`);
    const status = run('npm', ['test'], { cwd: path.join(ROOT, service), env: { ...process.env, TEST_DATABASE_URL: pgUrl, REDIS_URL: redisUrl } });
    results.push({ service, status, seconds: Math.round((Date.now() - t) / 1000) });
  }
  for (const r of results) log(`${r.status === 0 ? 'PASS' : 'FAIL'} ${r.service} (${r.seconds} s)`);
  log(`all tests: ${Math.round((Date.now() - started) / 1000)} s`);
  if (results.some((r) => r.status !== 0)) fail('some tests failed');
}

main().catch((error) => fail(error.stack || String(error)));
