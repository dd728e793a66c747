import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let byColleague: any;
let byDialer: any;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ac');
  const call = (data: Record<string, unknown>) => strapi.documents('api::call.call').create({ data: { account: w.accounts.a1.documentId, phone: '+13125550101', queuedAt: new Date().toISOString(), ...data } } as any);
  // Before agentA1's account was theirs, a colleague talked to the debtor; the dialer also tried once with no answer.
  byColleague = await call({ agent: w.users.agentA2.id, outcome: 'connected', notes: 'Debtor asked for a statement' });
  byDialer = await call({ outcome: 'no_answer' });
});
afterAll(() => stopStrapi(strapi));

const get = (who: string, url: string) => http(strapi).get(url).set('Authorization', `Bearer ${w.tokens[who]}`);
const history = (who: string, account: any, query = '') => get(who, `/api/accounts/${account.documentId}/calls${query}`);
const byId = (res: any) => Object.fromEntries((res.body.data as any[]).map((c) => [c.documentId, c]));

describe("an account's calls", () => {
  it("show an agent every call on their account, newest first, naming only the agent themself", async () => {
    const res = await history('agentA1', w.accounts.a1);
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: any) => c.documentId)).toEqual([byDialer.documentId, byColleague.documentId, w.calls.a1.documentId]);
    const calls = byId(res);
    expect(calls[w.calls.a1.documentId].agent).toEqual({ id: w.users.agentA1.id, username: w.users.agentA1.username });
    expect(calls[byColleague.documentId]).toMatchObject({ agent: null, outcome: 'connected', notes: 'Debtor asked for a statement' });
    expect(calls[byDialer.documentId].agent).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain(w.users.agentA2.username);
    expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 25, pageCount: 1, total: 3 });
  });

  it("name every agent to the client's supervisor, and none to an analyst", async () => {
    const sup = byId(await history('supervisorA', w.accounts.a1));
    expect(sup[byColleague.documentId].agent.username).toBe(w.users.agentA2.username);
    const analyst = await history('analystA', w.accounts.a1);
    expect(analyst.status).toBe(200);
    expect(analyst.body.data.map((c: any) => c.agent)).toEqual([null, null, null]);
  });

  it.each([
    ["another agent's account", 'agentA1', 'a2'],
    ["another client's account", 'agentA1', 'b1'],
    ["another client's account, for a supervisor", 'supervisorB', 'a1'],
  ])('answer 404 for %s, as for an account that does not exist', async (_label, who, key) => {
    const res = await history(who, (w.accounts as any)[key]);
    expect(res.status).toBe(404);
    expect(res.body.data).toBeNull();
  });

  it('come in pages', async () => {
    const res = await history('agentA1', w.accounts.a1, '?pagination[page]=2&pagination[pageSize]=2');
    expect(res.body.data.map((c: any) => c.documentId)).toEqual([w.calls.a1.documentId]);
    expect(res.body.meta.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, total: 3 });
  });

  it('are closed to a visitor without a login', async () => {
    const res = await http(strapi).get(`/api/accounts/${w.accounts.a1.documentId}/calls`);
    expect([401, 403]).toContain(res.status);
  });
});
