#!/usr/bin/env node
/**
 * End-to-end rows/s of a committed accounts import on PostgreSQL: a 100,000-row
 * CSV with two phones a row and 2 % bad rows, uploaded over HTTP by a
 * supervisor, from the upload until the import reads `completed`.
 *
 *   npm run bench:import --prefix cms
 *   ROWS=100000 BAD_PERCENT=2 IMPORT_BATCH_ROWS=1000 npm run bench:import --prefix cms
 *
 * Boots the compiled cms in this process on a throwaway database (and the
 * real Redis, under a queue prefix of its own).
 */
const crypto = require('crypto');
const os = require('os');
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');

const APP_DIR = path.resolve(__dirname, '..');
const ROWS = Number(process.env.ROWS || 100000);
const BAD_PERCENT = Number(process.env.BAD_PERCENT || 2);

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
  await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  const strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = 'warn';
  try {
    const password = 'Bench-pass-2026-x';
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'supervisor' } });
    const supervisor = await strapi.plugin('users-permissions').service('user').add({ username: 'bench_supervisor', email: 'bench_supervisor@bench.example.com', password, provider: 'local', confirmed: true, role: role.id });
    const client = await strapi.documents('api::client.client').create({ data: { name: 'Bench Bank', code: 'BENCH', defaultCountry: 'US', members: { connect: [{ id: supervisor.id }] } } });
    const { csv, bad } = placementCsv(ROWS, BAD_PERCENT);

    await strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${strapi.server.httpServer.address().port}`;
    const login = await fetch(`${base}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'bench_supervisor', password }) });
    const { jwt } = await login.json();
    const headers = { Authorization: `Bearer ${jwt}` };

    const form = new FormData();
    form.set('client', client.documentId);
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'placement.csv');
    const t0 = Date.now();
    const res = await fetch(`${base}/api/imports`, { method: 'POST', headers, body: form });
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const { data } = await res.json();
    const accepted = Date.now() - t0;
    let state;
    for (;;) {
      state = (await (await fetch(`${base}/api/imports/${data.documentId}`, { headers })).json()).data;
      if (['completed', 'failed', 'cancelled'].includes(state.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    const accounts = await strapi.db.query('api::account.account').count();
    const audited = await strapi.db.query('api::audit-log.audit-log').count({ where: { entity: 'api::account.account' } });
    const report = {
      date: new Date().toISOString(), database: 'postgresql', machine: `${os.cpus().length} cores`, rows: ROWS, badRows: bad, fileBytes: Buffer.byteLength(csv),
      batchRows: Number(process.env.IMPORT_BATCH_ROWS || 1000), status: state.status, createdCount: state.createdCount, errorCount: state.errorCount,
      warningCount: state.warningCount, accountsInDatabase: accounts, accountAuditEntries: audited, uploadAcceptedMs: accepted, seconds: +seconds.toFixed(1),
      rowsPerSecond: Math.round(ROWS / seconds),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(`import of ${ROWS} rows (${bad} bad, two phones each), committed on PostgreSQL: ${seconds.toFixed(1)} s end to end, ${report.rowsPerSecond} rows/s`);
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
