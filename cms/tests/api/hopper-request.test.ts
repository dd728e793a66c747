import type { Core } from '@strapi/strapi';
import { localClock } from '../../src/compliance/local-time';
import { EXCLUDE_MAX, ID_MAX_CHARS } from '../../src/dialing/hopper-request';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let token: string;
let readOnly: string;
let campaign: any;
const held: Record<string, any> = {};

/** A fixed-offset zone where it is mid-day now: the accounts are dialable at any hour the test runs. */
function daytimeZone(): string {
  for (let h = -12; h <= 14; h++) {
    const tz = h === 0 ? 'Etc/GMT' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
    const hour = Math.floor(localClock(new Date(), tz).minutes / 60);
    if (hour >= 10 && hour <= 18) return tz;
  }
  throw new Error('no zone');
}

const worker = () => ({ Authorization: `Bearer ${token}` });
const post = (body: unknown, auth: Record<string, string> = worker(), id = campaign.documentId) => http(strapi).post(`/api/campaigns/${id}/dialable`).set(auth).send(body as any);

/** What a worker holding `n` attempts sends: their phones, and their accounts not yet recorded. */
const holding = (n: number) => ({
  exclude: Array.from({ length: n }, (_, i) => `+1212${String(5_000_000 + i).padStart(7, '0')}`),
  excludeAccounts: Array.from({ length: n }, (_, i) => `held${String(i).padStart(20, '0')}`),
});

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'hopreq');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  readOnly = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-read`, type: 'read-only', lifespan: null })).accessKey;
  const zone = daytimeZone();
  campaign = await strapi.documents('api::campaign.campaign').create({
    data: { name: `${w.prefix} hopper`, client: w.clients.a.documentId, dialMode: 'predictive', state: 'running', accountFilter: { balance: { min: 7000, max: 7999 } } },
  } as any);
  for (const [key, phone] of [['one', '+13125550701'], ['two', '+13125550702']]) {
    held[key] = await strapi.documents('api::account.account').create({
      data: {
        accountNumber: `${w.prefix}-${key}`, client: w.clients.a.documentId, debtorLastName: key, balance: key === 'one' ? 7002 : 7001, timezone: zone,
        phones: [{ number: phone, type: 'mobile', status: 'valid', autodialConsent: true, consentDate: '2025-01-01T00:00:00Z', consentSource: 'original_creditor' }],
      },
    } as any);
  }
});
afterAll(() => stopStrapi(strapi));

describe('the hopper as a POST', () => {
  it('takes the exclusions of 2,000 held attempts in its body, where a query string of them is refused', async () => {
    const many = holding(2000);
    many.exclude.push('+13125550701');
    const res = await post({ limit: 20, ...many });
    expect(res.status).toBe(200);
    expect(res.body.data.items.map((i: any) => i.phone)).toEqual(['+13125550702']);
    expect(res.body.data.refusals.in_flight).toBe(1);
    // The request the worker used to make: its line alone is past what the server reads.
    const query = `exclude=${encodeURIComponent(many.exclude.join(','))}&excludeAccounts=${encodeURIComponent(many.excludeAccounts.join(','))}`;
    const old = await http(strapi).get(`/api/campaigns/${campaign.documentId}/dialable?limit=20&${query}`).set(worker());
    expect(old.status).toBe(431);
  });

  it('answers as GET does for the same small request, and leaves out the accounts it is told are held', async () => {
    const viaPost = await post({ limit: 5, excludeAccounts: [held.one.documentId] });
    const viaGet = await http(strapi).get(`/api/campaigns/${campaign.documentId}/dialable?limit=5&excludeAccounts=${held.one.documentId}`).set(worker());
    expect(viaPost.status).toBe(200);
    // The same answer, but for the moment each was checked at.
    const unstamped = (body: any) => JSON.parse(JSON.stringify(body, (key, v) => (key === 'checkedAt' ? undefined : v)));
    expect(unstamped(viaPost.body)).toEqual(unstamped(viaGet.body));
    expect(viaPost.body.data.items.map((i: any) => i.accountNumber)).toEqual([`${w.prefix}-two`]);
  });

  it('checks one account on request', async () => {
    const res = await post({ limit: 1, account: held.one.documentId, exclude: [] });
    expect(res.body.data.items.map((i: any) => i.accountNumber)).toEqual([`${w.prefix}-one`]);
  });

  it('takes the longest lists it allows', async () => {
    const full = { exclude: Array(EXCLUDE_MAX).fill('x'.repeat(ID_MAX_CHARS)), excludeAccounts: Array(EXCLUDE_MAX).fill('y'.repeat(ID_MAX_CHARS)) };
    expect((await post({ limit: 20, ...full })).status).toBe(200);
  });

  const long = 'x'.repeat(ID_MAX_CHARS + 1);
  it.each([
    ['a list for a body', [1, 2], []],
    ['a limit of 0', { limit: 0 }, ['limit']],
    ['a limit over 200', { limit: 201 }, ['limit']],
    ['a fractional limit', { limit: 2.5 }, ['limit']],
    ['a limit as text', { limit: '20' }, ['limit']],
    ['exclude as a comma list', { limit: 20, exclude: '+13125550701,+13125550702' }, ['exclude']],
    ['a number among the phones', { limit: 20, exclude: ['+13125550701', 13125550702] }, ['exclude', 1]],
    ['an empty phone', { limit: 20, exclude: [''] }, ['exclude', 0]],
    ['a phone too long', { limit: 20, exclude: ['+13125550701', '+13125550702', long] }, ['exclude', 2]],
    ['too many phones', { limit: 20, exclude: Array(EXCLUDE_MAX + 1).fill('+13125550701') }, ['exclude']],
    ['an object among the accounts', { limit: 20, excludeAccounts: [{ $ne: '' }] }, ['excludeAccounts', 0]],
    ['too many accounts', { limit: 20, excludeAccounts: Array(EXCLUDE_MAX + 1).fill('a') }, ['excludeAccounts']],
    ['an account as an object', { limit: 20, account: { $ne: null } }, ['account']],
    ['an account too long', { limit: 20, account: long }, ['account']],
    ['a misspelt list', { limit: 20, excludePhones: ['+13125550701'] }, ['excludePhones']],
  ])('refuses %s with a 400 naming the field', async (_name, body, path) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: any) => e.path)).toEqual([path]);
    if (path.length) expect(res.body.error.message).toContain(String(path[0]));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    [`account=${'x'.repeat(ID_MAX_CHARS + 1)}`, 'account'],
    ['exclude[0]=%2B13125550701', 'exclude'],
  ])('refuses GET ?%s with a 400 naming %s', async (query, field) => {
    const res = await http(strapi).get(`/api/campaigns/${campaign.documentId}/dialable?${query}`).set(worker());
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path[0]).toBe(field);
  });

  it.each([
    ['the worker (full-access token)', () => worker(), 200],
    ["the campaign's supervisor", () => ({ Authorization: `Bearer ${w.tokens.supervisorA}` }), 200],
    ["another client's supervisor", () => ({ Authorization: `Bearer ${w.tokens.supervisorB}` }), 404],
    ['an agent', () => ({ Authorization: `Bearer ${w.tokens.agentA1}` }), 403],
    ['an analyst', () => ({ Authorization: `Bearer ${w.tokens.analystA}` }), 403],
    ['a read-only token', () => ({ Authorization: `Bearer ${readOnly}` }), 403],
    ['nobody', () => ({}), 403],
  ])('answers %s as GET does', async (_who, auth, status) => {
    expect((await post({ limit: 5 }, auth())).status).toBe(status);
    expect((await http(strapi).get(`/api/campaigns/${campaign.documentId}/dialable?limit=5`).set(auth())).status).toBe(status);
  });

  it('answers 404 for a campaign that does not exist', async () => {
    expect((await post({ limit: 5 }, worker(), 'nosuchcampaign000000000')).status).toBe(404);
  });
});
