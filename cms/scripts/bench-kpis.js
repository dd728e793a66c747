#!/usr/bin/env node
/**
 * p50/p95 of GET /api/reports/kpis for a month holding 1,000,000 calls and
 * 100,000 promises on PostgreSQL, grouped by agent and by day, as a supervisor.
 *
 *   npm run bench:kpis --prefix cms
 *   CALLS=1000000 PROMISES=100000 RUNS=20 npm run bench:kpis --prefix cms
 *
 * Seeds a throwaway database with generate_series (the rows and their
 * Strapi link tables), ANALYZEs it, boots the compiled cms and times the
 * report over HTTP, one request at a time. Prints figures; asserts nothing.
 */
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');

const APP_DIR = path.resolve(__dirname, '..');
const CALLS = Number(process.env.CALLS || 1_000_000);
const PROMISES = Number(process.env.PROMISES || 100_000);
const PAYMENTS = Number(process.env.PAYMENTS || 60_000);
const AGENTS = Number(process.env.AGENTS || 100);
const CAMPAIGNS = Number(process.env.CAMPAIGNS || 8);
const RUNS = Number(process.env.RUNS || 20);
const FROM = process.env.FROM || '2026-10-01';
const TO = process.env.TO || '2026-10-31';

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function seed(strapi, knex) {
  const meta = (uid) => strapi.db.metadata.get(uid);
  const link = (uid, field) => meta(uid).attributes[field].joinTable;
  const password = 'Bench-pass-2026-x';
  const role = async (type) => (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id;
  const agentRole = await role('agent');
  const agents = [];
  for (let i = 0; i < AGENTS; i++) {
    agents.push(await strapi.plugin('users-permissions').service('user').add({ username: `kpi_agent${i}`, email: `kpi_agent${i}@bench.example.com`, password, provider: 'local', confirmed: true, role: agentRole }));
  }
  const supervisor = await strapi.plugin('users-permissions').service('user').add({ username: 'kpi_supervisor', email: 'kpi_supervisor@bench.example.com', password, provider: 'local', confirmed: true, role: await role('supervisor') });
  const client = await strapi.documents('api::client.client').create({ data: { name: 'KPI Bank', code: 'KPIB', defaultCountry: 'US', defaultTimezone: 'America/New_York', members: { connect: [...agents, supervisor].map((a) => ({ id: a.id })) } } });
  const campaigns = [];
  for (let i = 0; i < CAMPAIGNS; i++) campaigns.push(await strapi.documents('api::campaign.campaign').create({ data: { name: `KPI campaign ${i}`, client: client.documentId, dialMode: 'predictive' } }));
  const dispositions = await strapi.db.query('api::disposition.disposition').findMany({ select: ['id'] });
  const agentIds = `{${agents.map((a) => a.id).join(',')}}`;
  const campaignIds = `{${campaigns.map((c) => c.id).join(',')}}`;
  const dispositionIds = `{${dispositions.map((d) => d.id).join(',')}}`;
  const month = `'${FROM}'::timestamp`;
  const days = (Date.parse(TO) - Date.parse(FROM)) / 86_400_000 + 1;
  const t = (uid) => meta(uid).tableName;
  const CALL = 'api::call.call', PROMISE = 'api::promise-to-pay.promise-to-pay', PAYMENT = 'api::payment.payment';

  // Calls: 30 % connected (to an agent, with a disposition), 2 % abandoned, the rest unanswered, spread over the month.
  await knex.raw(`INSERT INTO ${t(CALL)} (document_id, attempt_id, direction, outcome, queued_at, talk_seconds, wrap_seconds, created_at, updated_at, recorded_by)
    SELECT 'kc' || g, 'kpi-' || g, 'outbound',
      CASE WHEN g % 100 < 30 THEN 'connected' WHEN g % 100 < 32 THEN 'abandoned' WHEN g % 100 < 70 THEN 'no_answer' WHEN g % 100 < 85 THEN 'busy' ELSE 'machine' END,
      ${month} + (random() * ${days} * 86400) * interval '1 second',
      CASE WHEN g % 100 < 30 THEN 30 + (g % 400) ELSE 0 END,
      CASE WHEN g % 100 < 30 THEN 5 + (g % 60) ELSE 0 END,
      now(), now(), 'dialer'
    FROM generate_series(1, ${CALLS}) g`);
  const cl = link(CALL, 'client'), ca = link(CALL, 'agent'), cc = link(CALL, 'campaign'), cd = link(CALL, 'disposition');
  await knex.raw(`INSERT INTO ${cl.name} (${cl.joinColumn.name}, ${cl.inverseJoinColumn.name}) SELECT id, ? FROM ${t(CALL)} WHERE attempt_id LIKE 'kpi-%'`, [client.id]);
  await knex.raw(`INSERT INTO ${cc.name} (${cc.joinColumn.name}, ${cc.inverseJoinColumn.name}) SELECT id, ('${campaignIds}'::int[])[1 + id % ${CAMPAIGNS}] FROM ${t(CALL)} WHERE attempt_id LIKE 'kpi-%'`);
  await knex.raw(`INSERT INTO ${ca.name} (${ca.joinColumn.name}, ${ca.inverseJoinColumn.name}) SELECT id, ('${agentIds}'::int[])[1 + id % ${AGENTS}] FROM ${t(CALL)} WHERE attempt_id LIKE 'kpi-%' AND outcome = 'connected'`);
  await knex.raw(`INSERT INTO ${cd.name} (${cd.joinColumn.name}, ${cd.inverseJoinColumn.name}) SELECT id, ('${dispositionIds}'::int[])[1 + id % ${dispositions.length}] FROM ${t(CALL)} WHERE attempt_id LIKE 'kpi-%' AND outcome = 'connected'`);

  // Promises on connected calls, made at the call, due 3-20 days later; states as the job would leave them.
  await knex.raw(`INSERT INTO ${t(PROMISE)} (document_id, amount, currency, due_date, state, paid_amount, created_at, updated_at)
    SELECT 'kp' || g, 20 + (g % 500), 'USD', (${month} + (random() * ${days} * 86400) * interval '1 second')::date,
      CASE WHEN g % 10 < 5 THEN 'kept' WHEN g % 10 < 7 THEN 'partially_kept' WHEN g % 10 < 9 THEN 'broken' ELSE 'pending' END, 0,
      ${month} + (random() * ${days} * 86400) * interval '1 second', now()
    FROM generate_series(1, ${PROMISES}) g`);
  const pcl = link(PROMISE, 'client'), pa = link(PROMISE, 'agent'), pc = link(PROMISE, 'call');
  await knex.raw(`INSERT INTO ${pcl.name} (${pcl.joinColumn.name}, ${pcl.inverseJoinColumn.name}) SELECT id, ? FROM ${t(PROMISE)} WHERE document_id LIKE 'kp%'`, [client.id]);
  await knex.raw(`INSERT INTO ${pa.name} (${pa.joinColumn.name}, ${pa.inverseJoinColumn.name}) SELECT id, ('${agentIds}'::int[])[1 + id % ${AGENTS}] FROM ${t(PROMISE)} WHERE document_id LIKE 'kp%'`);
  await knex.raw(`WITH p AS (SELECT id, row_number() OVER (ORDER BY id) n FROM ${t(PROMISE)} WHERE document_id LIKE 'kp%'),
      c AS (SELECT id, row_number() OVER (ORDER BY id) n FROM ${t(CALL)} WHERE attempt_id LIKE 'kpi-%' AND outcome = 'connected')
    INSERT INTO ${pc.name} (${pc.joinColumn.name}, ${pc.inverseJoinColumn.name}) SELECT p.id, c.id FROM p JOIN c ON c.n = p.n`);

  await knex.raw(`INSERT INTO ${t(PAYMENT)} (document_id, amount, currency, paid_date, source, created_at, updated_at)
    SELECT 'ky' || g, 10 + (g % 300), 'USD', (${month} + (random() * ${days} * 86400) * interval '1 second')::date, 'import', now(), now()
    FROM generate_series(1, ${PAYMENTS}) g`);
  const ycl = link(PAYMENT, 'client'), yp = link(PAYMENT, 'promise');
  await knex.raw(`INSERT INTO ${ycl.name} (${ycl.joinColumn.name}, ${ycl.inverseJoinColumn.name}) SELECT id, ? FROM ${t(PAYMENT)} WHERE document_id LIKE 'ky%'`, [client.id]);
  await knex.raw(`WITH y AS (SELECT id, row_number() OVER (ORDER BY id) n FROM ${t(PAYMENT)} WHERE document_id LIKE 'ky%'),
      p AS (SELECT id, row_number() OVER (ORDER BY id) n FROM ${t(PROMISE)} WHERE document_id LIKE 'kp%')
    INSERT INTO ${yp.name} (${yp.joinColumn.name}, ${yp.inverseJoinColumn.name}) SELECT y.id, p.id FROM y JOIN p ON p.n = y.n WHERE y.n % 4 <> 0`);

  // Agent time: per agent and day, forty intervals of 10 minutes, one in five paused.
  await knex.raw(`INSERT INTO ${t('api::agent-interval.agent-interval')} (document_id, interval_id, agent_id, campaign_id, client_id, status, started_at, ended_at, seconds, created_at, updated_at)
    SELECT 'ki' || a || '-' || d || '-' || k, 'kpi-' || a || '-' || d || '-' || k, (('${agentIds}'::int[])[a]), (('${campaignIds}'::int[])[1 + a % ${CAMPAIGNS}]), ?,
      CASE WHEN k % 5 = 0 THEN 'paused' WHEN k % 5 = 1 THEN 'ready' ELSE 'on_call' END,
      ${month} + (d * 86400 + 13 * 3600 + k * 600) * interval '1 second', ${month} + (d * 86400 + 13 * 3600 + k * 600 + 600) * interval '1 second', 600, now(), now()
    FROM generate_series(1, ${AGENTS}) a, generate_series(0, ${days - 1}) d, generate_series(0, 39) k`, [client.id]);
  await knex.raw('ANALYZE');
  return { password };
}

async function main() {
  const database = await throwawayDatabase('kpis', { NODE_ENV: 'production', STRAPI_LOG_LEVEL: 'warn', CRON_ENABLED: 'false' });
  const strapiPkg = require('@strapi/strapi');
  await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  const strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = 'warn';
  try {
    const t0 = Date.now();
    const { password } = await seed(strapi, strapi.db.connection);
    const seedSeconds = (Date.now() - t0) / 1000;
    await strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
    const port = strapi.server.httpServer.address().port;
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'kpi_supervisor', password }) });
    const { jwt } = await login.json();
    const results = {};
    for (const groupBy of ['agent', 'day']) {
      const times = [];
      let body;
      for (let i = 0; i < RUNS + 2; i++) {
        const start = process.hrtime.bigint();
        const res = await fetch(`http://127.0.0.1:${port}/api/reports/kpis?from=${FROM}&to=${TO}&groupBy=${groupBy}`, { headers: { Authorization: `Bearer ${jwt}` } });
        body = await res.json();
        if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        if (i >= 2) times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      results[groupBy] = { runs: times.length, rows: body.data.length, dials: body.totals.dials, promises: body.totals.promises, p50: +percentile(times, 50).toFixed(1), p95: +percentile(times, 95).toFixed(1), max: +times[times.length - 1].toFixed(1) };
    }
    const os = require('os');
    console.log(JSON.stringify({ date: new Date().toISOString(), database: 'postgresql', calls: CALLS, promises: PROMISES, payments: PAYMENTS, agents: AGENTS, period: `${FROM}..${TO}`, seedSeconds: +seedSeconds.toFixed(1), cpus: os.cpus().length, loadavg: os.loadavg().map((l) => +l.toFixed(1)), results }, null, 2));
    for (const [g, r] of Object.entries(results)) console.log(`GET /api/reports/kpis groupBy=${g}: p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms (${r.runs} runs, ${r.rows} rows, ${r.dials} dials, ${r.promises} promises)`);
  } finally {
    await strapi.destroy();
    if (!process.env.KEEP_BENCH_DATABASE) await database.drop();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
