import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { normalizePhone } from '../validation/phone-number';
import { passwordProblem } from '../validation/password-policy';

/**
 * Two creditors, each with its own people, so that a new user can see (and
 * the tests can prove) that nobody at one client sees the other's debtors.
 */
type DemoClient = {
  code: string;
  name: string;
  callerId: string;
  accountPrefix: string;
  accounts: number;
  seed: number;
  creditor: string;
  users: Array<{ username: string; role: 'agent' | 'supervisor' | 'analyst' }>;
  campaigns: Array<{ name: string; dialMode: 'predictive' | 'progressive' | 'preview'; accountFilter: object }>;
};

const agents = (...numbers: number[]) => numbers.map((n) => ({ username: `agent${n}`, role: 'agent' as const }));

export const DEMO_CLIENTS: DemoClient[] = [
  {
    code: 'DEMO',
    name: 'Demo Bank',
    callerId: '+12125550143',
    accountPrefix: 'DEMO',
    accounts: 500,
    seed: 20261121,
    creditor: 'Demo Bank Card Services',
    users: [...agents(1, 2, 3, 4, 5), { username: 'supervisor1', role: 'supervisor' }, { username: 'analyst1', role: 'analyst' }],
    campaigns: [
      { name: 'Early stage 1-60 DPD', dialMode: 'predictive', accountFilter: { daysPastDue: { min: 1, max: 60 } } },
      { name: 'Late stage 61-180 DPD', dialMode: 'progressive', accountFilter: { daysPastDue: { min: 61, max: 180 } } },
      { name: 'Recovery 181+ DPD', dialMode: 'preview', accountFilter: { daysPastDue: { min: 181 } } },
    ],
  },
  {
    code: 'HARBOR',
    name: 'Harbor Auto Finance',
    callerId: '+13125550177',
    accountPrefix: 'HARBOR',
    accounts: 60,
    seed: 20261130,
    creditor: 'Harbor Auto Finance Loans',
    users: [...agents(6, 7), { username: 'supervisor2', role: 'supervisor' }],
    campaigns: [{ name: 'Harbor auto loans 1-90 DPD', dialMode: 'progressive', accountFilter: { daysPastDue: { min: 1, max: 90 } } }],
  },
];

export const DEMO_USERS = DEMO_CLIENTS.flatMap((c) => c.users);
export const DEMO_ADMIN_EMAIL = 'admin@demo.example.com';

