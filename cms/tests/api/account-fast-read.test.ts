import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, login, PASSWORD, type World } from '../helpers/world';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jwt = require('jsonwebtoken');
import type * as AccountRead from '../../src/middlewares/account-read';

// The compiled module, the one the booted cms runs (the source would be a second instance with its own switches).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { accountReadCounters, setAccountFastPath }: typeof AccountRead = require('../../dist/src/middlewares/account-read');

/**
 * The account read's fast path (src/middlewares/account-read.ts) against
 * Strapi's generic path: every request below is sent twice, once with the fast
 * path on and once with it off, and both answers must be the same bytes, status
 * and headers. Each case also says which path must have answered it, so that a
 * fast path that silently fell back everywhere would fail here too.
 */

let strapi: Core.Strapi;
let w: World;
let rich: any;
let deletedId: string;
let apiToken: string;
let blockedToken: string;
let blockedAccount: any;
let expiredToken: string;
let wrongSecretToken: string;
let loggedOutToken: string;
let deletedUserToken: string;
let noRoleToken: string;

const UNKNOWN = 'zzzzzzzzzzzzzzzzzzzzzzzz';
const FORGED = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6MSwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW5vdC1vdXJz';

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'fr');
  // Every field set, three phones written out of order: dates, decimals, booleans, enums and the phones' order all show.
  rich = await strapi.documents('api::account.account').create({
    data: {
      accountNumber: `${w.prefix}-rich`, client: w.clients.a.documentId, debtorFirstName: 'Robin', debtorLastName: 'Rich', debtorEmail: 'robin@example.com',
      addressLine1: '1 Main St', addressLine2: 'Apt 2', city: 'Chicago', region: 'IL', postalCode: '60601', country: 'US',
      balance: 1234.56, originalBalance: 2000.1, currency: 'USD', daysPastDue: 45, delinquencyBucket: 'dpd_31_60', status: 'promised',
      timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id, originalCreditor: 'Acme Card', chargeOffDate: '2025-03-04', lastPaymentDate: '2025-06-07',
      lastContactAt: '2026-01-02T03:04:05.678Z', nextActionDate: '2026-02-03', notes: 'Line one\nline "two" – ünïcode',
      phones: [
        { number: '(312) 555-0111', type: 'work', status: 'bad', isPrimary: false, autodialConsent: true, consentDate: '2025-01-01T10:00:00.000Z', consentSource: 'debtor_written' },
        { number: '(312) 555-0112', type: 'mobile', status: 'valid', isPrimary: true, autodialConsent: false },
        { number: '(312) 555-0113', type: 'landline', status: 'dnc', autodialConsent: false, consentRevokedAt: '2025-02-02T00:00:00.000Z', consentRevocationSource: 'attorney' },
      ],
    },
  } as any);
  const doomed = await strapi.documents('api::account.account').create({
    data: { accountNumber: `${w.prefix}-gone`, client: w.clients.a.documentId, debtorLastName: 'Gone', balance: 1, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id },
  } as any);
  deletedId = doomed.documentId;
  await strapi.documents('api::account.account').delete({ documentId: deletedId } as any);
  // agentA2 is on a live dialer call about a1 (assigned to agentA1): the rules open a1 to agentA2 until wrap-up.
  await strapi.documents('api::call.call').create({ data: { account: w.accounts.a1.documentId, agent: w.users.agentA2.id, outcome: 'pending', recordedBy: 'dialer' } } as any);
  apiToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-bi`, type: 'full-access', lifespan: null } as any)).accessKey;
  // A login taken before its user was blocked.
  const blocked = await newUser('blocked', 'agent', w.clients.a);
  blockedAccount = await strapi.documents('api::account.account').create({
    data: { accountNumber: `${w.prefix}-blocked`, client: w.clients.a.documentId, debtorLastName: 'Blocked', balance: 1, timezone: 'America/Chicago', assignedAgent: blocked.id },
  } as any);
  blockedToken = blocked.token;
  await strapi.db.query('plugin::users-permissions.user').update({ where: { id: blocked.id }, data: { blocked: true } });
  // agentA1's own token, its claims kept, signed with the right secret but expired; and one signed with another secret.
  const claims = jwt.decode(w.tokens.agentA1);
  const secret = strapi.config.get('plugin::users-permissions.jwtSecret') as any;
  const now = Math.floor(Date.now() / 1000);
  expiredToken = jwt.sign({ ...claims, iat: now - 7200, exp: now - 60 }, secret, { algorithm: 'HS256' });
  wrongSecretToken = jwt.sign({ ...claims, iat: now, exp: now + 600 }, 'not-the-secret-of-this-cms-0123456789', { algorithm: 'HS256' });
  // A session logged out of: its access token is refused (within seconds, as the sessions suite allows).
  loggedOutToken = await login(strapi, w.users.agentA1.username);
  expect((await http(strapi).post('/api/auth/logout').set('Authorization', `Bearer ${loggedOutToken}`).send({})).status).toBe(200);
  for (let i = 0; i < 50 && (await http(strapi).get('/api/session').set('Authorization', `Bearer ${loggedOutToken}`)).status !== 401; i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  // A user deleted after logging in; a user whose role is none of the scoped ones.
  const deleted = await newUser('deleted', 'agent', w.clients.a);
  deletedUserToken = deleted.token;
  await strapi.db.query('plugin::users-permissions.user').delete({ where: { id: deleted.id } });
  noRoleToken = (await newUser('norole', 'authenticated', w.clients.a)).token;
});

/** A user of `role`, member of `client`, logged in. */
async function newUser(name: string, role: string, client: any): Promise<{ id: number; documentId: string; username: string; token: string }> {
  const roleRow = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: role } });
  const username = `${w.prefix}_${name}`;
  const user = await strapi.plugin('users-permissions').service('user').add({
    username, email: `${username.toLowerCase()}@test.example.com`, password: PASSWORD, provider: 'local', confirmed: true, blocked: false, role: roleRow.id,
  });
  await strapi.documents('api::client.client').update({ documentId: client.documentId, data: { members: { connect: [{ id: user.id }] } } } as any);
  return { id: user.id, documentId: user.documentId, username, token: await login(strapi, username) };
}
afterAll(() => stopStrapi(strapi));

const VOLATILE_HEADERS = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

/** `bearer`: a token (sent as `Bearer <token>`), or a whole Authorization header when it starts with '='. */
async function bothPaths(url: string, bearer: string | null) {
  const send = async (fast: boolean) => {
    setAccountFastPath(strapi, fast);
    const before = { ...accountReadCounters(strapi) };
    const req = http(strapi).get(url);
    if (bearer) req.set('Authorization', bearer.startsWith('=') ? bearer.slice(1) : `Bearer ${bearer}`);
    const res = await req;
    const after = accountReadCounters(strapi);
    const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !VOLATILE_HEADERS.has(name)));
    return { status: res.status, text: res.text, headers, servedFast: after.fast - before.fast === 1 };
  };
  const fast = await send(true);
  const generic = await send(false);
  setAccountFastPath(strapi, true);
  return { fast, generic };
}

type Case = [label: string, who: () => string | null, id: () => string, query: string, status: number, fast: boolean];

const token = (who: string) => () => w.tokens[who];
const ACCOUNTS: Record<string, () => string> = {
  rich: () => rich.documentId,
  blocked: () => blockedAccount.documentId,
  // Ids that are not an account's documentId: the same 404 as Strapi's, from Strapi.
  numeric: () => String(w.accounts.a1.id),
  clientDocumentId: () => w.clients.a.documentId,
  callDocumentId: () => w.calls.a1.documentId,
  campaignDocumentId: () => w.campaigns.a.documentId,
  userDocumentId: () => w.users.agentA1.documentId,
};
const account = (key: string) => () => (ACCOUNTS[key] ?? (() => (w.accounts as any)[key].documentId))();

const SUPPORTED: Array<[string, string]> = [
  ['no query', ''],
  ['populate=phones', '?populate=phones'],
];

/** Who asks: [label, Authorization]. */
const READERS: Record<string, () => string | null> = {
  agentA1: token('agentA1'),
  agentA2: token('agentA2'),
  agentB1: token('agentB1'),
  supervisorA: token('supervisorA'),
  supervisorB: token('supervisorB'),
  analystA: token('analystA'),
};

const readCases: Case[] = [];
for (const [shape, query] of SUPPORTED) {
  readCases.push(
    [`agent, own account (${shape})`, READERS.agentA1, account('a1'), query, 200, true],
    [`agent, own second account (${shape})`, READERS.agentA1, account('a1b'), query, 200, true],
    [`agent, own account with every field (${shape})`, READERS.agentA1, account('rich'), query, 200, true],
    [`agent, another agent's account (${shape})`, READERS.agentA1, account('a2'), query, 404, false],
    [`agent, another client's account (${shape})`, READERS.agentA1, account('b1'), query, 404, false],
    [`agent on a live call about another agent's account (${shape})`, READERS.agentA2, account('a1'), query, 200, true],
    [`agent on a live call, own account (${shape})`, READERS.agentA2, account('a2'), query, 200, true],
    [`agent on a live call, an account not on the call (${shape})`, READERS.agentA2, account('a1b'), query, 404, false],
    [`agent on a live call, another client's account (${shape})`, READERS.agentA2, account('b1'), query, 404, false],
    [`agent of another client, own account (${shape})`, READERS.agentB1, account('b1'), query, 200, true],
    [`agent of another client, client A's account (${shape})`, READERS.agentB1, account('a1'), query, 404, false],
    [`agent of another client, client A's rich account (${shape})`, READERS.agentB1, account('rich'), query, 404, false],
    [`supervisor, their client's account (${shape})`, READERS.supervisorA, account('a2'), query, 200, true],
    [`supervisor, their client's account with every field (${shape})`, READERS.supervisorA, account('rich'), query, 200, true],
    [`supervisor, their client's blocked agent's account (${shape})`, READERS.supervisorA, account('blocked'), query, 200, true],
    [`supervisor, another client's account (${shape})`, READERS.supervisorA, account('b1'), query, 404, false],
    [`supervisor of the other client, own client's account (${shape})`, READERS.supervisorB, account('b1'), query, 200, true],
    [`supervisor of the other client, client A's account (${shape})`, READERS.supervisorB, account('a1'), query, 404, false],
    [`analyst, their client's account (${shape})`, READERS.analystA, account('a1'), query, 200, true],
    [`analyst, their client's account with every field (${shape})`, READERS.analystA, account('rich'), query, 200, true],
    [`analyst, another client's account (${shape})`, READERS.analystA, account('b1'), query, 404, false],
    [`unknown id (${shape})`, READERS.agentA1, () => UNKNOWN, query, 404, false],
    [`unknown id, supervisor (${shape})`, READERS.supervisorA, () => UNKNOWN, query, 404, false],
    [`numeric id of an own account (${shape})`, READERS.agentA1, account('numeric'), query, 404, false],
    [`numeric id, supervisor (${shape})`, READERS.supervisorA, account('numeric'), query, 404, false],
    [`a client's documentId (${shape})`, READERS.supervisorA, account('clientDocumentId'), query, 404, false],
    [`a call's documentId (${shape})`, READERS.agentA1, account('callDocumentId'), query, 404, false],
    [`a campaign's documentId (${shape})`, READERS.supervisorA, account('campaignDocumentId'), query, 404, false],
    [`a user's documentId (${shape})`, READERS.agentA1, account('userDocumentId'), query, 404, false],
    [`deleted account (${shape})`, READERS.agentA1, () => deletedId, query, 404, false],
    [`deleted account, supervisor (${shape})`, READERS.supervisorA, () => deletedId, query, 404, false],
    [`blocked user's token, own account (${shape})`, () => blockedToken, account('blocked'), query, 401, false],
    [`blocked user's token, another account (${shape})`, () => blockedToken, account('a1'), query, 401, false],
    [`deleted user's token (${shape})`, () => deletedUserToken, account('a1'), query, 401, false],
    [`logged-out session's token (${shape})`, () => loggedOutToken, account('a1'), query, 401, false],
    [`expired token (${shape})`, () => expiredToken, account('a1'), query, 401, false],
    [`token signed with another secret (${shape})`, () => wrongSecretToken, account('a1'), query, 401, false],
    [`forged token (${shape})`, () => FORGED, account('a1'), query, 401, false],
    [`malformed token, three parts (${shape})`, () => 'abc.def.ghi', account('a1'), query, 401, false],
    [`malformed token, one part (${shape})`, () => 'not-a-jwt', account('a1'), query, -1, false],
    [`token of a user with no scoped role (${shape})`, () => noRoleToken, account('a1'), query, -1, false],
    [`no token (${shape})`, () => null, account('a1'), query, -1, false],
    [`empty Authorization header (${shape})`, () => '=', account('a1'), query, -1, false],
    [`Basic authorization (${shape})`, () => '=Basic dXNlcjpwYXNz', account('a1'), query, -1, false],
    [`API token (${shape})`, () => apiToken, account('a1'), query, 200, false],
    [`API token, unknown id (${shape})`, () => apiToken, () => UNKNOWN, query, 404, false],
    [`lower-case bearer (${shape})`, () => `=bearer ${w.tokens.agentA1}`, account('a1'), query, -1, true],
    [`bearer with trailing space (${shape})`, () => `=Bearer ${w.tokens.agentA1}  `, account('a1'), query, -1, true],
  );
}

