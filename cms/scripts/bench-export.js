#!/usr/bin/env node
/**
 * Export of 1,000,000 calls as CSV by a supervisor on PostgreSQL: rows/s and
 * the cms process's peak memory while it streams.
 *
 *   npm run bench:export                     # from cms/ (or --prefix cms from the root)
 *   CALLS=1000000 FORMAT=csv npm run bench:export
 *   KEEP_BENCH_DATABASE=1 npm run bench:export          # keeps the seeded database and prints its name
 *   BENCH_DATABASE=cms_bexp_… npm run bench:export      # measures again on it without seeding
 *
 * Creates a throwaway database next to TEST_DATABASE_URL, seeds it set-based
 * (bulk-calls.js: generate_series), boots the compiled cms in this process and
 * downloads from a child process, so that the client's parsing does not share
 * the server's event loop or its memory. Memory is sampled every 20 ms. CPU
 * is counted for the serving cms and for its PostgreSQL backends (from
 * /proc): per 1,000 rows it depends far less on the machine's load than rows/s.
 */
const { fork } = require('child_process');
const { Client } = require('pg');
const http = require('http');
const os = require('os');
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');
const { insertBulkAccounts } = require('./bulk-accounts');
const { insertBulkCalls } = require('./bulk-calls');
const { databaseBackendsCpu, cpuBetween } = require('./process-cpu');

const APP_DIR = path.resolve(__dirname, '..');
const CALLS = Number(process.env.CALLS || 1_000_000);
const FORMAT = process.env.FORMAT || 'csv';
const MB = 1024 * 1024;

/** CPU ms each PostgreSQL backend of `database` has used so far (Linux /proc; empty elsewhere). */
async function backendCpu(database) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await databaseBackendsCpu(async (sql) => (await client.query(sql)).rows, database);
  } finally {
    await client.end();
  }
}