// Area codes by zone, weighted roughly by population, so that the call window
// moves across the country during a demo day.
const ZONES: Array<{ tz: string; areaCodes: string[]; weight: number; region: string }> = [
  { tz: 'America/New_York', areaCodes: ['212', '718', '305', '404', '617'], weight: 45, region: 'NY' },
  { tz: 'America/Chicago', areaCodes: ['312', '773', '214', '713', '612'], weight: 27, region: 'IL' },
  { tz: 'America/Denver', areaCodes: ['303', '720', '801'], weight: 6, region: 'CO' },
  { tz: 'America/Phoenix', areaCodes: ['602', '480'], weight: 4, region: 'AZ' },
  { tz: 'America/Los_Angeles', areaCodes: ['213', '310', '415', '206', '503'], weight: 15, region: 'CA' },
  { tz: 'America/Anchorage', areaCodes: ['907'], weight: 2, region: 'AK' },
  { tz: 'Pacific/Honolulu', areaCodes: ['808'], weight: 1, region: 'HI' },
];
const FIRST = ['James', 'Maria', 'Robert', 'Linda', 'Michael', 'Patricia', 'David', 'Jennifer', 'Carlos', 'Aisha', 'Wei', 'Olga', 'Samuel', 'Grace', 'Tyrone', 'Mei'];
const LAST = ['Smith', 'Johnson', 'Garcia', 'Brown', 'Nguyen', 'Martinez', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Jackson', 'Lee', 'Harris', 'Clark'];

/** mulberry32: the demo data is the same on every machine. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bucketOf(dpd: number): string {
  if (dpd <= 30) return 'dpd_1_30';
  if (dpd <= 60) return 'dpd_31_60';
  if (dpd <= 90) return 'dpd_61_90';
  if (dpd <= 120) return 'dpd_91_120';
  if (dpd <= 180) return 'dpd_121_180';
  return 'dpd_181_plus';
}

type AccountOptions = { seed: number; prefix: string; creditor: string; agents: number };

export function demoAccounts(count: number, { seed, prefix, creditor, agents: agentCount }: AccountOptions = { seed: 20261121, prefix: 'DEMO', creditor: 'Demo Bank Card Services', agents: 5 }) {
  const rnd = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const totalWeight = ZONES.reduce((s, z) => s + z.weight, 0);
  const zone = () => {
    let r = rnd() * totalWeight;
    for (const z of ZONES) if ((r -= z.weight) < 0) return z;
    return ZONES[0];
  };
  const phoneIn = (z: (typeof ZONES)[number]) => {
    for (;;) {
      const raw = `${pick(z.areaCodes)}${200 + Math.floor(rnd() * 700)}${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`;
      const result = normalizePhone(raw, 'US');
      if (result.ok) return result.e164;
    }
  };
  return Array.from({ length: count }, (_, i) => {
    const z = zone();
    const dpd = 1 + Math.floor(rnd() ** 1.5 * 360);
    const balance = Math.round((50 + rnd() ** 2 * 15000) * 100) / 100;
    const phones = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, p) => {
      const type = p === 0 ? (rnd() < 0.65 ? 'mobile' : 'landline') : pick(['mobile', 'landline', 'work']);
      const consent = rnd() < 0.7;
      return {
        number: phoneIn(z),
        type,
        status: 'valid',
        isPrimary: p === 0,
        autodialConsent: consent,
        ...(consent ? { consentDate: new Date(Date.UTC(2025, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28))).toISOString(), consentSource: 'original_creditor' } : {}),
      };
    });
    return {
      accountNumber: `${prefix}-${String(i + 1).padStart(6, '0')}`,
      debtorFirstName: pick(FIRST),
      debtorLastName: pick(LAST),
      balance,
      originalBalance: balance,
      currency: 'USD',
      daysPastDue: dpd,
      delinquencyBucket: bucketOf(dpd),
      status: 'open',
      timezone: z.tz,
      region: z.region,
      country: 'US',
      originalCreditor: creditor,
      phones,
      agentIndex: i % agentCount,
    };
  });
}

/** DEMO_PASSWORD, or one generated on the first start and kept beside the demo database. */
function demoPassword(): { password: string; generated: boolean } {
  if (process.env.DEMO_PASSWORD) {
    const problem = passwordProblem(process.env.DEMO_PASSWORD);
    if (problem) throw new Error(`DEMO_PASSWORD ${problem}`);
    return { password: process.env.DEMO_PASSWORD, generated: false };
  }
  const file = path.join(process.cwd(), '.tmp', 'demo-password');
  if (fs.existsSync(file)) return { password: fs.readFileSync(file, 'utf8').trim(), generated: true };
  // Upper, lower and digits: both the users-permissions policy and the admin panel's accept it.
  const password = `Dm${crypto.randomBytes(9).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}7q`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, password, { mode: 0o600 });
  return { password, generated: true };
}

/**
 * The dialer-worker's API token in demo mode, kept beside the demo database so
 * that `npm start` can hand it to the worker. Strapi stores only a hash, so a
 * lost file means a regenerated token.
 */
export async function ensureDemoWorkerToken(strapi: Core.Strapi): Promise<string> {
  const file = path.join(process.cwd(), '.tmp', 'demo-worker-token');
  const name = 'dialer-worker (demo)';
  const tokens = strapi.service('admin::api-token') as any;
  const existing = await strapi.db.query('admin::api-token').findOne({ where: { name } });
  if (existing && fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const accessKey = existing
    ? (await tokens.regenerate(existing.id)).accessKey
    : (await tokens.create({ name, description: 'Used by the dialer-worker started by npm start', type: 'full-access', lifespan: null })).accessKey;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, accessKey, { mode: 0o600 });
  return accessKey;
}

export type DemoSeedReport = { created: { clients: number; accounts: number; campaigns: number; users: number; admins: number }; password: string; generated: boolean };

