// `npm test`: every test of every service, against real PostgreSQL and Redis.
//
// cms's suite (Strapi boots, database-bound) and the dialer-worker's (its live tests mostly wait
// on simulated calls) share the two cores well, so they run side by side, each into a log of its
// own printed whole when it ends; the console's browser tests follow alone, because a screen pop
// measured against a busy CPU is not the pop an agent sees (its type-check and build run earlier,
// once the first of the pair is done). TEST_SERIAL=1 runs one at a time.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { ROOT, SERVICES, log, fail, run, ensureInstalled, ensurePostgres, ensureRedis } = require('./services');

const SIDE_BY_SIDE = ['cms', 'dialer-worker'];
/**
 * A service whose tests run after the side-by-side pair may split its `npm test` into a preparation
 * (type-check, build, browser) and the tests themselves: the preparation starts as soon as the
 * first of the pair ends, on the core it frees, while the other one finishes.
 */
const PREPARE = 'test:prepare';
const RUN = 'test:run';
const splitsItsTests = (service) => {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, service, 'package.json'), 'utf8')).scripts ?? {};
  return Boolean(scripts[PREPARE] && scripts[RUN]);
};

function runLogged(service, env, script = 'test', label = service) {
  const dir = path.join(ROOT, '.tmp', 'test-logs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label}.log`);
  const out = fs.openSync(file, 'w');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { cwd: path.join(ROOT, service), env, stdio: ['ignore', out, out] });
    const finish = (status) => {
      fs.closeSync(out);
      log(`── ${label}: its whole output (also in ${path.relative(ROOT, file)}) ──`);
      process.stdout.write(fs.readFileSync(file));
      resolve({ service, status, seconds: Math.round((Date.now() - started) / 1000) });
    };
    child.on('error', (error) => {
      fs.writeSync(out, `npm test could not run: ${error.message}\n`);
      finish(1);
    });
    child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 1)));
  });
}

async function main() {
  const started = Date.now();
  const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  await ensurePostgres(pgUrl);
  await ensureRedis(redisUrl);
  for (const service of SERVICES) ensureInstalled(service);
  let env = { ...process.env, TEST_DATABASE_URL: pgUrl, REDIS_URL: redisUrl };
  if (SERVICES.includes('cms')) {
    // cms compiled once, type-checked first (compileStrapi exits on a type error without saying where);
    // every cms test server of every service then loads this dist/ as it is.
    log('compiling cms for every service\'s tests…');
    const cms = path.join(ROOT, 'cms');
    if (run('npm', ['run', 'typecheck'], { cwd: cms }) !== 0) fail('cms does not type-check: nothing was tested');
    const compile = "require('@strapi/strapi').compileStrapi({ appDir: process.cwd(), ignoreDiagnostics: true }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })";
    if (run(process.execPath, ['-e', compile], { cwd: cms }) !== 0) fail('cms did not compile: nothing was tested');
    env = { ...env, SKIP_COMPILE: '1' };
  }

  const results = [];
  const together = process.env.TEST_SERIAL === '1' ? [] : SERVICES.filter((s) => SIDE_BY_SIDE.includes(s));
  const after = SERVICES.filter((s) => !together.includes(s));
  const prepared = new Map();
  if (together.length) {
    log(`testing ${together.join(' and ')} side by side…`);
    const prepare = () => {
      for (const service of after.filter(splitsItsTests)) {
        if (prepared.has(service)) continue;
        log(`preparing ${service}'s tests beside the rest…`);
        prepared.set(service, runLogged(service, env, PREPARE, `${service}-prepare`));
      }
    };
    results.push(...(await Promise.all(together.map((service) => runLogged(service, env).then((r) => (prepare(), r))))));
  }
  for (const service of after) {
    const t = Date.now();
    const preparation = prepared.get(service);
    if (preparation) {
      const p = await preparation;
      if (p.status !== 0) {
        results.push({ service, status: p.status, seconds: p.seconds });
        continue;
      }
    }
    log(`testing ${service}…`);
    const status = run('npm', ['run', preparation ? RUN : 'test'], { cwd: path.join(ROOT, service), env });
    results.push({ service, status, seconds: Math.round((Date.now() - t) / 1000) + (preparation ? (await preparation).seconds : 0) });
  }
  for (const r of results) log(`${r.status === 0 ? 'PASS' : 'FAIL'} ${r.service} (${r.seconds} s)`);
  log(`all tests: ${Math.round((Date.now() - started) / 1000)} s`);
  if (results.some((r) => r.status !== 0)) fail('some tests failed');
}

main().catch((error) => fail(error.stack || String(error)));