// ---- downloader (child process) --------------------------------------------
if (process.argv[2] === '--download') {
  process.on('message', ({ port, token, url }) => {
    const started = process.hrtime.bigint();
    http.get({ host: '127.0.0.1', port, path: url, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      let firstByteMs = null;
      res.on('data', (chunk) => {
        if (firstByteMs === null) firstByteMs = Number(process.hrtime.bigint() - started) / 1e6;
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => {
        process.send({ status: res.statusCode, bytes, lines, firstByteMs, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
        process.exit(0);
      });
    });
  });
  return;
}

async function main() {
  const reuse = process.env.BENCH_DATABASE || null;
  const database = await throwawayDatabase('bexp', { NODE_ENV: 'production', STRAPI_LOG_LEVEL: 'warn' }, reuse);
  const strapiPkg = require('@strapi/strapi');
  await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  let strapiDestroyed = false;
  let result;
  let memory;
  let pgCpuMs = null;
  const password = 'Bench-pass-2026-x';
  const strapi = reuse ? null : await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  if (strapi) strapi.log.level = 'warn';
  try {
    const t0 = Date.now();
    if (strapi) {
      const role = async (type) => (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id;
      const user = (username, roleId) => strapi.plugin('users-permissions').service('user').add({ username, email: `${username}@bench.example.com`, password, provider: 'local', confirmed: true, role: roleId });
      const agentRole = await role('agent');
      const agents = [];
      for (let i = 0; i < 20; i++) agents.push(await user(`bench_agent${i}`, agentRole));
      const supervisor = await user('bench_supervisor', await role('supervisor'));
      const members = { connect: [...agents, supervisor].map((u) => ({ id: u.id })) };
      const client = await strapi.documents('api::client.client').create({ data: { name: 'Bench Bank', code: 'BENCH', defaultCountry: 'US', members } });
      const campaign = await strapi.documents('api::campaign.campaign').create({ data: { name: 'Bench campaign', client: client.documentId, dialMode: 'predictive' } });
      await insertBulkAccounts(strapi, { count: 10_000, clientId: client.id, agentIds: agents.map((a) => a.id) });
      const accountIds = (await strapi.db.connection('accounts').select('id')).map((r) => r.id);
      const dispositionIds = (await strapi.db.query('api::disposition.disposition').findMany({ select: ['id'] })).map((d) => d.id);
      await insertBulkCalls(strapi, { count: CALLS, clientId: client.id, accountIds, agentIds: agents.map((a) => a.id), campaignId: campaign.id, dispositionIds });
    }
    const seedSeconds = (Date.now() - t0) / 1000;

    // The export is served by a cms of its own, freshly booted, as in production: its memory is the export's, not the seed's.
    if (strapi) await strapi.destroy();
    strapiDestroyed = true;
    const server = fork(path.join(__dirname, 'serve-cms.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ask = (message) => new Promise((resolve) => { server.once('message', resolve); server.send(message); });
    try {
      const { port } = await new Promise((resolve, reject) => { server.once('message', resolve); server.once('exit', (code) => reject(new Error(`cms exited ${code}`))); });
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'bench_supervisor', password }) });
      const { jwt } = await login.json();
      const booted = await ask('memory');
      const cpuBefore = await backendCpu(database.name);
      server.send('sample');
      const child = fork(__filename, ['--download'], { stdio: 'inherit' });
      result = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('error', reject);
        child.send({ port, token: jwt, url: `/api/exports/calls.${FORMAT}` });
      });
      const cpuAfter = await backendCpu(database.name);
      pgCpuMs = cpuBetween(cpuBefore, cpuAfter);
      memory = { booted, during: await ask('samples'), lifetime: await ask('memory') };
    } finally {
      server.send('stop');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    const rows = FORMAT === 'xlsx' ? CALLS : result.lines - 1;
    const before = { rss: memory.booted.rss, heapUsed: memory.booted.heapUsed };
    const peakRss = memory.during.peakRss;
    const peakHeap = memory.during.peakHeap;
    const report = {
      date: new Date().toISOString(), database: 'postgresql', format: FORMAT, calls: CALLS, reader: 'supervisor (scoped)', seedSeconds: +seedSeconds.toFixed(1),
      status: result.status, rows, megabytes: +(result.bytes / MB).toFixed(1), seconds: +result.seconds.toFixed(2), firstByteMs: Math.round(result.firstByteMs),
      rowsPerSecond: Math.round(rows / result.seconds),
      rssBeforeMB: Math.round(before.rss / MB), peakRssMB: Math.round(peakRss / MB), heapBeforeMB: Math.round(before.heapUsed / MB), peakHeapMB: Math.round(peakHeap / MB),
      lifetimePeakRssMB: Math.round(memory.lifetime.peakRss / MB),
      cmsCpuSeconds: +(memory.during.cpuMs / 1000).toFixed(1), cmsCpuMsPer1000Rows: +((memory.during.cpuMs / rows) * 1000).toFixed(1),
      postgresCpuSeconds: +(pgCpuMs / 1000).toFixed(1), postgresCpuMsPer1000Rows: +((pgCpuMs / rows) * 1000).toFixed(1),
      load: os.loadavg().map((l) => +l.toFixed(1)),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(`GET /api/exports/calls.${FORMAT}: ${rows} rows in ${report.seconds} s = ${report.rowsPerSecond} rows/s (${report.megabytes} MB, first byte ${report.firstByteMs} ms); cms peak RSS ${report.peakRssMB} MB during the export (${report.rssBeforeMB} MB booted; ${report.lifetimePeakRssMB} MB over its life), peak heap ${report.peakHeapMB} MB (${report.heapBeforeMB} MB booted); CPU per 1,000 rows: cms ${report.cmsCpuMsPer1000Rows} ms, PostgreSQL ${report.postgresCpuMsPer1000Rows} ms; load average ${report.load.join(' ')}`);
  } finally {
    if (!strapiDestroyed) await strapi.destroy();
    if (!process.env.KEEP_BENCH_DATABASE && !reuse) await database.drop();
    else console.log(`database kept: BENCH_DATABASE=${database.name}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