// Shapes the fast path leaves to Strapi: it must not answer them, and the answer must still be Strapi's.
const UNSUPPORTED = [
  '?populate=*',
  '?populate[phones]=true',
  '?populate[phones][fields][0]=number',
  '?populate[0]=phones',
  '?populate=phones,client',
  '?populate=client',
  '?populate=assignedAgent',
  '?populate=PHONES',
  '?populate=phones&populate=client',
  '?populate=phones&foo=1',
  '?populate=phones&x=1',
  '?x=1&populate=phones',
  '?populate%3Dphones',
  '?populate=phone%73',
  '?fields=balance',
  '?fields[0]=balance',
  '?fields[0]=balance&populate=phones',
  '?filters[status][$eq]=open',
  '?filters[assignedAgent][id][$ne]=0',
  '?status=draft',
  '?locale=fr',
  '?populate=',
  '?populate=phones%20',
  '?populate=phones&',
  '?&populate=phones',
];
const shapeCases: Case[] = UNSUPPORTED.flatMap((query): Case[] => [
  [`agent, own account, ${query}`, READERS.agentA1, account('rich'), query, -1, false],
  [`agent, another agent's account, ${query}`, READERS.agentA1, account('a2'), query, -1, false],
  [`agent, another client's account, ${query}`, READERS.agentA1, account('b1'), query, -1, false],
  [`supervisor, ${query}`, READERS.supervisorA, account('rich'), query, -1, false],
  [`no token, ${query}`, () => null, account('rich'), query, -1, false],
]);
// A bare '?' is the empty query string: the fast path answers it, as Strapi would.
const emptyQueryCases: Case[] = [
  ['agent, own account, ?', READERS.agentA1, account('rich'), '?', 200, true],
  ['supervisor, ?', READERS.supervisorA, account('rich'), '?', 200, true],
  ['agent, another agent\'s account, ?', READERS.agentA1, account('a2'), '?', 404, false],
];

