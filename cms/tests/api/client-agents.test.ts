import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ca');
});
afterAll(() => stopStrapi(strapi));

const agentsOf = (who: string, client: any) => http(strapi).get(`/api/clients/${client.documentId}/agents`).set('Authorization', `Bearer ${w.tokens[who]}`);

describe("a client's agents, for a campaign's agent picker", () => {
  it("lists the client's agents by name to its supervisor, and no supervisor, analyst or secret", async () => {
    const res = await agentsOf('supervisorA', w.clients.a);
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: any) => u.username)).toEqual([w.users.agentA1.username, w.users.agentA2.username]);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['documentId', 'id', 'username']);
  });

  it('leaves out a blocked agent', async () => {
    await strapi.db.query('plugin::users-permissions.user').update({ where: { id: w.users.agentA2.id }, data: { blocked: true } });
    try {
      expect((await agentsOf('supervisorA', w.clients.a)).body.data.map((u: any) => u.username)).toEqual([w.users.agentA1.username]);
    } finally {
      await strapi.db.query('plugin::users-permissions.user').update({ where: { id: w.users.agentA2.id }, data: { blocked: false } });
    }
  });

  it("answers 404 for another client's agents, as for a client that does not exist", async () => {
    expect((await agentsOf('supervisorB', w.clients.a)).status).toBe(404);
    expect((await agentsOf('supervisorA', { documentId: 'nosuchclient0000000000000' })).status).toBe(404);
  });

  it.each(['agentA1', 'analystA'])('is refused to %s, who assigns no agents', async (who) => {
    expect((await agentsOf(who, w.clients.a)).status).toBe(403);
  });
});
