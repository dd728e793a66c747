import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'val');
});
afterAll(() => stopStrapi(strapi));

const post = (url: string, data: unknown) => http(strapi).post(url).set('Authorization', `Bearer ${w.tokens.supervisorA}`).send({ data });
const put = (url: string, data: unknown) => http(strapi).put(url).set('Authorization', `Bearer ${w.tokens.supervisorA}`).send({ data });
const paths = (res: any) => (res.body.error?.details?.errors ?? []).map((e: any) => e.path.join('.'));

function account(overrides: Record<string, unknown> = {}) {
  return {
    accountNumber: `${w.prefix}-${Math.random().toString(36).slice(2, 10)}`,
    client: w.clients.a.documentId,
    debtorLastName: 'Valid',
    balance: 100,
    timezone: 'America/New_York',
    phones: [{ number: '(212) 555-0123', type: 'mobile', status: 'valid', autodialConsent: false }],
    ...overrides,
  };
}

describe('account', () => {
  it('stores phone numbers in E.164, read in the client\'s country', async () => {
    const res = await post('/api/accounts?populate=phones', account({ phones: [{ number: '212.555.0123', type: 'landline', status: 'valid', autodialConsent: false }] }));
    expect(res.status).toBe(201);
    expect(res.body.data.phones[0].number).toBe('+12125550123');
    const gb = await http(strapi).post('/api/accounts?populate=phones').set('Authorization', `Bearer ${w.tokens.supervisorB}`).send({
      data: { ...account({ client: w.clients.b.documentId, timezone: 'Europe/London' }), phones: [{ number: '020 7946 0321', type: 'landline', status: 'valid', autodialConsent: false }] },
    });
    expect(gb.status).toBe(201);
    expect(gb.body.data.phones[0].number).toBe('+442079460321');
  });

  it.each([
    ['an invalid phone number', { phones: [{ number: '12345', type: 'mobile', status: 'valid', autodialConsent: false }] }, 'phones.0.number'],
    ['a phone type outside the list', { phones: [{ number: '2125550123', type: 'pager', status: 'valid', autodialConsent: false }] }, 'phones.0.type'],
    ['consent without its date and source', { phones: [{ number: '2125550123', type: 'mobile', status: 'valid', autodialConsent: true }] }, 'phones.0.consentDate'],
    ['a negative balance', { balance: -5 }, 'balance'],
    ['a balance with three decimals', { balance: 10.125 }, 'balance'],
    ['a balance that is not a number', { balance: 'lots' }, 'balance'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an offset instead of a zone', { timezone: '+05:00' }, 'timezone'],
    ['a status outside the list', { status: 'forgiven' }, 'status'],
    ['a bucket outside the list', { delinquencyBucket: '999' }, 'delinquencyBucket'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a missing account number', { accountNumber: '' }, 'accountNumber'],
  ])('refuses %s with the field named', async (_label, overrides, path) => {
    const res = await post('/api/accounts', account(overrides));
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(paths(res)).toContain(path);
  });

  it('names every bad field of one request at once', async () => {
    const res = await post('/api/accounts', account({ balance: -1, timezone: 'Nowhere/Land', status: 'gone' }));
    expect(res.status).toBe(400);
    expect(paths(res).sort()).toEqual(['balance', 'status', 'timezone']);
  });

  it('keeps account numbers unique within a client, not across clients', async () => {
    const first = await post('/api/accounts', account({ accountNumber: `${w.prefix}-DUP` }));
    expect(first.status).toBe(201);
    const again = await post('/api/accounts', account({ accountNumber: `${w.prefix}-DUP` }));
    expect(again.status).toBe(400);
    expect(paths(again)).toEqual(['accountNumber']);
    const otherClient = await http(strapi).post('/api/accounts').set('Authorization', `Bearer ${w.tokens.supervisorB}`).send({
      data: account({ accountNumber: `${w.prefix}-DUP`, client: w.clients.b.documentId, phones: [] }),
    });
    expect(otherClient.status).toBe(201);
    const renamed = await put(`/api/accounts/${w.accounts.a2.documentId}`, { accountNumber: `${w.prefix}-DUP` });
    expect(renamed.status).toBe(400);
    expect(paths(renamed)).toEqual(['accountNumber']);
  });

  it('validates updates too, and a valid update still passes', async () => {
    expect(paths(await put(`/api/accounts/${w.accounts.a2.documentId}`, { balance: -3 }))).toEqual(['balance']);
    const ok = await put(`/api/accounts/${w.accounts.a2.documentId}?populate=phones`, { balance: '99.90', phones: [{ number: '312 555 0144', type: 'work', status: 'valid', autodialConsent: true, consentDate: '2025-03-01T00:00:00Z', consentSource: 'debtor_written' }] });
    expect(ok.status).toBe(200);
    expect(ok.body.data.balance).toBe(99.9);
    expect(ok.body.data.phones[0].number).toBe('+13125550144');
  });

  it('validates writes made through the document service, not only REST', async () => {
    await expect(
      strapi.documents('api::account.account').create({ data: { ...account({ balance: -1 }) } } as any),
    ).rejects.toMatchObject({ name: 'ValidationError', details: { errors: [expect.objectContaining({ path: ['balance'] })] } });
  });
});

describe('campaign', () => {
  it.each([
    ['an abandon target above the legal 3 %', { abandonTarget: 0.05 }, 'abandonTarget'],
    ['a ring timeout under 15 s', { ringTimeoutSec: 10 }, 'ringTimeoutSec'],
    ['a drop window over 2 s', { dropWindowSec: 5 }, 'dropWindowSec'],
    ['a call window starting before 08:00', { callWindowStart: '07:30' }, 'callWindowStart'],
    ['a call window ending after 21:00', { callWindowEnd: '21:30' }, 'callWindowEnd'],
    ['a call window that ends before it starts', { callWindowStart: '15:00', callWindowEnd: '10:00' }, 'callWindowEnd'],
    ['a dial mode outside the list', { dialMode: 'blaster' }, 'dialMode'],
    ['a missing client', { client: null }, 'client'],
  ])('refuses %s', async (_label, overrides, path) => {
    const res = await post('/api/campaigns', { name: 'Bad', client: w.clients.a.documentId, ...overrides });
    expect(res.status).toBe(400);
    expect(paths(res)).toContain(path);
  });
});

describe('promises, callbacks, calls and DNC', () => {
  it.each([
    ['/api/promises-to-pay', { account: 'a1', amount: 0, dueDate: '2026-12-01' }, 'amount'],
    ['/api/promises-to-pay', { account: 'a1', amount: 10, dueDate: 'someday' }, 'dueDate'],
    ['/api/promises-to-pay', { account: 'a1', amount: 10, dueDate: '2026-12-01', state: 'maybe' }, 'state'],
    ['/api/callbacks', { account: 'a1', dueAt: '2026-12-01T10:00:00Z', phone: 'call me' }, 'phone'],
    ['/api/callbacks', { account: 'a1' }, 'dueAt'],
    ['/api/calls', { account: 'a1', outcome: 'exploded' }, 'outcome'],
    ['/api/calls', { account: 'a1', talkSeconds: -4 }, 'talkSeconds'],
    ['/api/dnc-entries', { phone: '555' }, 'phone'],
    ['/api/dnc-entries', { phone: '+13125550100', scope: 'client' }, 'client'],
    ['/api/dnc-entries', { phone: '+13125550100', scope: 'galaxy' }, 'scope'],
  ] as Array<[string, Record<string, unknown>, string]>)('%s refuses %j', async (url, data, path) => {
    const body = { ...data, ...(data.account ? { account: w.accounts.a1.documentId } : {}) };
    const res = await post(url, body);
    expect(res.status).toBe(400);
    expect(paths(res)).toContain(path);
  });
});