// Paths next to the account's that are other routes, no route, or the same route spelled otherwise.
const pathCases: Case[] = [
  ['custom route /accounts/agents', READERS.supervisorA, () => 'agents', '', 200, false],
  ['custom route /accounts/agents, agent', READERS.agentA1, () => 'agents', '', -1, false],
  ['trailing slash', READERS.agentA1, () => `${w.accounts.a1.documentId}/`, '', -1, false],
  ['trailing slash, populate=phones', READERS.agentA1, () => `${w.accounts.a1.documentId}/`, '?populate=phones', -1, false],
  ['upper-case id', READERS.agentA1, () => w.accounts.a1.documentId.toUpperCase(), '', 404, false],
  ["an account's calls", READERS.agentA1, () => `${w.accounts.a1.documentId}/calls`, '', 200, false],
  ["an account's contact rules", READERS.agentA1, () => `${w.accounts.a1.documentId}/contact-rules`, '', -1, false],
  ['encoded slash in the id', READERS.agentA1, () => `${w.accounts.a1.documentId}%2Fcalls`, '', -1, false],
  ['id with a dot', READERS.agentA1, () => `${w.accounts.a1.documentId}.json`, '', -1, false],
  ['id of 65 characters', READERS.agentA1, () => 'a'.repeat(65), '', -1, false],
];
// The same read under other spellings of the path: Strapi's router may match them; the fast path leaves them to it.
const spelledCases: Array<[label: string, who: () => string | null, url: () => string, fast: boolean]> = [
  ['upper-case path', READERS.agentA1, () => `/API/ACCOUNTS/${w.accounts.a1.documentId}`, false],
  ['upper-case collection', READERS.agentA1, () => `/api/Accounts/${w.accounts.a1.documentId}`, false],
  ['upper-case path, populate=phones', READERS.agentA1, () => `/API/ACCOUNTS/${w.accounts.a1.documentId}?populate=phones`, false],
  ['double slash', READERS.agentA1, () => `/api//accounts/${w.accounts.a1.documentId}`, false],
  ['dot segment', READERS.agentA1, () => `/api/calls/../accounts/${w.accounts.a1.documentId}`, false],
  ['percent-encoded letter in the id', READERS.agentA1, () => `/api/accounts/%${w.accounts.a1.documentId.charCodeAt(0).toString(16)}${w.accounts.a1.documentId.slice(1)}`, false],
  ['the plain path, for reference', READERS.agentA1, () => `/api/accounts/${w.accounts.a1.documentId}`, true],
];

