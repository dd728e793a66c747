#!/usr/bin/env node
/**
 * End-to-end rows/s of a committed accounts import on PostgreSQL: a 100,000-row
 * CSV with two phones a row and 2 % bad rows, uploaded over HTTP by a
 * supervisor, from the upload until the import reads `completed`.
 * KIND=payments measures a payments file instead: ROWS payments, two a
 * account on ROWS/2 accounts (imported first, not measured), 2 % bad rows,
 * one account in 50 with a promise to pay the payments reach.
 *
 *   npm run bench:import --prefix cms
 *   ROWS=100000 BAD_PERCENT=2 IMPORT_BATCH_ROWS=1000 npm run bench:import --prefix cms
 *   KIND=payments ROWS=20000 npm run bench:import --prefix cms
 *   PROFILE=/tmp/import.cpuprofile ...   # a CPU profile of cms while the import runs
 *
 * Prints rows/s, the cms process's CPU a row, and PostgreSQL's: the CPU of
 * this database's backends (/proc/<pid>/stat, same machine), read before and
 * after the import.
 *
 * Boots the compiled cms in this process on a throwaway database (and the
 * real Redis, under a queue prefix of its own).
 */
const crypto = require('crypto');
const os = require('os');
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');
const { databaseBackendsCpu, cpuBetween } = require('./process-cpu');

const APP_DIR = path.resolve(__dirname, '..');
const ROWS = Number(process.env.ROWS || 100000);
const BAD_PERCENT = Number(process.env.BAD_PERCENT || 2);
const KIND = process.env.KIND || 'accounts';

/** CPU ms the backends of this cms's database have used so far, by pid: they live as long as the pool's connections. */
const backendCpu = (strapi) => databaseBackendsCpu(async (sql) => (await strapi.db.connection.raw(sql)).rows);

/** The V8 profiler of this process (cms runs in it) while an import runs: PROFILE=/tmp/import.cpuprofile. */
async function startProfiler() {
  const session = new (require('inspector').Session)();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return { stop: async (file) => require('fs').writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)) };
}

