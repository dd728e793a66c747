import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let workerToken: string;
let adminToken: string;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'bnd');
  workerToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  const email = `${w.prefix}@admin.example.com`;
  await strapi.service('admin::user').create({ email, firstname: 'Ada', lastname: 'Admin', password: 'Admin-pass-2026', isActive: true, roles: [superAdmin.id] });
  adminToken = (await http(strapi).post('/admin/login').send({ email, password: 'Admin-pass-2026' })).body.data.token;
});
afterAll(() => stopStrapi(strapi));

const x = (n: number) => 'x'.repeat(n);
let seq = 0;
const unique = () => `${w.prefix}-${seq++}`;
/** A calendar day (UTC) `years` and `days` from today. */
const day = (days: number, years = 0) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
};
const minutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const phones = (n: number) => Array.from({ length: n }, (_, i) => ({ number: `+1312555${String(2000 + i)}`, type: 'mobile', status: 'valid', autodialConsent: false }));

type Writer = 'agent' | 'supervisor' | 'worker token' | 'admin panel';
type Target = { writer: Writer; url: () => string; method?: 'post' | 'put'; base: () => Record<string, unknown> };

const TARGETS: Record<string, Target> = {
  account: {
    writer: 'supervisor', url: () => '/api/accounts',
    base: () => ({ accountNumber: unique(), client: w.clients.a.documentId, debtorLastName: 'Bounds', balance: 10, timezone: 'America/Chicago' }),
  },
  'account (admin panel)': {
    writer: 'admin panel', method: 'put', url: () => `/content-manager/collection-types/api::account.account/${w.accounts.a2.documentId}`, base: () => ({}),
  },
  promise: { writer: 'agent', url: () => '/api/promises-to-pay', base: () => ({ account: w.accounts.a1.documentId, amount: 10, dueDate: day(30) }) },
  callback: { writer: 'agent', url: () => '/api/callbacks', base: () => ({ account: w.accounts.a1.documentId, dueAt: minutes(60) }) },
  call: { writer: 'agent', url: () => '/api/calls', base: () => ({ account: w.accounts.a1.documentId, outcome: 'connected' }) },
  'call attempt': {
    writer: 'worker token', method: 'put', url: () => `/api/calls/attempts/${unique()}`,
    base: () => ({ account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, phone: '+13125550101', outcome: 'no_answer' }),
  },
  dnc: { writer: 'supervisor', url: () => '/api/dnc-entries', base: () => ({ phone: '+13125550999', scope: 'client', client: w.clients.a.documentId }) },
  campaign: { writer: 'supervisor', url: () => '/api/campaigns', base: () => ({ name: unique(), client: w.clients.a.documentId }) },
  client: { writer: 'worker token', url: () => '/api/clients', base: () => ({ name: unique(), code: unique().toUpperCase() }) },
  disposition: { writer: 'worker token', url: () => '/api/dispositions', base: () => ({ code: unique().toUpperCase().replace(/-/g, '_'), label: 'Bounds' }) },
};

async function send(target: Target, data: Record<string, unknown>) {
  const token = { agent: w.tokens.agentA1, supervisor: w.tokens.supervisorA, 'worker token': workerToken, 'admin panel': adminToken }[target.writer];
  const body = target.writer === 'admin panel' ? { ...target.base(), ...data } : { data: { ...target.base(), ...data } };
  return http(strapi)[target.method ?? 'post'](target.url()).set('Authorization', `Bearer ${token}`).send(body);
}
const errorPaths = (res: any) => (res.body.error?.details?.errors ?? []).map((e: any) => e.path.join('.'));