describe('account read: fast path and generic path answer alike', () => {
  it.each([...readCases, ...shapeCases, ...emptyQueryCases, ...pathCases])('%s', async (_label, who, id, query, status, servedFast) => {
    const { fast, generic } = await bothPaths(`/api/accounts/${id()}${query}`, who());
    expectSame(fast, generic, servedFast);
    if (status !== -1) expect(fast.status).toBe(status);
  });

  it.each(spelledCases)('%s', async (_label, who, url, servedFast) => {
    const { fast, generic } = await bothPaths(url(), who());
    expectSame(fast, generic, servedFast);
  });

  it('case table sanity: the fast path answered a fair share of the reads', () => {
    expect(readCases.filter((c) => c[5]).length).toBeGreaterThanOrEqual(20);
  });

  it('HEAD and OPTIONS are left to Strapi', async () => {
    const url = `/api/accounts/${w.accounts.a1.documentId}`;
    for (const method of ['head', 'options'] as const) {
      const results = [];
      for (const on of [true, false]) {
        setAccountFastPath(strapi, on);
        const before = accountReadCounters(strapi).fast;
        const res = await (http(strapi) as any)[method](url).set('Authorization', `Bearer ${w.tokens.agentA1}`);
        results.push({ status: res.status, served: accountReadCounters(strapi).fast - before });
      }
      setAccountFastPath(strapi, true);
      expect(results[0]).toEqual(results[1]);
      expect(results[0].served).toBe(0);
    }
  });
});

