#!/usr/bin/env node
/**
 * p50/p95 of POST /api/campaigns/:id/dialable (what the dialer-worker asks for
 * its hopper) with ACCOUNTS accounts (default 1,000,000) in the campaign's
 * client, on PostgreSQL, as the worker's full-access API token, and the CPU
 * time the cms process and PostgreSQL's backends spend per request (the
 * figures that depend least on how busy the machine is). The requests come from a child process, so that
 * CPU is cms's alone.
 *
 *   npm run bench:hopper --prefix cms
 *   ACCOUNTS=1000000 REQUESTS=200 CONCURRENCY=4 LIMIT=20 WARMUP=400 npm run bench:hopper --prefix cms
 *   RATE=20 ...                            # 20 requests a second whatever the answers (campaigns refilling on their own clocks)
 *   PROFILE=/tmp/hopper.cpuprofile ...     # CPU profile of the server while it is measured
 *   KEEP_BENCH_DATABASE=1 ...              # keep the seeded database (its name is printed)
 *   HELD=300 ...                           # the worker holds this many attempts (phones and accounts excluded)
 *   DIST_DIR=/tmp/dist-before SKIP_COMPILE=1 ...  # measure another build (before/after pairs)
 *   HOPPER_DATABASE=cms_hopper_… ...       # measure again on a kept database, without seeding
 *
 * Accounts are in four zones where it is now daytime (mid-morning to early
 * evening, from a list around the world), so that the hopper has phones to give
 * whatever the hour the bench runs at; ZONES=America/New_York,… sets them (at
 * night there the answer is "nothing to dial" with its reasons: the report says
 * which case was measured). About 3 minutes of seeding a million accounts on a laptop.
 */
const crypto = require('crypto');
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');
const { insertBulkAccounts } = require('./bulk-accounts');
const { databaseBackendsCpu, cpuBetween } = require('./process-cpu');

const APP_DIR = path.resolve(__dirname, '..');
const ACCOUNTS = Number(process.env.ACCOUNTS || 1_000_000);
const REQUESTS = Number(process.env.REQUESTS || 200);
const CONCURRENCY = Number(process.env.CONCURRENCY || 4);
const LIMIT = Number(process.env.LIMIT || 20);
const HELD = Number(process.env.HELD || 0);
const WARMUP = Number(process.env.WARMUP || 400);
/** Requests a second, sent whatever the answers (open loop), instead of CONCURRENCY at once back to back. */
const RATE = Number(process.env.RATE || 0);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A database seeded by an earlier run (KEEP_BENCH_DATABASE); secrets are made anew, and so is the token. */
async function keptDatabase(name, env) {
  const made = await throwawayDatabase('unused', env);
  await made.drop();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  return { name, drop: async () => undefined };
}

/** Zones where the local hour is now between 9 and 19: inside the calling window (08:00-21:00) for the whole run. */
function daytimeZones(now = new Date()) {
  const candidates = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Guam', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Berlin', 'Europe/London', 'America/Sao_Paulo', 'Australia/Sydney', 'Asia/Singapore', 'Africa/Johannesburg', 'Pacific/Auckland'];
  const hour = (zone) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));
  const open = candidates.filter((zone) => hour(zone) >= 9 && hour(zone) < 19);
  return open.length ? open.slice(0, 4) : candidates.slice(0, 4);
}
const ZONES = process.env.ZONES ? process.env.ZONES.split(',') : daytimeZones();

async function seed(strapi) {
  const agentRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } });
  const agents = [];
  for (let i = 0; i < 20; i++) {
    agents.push(await strapi.plugin('users-permissions').service('user').add({ username: `hopper_agent${i}`, email: `hopper_agent${i}@bench.example.com`, password: `Bench-${crypto.randomBytes(6).toString('hex')}`, provider: 'local', confirmed: true, role: agentRole.id }));
  }
  const client = await strapi.documents('api::client.client').create({ data: { name: 'Hopper Bank', code: 'HOPPER', defaultCountry: 'US', members: { connect: agents.map((a) => ({ id: a.id })) } } });
  let loaded = 0;
  const CHUNK = 50_000;
  while (loaded < ACCOUNTS) {
    const n = Math.min(CHUNK, ACCOUNTS - loaded);
    await insertBulkAccounts(strapi, { count: n, clientId: client.id, agentIds: agents.map((a) => a.id), prefix: `H${String(loaded / CHUNK).padStart(3, '0')}`, firstPhone: 2_000_000 + loaded, zones: ZONES });
    loaded += n;
    process.stderr.write(`\rseeded ${loaded} accounts`);
  }
  process.stderr.write('\n');
  await strapi.db.connection.raw('ANALYZE');
  return strapi.documents('api::campaign.campaign').create({
    data: { name: 'Hopper bench', client: client.id, state: 'running', dialMode: 'progressive', agents: { connect: agents.map((a) => ({ id: a.id })) } },
  });
}