/** Payments on the accounts BNK00000000… of placementCsv (two a account), some broken; the day is the client's today minus a few. */
function paymentsCsv(rows, badPercent, accounts, today) {
  const lines = ['Account No.,Payment Amount,Payment Date,Payment Method,Transaction ID'];
  const badEvery = badPercent > 0 ? Math.round(100 / badPercent) : 0;
  const methods = ['card', 'bank transfer', 'check', 'cash'];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const broken = badEvery && i % badEvery === badEvery - 1;
    if (broken) bad++;
    const account = `BNK${String(i % accounts).padStart(8, '0')}`;
    const amount = broken && i % 2 ? '-3' : (5 + (i % 40)).toFixed(2);
    const dayOffset = Math.floor(i / accounts);
    const date = broken && !(i % 2) ? 'someday' : new Date(Date.parse(today) - dayOffset * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${account},${amount},${date},${methods[i % 4]},TX${i}`);
  }
  return { csv: lines.join('\n') + '\n', bad };
}

/** A placement file as a bank sends one: its own header names, two phones a row, some rows broken. */
function placementCsv(rows, badPercent) {
  const lines = ['Account No.,First Name,Surname,Current Balance,DPD,Phone 1,Phone 1 Type,Phone 2,Phone 2 Type,ZIP,Time Zone'];
  const badEvery = badPercent > 0 ? Math.round(100 / badPercent) : 0;
  const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const a = 2000000 + i;
    const broken = badEvery && i % badEvery === badEvery - 1;
    if (broken) bad++;
    const phone1 = broken && i % 2 ? '555' : `(312) ${String(a).slice(0, 3)}-${String(a).slice(3)}`;
    const balance = broken && !(i % 2) ? 'n/a' : (100 + (i % 9000) + 0.25).toFixed(2);
    lines.push(`BNK${String(i).padStart(8, '0')},Pat,Debtor${i},${balance},${i % 360},${phone1},mobile,+1 646 ${String(a).slice(0, 3)} ${String(a).slice(3)},work,${String(10000 + (i % 80000)).padStart(5, '0')},${zones[i % 4]}`);
  }
  return { csv: lines.join('\n') + '\n', bad };
}

async function main() {
  const prefix = `bench-import-${crypto.randomBytes(3).toString('hex')}`;
  const database = await throwawayDatabase('benchimport', {
    NODE_ENV: 'production', STRAPI_LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_MAX: '1000',
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379', QUEUE_PREFIX: prefix, IMPORT_DIR: path.join(os.tmpdir(), prefix),
  });
  const strapiPkg = require('@strapi/strapi');
  // SKIP_COMPILE=1 uses the last dist/ (as the jest setup does), for repeated runs.
  if (!process.env.SKIP_COMPILE) await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  const strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = 'warn';
  try {
    const password = 'Bench-pass-2026-x';
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'supervisor' } });
    const supervisor = await strapi.plugin('users-permissions').service('user').add({ username: 'bench_supervisor', email: 'bench_supervisor@bench.example.com', password, provider: 'local', confirmed: true, role: role.id });
    const client = await strapi.documents('api::client.client').create({ data: { name: 'Bench Bank', code: 'BENCH', defaultCountry: 'US', members: { connect: [{ id: supervisor.id }] } } });
    await strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${strapi.server.httpServer.address().port}`;
    const login = await fetch(`${base}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'bench_supervisor', password }) });
    const { jwt } = await login.json();
    const headers = { Authorization: `Bearer ${jwt}` };

    /** Uploads a file and waits for its import to end; the CPU of this process and of the database's backends meanwhile. */
    const importFile = async (csv, kind) => {
      const form = new FormData();
      form.set('client', client.documentId);
      form.set('kind', kind);
      form.set('file', new Blob([csv], { type: 'text/csv' }), `${kind}.csv`);
      const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
      const pg0 = await backendCpu(strapi);
      const profiler = process.env.PROFILE ? await startProfiler() : null;
      const cpu0 = process.cpuUsage();
      const t0 = Date.now();
      const res = await fetch(`${base}/api/imports`, { method: 'POST', headers, body: form });
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      const { data } = await res.json();
      const accepted = Date.now() - t0;
      // Watched in the database, then read once over HTTP: a request through Strapi every 200 ms costs
      // milliseconds of this process's CPU each, which would be counted as the import's.
      for (;;) {
        const row = await strapi.db.query('api::import.import').findOne({ where: { documentId: data.documentId }, select: ['status'] });
        if (['completed', 'failed', 'cancelled'].includes(row?.status)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const state = (await (await fetch(`${base}/api/imports/${data.documentId}`, { headers })).json()).data;
      const seconds = (Date.now() - t0) / 1000;
      // This process is the cms (and the polling client, a few requests a second): its CPU is the import's.
      const cpu = process.cpuUsage(cpu0);
      const pgMicros = cpuBetween(pg0, await backendCpu(strapi)) * 1000;
      if (profiler) await profiler.stop(process.env.PROFILE);
      return { state, seconds, accepted, cpuMicros: cpu.user + cpu.system, pgMicros, load, loadEnd: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
    };

    let csv, bad, run;
    if (KIND === 'payments') {
      const accountRows = Math.max(1, Math.ceil(ROWS / 2));
      const setup = await importFile(placementCsv(accountRows, 0).csv, 'accounts');
      if (setup.state.status !== 'completed') throw new Error(`the accounts import for the payments bench ended ${setup.state.status}`);
      // One account in 50 has a promise the payments reach: the promise evaluation runs for real.
      const { localClock } = require(path.join(APP_DIR, 'dist/src/compliance/local-time'));
      const today = localClock(new Date(), 'America/New_York').date;
      const promised = await strapi.db.query('api::account.account').findMany({ select: ['documentId'], orderBy: { id: 'asc' }, limit: Math.ceil(accountRows / 50) });
      for (const a of promised) await strapi.documents('api::promise-to-pay.promise-to-pay').create({ data: { account: { connect: [{ documentId: a.documentId }] }, amount: 5, dueDate: today } });
      ({ csv, bad } = paymentsCsv(ROWS, BAD_PERCENT, accountRows, today));
    } else ({ csv, bad } = placementCsv(ROWS, BAD_PERCENT));
    run = await importFile(csv, KIND);
    const { state, seconds, accepted, cpuMicros, pgMicros, load } = run;
    if (state.status !== 'completed') throw new Error(`the import ended ${state.status}: ${state.failureCode} ${state.failureMessage}`);
    const accounts = await strapi.db.query('api::account.account').count();
    const audited = await strapi.db.query('api::audit-log.audit-log').count({ where: { entity: KIND === 'payments' ? 'api::payment.payment' : 'api::account.account' } });
    const report = {
      date: new Date().toISOString(), kind: KIND, database: 'postgresql', machine: `${os.cpus().length} cores`, rows: ROWS, badRows: bad, fileBytes: Buffer.byteLength(csv),
      batchRows: Number(process.env.IMPORT_BATCH_ROWS || 1000), status: state.status, createdCount: state.createdCount, errorCount: state.errorCount,
      warningCount: state.warningCount, accountsInDatabase: accounts, ...(KIND === 'payments' ? { paymentsInDatabase: await strapi.db.query('api::payment.payment').count(), paymentAuditEntries: audited } : { accountAuditEntries: audited }), uploadAcceptedMs: accepted, seconds: +seconds.toFixed(1),
      rowsPerSecond: Math.round(ROWS / seconds),
      cmsCpuMicrosPerRow: Math.round(cpuMicros / ROWS), cmsCpuSeconds: +(cpuMicros / 1e6).toFixed(1),
      postgresCpuMicrosPerRow: Math.round(pgMicros / ROWS), postgresCpuSeconds: +(pgMicros / 1e6).toFixed(1),
      loadAverageAtStart: load, loadAverageAtEnd: run.loadEnd,
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(`${KIND} import of ${ROWS} rows (${bad} bad${KIND === 'accounts' ? ', two phones each' : ''}), committed on PostgreSQL: ${seconds.toFixed(1)} s end to end, ${report.rowsPerSecond} rows/s; cms CPU ${report.cmsCpuMicrosPerRow} µs a row, PostgreSQL CPU ${report.postgresCpuMicrosPerRow} µs a row (load ${report.loadAverageAtStart} → ${report.loadAverageAtEnd})`);
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