type Answer = Awaited<ReturnType<typeof bothPaths>>['fast'];

function expectSame(fast: Answer, generic: Answer, servedFast: boolean) {
  {
    expect(fast.status).toBe(generic.status);
    // Byte for byte when the fast path answered; Strapi's own answers are compared as JSON, since it
    // populates relations concurrently and the keys come out in the order the queries finish.
    if (fast.servedFast) expect(fast.text).toBe(generic.text);
    else expect(JSON.parse(fast.text || 'null')).toEqual(JSON.parse(generic.text || 'null'));
    expect(fast.headers).toEqual(generic.headers);
    expect(generic.servedFast).toBe(false);
    expect(fast.servedFast).toBe(servedFast);
  }
}

describe('account read: what the fast path answers', () => {
  it('answers with the phones in their order and every field', async () => {
    const { fast } = await bothPaths(`/api/accounts/${rich.documentId}?populate=phones`, w.tokens.agentA1);
    expect(fast.servedFast).toBe(true);
    const data = JSON.parse(fast.text).data;
    expect(data.phones.map((p: any) => p.number)).toEqual(['+13125550111', '+13125550112', '+13125550113']);
    expect(data).toMatchObject({ balance: 1234.56, chargeOffDate: '2025-03-04', lastContactAt: '2026-01-02T03:04:05.678Z', notes: 'Line one\nline "two" – ünïcode' });
  });

  it('sees a live-call grant end at wrap-up, as the generic path does', async () => {
    const live = await strapi.db.query('api::call.call').findMany({ where: { agent: { id: w.users.agentA2.id }, recordedBy: 'dialer' } });
    await strapi.db.query('api::call.call').updateMany({ where: { id: { $in: live.map((c: any) => c.id) } }, data: { outcome: 'connected', wrapEndedAt: new Date() } });
    const { fast, generic } = await bothPaths(`/api/accounts/${w.accounts.a1.documentId}`, w.tokens.agentA2);
    expect(fast.status).toBe(404);
    expectSame(fast, generic, false);
  });
});

