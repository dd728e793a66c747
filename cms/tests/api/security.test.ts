import path from 'path';
import type { Core } from '@strapi/strapi';
import { createStrapi } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, login, PASSWORD, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'sec');
});
afterAll(() => stopStrapi(strapi));

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('request ids', () => {
  it('puts X-Request-Id on every response, errors included, and in the log line', async () => {
    const spy = jest.spyOn(strapi.log, 'http');
    try {
      for (const [url, status] of [['/api/dispositions', 200], ['/api/accounts/nope', 404], ['/api/audit-logs', 403]] as const) {
        const token = url === '/api/audit-logs' ? w.tokens.agentA1 : w.tokens.supervisorA;
        const res = await http(strapi).get(url).set('Authorization', `Bearer ${token}`);
        expect(res.status).toBe(status);
        const id = res.headers['x-request-id'];
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(spy.mock.calls.map((c) => String(c[0])).some((line) => line.includes(url) && line.includes(`request_id=${id}`))).toBe(true);
      }
      const chosen = await http(strapi).get('/api/dispositions').set('Authorization', `Bearer ${w.tokens.agentA1}`).set('X-Request-Id', 'console-abc-123');
      expect(chosen.headers['x-request-id']).toBe('console-abc-123');
      const hostile = await http(strapi).get('/api/dispositions').set('Authorization', `Bearer ${w.tokens.agentA1}`).set('X-Request-Id', '<script>alert(1)</script>');
      expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sessions', () => {
  it('returns the signed-in user with role and clients', async () => {
    const res = await http(strapi).get('/api/session').set('Authorization', `Bearer ${w.tokens.supervisorA}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ username: w.users.supervisorA.username, role: { type: 'supervisor' }, clients: [{ documentId: w.clients.a.documentId }] });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
  });

  it('issues short-lived access tokens and rotates refresh tokens', async () => {
    const res = await http(strapi).post('/api/auth/local').send({ identifier: w.users.agentA2.username, password: PASSWORD });
    expect(res.status).toBe(200);
    const { jwt, refreshToken } = res.body;
    const claims = decode(jwt);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
    expect(refreshToken).toEqual(expect.any(String));

    const refreshed = await http(strapi).post('/api/auth/refresh').send({ refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(refreshToken);
    expect((await http(strapi).get('/api/session').set('Authorization', `Bearer ${refreshed.body.jwt}`)).status).toBe(200);
    expect((await http(strapi).post('/api/auth/refresh').send({ refreshToken })).status).toBe(401);
  });

  it('refuses public registration', async () => {
    const res = await http(strapi).post('/api/auth/local/register').send({ username: `${w.prefix}_walkin`, email: `${w.prefix}_walkin@test.example.com`, password: 'Walk-in-2026-pass' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await strapi.db.query('plugin::users-permissions.user').findOne({ where: { username: `${w.prefix}_walkin` } })).toBeNull();
  });

  it('enforces the password policy, naming the field', async () => {
    const jwt = await login(strapi, w.users.agentA2.username);
    const change = (password: string) =>
      http(strapi).post('/api/auth/change-password').set('Authorization', `Bearer ${jwt}`).send({ currentPassword: PASSWORD, password, passwordConfirmation: password });
    for (const weak of ['short1', 'onlyletterslong', 'Password12345', `${w.users.agentA2.username}99x`]) {
      const res = await change(weak);
      expect([weak, res.status]).toEqual([weak, 400]);
      expect(JSON.stringify(res.body.error)).toMatch(/password/);
    }
    expect((await change('Harbor-lights-48')).status).toBe(200);
    expect((await http(strapi).post('/api/auth/local').send({ identifier: w.users.agentA2.username, password: 'Harbor-lights-48' })).status).toBe(200);
  });
});

describe('HTTP hardening', () => {
  it('sends security headers and no X-Powered-By', async () => {
    const res = await http(strapi).get('/api/dispositions').set('Authorization', `Bearer ${w.tokens.agentA1}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only from configured origins', async () => {
    const allowed = await http(strapi).options('/api/dispositions').set('Origin', 'http://localhost:8080').set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    const denied = await http(strapi).options('/api/dispositions').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(denied.headers['access-control-allow-origin']).not.toBe('http://evil.example');
  });

  it('rate-limits the login and password endpoints', async () => {
    const key = 'plugin::users-permissions.ratelimit';
    const saved = strapi.config.get(key);
    strapi.config.set(key, { enabled: true, interval: 60000, max: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await http(strapi).post('/api/auth/local').send({ identifier: 'nobody', password: 'wrong-password-1' })).status);
      expect(statuses).toContain(429);
      const resets: number[] = [];
      for (let i = 0; i < 5; i++) resets.push((await http(strapi).post('/api/auth/reset-password').send({ code: 'x', password: 'Abcdefgh1234', passwordConfirmation: 'Abcdefgh1234' })).status);
      expect(resets).toContain(429);
    } finally {
      strapi.config.set(key, saved);
    }
  });
});

describe('secrets', () => {
  const appDir = path.resolve(__dirname, '..', '..');
  it.each([
    ['missing', undefined, /JWT_SECRET is missing/],
    ['a template default', 'toBeModified', /JWT_SECRET is a default or example value/],
    ['too short', 'abc123', /JWT_SECRET is shorter than 16/],
  ])('refuses to start outside demo mode when a secret is %s', async (_label, value, message) => {
    const saved = process.env.JWT_SECRET;
    if (value === undefined) delete process.env.JWT_SECRET;
    else process.env.JWT_SECRET = value;
    try {
      expect(() => createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false })).toThrow(message);
    } finally {
      process.env.JWT_SECRET = saved;
    }
  });
});
