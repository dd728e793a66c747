#!/usr/bin/env node
/**
 * p50/p95 of GET /api/accounts/:id for an agent, with 50 concurrent requests,
 * on PostgreSQL holding 100,000 accounts.
 *
 *   npm run bench:account-read                      # from cms/ or the repository root
 *   ACCOUNTS=100000 CONCURRENCY=50 REQUESTS=10000 npm run bench:account-read
 *   PROFILE=/tmp/read.cpuprofile npm run bench:account-read   # CPU profile of the server while it is measured
 *   CMS_PROCESSES=2 npm run bench:account-read     # the same served by server.js in 2 processes (this one seeds)
 *   DATABASE_POOL_MAX=20 npm run bench:account-read # another pool size per cms process (default: cms's own, 10)
 *
 * Creates a throwaway database next to TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), bulk-loads it with raw inserts
 * (bulk-accounts.js), boots the
 * compiled cms in this process and fires the requests from a child process so
 * that the load generator does not share the server's event loop.
 */
const { fork } = require('child_process');
const http = require('http');
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');
const { insertBulkAccounts } = require('./bulk-accounts');
const { processCpuMs, databaseBackendsCpu, cpuBetween } = require('./process-cpu');

const APP_DIR = path.resolve(__dirname, '..');
const ACCOUNTS = Number(process.env.ACCOUNTS || 100000);
const AGENTS = Number(process.env.AGENTS || 50);
const CONCURRENCY = Number(process.env.CONCURRENCY || 50);
const REQUESTS = Number(process.env.REQUESTS || 10000);
const WARMUP = Number(process.env.WARMUP || 1000);
const PROCESSES = Number(process.env.CMS_PROCESSES || 1);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---- load generator (child process) ---------------------------------------
async function loadGenerator({ port, token, ids, paths }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (urlPath) =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
      });
      req.on('error', reject);
    });
  const results = {};
  for (const suffix of paths) {
    const run = async (count) => {
      const latencies = [];
      let next = 0;
      let errors = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < count) {
            next++;
            const id = ids[Math.floor(Math.random() * ids.length)];
            const { status, ms } = await get(`/api/accounts/${id}${suffix}`);
            if (status !== 200) errors++;
            latencies.push(ms);
          }
        }),
      );
      return { latencies, errors, seconds: (Date.now() - started) / 1000 };
    };
    await run(WARMUP);
    const { latencies, errors, seconds } = await run(REQUESTS);
    latencies.sort((a, b) => a - b);
    results[suffix || '(plain)'] = {
      requests: latencies.length,
      errors,
      rps: Math.round(latencies.length / seconds),
      p50: +percentile(latencies, 50).toFixed(1),
      p95: +percentile(latencies, 95).toFixed(1),
      p99: +percentile(latencies, 99).toFixed(1),
    };
  }
  agent.destroy();
  return results;
}

if (process.argv[2] === '--load-generator') {
  process.on('message', async (msg) => {
    const cpu0 = process.cpuUsage();
    const results = await loadGenerator(msg);
    const cpu = process.cpuUsage(cpu0);
    process.send({ results, cpuMs: (cpu.user + cpu.system) / 1000 });
    process.exit(0);
  });
  return;
}