/**
 * What an administrator changes between two reads (an assignment, a role, a
 * grant, a membership, a block) shows in the very next read, fast path or not:
 * each step is one request per path, compared as above.
 */
describe("account read: the fast path follows an admin's changes", () => {
  let mover: Awaited<ReturnType<typeof newUser>>;
  let own: any;
  const ACCOUNT = 'api::account.account';
  const USER = 'plugin::users-permissions.user';
  const roleId = async (type: string) => (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id;
  const read = async (documentId: string, bearer: string, query = '') => {
    const { fast, generic } = await bothPaths(`/api/accounts/${documentId}${query}`, bearer);
    expect(fast.status).toBe(generic.status);
    if (fast.servedFast) expect(fast.text).toBe(generic.text);
    else expect(JSON.parse(fast.text || 'null')).toEqual(JSON.parse(generic.text || 'null'));
    expect(generic.servedFast).toBe(false);
    return { status: fast.status, fast: fast.servedFast };
  };

  beforeAll(async () => {
    mover = await newUser('mover', 'agent', w.clients.a);
    own = await strapi.documents(ACCOUNT).create({
      data: { accountNumber: `${w.prefix}-mover`, client: w.clients.a.documentId, debtorLastName: 'Mover', balance: 10, timezone: 'America/Chicago', assignedAgent: mover.id, phones: [{ number: '(312) 555-0199', type: 'mobile', status: 'valid', autodialConsent: false }] },
    } as any);
  });

  it('an account reassigned away, then back', async () => {
    expect(await read(own.documentId, mover.token, '?populate=phones')).toEqual({ status: 200, fast: true });
    await strapi.documents(ACCOUNT).update({ documentId: own.documentId, data: { assignedAgent: w.users.agentA1.id } } as any);
    expect(await read(own.documentId, mover.token, '?populate=phones')).toEqual({ status: 404, fast: false });
    expect(await read(own.documentId, w.tokens.agentA1, '?populate=phones')).toEqual({ status: 200, fast: true });
    await strapi.documents(ACCOUNT).update({ documentId: own.documentId, data: { assignedAgent: mover.id } } as any);
    expect(await read(own.documentId, mover.token)).toEqual({ status: 200, fast: true });
    expect(await read(own.documentId, w.tokens.agentA1)).toEqual({ status: 404, fast: false });
  });

  it('an account unassigned', async () => {
    await strapi.documents(ACCOUNT).update({ documentId: own.documentId, data: { assignedAgent: null } } as any);
    expect(await read(own.documentId, mover.token)).toEqual({ status: 404, fast: false });
    expect(await read(own.documentId, w.tokens.supervisorA)).toEqual({ status: 200, fast: true });
    await strapi.documents(ACCOUNT).update({ documentId: own.documentId, data: { assignedAgent: mover.id } } as any);
    expect(await read(own.documentId, mover.token)).toEqual({ status: 200, fast: true });
  });

  it('agent made supervisor, then analyst, then a role with no scope, then agent again', async () => {
    const others = w.accounts.a2.documentId;
    expect(await read(others, mover.token)).toEqual({ status: 404, fast: false });
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { role: await roleId('supervisor') } } as any);
    expect(await read(others, mover.token)).toEqual({ status: 200, fast: true });
    expect(await read(w.accounts.b1.documentId, mover.token)).toEqual({ status: 404, fast: false });
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { role: await roleId('analyst') } } as any);
    expect(await read(others, mover.token, '?populate=phones')).toEqual({ status: 200, fast: true });
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { role: await roleId('authenticated') } } as any);
    const none = await read(others, mover.token);
    expect(none.fast).toBe(false);
    expect(none.status).not.toBe(200);
    expect((await read(own.documentId, mover.token)).fast).toBe(false);
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { role: await roleId('agent') } } as any);
    expect(await read(others, mover.token)).toEqual({ status: 404, fast: false });
    expect(await read(own.documentId, mover.token)).toEqual({ status: 200, fast: true });
  });

  it("the role's read grant revoked, then granted again", async () => {
    const agentRole = await roleId('agent');
    const PERMISSION = 'plugin::users-permissions.permission';
    const grant = await strapi.db.query(PERMISSION).findOne({ where: { action: 'api::account.account.findOne', role: agentRole } });
    expect(grant).toBeTruthy();
    await strapi.db.query(PERMISSION).delete({ where: { id: grant.id } });
    try {
      expect(await read(own.documentId, mover.token)).toEqual({ status: 403, fast: false });
    } finally {
      await strapi.db.query(PERMISSION).create({ data: { action: 'api::account.account.findOne', role: agentRole } });
    }
    expect(await read(own.documentId, mover.token)).toEqual({ status: 200, fast: true });
  });

  it('supervisor removed from the client, then added back', async () => {
    const sup = await newUser('movingsup', 'supervisor', w.clients.a);
    expect(await read(own.documentId, sup.token)).toEqual({ status: 200, fast: true });
    await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { members: { disconnect: [{ id: sup.id }] } } } as any);
    expect(await read(own.documentId, sup.token)).toEqual({ status: 404, fast: false });
    await strapi.documents('api::client.client').update({ documentId: w.clients.b.documentId, data: { members: { connect: [{ id: sup.id }] } } } as any);
    expect(await read(own.documentId, sup.token)).toEqual({ status: 404, fast: false });
    expect(await read(w.accounts.b1.documentId, sup.token)).toEqual({ status: 200, fast: true });
    await strapi.documents('api::client.client').update({ documentId: w.clients.a.documentId, data: { members: { connect: [{ id: sup.id }] } } } as any);
    expect(await read(own.documentId, sup.token)).toEqual({ status: 200, fast: true });
  });

  it('a live call opens another agent\'s account, wrap-up closes it', async () => {
    const others = w.accounts.a2.documentId;
    expect(await read(others, mover.token)).toEqual({ status: 404, fast: false });
    const call = await strapi.documents('api::call.call').create({ data: { account: others, agent: mover.id, outcome: 'pending', recordedBy: 'dialer' } } as any);
    expect(await read(others, mover.token, '?populate=phones')).toEqual({ status: 200, fast: true });
    await strapi.db.query('api::call.call').update({ where: { id: call.id }, data: { outcome: 'connected', wrapEndedAt: new Date() } });
    expect(await read(others, mover.token)).toEqual({ status: 404, fast: false });
  });

  it('the user blocked, then unblocked', async () => {
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { blocked: true } } as any);
    expect(await read(own.documentId, mover.token)).toEqual({ status: 401, fast: false });
    await strapi.documents(USER).update({ documentId: mover.documentId, data: { blocked: false } } as any);
    // Blocking ended the user's sessions: the old token stays refused (on both paths alike), a new login reads again.
    expect(await read(own.documentId, mover.token)).toEqual({ status: 401, fast: false });
    expect(await read(own.documentId, await login(strapi, mover.username))).toEqual({ status: 200, fast: true });
  });
});