/** Fills an empty database with a demo agency. Everything is keyed, so a second start adds nothing. */
export async function seedDemo(strapi: Core.Strapi): Promise<DemoSeedReport> {
  const { password, generated } = demoPassword();
  const created = { clients: 0, accounts: 0, campaigns: 0, users: 0, admins: 0 };

  const userIds: Record<string, number> = {};
  for (const { username, role } of DEMO_USERS) {
    const existing = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { username } });
    if (existing) {
      userIds[username] = existing.id;
      continue;
    }
    const roleRow = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: role } });
    const user = await strapi.plugin('users-permissions').service('user').add({
      username,
      email: `${username}@demo.example.com`,
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: roleRow.id,
    });
    userIds[username] = user.id;
    created.users++;
  }

  if ((await strapi.db.query('admin::user').count({})) === 0) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await strapi.service('admin::user').create({
      email: DEMO_ADMIN_EMAIL,
      firstname: 'Demo',
      lastname: 'Admin',
      password,
      isActive: true,
      roles: superAdmin ? [superAdmin.id] : [],
    });
    created.admins++;
  }

  for (const spec of DEMO_CLIENTS) await seedDemoClient(strapi, spec, userIds, created);
  return { created, password, generated };
}

/** One creditor with its accounts (spread over its agents) and campaigns; nothing when its code exists already. */
async function seedDemoClient(strapi: Core.Strapi, spec: DemoClient, userIds: Record<string, number>, created: DemoSeedReport['created']): Promise<void> {
  if (await strapi.db.query('api::client.client').findOne({ where: { code: spec.code } })) return;
  const agentIds = spec.users.filter((u) => u.role === 'agent').map((u) => userIds[u.username]);
  await strapi.db.transaction(async () => {
    const client = await strapi.documents('api::client.client').create({
      data: {
        name: spec.name,
        code: spec.code,
        defaultCountry: 'US',
        defaultTimezone: 'America/New_York',
        currency: 'USD',
        callerId: spec.callerId,
        callbackNumber: spec.callerId,
        members: { connect: spec.users.map((u) => ({ id: userIds[u.username] })) },
      } as any,
    });
    created.clients++;
    const accounts = demoAccounts(spec.accounts, { seed: spec.seed, prefix: spec.accountPrefix, creditor: spec.creditor, agents: agentIds.length });
    for (const { agentIndex, ...account } of accounts) {
      await strapi.documents('api::account.account').create({
        data: { ...account, client: client.documentId, assignedAgent: agentIds[agentIndex] } as any,
      });
      created.accounts++;
    }
    const dispositions = await strapi.db.query('api::disposition.disposition').findMany({ select: ['id'] });
    for (const c of spec.campaigns) {
      await strapi.documents('api::campaign.campaign').create({
        data: {
          ...c,
          client: client.documentId,
          state: 'draft',
          abandonTarget: 0.025,
          agents: { connect: agentIds.map((id) => ({ id })) },
          allowedDispositions: { connect: dispositions.map((d: any) => ({ id: d.id })) },
        } as any,
      });
      created.campaigns++;
    }
  });
}

export function printDemoLogins(strapi: Core.Strapi, report: DemoSeedReport): void {
  const url = process.env.PUBLIC_URL || `http://localhost:${strapi.config.get('server.port')}`;
  const lines = [
    '',
    '  Collections CRM — demo mode',
    `  Admin panel : ${url}/admin    login ${DEMO_ADMIN_EMAIL}`,
    `  REST API    : ${url}/api      (POST /api/auth/local with identifier + password)`,
    `  API docs    : ${url}/documentation`,
    ...DEMO_CLIENTS.map((c, i) => `  ${i === 0 ? 'Demo users  :' : '             '} ${c.name}: ${c.users.map((u) => u.username).join(', ')}`),
    `  Password    : ${report.password}${report.generated ? '   (generated; set DEMO_PASSWORD to choose one)' : '   (DEMO_PASSWORD)'}`,
    `  Seeded now  : ${Object.entries(report.created).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    '',
  ];
  // Printed, not logged: this is the one thing a new user must see in the terminal.
  process.stdout.write(lines.join('\n') + '\n');
}
