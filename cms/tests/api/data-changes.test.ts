/**
 * Change notices for the console's live provider: cms publishes on Redis, after the commit,
 * which record changed and who reads it. A real Redis (the machine's, on a channel of this
 * test's own) and a booted cms on PostgreSQL.
 */
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const CHANNEL = `test:data-changes:${process.pid}:${Date.now()}`;
const saved = { url: process.env.REDIS_URL, channel: process.env.DATA_CHANGES_CHANNEL };

let strapi: Core.Strapi;
let w: World;
let sub: Redis;
const heard: any[] = [];
const waiters: Array<() => void> = [];

/** The notice of this write of this record, heard already or as soon as it arrives. */
function notice(documentId: string, action: string): Promise<any> {
  const match = (m: any) => m.documentId === documentId && m.action === action;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${action} notice within 10 s; heard ${JSON.stringify(heard)}`)), 10_000);
    const check = () => {
      const found = heard.find(match);
      if (!found) return false;
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    if (!check()) waiters.push(() => void check());
  });
}

beforeAll(async () => {
  process.env.REDIS_URL = REDIS_URL;
  process.env.DATA_CHANGES_CHANNEL = CHANNEL;
  sub = new Redis(REDIS_URL);
  await sub.subscribe(CHANNEL);
  sub.on('message', (_channel: string, raw: string) => {
    heard.push(JSON.parse(raw));
    for (const w of waiters.splice(0)) w();
  });
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'live');
});

afterAll(async () => {
  await stopStrapi(strapi);
  sub?.disconnect();
  for (const [name, value] of [['REDIS_URL', saved.url], ['DATA_CHANGES_CHANNEL', saved.channel]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('change notices', () => {
  it('tell of a create, an update and a delete, with ids and routing keys only', async () => {
    const res = await http(strapi).post('/api/accounts').set(as(w.tokens.supervisorA)).send({ data: { accountNumber: `${w.prefix}-live-1`, client: w.clients.a.documentId, debtorLastName: 'Live', balance: 10, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id } });
    expect(res.status).toBe(201);
    const created = res.body.data.documentId;
    expect(await notice(created, 'created')).toEqual({ resource: 'accounts', documentId: created, action: 'created', at: expect.any(String), clientDocumentIds: [w.clients.a.documentId], agentIds: [w.users.agentA1.id], global: false });

    // Reassigned: the agent who had it and the one who has it now both hear of it.
    const updated = notice(created, 'updated');
    expect((await http(strapi).put(`/api/accounts/${created}`).set(as(w.tokens.supervisorA)).send({ data: { assignedAgent: w.users.agentA2.id } })).status).toBe(200);
    expect((await updated).agentIds.sort()).toEqual([w.users.agentA1.id, w.users.agentA2.id].sort());

    const deleted = notice(created, 'deleted');
    expect((await http(strapi).delete(`/api/accounts/${created}`).set(as(w.tokens.supervisorA))).status).toBe(204);
    expect(await deleted).toMatchObject({ resource: 'accounts', clientDocumentIds: [w.clients.a.documentId], agentIds: [w.users.agentA2.id] });
  });

  it('say nothing of a write that failed, and of one rolled back', async () => {
    const from = heard.length;
    const refused = await http(strapi).put(`/api/accounts/${w.accounts.a1.documentId}`).set(as(w.tokens.supervisorA)).send({ data: { balance: -5 } });
    expect(refused.status).toBe(400);
    await expect(
      strapi.db.transaction(async () => {
        await strapi.documents('api::account.account').update({ documentId: w.accounts.a1b.documentId, data: { debtorLastName: 'Rolled back' } } as any);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // A later write's notice arrives: everything published before it has arrived too (one connection, in order).
    const barrier = notice(w.accounts.a2.documentId, 'updated');
    await strapi.documents('api::account.account').update({ documentId: w.accounts.a2.documentId, data: { notes: 'barrier' } } as any);
    await barrier;
    expect(heard.slice(from).filter((m) => m.documentId === w.accounts.a1.documentId || m.documentId === w.accounts.a1b.documentId)).toEqual([]);
  });

  it('mark reference data as everyone\'s and route a call to its agent and client', async () => {
    const disposition = w.dispositions[0];
    const d = notice(disposition.documentId, 'updated');
    await strapi.documents('api::disposition.disposition').update({ documentId: disposition.documentId, data: { label: disposition.label } } as any);
    expect(await d).toMatchObject({ resource: 'dispositions', global: true, clientDocumentIds: [], agentIds: [] });
    const c = notice(w.calls.b1.documentId, 'updated');
    await strapi.documents('api::call.call').update({ documentId: w.calls.b1.documentId, data: { notes: 'checked' } } as any);
    expect(await c).toMatchObject({ resource: 'calls', clientDocumentIds: [w.clients.b.documentId], agentIds: [w.users.agentB1.id], global: false });
  });
});