/** The statements sent to PostgreSQL on the pool's connections while `work` runs. */
async function statementsOf(work: () => Promise<unknown>): Promise<any[]> {
  const client: any = (strapi.db.connection as any).client;
  const acquire = client.acquireConnection.bind(client);
  const sent: any[] = [];
  client.acquireConnection = async () => {
    const connection = await acquire();
    const query = connection.query.bind(connection);
    connection.query = (config: any, ...rest: any[]) => {
      sent.push(typeof config === 'string' ? { text: config } : config);
      connection.query = query;
      return query(config, ...rest);
    };
    return connection;
  };
  try {
    await work();
  } finally {
    client.acquireConnection = acquire;
  }
  return sent;
}

describe('the reads PostgreSQL plans once', () => {
  // The compiled module, as the booted cms runs it.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { preparedRead } = require('../../dist/src/scale/prepared-read');

  it.each([
    ['another agent\'s account, opened by the live call', 'a1', ''],
    ['another agent\'s account, opened by the live call, with its phones', 'a1', '?populate=phones'],
    ['its own account', 'a2', ''],
  ])('an agent on a live call reads %s in one statement, the live-call check inside it', async (_label, key, query) => {
    const url = `/api/accounts/${(w.accounts as any)[key].documentId}${query}`;
    const get = () => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens.agentA2}`);
    // A call of its own: the suite's first live call may have been wrapped up by an earlier test.
    const call = await strapi.documents('api::call.call').create({ data: { account: w.accounts.a1.documentId, agent: w.users.agentA2.id, outcome: 'pending', recordedBy: 'dialer' } } as any);
    let res: any;
    let sent: any[];
    let before: number;
    try {
      await get(); // the auth cache fills on a first read
      before = accountReadCounters(strapi).fast;
      sent = await statementsOf(async () => (res = await get()));
    } finally {
      await strapi.db.query('api::call.call').update({ where: { id: call.id }, data: { outcome: 'connected', wrapEndedAt: new Date() } });
    }
    expect(res.status).toBe(200);
    expect(accountReadCounters(strapi).fast - before).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toMatch(/ in \(select distinct/);
  });

  it('sends a hot read as a named statement, the same name every time, and answers what an unnamed read answers', async () => {
    const sql = 'select a.document_id from accounts a where a.document_id = any(?::text[]) and a.balance >= ? order by a.document_id';
    const values = [`{${w.accounts.a1.documentId},${w.accounts.a2.documentId},${UNKNOWN}}`, 0];
    let first: any[] = [];
    let second: any[] = [];
    const sent = await statementsOf(async () => {
      first = await preparedRead(strapi, sql, values);
      second = await preparedRead(strapi, sql, values);
    });
    const unnamed = (await strapi.db.connection.raw(sql, values)).rows;
    expect(first).toEqual(unnamed);
    expect(second).toEqual(unnamed);
    expect(unnamed.map((r: any) => r.document_id).sort()).toEqual([w.accounts.a1.documentId, w.accounts.a2.documentId].sort());
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ name: expect.stringMatching(/^cms_[0-9a-f]{24}$/), text: expect.stringContaining('= any($1::text[]) and a.balance >= $2') });
    expect(sent[1].name).toBe(sent[0].name);
  });
});
