import { normalizePopulate, scopePopulate } from '../../src/access/populate-scope';
import type { Access } from '../../src/access/access-context';

const schemas: Record<string, any> = {
  'api::call.call': { attributes: { account: { type: 'relation', target: 'api::account.account' }, disposition: { type: 'relation', target: 'api::disposition.disposition' }, notes: { type: 'text' }, createdBy: { type: 'relation', target: 'admin::user' } } },
  'api::account.account': { attributes: { client: { type: 'relation', target: 'api::client.client' }, phones: { type: 'component', component: 'contact.phone' }, assignedAgent: { type: 'relation', target: 'plugin::users-permissions.user' } } },
  'api::client.client': { attributes: { members: { type: 'relation', target: 'plugin::users-permissions.user' } } },
  'api::disposition.disposition': { attributes: {} },
  'contact.phone': { attributes: { number: { type: 'string' } } },
};
const agent: Access = { kind: 'scoped', role: 'agent', userId: 7, clients: async () => [], liveAccountIds: async () => [] };
const supervisor: Access = { kind: 'scoped', role: 'supervisor', userId: 3, clients: async () => [{ id: 1, documentId: 'c1' }], liveAccountIds: async () => [] };

describe('normalizePopulate', () => {
  it.each([
    ['*', { account: {}, disposition: {} }],
    ['account,disposition', { account: { populate: {} }, disposition: { populate: {} } }],
    [['account.client'], { account: { populate: { client: { populate: {} } } } }],
    [{ account: true, disposition: false }, { account: {} }],
  ])('reads %j', (input, expected) => {
    expect(normalizePopulate(input, schemas['api::call.call'])).toEqual(expected);
  });
});

describe('scopePopulate', () => {
  it('filters every populated relation by the reader\'s scope, at every depth', async () => {
    const tree = await scopePopulate('api::call.call', { account: { populate: { client: { populate: ['members'] }, phones: true } }, disposition: true }, agent, (u) => schemas[u]);
    expect(tree.account.filters).toEqual({ assignedAgent: { id: { $eq: 7 } } });
    expect(tree.account.populate.client.filters).toEqual({ members: { id: { $eq: 7 } } });
    expect(tree.account.populate.client.populate.members.filters).toEqual({ id: { $eq: 7 } });
    expect(tree.account.populate.phones.filters).toBeUndefined();
    expect(tree.disposition.filters).toBeUndefined();
  });

  it('keeps a caller\'s own nested filter and ANDs the scope onto it', async () => {
    const tree = await scopePopulate('api::call.call', { account: { filters: { status: 'open' } } }, supervisor, (u) => schemas[u]);
    expect(tree.account.filters).toEqual({ $and: [{ status: 'open' }, { client: { id: { $in: [1] } } }] });
  });

  it('drops what is not a populatable attribute', async () => {
    expect(await scopePopulate('api::call.call', { notes: true, nope: true }, agent, (u) => schemas[u])).toEqual({});
  });
});
