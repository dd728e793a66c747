#!/usr/bin/env node
/**
 * The floor under the accounts import: what PostgreSQL alone spends to store
 * the rows an import wrote, loaded with COPY (its fastest path: no SQL per
 * row, no parameters, the file read by the server itself), into the same
 * tables with the same indexes. No rule, no judging, no Node: what is left
 * is the database's own work per row (heap, indexes, WAL, JSON of the audit
 * entry), which no import path can go under.
 *
 *   KEEP_BENCH_DATABASE=1 npm run bench:import --prefix cms     # leaves cms_benchimport_… behind
 *   npm run bench:import-floor --prefix cms                      # finds it (or IMPORT_DATABASE=name)
 *
 * For each table the import writes (accounts, their phone components, the
 * component links, the client links, the accounts' audit entries) it copies
 * the rows out to a file, deletes them, then loads them back with COPY in one
 * transaction, reading this backend's CPU (/proc/<pid>/stat) and the wall
 * time around each load. The database ends as it began.
 */
const fs = require('fs');
const os = require('os');
const { Client } = require('pg');

const TICK_MICROS = 1e6 / 100; // USER_HZ on Linux

async function main() {
  const base = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: base });
  await admin.connect();
  const name = process.env.IMPORT_DATABASE
    || (await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'cms_benchimport_%' ORDER BY datname DESC LIMIT 1")).rows[0]?.datname;
  await admin.end();
  if (!name) throw new Error('no kept import database: run KEEP_BENCH_DATABASE=1 npm run bench:import first, or set IMPORT_DATABASE');
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  const pid = (await db.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const cpu = () => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MICROS;
  };

  const accounts = Number((await db.query('SELECT count(*) AS n FROM accounts')).rows[0].n);
  if (!accounts) throw new Error(`${name} holds no accounts`);
  // What one accounts import wrote, table by table (the bench's database holds nothing else of these).
  const tables = [
    { table: 'accounts', where: 'true' },
    { table: 'components_contact_phones', where: 'true' },
    { table: 'accounts_cmps', where: "component_type = 'contact.phone'" },
    { table: 'accounts_client_lnk', where: 'true' },
    { table: 'audit_logs', where: "entity = 'api::account.account'" },
  ];
  const dir = fs.mkdtempSync('/tmp/import-floor-');
  fs.chmodSync(dir, 0o777);
  for (const t of tables) {
    t.file = `${dir}/${t.table}.copy`;
    t.rows = Number((await db.query(`SELECT count(*) AS n FROM ${t.table} WHERE ${t.where}`)).rows[0].n);
    t.indexes = Number((await db.query('SELECT count(*) AS n FROM pg_indexes WHERE tablename = $1', [t.table])).rows[0].n);
    await db.query(`COPY (SELECT * FROM ${t.table} WHERE ${t.where}) TO '${t.file}'`);
  }
  // Out, in one transaction (the links first), and the space reclaimed, so the load starts from tables as an import would find them.
  await db.query('BEGIN');
  for (const t of [...tables].reverse()) await db.query(`DELETE FROM ${t.table} WHERE ${t.where}`);
  await db.query('COMMIT');
  for (const t of tables) await db.query(`VACUUM ANALYZE ${t.table}`);

  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  await db.query('BEGIN');
  const t0 = Date.now();
  const c0 = cpu();
  for (const t of tables) {
    const w = Date.now();
    const c = cpu();
    await db.query(`COPY ${t.table} FROM '${t.file}'`);
    t.ms = Date.now() - w;
    t.cpuMicros = cpu() - c;
  }
  const c1 = cpu();
  await db.query('COMMIT');
  const wall = Date.now() - t0;
  const cpuTotal = cpu() - c0;
  for (const t of tables) fs.rmSync(t.file, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  await db.end();

  const report = {
    date: new Date().toISOString(), database: name, machine: `${os.cpus().length} × ${os.cpus()[0].model}`, loadAverageAtStart: load, accounts,
    tables: tables.map((t) => ({ table: t.table, rows: t.rows, indexes: t.indexes, ms: t.ms, cpuMicrosPerAccount: Math.round(t.cpuMicros / accounts) })),
    copyCpuMicrosPerAccount: Math.round((c1 - c0) / accounts), withCommitCpuMicrosPerAccount: Math.round(cpuTotal / accounts), wallMs: wall,
    accountsPerSecondOneCore: Math.round(accounts / (wall / 1000)),
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(`COPY floor of an accounts import (${accounts} accounts, their phones, links and audit entries, same indexes): PostgreSQL CPU ${report.withCommitCpuMicrosPerAccount} µs an account, ${wall} ms wall (${report.accountsPerSecondOneCore} accounts/s on one core, nothing else per row; load ${load})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
