import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

// The demo runs on the embedded default, SQLite, so this file does too.
// Each test boots cms on a fresh SQLite file (migrations, 560 seeded accounts): on a loaded machine one boot took over jest's 120 s default.
jest.setTimeout(400_000);
const dbFile = path.join(os.tmpdir(), `cms-demo-${process.pid}-${Date.now()}.db`);
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile, DEMO_PASSWORD: 'Demo-pass-2026-x' });
});
afterAll(() => {
  process.env = saved;
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
});

async function boot(demo: boolean): Promise<{ strapi: Core.Strapi; printed: string }> {
  process.env.DEMO_MODE = demo ? 'true' : 'false';
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { strapi: await startStrapi(), printed: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

async function counts(strapi: Core.Strapi) {
  const c = (uid: string) => strapi.db.query(uid as any).count({});
  return {
    users: await c('plugin::users-permissions.user'),
    admins: await c('admin::user'),
    clients: await c('api::client.client'),
    accounts: await c('api::account.account'),
    campaigns: await c('api::campaign.campaign'),
    dispositions: await c('api::disposition.disposition'),
    audit: await c('api::audit-log.audit-log'),
  };
}

describe('demo mode', () => {
  it('creates no user and no demo data outside demo mode', async () => {
    const { strapi } = await boot(false);
    try {
      const n = await counts(strapi);
      expect(n).toMatchObject({ users: 0, admins: 0, clients: 0, accounts: 0, campaigns: 0 });
      expect(n.dispositions).toBeGreaterThan(10);
      expect((await strapi.db.query('plugin::users-permissions.role').findMany({})).map((r: any) => r.type)).toEqual(
        expect.arrayContaining(['agent', 'supervisor', 'analyst']),
      );
    } finally {
      await stopStrapi(strapi);
    }
  });

  let first: Awaited<ReturnType<typeof counts>>;
  it('seeds a demo agency on an empty database and prints the logins', async () => {
    const { strapi, printed } = await boot(true);
    try {
      first = await counts(strapi);
      expect(first).toMatchObject({ users: 10, admins: 1, clients: 2, accounts: 560, campaigns: 6 });
      expect(printed).toContain('/admin');
      for (const username of ['agent1', 'supervisor1', 'analyst1', 'agent6', 'agent7', 'supervisor2']) expect(printed).toContain(username);
      expect(printed).toContain('Demo-pass-2026-x');

      const zones = await strapi.db.connection('accounts').distinct('timezone');
      expect(zones.length).toBeGreaterThanOrEqual(10);
      // A UK debtor is worked only by a UK-profile campaign, which calls from a UK number.
      const ukCampaigns = await strapi.db.query('api::campaign.campaign').findMany({ where: { complianceProfile: 'uk' } });
      expect(ukCampaigns.map((c: any) => [c.accountFilter.countries, c.callerId.startsWith('+44')])).toEqual([[['GB'], true], [['GB'], true]]);
      const login = await http(strapi).post('/api/auth/local').send({ identifier: 'agent3', password: 'Demo-pass-2026-x' });
      expect(login.status).toBe(200);
      const mine = await http(strapi).get('/api/accounts?pagination[pageSize]=1').set('Authorization', `Bearer ${login.body.jwt}`);
      expect(mine.body.meta.pagination.total).toBe(100);
      const admin = await http(strapi).post('/admin/login').send({ email: 'admin@demo.example.com', password: 'Demo-pass-2026-x' });
      expect(admin.status).toBe(200);
    } finally {
      await stopStrapi(strapi);
    }
  });

  it('keeps the two demo clients apart, as a new user can try it', async () => {
    const { strapi } = await boot(true);
    try {
      const as = async (username: string) => {
        const res = await http(strapi).post('/api/auth/local').send({ identifier: username, password: 'Demo-pass-2026-x' });
        expect([username, res.status]).toEqual([username, 200]);
        const jwt = res.body.jwt as string;
        return {
          list: async (type: string) => {
            const r = await http(strapi).get(`/api/${type}?pagination[pageSize]=100&fields[0]=documentId${type === 'accounts' ? '&fields[1]=accountNumber' : ''}`).set('Authorization', `Bearer ${jwt}`);
            expect(r.status).toBe(200);
            return { total: r.body.meta.pagination.total as number, rows: r.body.data as any[] };
          },
          total: async (query: string) => (await http(strapi).get(`/api/${query}`).set('Authorization', `Bearer ${jwt}`)).body.meta.pagination.total as number,
          status: async (url: string) => (await http(strapi).get(url).set('Authorization', `Bearer ${jwt}`)).status,
        };
      };
      const accountOf = (prefix: string, username?: string) =>
        strapi.db.query('api::account.account').findOne({ where: { accountNumber: { $startsWith: `${prefix}-` }, ...(username ? { assignedAgent: { username } } : {}) } });
      const demo = await accountOf('DEMO');
      const harborOf6 = await accountOf('HARBOR', 'agent6');
      const harborOf7 = await accountOf('HARBOR', 'agent7');

      const supervisor2 = await as('supervisor2');
      const seen2 = await supervisor2.list('accounts');
      expect(seen2.total).toBe(60);
      expect(seen2.rows.filter((a) => !a.accountNumber.startsWith('HARBOR-'))).toEqual([]);
      expect(await supervisor2.status(`/api/accounts/${demo.documentId}`)).toBe(404);
      expect((await supervisor2.list('campaigns')).total).toBe(2);

      const supervisor1 = await as('supervisor1');
      const seen1 = await supervisor1.list('accounts');
      expect(seen1.total).toBe(500);
      expect(await supervisor1.total('accounts?filters[accountNumber][$startsWith]=HARBOR-')).toBe(0);
      expect(await supervisor2.total('accounts?filters[accountNumber][$startsWith]=DEMO-')).toBe(0);
      expect(await supervisor1.status(`/api/accounts/${harborOf6.documentId}`)).toBe(404);
      expect((await supervisor1.list('campaigns')).total).toBe(4);

      const agent6 = await as('agent6');
      const mine = await agent6.list('accounts');
      const assigned = await strapi.db.query('api::account.account').count({ where: { assignedAgent: { username: 'agent6' } } });
      expect(assigned).toBe(30);
      expect(mine.total).toBe(assigned);
      const ownIds = new Set((await strapi.db.query('api::account.account').findMany({ where: { assignedAgent: { username: 'agent6' } }, select: ['documentId'] })).map((a: any) => a.documentId));
      expect(mine.rows.filter((a) => !ownIds.has(a.documentId))).toEqual([]);
      expect(await agent6.status(`/api/accounts/${harborOf6.documentId}`)).toBe(200);
      expect(await agent6.status(`/api/accounts/${harborOf7.documentId}`)).toBe(404);
      expect(await agent6.status(`/api/accounts/${demo.documentId}`)).toBe(404);
    } finally {
      await stopStrapi(strapi);
    }
  });

  it('adds nothing on a second start', async () => {
    const { strapi, printed } = await boot(true);
    try {
      expect(await counts(strapi)).toEqual(first);
      expect(printed).toContain('0 accounts');
    } finally {
      await stopStrapi(strapi);
    }
  });
});