async function main() {
  const env = { NODE_ENV: 'production', STRAPI_LOG_LEVEL: 'warn' };
  const database = process.env.HOPPER_DATABASE ? await keptDatabase(process.env.HOPPER_DATABASE, env) : await throwawayDatabase('hopper', env);
  const strapiPkg = require('@strapi/strapi');
  if (!process.env.SKIP_COMPILE) await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  const strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: process.env.DIST_DIR || path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = 'warn';
  try {
    const t0 = Date.now();
    const reused = process.env.HOPPER_DATABASE && (await strapi.db.query('api::campaign.campaign').findOne({ where: { name: 'Hopper bench' } }));
    const campaign = reused || (await seed(strapi));
    const seedSeconds = (Date.now() - t0) / 1000;
    const token = await strapi.service('admin::api-token').create({ name: `hopper-bench-${Date.now()}`, type: 'full-access', lifespan: null });

    await strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
    const port = strapi.server.httpServer.address().port;
    const url = `http://127.0.0.1:${port}/api/campaigns/${campaign.documentId}/dialable`;
    const body = JSON.stringify({
      limit: LIMIT,
      exclude: Array.from({ length: HELD }, (_, i) => `+1999${String(1_000_000 + i)}`),
      excludeAccounts: Array.from({ length: HELD }, (_, i) => `held${String(i).padStart(20, '0')}`),
    });
    // The load comes from a child process: the server's CPU time is then its own.
    const { fork } = require('child_process');
    const client = fork(path.join(__dirname, 'bench-hopper-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ask = (message) => new Promise((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
      client.send(message);
    });
    const request = { url, token: token.accessKey, body };
    const first = (await ask({ ...request, requests: 1, concurrency: 1 })).first;
    if (first.status !== 200) throw new Error(`dialable answered ${first.status}: ${JSON.stringify(first.body)}`);
    const items = first.body.data.items.length;
    // Warmed up as a server that has run for a while is: V8 compiles the hot paths on background threads during the
    // first few hundred requests (a 200-request run right after boot measured 16 ms of CPU a request, 6 ms once warm).
    await ask({ ...request, requests: WARMUP, concurrency: CONCURRENCY });

    let profiler = null;
    if (process.env.PROFILE) {
      const inspector = require('inspector');
      const session = new inspector.Session();
      session.connect();
      const post = (m, p) => new Promise((res, rej) => session.post(m, p, (e, r) => (e ? rej(e) : res(r))));
      await post('Profiler.enable');
      await post('Profiler.start');
      profiler = { stop: async () => require('fs').writeFileSync(process.env.PROFILE, JSON.stringify((await post('Profiler.stop')).profile)) };
    }
    const backends = () => databaseBackendsCpu(async (sql) => (await strapi.db.connection.raw(sql)).rows);
    const pg0 = await backends();
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const run = await ask({ ...request, requests: REQUESTS, concurrency: CONCURRENCY, rate: RATE });
    const cpu = process.cpuUsage(cpu0);
    const pgMs = cpuBetween(pg0, await backends());
    client.kill();
    const latencies = run.latencies;
    const errors = run.errors;
    const seconds = (Date.now() - started) / 1000;
    if (profiler) await profiler.stop();
    latencies.sort((a, b) => a - b);
    const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / latencies.length;
    const report = {
      date: new Date().toISOString(), loadAverage: require('os').loadavg().map((l) => +l.toFixed(2)), held: HELD, warmupRequests: WARMUP, cpuMsPerRequest: +cpuMsPerRequest.toFixed(2),
      postgresCpuMsPerRequest: +(pgMs / latencies.length).toFixed(2), accounts: ACCOUNTS, seedSeconds: +seedSeconds.toFixed(1), limit: LIMIT, concurrency: RATE ? null : CONCURRENCY, ratePerSecond: RATE || null, requests: latencies.length, errors,
      itemsPerAnswer: items, nothingToDial: first.body.data.nothingToDial?.reasons?.map((r) => r.code).join(', ') ?? null,
      p50: +percentile(latencies, 50).toFixed(1), p95: +percentile(latencies, 95).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), rps: Math.round(latencies.length / seconds),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(`POST /api/campaigns/:id/dialable (${ACCOUNTS} accounts in ${ZONES.join(', ')}, ${items} items an answer, ${HELD} attempts held${report.nothingToDial ? `, nothing to dial: ${report.nothingToDial}` : ''}): cms CPU ${report.cpuMsPerRequest} ms a request, PostgreSQL CPU ${report.postgresCpuMsPerRequest} ms, p50 ${report.p50} ms, p95 ${report.p95} ms, p99 ${report.p99} ms, ${report.rps} req/s, ${errors} errors (${RATE ? `${RATE} a second, open loop` : `${CONCURRENCY} concurrent`}, load average ${report.loadAverage.join(' ')})`);
  } finally {
    await strapi.destroy();
    if (process.env.KEEP_BENCH_DATABASE || process.env.HOPPER_DATABASE) console.log(`database kept: HOPPER_DATABASE=${database.name}`);
    else await database.drop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
