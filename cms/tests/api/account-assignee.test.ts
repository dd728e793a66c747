import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, login, PASSWORD, type World } from '../helpers/world';

/**
 * A supervisor of two clients reads the agents of both, so the scope check on
 * relations alone let a plain `PUT /api/accounts/:id` give an account of one
 * client to an agent of the other. An account is worked by its own client's
 * agents: every shape Strapi links, on update and on create, is refused with
 * the field named, and the stored assignment does not move.
 */
let strapi: Core.Strapi;
let w: World;
let agentC: any;
let token: string;

type Doc = { id: number; documentId: string };

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'asg');
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'agent' } });
  agentC = await strapi.plugin('users-permissions').service('user').add({
    username: `${w.prefix}_agentC`, email: `${w.prefix}_agentc@test.example.com`, password: PASSWORD, provider: 'local', confirmed: true, blocked: false, role: role.id,
  });
  // Client C: supervisorA works for it too, with an agent of its own.
  await strapi.documents('api::client.client').create({
    data: { name: `${w.prefix} Bank C`, code: `${w.prefix.toUpperCase()}_C`, defaultCountry: 'US', members: { connect: [{ id: w.users.supervisorA.id }, { id: agentC.id }] } },
  } as any);
  token = await login(strapi, w.users.supervisorA.username);
});
afterAll(() => stopStrapi(strapi));

const put = (documentId: string, data: unknown) => http(strapi).put(`/api/accounts/${documentId}`).set('Authorization', `Bearer ${token}`).send({ data });
const post = (data: unknown) => http(strapi).post('/api/accounts').set('Authorization', `Bearer ${token}`).send({ data });

const SHAPES: Array<[string, (u: Doc) => unknown]> = [
  ['documentId', (u) => u.documentId],
  ['id', (u) => u.id],
  ['id as text', (u) => String(u.id)],
  ['{ id }', (u) => ({ id: u.id })],
  ['{ documentId }', (u) => ({ documentId: u.documentId })],
  ['[documentId]', (u) => [u.documentId]],
  ['connect [{ id }]', (u) => ({ connect: [{ id: u.id }] })],
  ['set [{ documentId }]', (u) => ({ set: [{ documentId: u.documentId }] })],
];

async function assignee(documentId: string): Promise<number | null> {
  const row = await strapi.db.query('api::account.account').findOne({ where: { documentId }, populate: { assignedAgent: { select: ['id'] } } } as any);
  return row?.assignedAgent?.id ?? null;
}

test('the supervisor can read the other client\'s agent (so only the new rule stands between them)', async () => {
  const res = await http(strapi).get(`/api/users/${agentC.id}`).set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
});

describe.each(SHAPES)('assignedAgent as %s', (_name, shape) => {
  test('PUT: an agent of another of the supervisor\'s clients is refused on the field, the account keeps its agent', async () => {
    const res = await put(w.accounts.a1b.documentId, { assignedAgent: shape(agentC) });
    expect(res.status).toBe(400);
    const errors = res.body.error.details.errors;
    expect(errors.map((e: any) => e.path[0])).toEqual(['assignedAgent']);
    expect(errors[0].message).toMatch(/does not work for the client/);
    expect(await assignee(w.accounts.a1b.documentId)).toBe(w.users.agentA1.id);
  });

  test('PUT: an agent of the account\'s own client is accepted', async () => {
    const res = await put(w.accounts.a1b.documentId, { assignedAgent: shape(w.users.agentA2) });
    expect(res.status).toBe(200);
    expect(await assignee(w.accounts.a1b.documentId)).toBe(w.users.agentA2.id);
    expect((await put(w.accounts.a1b.documentId, { assignedAgent: w.users.agentA1.id })).status).toBe(200);
  });

  test('POST: a new account of client A cannot be created for client C\'s agent', async () => {
    const accountNumber = `${w.prefix}-${Math.random().toString(36).slice(2, 10)}`;
    const res = await post({ accountNumber, client: w.clients.a.documentId, debtorLastName: 'New', balance: 10, timezone: 'America/Chicago', assignedAgent: shape(agentC) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: any) => e.path[0])).toEqual(['assignedAgent']);
    expect(await strapi.db.query('api::account.account').count({ where: { accountNumber } } as any)).toBe(0);
  });
});

test('clearing the assignment and moving between the client\'s own agents still work', async () => {
  expect((await put(w.accounts.a2.documentId, { assignedAgent: null })).status).toBe(200);
  expect(await assignee(w.accounts.a2.documentId)).toBeNull();
  expect((await put(w.accounts.a2.documentId, { assignedAgent: w.users.agentA2.documentId })).status).toBe(200);
  expect(await assignee(w.accounts.a2.documentId)).toBe(w.users.agentA2.id);
});
