import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';

// The demo runs on the embedded default, SQLite, so this file does too.
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
      expect(first).toMatchObject({ users: 7, admins: 1, clients: 1, accounts: 500, campaigns: 3 });
      expect(printed).toContain('/admin');
      expect(printed).toContain('agent1');
      expect(printed).toContain('Demo-pass-2026-x');

      const zones = await strapi.db.connection('accounts').distinct('timezone');
      expect(zones.length).toBeGreaterThanOrEqual(5);
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
