import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, PASSWORD, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'ses');
});
afterAll(() => stopStrapi(strapi));

type Login = { jwt: string; refreshToken: string };

async function signIn(username: string, deviceId?: string): Promise<Login> {
  const res = await http(strapi).post('/api/auth/local').send({ identifier: username, password: PASSWORD, ...(deviceId ? { deviceId } : {}) });
  expect(res.status).toBe(200);
  return { jwt: res.body.jwt, refreshToken: res.body.refreshToken };
}

async function refresh(refreshToken: string) {
  return http(strapi).post('/api/auth/refresh').send({ refreshToken });
}

/** The two paths a token opens: REST, and the session endpoint the dialer-worker authenticates sockets with. */
const PATHS = ['/api/accounts', '/api/session'] as const;
const statusOf = async (path: string, jwt: string) => (await http(strapi).get(path).set('Authorization', `Bearer ${jwt}`)).status;

/** Polls until every path refuses the token; the limit is the "within seconds" of the rule (a cache may hold an answer that long). */
async function refusedWithin(jwt: string, seconds: number): Promise<Record<string, number>> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const statuses = Object.fromEntries(await Promise.all(PATHS.map(async (p) => [p, await statusOf(p, jwt)] as const)));
    if (Object.values(statuses).every((s) => s === 401) || Date.now() > deadline) return statuses;
    await new Promise((r) => setTimeout(r, 200));
  }
}
const allRefused = Object.fromEntries(PATHS.map((p) => [p, 401]));
const allAccepted = Object.fromEntries(PATHS.map((p) => [p, 200]));

describe('logout', () => {
  it('refuses the access tokens of the session, older ones from before a refresh included, within seconds', async () => {
    const first = await signIn(w.users.agentA2.username);
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    for (const jwt of [first.jwt, rotated.body.jwt]) for (const p of PATHS) expect([p, await statusOf(p, jwt)]).toEqual([p, 200]);

    const out = await http(strapi).post('/api/auth/logout').set('Authorization', `Bearer ${rotated.body.jwt}`).send({});
    expect(out.status).toBe(200);

    expect(await refusedWithin(rotated.body.jwt, 5)).toEqual(allRefused);
    expect(await refusedWithin(first.jwt, 5)).toEqual(allRefused);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it('ends only the session logged out of, not the same user on another device', async () => {
    const desk = await signIn(w.users.agentA2.username);
    const phone = await signIn(w.users.agentA2.username);
    expect((await http(strapi).post('/api/auth/logout').set('Authorization', `Bearer ${desk.jwt}`).send({})).status).toBe(200);
    expect(await refusedWithin(desk.jwt, 5)).toEqual(allRefused);
    for (const p of PATHS) expect([p, await statusOf(p, phone.jwt)]).toEqual([p, 200]);
    expect((await refresh(phone.refreshToken)).status).toBe(200);
  });
});

describe('refresh token replay', () => {
  it('revokes the whole session when a rotated refresh token comes back, and audits it', async () => {
    const user = w.users.agentA1;
    const login = await signIn(user.username);
    const rotated = await refresh(login.refreshToken);
    expect(rotated.status).toBe(200);
    const current = { jwt: rotated.body.jwt as string, refreshToken: rotated.body.refreshToken as string };
    for (const p of PATHS) expect([p, await statusOf(p, current.jwt)]).toEqual([p, 200]);

    // The thief (or the victim, whichever comes second) presents the token already exchanged.
    const replay = await refresh(login.refreshToken);
    expect(replay.status).toBe(401);

    expect(await refusedWithin(current.jwt, 5)).toEqual(allRefused);
    expect(await refusedWithin(login.jwt, 5)).toEqual(allRefused);
    expect((await refresh(current.refreshToken)).status).toBe(401);

    const entries = await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entity: 'admin::session', actorId: String(user.id) } });
    expect(entries).toEqual([
      expect.objectContaining({ actorType: 'user', actorName: user.username, action: 'delete', entityDocumentId: user.documentId, changes: expect.objectContaining({ reason: { before: null, after: 'refresh-token-replay' } }) }),
    ]);
    // The user can sign in again: the signal ends the session, not the account.
    const again = await signIn(user.username);
    for (const p of PATHS) expect([p, await statusOf(p, again.jwt)]).toEqual([p, 200]);
  });

  it('refuses a refresh token that is not ours without revoking anything', async () => {
    const login = await signIn(w.users.analystA.username);
    const forged = login.refreshToken.replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    expect((await refresh(forged)).status).toBe(401);
    expect((await refresh('not-a-token')).status).toBe(401);
    for (const p of PATHS) expect([p, await statusOf(p, login.jwt)]).toEqual([p, 200]);
  });
});

describe('blocked users', () => {
  it('refuses their access tokens and their refresh tokens', async () => {
    const user = w.users.agentB1;
    const login = await signIn(user.username);
    expect(await refusedWithin(login.jwt, 0)).toEqual(allAccepted);
    await strapi.plugin('users-permissions').service('user').edit(user.id, { blocked: true });
    try {
      expect(await refusedWithin(login.jwt, 5)).toEqual(allRefused);
      expect((await refresh(login.refreshToken)).status).toBe(401);
    } finally {
      await strapi.plugin('users-permissions').service('user').edit(user.id, { blocked: false });
    }
    // Unblocking does not bring the old session back.
    expect(await refusedWithin(login.jwt, 0)).toEqual(allRefused);
  });
});