// ---- server side -----------------------------------------------------------
/** server.js with CMS_PROCESSES processes on a free port of the seeded database (this process only seeds). */
async function startCluster(processes) {
  const net = require('net');
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = probe.address().port;
      probe.close(() => resolve(p));
    });
  });
  const cluster = fork(path.join(APP_DIR, 'server.js'), [], { env: { ...process.env, CMS_PROCESSES: String(processes), HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const pids = [];
  await new Promise((resolve, reject) => {
    cluster.stdout.on('data', (d) => {
      for (const m of String(d).matchAll(/cms: process (\d+) listening/g)) pids.push(Number(m[1]));
      if (pids.length >= processes) resolve();
    });
    cluster.once('exit', (code) => reject(new Error(`the cms cluster exited (${code}) before listening`)));
  });
  return { port, cluster, pids: [cluster.pid, ...pids] };
}

/** The V8 profiler of this process, through the inspector: only the measured phase, not the seeding. */
async function startProfiler() {
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      require('fs').writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main() {
  // The pool as cms ships it (config/database.ts: 10) unless DATABASE_POOL_MAX says otherwise (until
  // 2026-12-01 this bench used 20: not what a new user runs).
  const database = await throwawayDatabase('bench', { NODE_ENV: 'production', ...(process.env.DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX } : {}), AUTH_RATE_LIMIT_MAX: '1000', STRAPI_LOG_LEVEL: 'warn' });

  const strapiPkg = require('@strapi/strapi');
  await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  const strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = 'warn';
  try {
    const t0 = Date.now();
    const password = 'Bench-pass-2026-x';
    const agentRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } });
    const agents = [];
    for (let i = 0; i < AGENTS; i++) {
      agents.push(await strapi.plugin('users-permissions').service('user').add({ username: `bench_agent${i}`, email: `bench_agent${i}@bench.example.com`, password, provider: 'local', confirmed: true, role: agentRole.id }));
    }
    const client = await strapi.documents('api::client.client').create({ data: { name: 'Bench Bank', code: 'BENCH', defaultCountry: 'US', members: { connect: agents.map((a) => ({ id: a.id })) } } });

    const made = await insertBulkAccounts(strapi, { count: ACCOUNTS, clientId: client.id, agentIds: agents.map((a) => a.id) });
    const seedSeconds = (Date.now() - t0) / 1000;

    let port;
    let cluster = null;
    let pids = [];
    if (PROCESSES > 1) {
      ({ port, cluster, pids } = await startCluster(PROCESSES));
    } else {
      await strapi.server.mount();
      await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
      port = strapi.server.httpServer.address().port;
    }
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'bench_agent0', password }) });
    const { jwt } = await login.json();
    const ids = made.filter((a) => a.agentId === agents[0].id).map((a) => a.documentId);

    const profiler = process.env.PROFILE ? await startProfiler() : null;
    // Every backend of the database, whichever process holds it (the cluster's workers have pools of their own).
    const backends = () => databaseBackendsCpu(async (sql) => (await strapi.db.connection.raw(sql)).rows);
    const pgBefore = await backends();
    const cpuBefore = process.cpuUsage();
    const clusterCpuBefore = pids.map(processCpuMs);
    const loadBefore = require('os').loadavg();
    const child = fork(__filename, ['--load-generator'], { stdio: 'inherit' });
    const { results, cpuMs: loadGeneratorCpuMs } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.send({ port, token: jwt, ids, paths: ['', '?populate=phones'] });
    });

    const cpu = process.cpuUsage(cpuBefore);
    const clusterCpuMs = pids.map((pid, i) => processCpuMs(pid) - clusterCpuBefore[i]);
    const pgCpuMs = cpuBetween(pgBefore, await backends());
    const loadAfter = require('os').loadavg();
    if (cluster) cluster.kill('SIGTERM');
    if (profiler) await profiler.stop(process.env.PROFILE);
    const served = Object.values(results).reduce((sum, r) => sum + r.requests, 0) + WARMUP * Object.keys(results).length;
    const report = {
      processes: PROCESSES,
      databasePoolMax: strapi.config.get('database.connection.pool.max'),
      // A cluster's CPU is its primary's (which hands connections out) and its workers', read from /proc.
      cpuMsPerRequest: +((cluster ? clusterCpuMs.reduce((a, b) => a + b, 0) : (cpu.user + cpu.system) / 1000) / served).toFixed(2),
      clusterCpuMsPerRequest: cluster ? clusterCpuMs.map((ms) => +(ms / served).toFixed(2)) : undefined,
      postgresCpuMsPerRequest: +(pgCpuMs / served).toFixed(2),
      loadGeneratorCpuMsPerRequest: +(loadGeneratorCpuMs / served).toFixed(2),
      loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadAfter.map((l) => +l.toFixed(2)) },
      date: new Date().toISOString(), database: 'postgresql', accounts: ACCOUNTS, agents: AGENTS, agentAccounts: ids.length, concurrency: CONCURRENCY,
      seedSeconds: +seedSeconds.toFixed(1), results,
    };
    console.log(JSON.stringify(report, null, 2));
    for (const [variant, r] of Object.entries(results)) {
      console.log(`GET /api/accounts/:id ${variant}: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.rps} req/s, ${r.errors} errors (${r.requests} requests, ${CONCURRENCY} concurrent)`);
    }
    console.log(`server CPU: ${report.cpuMsPerRequest} ms a request (both variants, warm-up included${cluster ? `; primary, workers: ${report.clusterCpuMsPerRequest.join(', ')}` : ''}), PostgreSQL ${report.postgresCpuMsPerRequest} ms, the load generator ${report.loadGeneratorCpuMsPerRequest} ms; load average ${report.loadAverage.before[0]} → ${report.loadAverage.after[0]}`);
  } finally {
    await strapi.destroy();
    if (!process.env.KEEP_BENCH_DATABASE) await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
