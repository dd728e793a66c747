import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { normalizePhone } from '../validation/phone-number';
import { passwordProblem } from '../validation/password-policy';
import type { AccountFilter } from '../dialing/account-filter';

type Draw = { pick: <T>(list: T[]) => T; digits: (n: number) => string };

/** Where a demo debtor lives: the zone sets their calling window, the country the law their calls are placed under. */
type DemoZone = { tz: string; country: string; region: string; weight: number; number: (draw: Draw) => string };

// NANP: an area code, an exchange from 200 to 899, four digits.
const nanp = (...areaCodes: string[]) => ({ pick, digits }: Draw) => `${pick(areaCodes)}${pick(['2', '3', '4', '5', '6', '7', '8'])}${digits(6)}`;
// UK: landlines in the ranges Ofcom keeps for drama (no subscriber has them), or mobiles.
const ukLine = ({ pick, digits }: Draw) => `${pick(['020 7946 0', '0113 496 0', '0117 496 0', '0121 496 0', '0131 496 0', '0141 496 0', '0161 496 0'])}${digits(3)}`;
const ukNumber = (draw: Draw) => (draw.pick([true, false]) ? ukLine(draw) : `07${draw.pick(['4', '5', '7', '8', '9'])}${draw.digits(8)}`);

/**
 * Debtors around the world, so that some are inside their calling window (08:00 to 21:00
 * their time) at every hour of the day: the US states and territories (Puerto Rico at
 * UTC-4 to Guam and Saipan at UTC+10) leave 11:00 to 12:00 UTC uncovered, which the UK
 * book fills. Weighted roughly by population, with the far zones made larger than life so
 * that the quiet hours still give calls.
 */
export const DEMO_ZONES: DemoZone[] = [
  { tz: 'America/New_York', country: 'US', region: 'NY', weight: 38, number: nanp('212', '718', '305', '404', '617') },
  { tz: 'America/Chicago', country: 'US', region: 'IL', weight: 22, number: nanp('312', '773', '214', '713', '612') },
  { tz: 'America/Denver', country: 'US', region: 'CO', weight: 5, number: nanp('303', '720', '801') },
  { tz: 'America/Phoenix', country: 'US', region: 'AZ', weight: 4, number: nanp('602', '480') },
  { tz: 'America/Los_Angeles', country: 'US', region: 'CA', weight: 12, number: nanp('213', '310', '415', '206', '503') },
  { tz: 'America/Anchorage', country: 'US', region: 'AK', weight: 2, number: nanp('907') },
  { tz: 'Pacific/Honolulu', country: 'US', region: 'HI', weight: 4, number: nanp('808') },
  { tz: 'America/Puerto_Rico', country: 'PR', region: 'PR', weight: 3, number: nanp('787', '939') },
  { tz: 'America/St_Thomas', country: 'VI', region: 'VI', weight: 1, number: nanp('340') },
  { tz: 'Pacific/Pago_Pago', country: 'AS', region: 'AS', weight: 3, number: nanp('684') },
  { tz: 'Pacific/Guam', country: 'GU', region: 'GU', weight: 6, number: nanp('671') },
  { tz: 'Pacific/Saipan', country: 'MP', region: 'MP', weight: 3, number: nanp('670') },
  { tz: 'Europe/London', country: 'GB', region: 'England', weight: 12, number: ukNumber },
  { tz: 'Europe/London', country: 'GB', region: 'Scotland', weight: 3, number: ukNumber },
];

/** The countries whose debtors each compliance profile's rules are written for. */
export const PROFILE_COUNTRIES: Record<'us' | 'uk', string[]> = {
  us: ['US', 'PR', 'VI', 'AS', 'GU', 'MP'],
  uk: ['GB'],
};

type DemoCampaign = {
  name: string;
  dialMode: 'predictive' | 'progressive' | 'preview';
  complianceProfile: 'us' | 'uk';
  accountFilter: AccountFilter;
  /** Shown to the debtor: a UK campaign calls from a UK number. */
  callerId?: string;
};

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
  campaigns: DemoCampaign[];
};

const agents = (...numbers: number[]) => numbers.map((n) => ({ username: `agent${n}`, role: 'agent' as const }));
const us = (name: string, dialMode: DemoCampaign['dialMode'], daysPastDue: { min: number; max?: number }): DemoCampaign => ({
  name,
  dialMode,
  complianceProfile: 'us',
  accountFilter: { countries: PROFILE_COUNTRIES.us, daysPastDue },
});
const uk = (name: string, callerId: string): DemoCampaign => ({ name, dialMode: 'progressive', complianceProfile: 'uk', callerId, accountFilter: { countries: PROFILE_COUNTRIES.uk } });

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
      us('Early stage 1-60 DPD', 'predictive', { min: 1, max: 60 }),
      us('Late stage 61-180 DPD', 'progressive', { min: 61, max: 180 }),
      us('Recovery 181+ DPD', 'preview', { min: 181 }),
      uk('UK cards, all stages', '+442079460143'),
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
    campaigns: [us('Harbor auto loans, all stages', 'progressive', { min: 1 }), uk('Harbor UK motor finance', '+441614960177')],
  },
];

export const DEMO_USERS = DEMO_CLIENTS.flatMap((c) => c.users);
export const DEMO_ADMIN_EMAIL = 'admin@demo.example.com';

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

/**
 * Each zone's share of `count` accounts, by largest remainder, in a shuffled order: a small
 * book still has debtors in every zone, so no hour of the day is left without one.
 */
function zoneSlots(count: number, rnd: () => number): DemoZone[] {
  const total = DEMO_ZONES.reduce((s, z) => s + z.weight, 0);
  const exact = DEMO_ZONES.map((z) => (z.weight * count) / total);
  const shares = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; shares.reduce((s, n) => s + n, 0) < count; k++) shares[byRemainder[k][1]]++;
  const slots = DEMO_ZONES.flatMap((z, i) => Array.from({ length: shares[i] }, () => z));
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

type AccountOptions = { seed: number; prefix: string; creditor: string; agents: number };

export function demoAccounts(count: number, { seed, prefix, creditor, agents: agentCount }: AccountOptions = { seed: 20261121, prefix: 'DEMO', creditor: 'Demo Bank Card Services', agents: 5 }) {
  const rnd = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const slots = zoneSlots(count, rnd);
  const phoneIn = (z: DemoZone) => {
    for (;;) {
      const result = normalizePhone(z.number({ pick, digits }), z.country === 'GB' ? 'GB' : 'US');
      if (result.ok) return result.e164;
    }
  };
  return slots.map((z, i) => {
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
      currency: z.country === 'GB' ? 'GBP' : 'USD',
      daysPastDue: dpd,
      delinquencyBucket: bucketOf(dpd),
      status: 'open',
      timezone: z.tz,
      region: z.region,
      country: z.country,
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
