/**
 * Strapi reads every written entry back, deep-populated, for its entry events. With no webhook
 * (and no other listener) that read is skipped; once an administrator adds a webhook, its events
 * arrive as before, populated. A booted cms on PostgreSQL, the dialer's record PUT over HTTP, a
 * real webhook (Strapi's own store and runner) posting to an HTTP server of this test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { http as api, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';
import type * as EntryEvents from '../../src/scale/unheard-entry-events';

// The compiled module cms booted with: its record of who listens is the one that counts.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { entryEventHeard }: typeof EntryEvents = require('../../dist/src/scale/unheard-entry-events');

let strapi: Core.Strapi;
let w: World;
let token: string;
let hook: http.Server;
let hookUrl: string;
const received: any[] = [];

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'events');
  token = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await stopStrapi(strapi);
  await new Promise((resolve) => hook.close(resolve));
});

/** Statements a call record's PUT issues: the update of an existing record, so each write changes its notes. */
async function statementsOfRecordWrite(attemptId: string, notes: string): Promise<number> {
  const knex: any = strapi.db.connection;
  let count = 0;
  const onQuery = () => count++;
  knex.on('query', onQuery);
  try {
    const res = await api(strapi)
      .put(`/api/calls/attempts/${attemptId}`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ data: { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, agent: w.users.agentA1.id, phone: w.accounts.a1.phones[0].number, direction: 'outbound', outcome: 'pending', notes } });
    expect(res.status).toBe(200);
    // The event's read runs after the commit, unawaited: give it time to happen, if it does.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    knex.off('query', onQuery);
  }
  return count;
}

const until = async (what: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!what() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return what();
};

it('skips the read-back when nothing listens, and sends a webhook its populated entry when one does', async () => {
  const attemptId = `${w.prefix}-events-1`;
  const created = await api(strapi)
    .put(`/api/calls/attempts/${attemptId}`)
    .set({ Authorization: `Bearer ${token}` })
    .send({ data: { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, agent: w.users.agentA1.id, phone: w.accounts.a1.phones[0].number, direction: 'outbound', outcome: 'pending' } });
  expect(created.status).toBe(201);

  expect(entryEventHeard(strapi, 'entry.update')).toBe(false);
  // Once first, so that the token's lookup is cached for every write counted.
  await statementsOfRecordWrite(attemptId, 'warm');
  const unheard = await statementsOfRecordWrite(attemptId, 'first');

  const store: any = strapi.get('webhookStore');
  const runner: any = strapi.get('webhookRunner');
  const webhook = await store.createWebhook({ name: `${w.prefix}-hook`, url: hookUrl, headers: {}, events: ['entry.update'], isEnabled: true });
  runner.add(webhook);
  try {
    expect(entryEventHeard(strapi, 'entry.update')).toBe(true);
    expect(entryEventHeard(strapi, 'entry.delete')).toBe(false);
    const heard = await statementsOfRecordWrite(attemptId, 'second');
    expect(await until(() => received.some((e) => e.event === 'entry.update' && e.entry?.notes === 'second'))).toBe(true);
    const event = received.find((e) => e.entry?.notes === 'second');
    // As Strapi sends it: the model, and the entry with its relations populated.
    expect(event).toMatchObject({ event: 'entry.update', uid: 'api::call.call', entry: { attemptId, account: { documentId: w.accounts.a1.documentId }, campaign: { documentId: w.campaigns.a.documentId } } });
    // The read-back is the entry and each of its relations the populate does not join.
    expect(heard).toBeGreaterThan(unheard);
  } finally {
    runner.remove(webhook);
    await store.deleteWebhook(webhook.id);
  }

  expect(entryEventHeard(strapi, 'entry.update')).toBe(false);
  const before = received.length;
  const again = await statementsOfRecordWrite(attemptId, 'third');
  expect(again).toBe(unheard);
  expect(received.length).toBe(before);
});

it('emits to a listener added in code, and stops when it is removed', async () => {
  const seen: any[] = [];
  const off = strapi.eventHub.on('entry.update', async (info: any) => {
    seen.push(info);
  });
  const attemptId = `${w.prefix}-events-2`;
  const put = (notes: string) =>
    api(strapi)
      .put(`/api/calls/attempts/${attemptId}`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ data: { account: w.accounts.a1.documentId, campaign: w.campaigns.a.documentId, phone: w.accounts.a1.phones[0].number, direction: 'outbound', outcome: 'pending', notes } });
  expect((await put('a')).status).toBe(201);
  expect((await put('b')).status).toBe(200);
  expect(await until(() => seen.some((e) => e.entry?.notes === 'b'))).toBe(true);
  (off as unknown as () => void)();
  expect((await put('c')).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(seen.some((e) => e.entry?.notes === 'c')).toBe(false);
});