/** [target, field, a value past the bound, a value on the edge that must still pass]. */
const BOUNDS: Array<[string, string, () => unknown, () => unknown]> = [
  ['account', 'phones', () => phones(21), () => phones(20)],
  ['account', 'notes', () => x(10_001), () => x(10_000)],
  ['account', 'debtorEmail', () => `${x(250)}@example.com`, () => `${x(242)}@example.com`],
  ['account', 'addressLine1', () => x(201), () => x(200)],
  ['account', 'daysPastDue', () => 3_000_000_000, () => 36_500],
  ['account', 'balance', () => 1_000_000_000, () => 99_999_999.99],
  ['account', 'originalBalance', () => 100_000_000, () => '99999999.99'],
  ['account', 'chargeOffDate', () => '1969-12-31', () => '1970-01-01'],
  ['account', 'chargeOffDate', () => day(3), () => day(0)],
  ['account', 'nextActionDate', () => day(2, 5), () => day(-1, 5)],
  ['account', 'lastPaymentDate', () => '2026-02-30', () => '2024-02-29'],
  ['account (admin panel)', 'notes', () => x(10_001), () => x(10_000)],
  ['account (admin panel)', 'chargeOffDate', () => '1900-01-01', () => '1990-06-01'],
  ['promise', 'dueDate', () => '1900-01-01', () => day(2, -1)],
  ['promise', 'dueDate', () => day(2, 5), () => day(-1, 5)],
  ['promise', 'amount', () => 123_456_789, () => 99_999_999.99],
  ['promise', 'notes', () => x(2001), () => x(2000)],
  ['callback', 'dueAt', () => '2999-01-01T10:00:00.000Z', () => minutes(60 * 24 * 360)],
  ['callback', 'notes', () => x(2001), () => x(2000)],
  ['call', 'talkSeconds', () => 86_401, () => 86_400],
  ['call', 'ringSeconds', () => -1, () => 0],
  ['call', 'queuedAt', () => '1999-01-01T00:00:00.000Z', () => minutes(-60 * 24 * 365 * 9)],
  ['call', 'endedAt', () => minutes(60 * 24), () => minutes(30)],
  ['call', 'notes', () => x(4001), () => x(4000)],
  ['call attempt', 'hangupCause', () => 128, () => 127],
  ['call attempt', 'recordingRef', () => x(256), () => x(255)],
  ['call attempt', 'wrapSeconds', () => 100_000, () => 86_400],
  ['call attempt', 'complianceReceipt', () => ({ blob: x(20_000) }), () => ({ blob: x(16_000) })],
  ['dnc', 'expiresAt', () => minutes(60 * 24 * 365 * 11), () => minutes(60 * 24 * 365 * 9)],
  ['dnc', 'notes', () => x(2001), () => x(2000)],
  ['campaign', 'maxAttemptsPerAccount', () => 1001, () => 1000],
  ['campaign', 'retryDelayMinutes', () => 43_201, () => 43_200],
  ['campaign', 'description', () => x(5001), () => x(5000)],
  ['campaign', 'startedAt', () => minutes(60 * 24 * 30), () => minutes(-60)],
  ['client', 'name', () => x(201), () => x(200)],
  ['disposition', 'sortOrder', () => 10_001, () => -10_000],
  ['disposition', 'label', () => x(101), () => x(100)],
];

describe('input bounds, every writable type', () => {
  it.each(BOUNDS)('%s.%s: past the bound answers 400 naming the field', async (target, field, bad) => {
    const res = await send(TARGETS[target], { [field]: bad() });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(field);
  });

  it.each(BOUNDS)('%s.%s: the edge value is accepted', async (target, field, _bad, edge) => {
    const res = await send(TARGETS[target], { [field]: edge() });
    expect([200, 201]).toContain(res.status);
  });
});

describe('values that only make sense together', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['a call that ends before it was dialed', 'endedAt', { dialedAt: minutes(-10), endedAt: minutes(-20) }],
    ['a talk time longer than the call', 'talkSeconds', { bridgedAt: minutes(-10), endedAt: minutes(-9), talkSeconds: 600 }],
    ['a wrap-up that ends before the call', 'wrapEndedAt', { endedAt: minutes(-5), wrapEndedAt: minutes(-6) }],
  ])('%s answers 400 naming %s', async (_label, field, data) => {
    const res = await send(TARGETS.call, data);
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(field);
  });

  it('accepts a call whose times and durations agree', async () => {
    const res = await send(TARGETS.call, { dialedAt: minutes(-11), answeredAt: minutes(-10.5), bridgedAt: minutes(-10), endedAt: minutes(-9), wrapEndedAt: minutes(-8), ringSeconds: 30, talkSeconds: 60, wrapSeconds: 60 });
    expect(res.status).toBe(201);
  });

  it('judges a wrap-up update against the stored end of the call', async () => {
    const created = await send(TARGETS.call, { endedAt: minutes(-5) });
    expect(created.status).toBe(201);
    const res = await http(strapi).put(`/api/calls/${created.body.data.documentId}`).set('Authorization', `Bearer ${w.tokens.agentA1}`).send({ data: { wrapEndedAt: minutes(-6) } });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['wrapEndedAt']);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['dnc', 'expiresAt', { addedAt: minutes(-60), expiresAt: minutes(-120) }],
    ['campaign', 'finishedAt', { startedAt: minutes(-60), finishedAt: minutes(-120) }],
  ])('%s: %s before its start answers 400', async (target, field, data) => {
    const res = await send(TARGETS[target], data);
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(field);
  });
});

describe('Strapi\'s own length check, behind ours', () => {
  it('names the field in the same error shape, so a value past a schema maxLength is a 400 either way', async () => {
    const model = strapi.getModel('api::call.call' as any);
    await expect((strapi as any).entityValidator.validateEntityCreation(model, { notes: x(4001) }, { isDraft: false }))
      .rejects.toMatchObject({ name: 'ValidationError', details: { errors: [expect.objectContaining({ path: ['notes'] })] } });
  });
});
