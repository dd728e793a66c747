import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, PASSWORD, type World } from '../helpers/world';

// No e-mail provider is configured here, as in a fresh install: a known address makes Strapi try to send and fail.
let strapi: Core.Strapi;
let w: World;
let unconfirmed: any;
let blocked: any;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'rec');
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } });
  const add = (name: string, extra: object) =>
    strapi.plugin('users-permissions').service('user').add({ username: `${w.prefix}_${name}`, email: `${w.prefix}_${name}@test.example.com`, password: PASSWORD, provider: 'local', role: role.id, ...extra });
  unconfirmed = await add('new', { confirmed: false, blocked: false });
  blocked = await add('gone', { confirmed: true, blocked: true });
});
afterAll(() => stopStrapi(strapi));

const ENDPOINTS = ['/api/auth/forgot-password', '/api/auth/send-email-confirmation'] as const;

/** The same spelling for every case, so a body that echoes the address cannot differ by it. */
const asSent = (email: string) => email.toUpperCase();

const ADDRESSES: Array<[string, () => string]> = [
  ['a known, confirmed address', () => w.users.agentA1.email],
  ['a known, unconfirmed address', () => unconfirmed.email],
  ['a blocked user\'s address', () => blocked.email],
  ['an unknown address', () => `nobody-${w.prefix}@test.example.com`],
];

describe.each(ENDPOINTS)('%s', (endpoint) => {
  const answer = async (email: string) => {
    const res = await http(strapi).post(endpoint).send({ email });
    return { status: res.status, body: res.body };
  };

  it.each(ADDRESSES)('answers %s exactly as an unknown one', async (_what, address) => {
    const unknown = asSent(`nobody-${w.prefix}@test.example.com`);
    const reference = await answer(unknown);
    expect(reference.status).toBe(200);
    const res = await answer(asSent(address()));
    expect({ ...res, body: JSON.stringify(res.body).replace(asSent(address()), '<email>') }).toEqual({ ...reference, body: JSON.stringify(reference.body).replace(unknown, '<email>') });
  });

  it('still answers 400 to a body that is not an address, whoever asks', async () => {
    const res = await http(strapi).post(endpoint).send({ email: 'not-an-address' });
    expect(res.status).toBe(400);
  });

  it('stays rate-limited per address', async () => {
    const key = 'plugin::users-permissions.ratelimit';
    const saved = strapi.config.get(key);
    strapi.config.set(key, { enabled: true, interval: 60000, max: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await http(strapi).post(endpoint).send({ email: `limit-${w.prefix}@test.example.com` })).status);
      expect(statuses).toContain(429);
    } finally {
      strapi.config.set(key, saved);
    }
  });
});

it('logs the failure to send on the server instead of telling the client', async () => {
  const spy = jest.spyOn(strapi.log, 'error');
  try {
    const res = await http(strapi).post('/api/auth/forgot-password').send({ email: w.users.agentA2.email });
    expect(res.status).toBe(200);
    expect(spy.mock.calls.map((c) => String(c[0])).some((line) => line.startsWith('auth.forgotPassword:'))).toBe(true);
  } finally {
    spy.mockRestore();
  }
});
