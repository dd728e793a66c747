#!/usr/bin/env node
/**
 * A real cms for other services' tests: a throwaway PostgreSQL database, the
 * compiled app listening on a free port, a full-access API token (what the
 * dialer-worker uses), and a client with a campaign, agents and dialable
 * accounts. Prints one line `CMS_TEST_SERVER {json}` when ready and drops the
 * database on SIGTERM/SIGINT, or when its stdin closes (--exit-with-stdin).
 *
 *   ACCOUNTS=200 AGENTS=5 node cms/scripts/test-server.js
 *   BULK_ACCOUNTS=100000 ...   # and that many more (B00000000…), raw-inserted, for benchmarks
 *   CMS_CPU_PROFILE=/tmp/cms.cpuprofile ...   # a CPU profile of the server once ready, written when it stops
 */
const path = require('path');
const { throwawayDatabase } = require('./throwaway-database');
const { insertBulkAccounts } = require('./bulk-accounts');

const APP_DIR = path.resolve(__dirname, '..');
const ACCOUNTS = Number(process.env.ACCOUNTS || 200);
const AGENTS = Number(process.env.AGENTS || 5);
const PASSWORD = 'Worker-test-2026';

/** Fixed-offset zones where it is now mid-day, and one where it is night: the fixture works at any hour. */
function zones() {
  const hourIn = (tz) => Number(new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const all = [];
  for (let h = -12; h <= 14; h++) all.push(h === 0 ? 'Etc/GMT' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`);
  return { day: all.filter((tz) => hourIn(tz) >= 10 && hourIn(tz) <= 18), night: all.find((tz) => hourIn(tz) >= 23 || hourIn(tz) <= 5) };
}

async function main() {
  const database = await throwawayDatabase('worker_test', { NODE_ENV: 'test', AUTH_RATE_LIMIT_MAX: '100000', STRAPI_LOG_LEVEL: process.env.STRAPI_LOG_LEVEL || 'error' });

  let strapi;
  let profiler = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    // The database first: it is what would be left behind if anything below failed.
    try { await database.drop(); } catch {}
    try { if (profiler) await profiler.stop(); } catch {}
    try { if (strapi) await strapi.destroy(); } catch {}
    process.exit(0);
  };
  process.on('SIGTERM', cleanup);
  process.on('SIGINT', cleanup);
  // A test runner that spawns this with a stdin pipe can rely on the database going away with it, even if it crashes.
  if (process.argv.includes('--exit-with-stdin')) {
    process.stdin.on('end', cleanup);
    process.stdin.resume();
  }

  const strapiPkg = require('@strapi/strapi');
  if (!process.env.SKIP_COMPILE) await strapiPkg.compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: true });
  strapi = await strapiPkg.createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  strapi.log.level = process.env.STRAPI_LOG_LEVEL || 'error';

  const role = async (type) => (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id;
  const user = (username, type) => strapi.plugin('users-permissions').service('user').add({ username, email: `${username}@worker-test.example.com`, password: PASSWORD, provider: 'local', confirmed: true, role: type });
  const agentRole = await role('agent');
  const agents = [];
  for (let i = 1; i <= AGENTS; i++) agents.push(await user(`wagent${i}`, agentRole));
  const outsider = await user('wagent_off', agentRole);
  const supervisor = await user('wsupervisor', await role('supervisor'));
  const otherSupervisor = await user('wsupervisor_b', await role('supervisor'));
  const analyst = await user('wanalyst', await role('analyst'));
  const client = await strapi.documents('api::client.client').create({ data: { name: 'Worker Test Bank', code: 'WTB', defaultCountry: 'US', callerId: '+12125550143', members: { connect: [...agents, outsider, supervisor, analyst].map((u) => ({ id: u.id })) } } });
  await strapi.documents('api::client.client').create({ data: { name: 'Other Bank', code: 'OTB', defaultCountry: 'US', members: { connect: [{ id: otherSupervisor.id }] } } });

  const { day, night } = zones();
  const phone = (n) => `+1312${String(2000000 + n).padStart(7, '0')}`;
  const knex = strapi.db.connection;
  const accounts = [];
  await strapi.db.transaction(async () => {
    for (let i = 0; i < ACCOUNTS; i++) {
      accounts.push(await strapi.documents('api::account.account').create({
        data: {
          accountNumber: `W${String(i).padStart(6, '0')}`, client: client.documentId, debtorLastName: `Debtor${i}`, balance: 100 + i, timezone: day[i % day.length],
          assignedAgent: agents[i % agents.length].id,
          phones: [{ number: phone(i), type: 'mobile', status: 'valid', autodialConsent: i % 10 !== 9, ...(i % 10 !== 9 ? { consentDate: '2025-01-01T00:00:00Z', consentSource: 'original_creditor' } : {}) }],
        },
      }));
    }
  });
  // The four that must never be dialed.
  const never = {
    dnc: phone(ACCOUNTS + 1), late: phone(ACCOUNTS + 2), talked: phone(ACCOUNTS + 3), eighth: phone(ACCOUNTS + 4),
  };
  const special = async (key, number, extra = {}) => strapi.documents('api::account.account').create({
    data: { accountNumber: `W-${key}`, client: client.documentId, debtorLastName: key, balance: 999999, timezone: day[0], phones: [{ number, type: 'mobile', status: 'valid', autodialConsent: true, consentDate: '2025-01-01T00:00:00Z', consentSource: 'original_creditor' }], ...extra },
  });
  await special('dnc', never.dnc);
  await strapi.documents('api::dnc-entry.dnc-entry').create({ data: { phone: never.dnc, scope: 'global', reason: 'litigation' } });
  await special('late', never.late, { timezone: night });
  const talked = await special('talked', never.talked);
  const threeDaysAgo = new Date(Date.now() - 3 * 86400000).toISOString();
  await strapi.documents('api::call.call').create({ data: { account: talked.documentId, phone: never.talked, outcome: 'connected', queuedAt: threeDaysAgo, dialedAt: threeDaysAgo } });
  const eighth = await special('eighth', never.eighth);
  for (let i = 0; i < 7; i++) {
    const at = new Date(Date.now() - (1 + i * 0.7) * 86400000).toISOString();
    await strapi.documents('api::call.call').create({ data: { account: eighth.documentId, phone: never.eighth, outcome: 'no_answer', queuedAt: at, dialedAt: at } });
  }

  const campaign = await strapi.documents('api::campaign.campaign').create({
    data: {
      name: 'Worker test campaign', client: client.documentId, dialMode: process.env.DIAL_MODE || 'predictive', state: 'draft', abandonTarget: 0.03, maxDialRatio: 3,
      ringTimeoutSec: 25, dropWindowSec: 2, retryDelayMinutes: 0, maxAttemptsPerPhonePerDay: 100, maxAttemptsPerAccount: 100, agents: { connect: agents.map((a) => ({ id: a.id })) },
    },
  });
  // A second campaign in preview mode over the same accounts, for tests that need one (PREVIEW_CAMPAIGN=1).
  const previewCampaign = process.env.PREVIEW_CAMPAIGN
    ? await strapi.documents('api::campaign.campaign').create({
        data: {
          name: 'Worker preview campaign', client: client.documentId, dialMode: 'preview', state: 'draft', ringTimeoutSec: 25, dropWindowSec: 2, retryDelayMinutes: 0,
          maxAttemptsPerPhonePerDay: 100, maxAttemptsPerAccount: 100, agents: { connect: agents.map((a) => ({ id: a.id })) },
        },
      })
    : null;
  if (Number(process.env.BULK_ACCOUNTS)) {
    await insertBulkAccounts(strapi, { count: Number(process.env.BULK_ACCOUNTS), clientId: client.id, agentIds: agents.map((a) => a.id), prefix: 'B', firstPhone: 3000000 });
  }
  // More campaigns of the same client and agents, for the wallboard's benchmark (EXTRA_CAMPAIGNS=9).
  const extraCampaigns = [];
  for (let i = 1; i <= Number(process.env.EXTRA_CAMPAIGNS || 0); i++) {
    extraCampaigns.push(await strapi.documents('api::campaign.campaign').create({
      data: {
        name: `Worker test campaign ${i + 1}`, client: client.documentId, dialMode: process.env.DIAL_MODE || 'predictive', state: 'draft', abandonTarget: 0.03, maxDialRatio: 3,
        ringTimeoutSec: 25, dropWindowSec: 2, retryDelayMinutes: 0, maxAttemptsPerPhonePerDay: 100, maxAttemptsPerAccount: 100, agents: { connect: agents.map((a) => ({ id: a.id })) },
      },
    }));
  }
  const token = await strapi.service('admin::api-token').create({ name: 'dialer-worker', type: 'full-access', lifespan: null });

  await strapi.server.mount();
  await new Promise((resolve) => strapi.server.httpServer.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve));
  const port = strapi.server.httpServer.address().port;
  const login = async (identifier) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier, password: PASSWORD }) });
    return (await res.json()).jwt;
  };
  const dispositions = await strapi.db.query('api::disposition.disposition').findMany({ select: ['documentId', 'code'] });
  const info = {
    url: `http://127.0.0.1:${port}`, database: database.name, apiToken: token.accessKey, campaignId: campaign.documentId, previewCampaignId: previewCampaign?.documentId ?? null, password: PASSWORD,
    agents: await Promise.all(agents.map(async (a) => ({ id: a.id, username: a.username, jwt: await login(a.username) }))),
    outsider: { id: outsider.id, username: outsider.username, jwt: await login(outsider.username) },
    supervisor: { id: supervisor.id, username: supervisor.username, jwt: await login(supervisor.username) },
    otherSupervisor: { id: otherSupervisor.id, username: otherSupervisor.username, jwt: await login(otherSupervisor.username) },
    analyst: { id: analyst.id, username: analyst.username, jwt: await login(analyst.username) },
    extraCampaignIds: extraCampaigns.map((c) => c.documentId),
    neverDial: never,
    dispositions: Object.fromEntries(dispositions.map((d) => [d.code, d.documentId])),
  };
  // CMS_CPU_PROFILE=/tmp/cms.cpuprofile: a CPU profile of the ready server (not its seeding), written when it stops.
  if (process.env.CMS_CPU_PROFILE) profiler = await startProfiler(process.env.CMS_CPU_PROFILE);
  process.stdout.write(`CMS_TEST_SERVER ${JSON.stringify(info)}\n`);
}

async function startProfiler(file) {
  const session = new (require('inspector').Session)();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return { stop: async () => require('fs').writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)) };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
