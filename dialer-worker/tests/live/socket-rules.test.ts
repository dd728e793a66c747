/**
 * Who hears what on the worker's socket, what a socket payload may reach in cms, how long a
 * socket lives, and the worker's HTTP surfaces. A real cms (PostgreSQL) with 60-second
 * access tokens behind a relay that records every request and can play an outage; the
 * worker in this process with Redis and the PBX simulator over TCP; agents and supervisors
 * on Socket.IO. Every token is signed in afresh where it is used: the fixture's expire.
 */
import type { Socket } from 'socket.io-client';
import { startCmsProxy, type CmsProxy } from './cms-proxy';
import { command, connect, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(900_000);

const LIFESPAN_SEC = 60;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let proxy: CmsProxy;
/** Rechecks every socket's session every 500 ms. */
let w: InProcessWorker;
/** Never rechecks in the background during a test: only commands ask cms. */
let quiet: InProcessWorker;
const sockets: Socket[] = [];
/** A socket connected first; its token expires while the other tests run (checked last). */
let expiring: Watched & { jwt: string };

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '60', AGENTS: '2', ACCESS_TOKEN_LIFESPAN_SEC: String(LIFESPAN_SEC) });
  info = cms.info;
  proxy = await startCmsProxy(info.url);
  w = await startInProcessWorker(proxy.url, info.apiToken, { sessionRecheckMs: 500, sessionCacheMs: 300 });
  quiet = await startInProcessWorker(proxy.url, info.apiToken, { sessionRecheckMs: 600_000, sessionCacheMs: 300 });
  const jwt = await login(info.outsider.username);
  expiring = { jwt, ...(await watched(w.port, jwt)) };
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
  await quiet?.stop();
  await proxy?.stop();
  await cms?.stop();
});

async function signIn(username: string): Promise<{ jwt: string; refreshToken: string }> {
  const res = await fetch(`${info.url}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: username, password: info.password }) });
  const body = (await res.json()) as any;
  return { jwt: body.jwt, refreshToken: body.refreshToken };
}

async function login(username: string): Promise<string> {
  return (await signIn(username)).jwt;
}

const post = (path: string, body: unknown, jwt?: string) =>
  fetch(`${info.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}) }, body: JSON.stringify(body) });

/** Fresh tokens for every fixture user (the fixture's own were signed in at boot). */
async function freshTokens(): Promise<void> {
  for (const u of [...info.agents, info.outsider, info.supervisor, info.otherSupervisor]) u.jwt = await login(u.username);
}

async function online(jwt: string, listen?: (s: Socket) => void): Promise<Socket> {
  const s = await connect(w.port, jwt, listen);
  sockets.push(s);
  return s;
}

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setBlocked(userId: number, blocked: boolean): Promise<void> {
  const res = await fetch(`${info.url}/api/users/${userId}`, { method: 'PUT', headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ blocked }) });
  expect(res.status).toBe(200);
}

type Watched = { socket: Socket; ended: Promise<{ code: string; at: number }>; disconnected: Promise<number> };

async function watched(port: number, jwt: string): Promise<Watched> {
  let ended!: Watched['ended'];
  let disconnected!: Watched['disconnected'];
  const socket = await connect(port, jwt, (s) => {
    ended = new Promise((resolve) => s.once('session:ended', (p: any) => resolve({ code: p.code, at: Date.now() })));
    disconnected = new Promise((resolve) => s.once('disconnect', () => resolve(Date.now())));
  });
  sockets.push(socket);
  return { socket, ended, disconnected };
}

const expiryOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).exp * 1000;

describe('sockets are private', () => {
  beforeAll(freshTokens);
  it('an agent hears only their own state and calls; the supervisor watching the campaign hears both agents', async () => {
    const [a, b] = info.agents;
    const heardByA: Array<[string, any]> = [];
    const heardBySupervisor: any[] = [];
    const agentA = await online(a.jwt, (s) => s.onAny((event, payload) => heardByA.push([event, payload])));
    const agentB = await online(b.jwt);
    const supervisor = await online(info.supervisor.jwt, (s) => s.on('agent:state', (p) => heardBySupervisor.push(p)));
    expect(await command(supervisor, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    expect(await command(agentA, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    expect(await command(agentB, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    expect(await command(agentB, 'pause', { reason: 'doctor-appointment' })).toMatchObject({ ok: true });
    await until("B's pause reason at the supervisor", () => heardBySupervisor.some((p) => p.id === b.id && p.pauseReason === 'doctor-appointment'));
    expect(await command(agentB, 'ready', {})).toMatchObject({ ok: true });

    // Calls, so that B's state carries attempt ids (reserved for a call, or on one).
    expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await until("an attempt of B's at the supervisor", () => heardBySupervisor.some((p) => p.id === b.id && p.attemptId));
    expect(await command(supervisor, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    // A round trip on A's socket: anything sent to A before it has arrived by now.
    await command(agentA, 'pause', {});
    const bAttempts = [...new Set(heardBySupervisor.filter((p) => p.id === b.id && p.attemptId).map((p) => p.attemptId))];
    expect(bAttempts.length).toBeGreaterThan(0);
    expect(heardBySupervisor.some((p) => p.id === a.id)).toBe(true);
    const fromA = JSON.stringify(heardByA);
    for (const secret of ['doctor-appointment', b.username, ...bAttempts]) expect([secret, fromA.includes(secret)]).toEqual([secret, false]);
    for (const [event, payload] of heardByA) {
      expect(event).not.toBe('campaign:stats');
      if (event === 'agent:state') expect(payload.id).toBe(a.id);
    }
  });

  it('a supervisor of another client cannot watch the campaign, and hears nothing of it', async () => {
    const heard: string[] = [];
    const other = await online(info.otherSupervisor.jwt, (s) => s.onAny((event) => heard.push(event)));
    expect(await command(other, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: false, code: 'FORBIDDEN', error: expect.stringMatching(/^FORBIDDEN: /) });
    const agent = await online(info.agents[0].jwt);
    await command(agent, 'pause', { reason: 'visible-to-own-supervisor-only' });
    await command(agent, 'ready', { campaignId: info.campaignId });
    await command(other, 'campaign:watch', { campaignId: info.campaignId });
    expect(heard).toEqual([]);
  });
});

describe('ids from a socket', () => {
  const MARK = 'zqmark';
  const campaignId = () => info.campaignId;
  const BAD_DOCUMENT_IDS: Array<[string, () => unknown]> = [
    ['a query and a fragment', () => `${campaignId()}?filters[name][$containsi]=${MARK}#`],
    ['a slash', () => `${campaignId()}/${MARK}`],
    ['a fragment', () => `${campaignId()}#${MARK}`],
    ['..', () => '..'],
    ['a traversal', () => `../${MARK}/${campaignId()}`],
    ['an array', () => [campaignId()]],
    ['an object', () => ({ $eq: campaignId(), [MARK]: 1 })],
    ['a number', () => 42],
    ['upper case', () => campaignId().toUpperCase()],
    ['one character too many', () => `${campaignId()}a`],
  ];
  const BAD_ATTEMPT_IDS: Array<[string, unknown]> = [
    ['a query and a fragment', `a-1?${MARK}=1#`],
    ['a slash', `a-1/${MARK}`],
    ['..', '..'],
    ['a traversal', `../${MARK}`],
    ['an array', [`a-${MARK}`]],
    ['an object', { [MARK]: 1 }],
    ['a line break', `a-${MARK}\r\nAction: Hangup`],
  ];
  let agent: Socket;
  let supervisor: Socket;
  beforeAll(async () => {
    await freshTokens();
    agent = await online(info.agents[0].jwt);
    supervisor = await online(info.supervisor.jwt);
  });

  async function expectInvalid(socket: Socket, name: string, payload: Record<string, unknown>) {
    const before = proxy.requests.length;
    const res = await command(socket, name, payload);
    expect(res).toMatchObject({ ok: false, code: 'INVALID', error: expect.stringMatching(/^INVALID: /) });
    const shaped = proxy.requests.slice(before).filter((r) => r.includes(MARK) || r.includes('filters[name]') || /\/api\/campaigns\/[^?]*%|\/api\/campaigns\?/.test(r));
    expect(shaped).toEqual([]);
  }

  describe.each([
    ['ready', 'agent', (id: unknown) => ({ campaignId: id })],
    ['disposition', 'agent', (id: unknown) => ({ disposition: id })],
    ['campaign:watch', 'supervisor', (id: unknown) => ({ campaignId: id })],
    ['campaign:start', 'supervisor', (id: unknown) => ({ campaignId: id })],
    ['campaign:set-max-ratio', 'supervisor', (id: unknown) => ({ campaignId: id, maxDialRatio: 2 })],
  ])('%s', (name, role, payload) => {
    it.each(BAD_DOCUMENT_IDS)('a documentId with %s is INVALID and shapes no cms request', async (_what, id) => {
      await expectInvalid(role === 'agent' ? agent : supervisor, name, payload(id()));
    });
  });

  describe.each(['preview:dial', 'preview:skip', 'disposition'])('%s', (name) => {
    it.each(BAD_ATTEMPT_IDS)('an attempt id with %s is INVALID', async (_what, id) => {
      await expectInvalid(agent, name, { attemptId: id });
    });
  });

  it('a payload that is not an object is INVALID', async () => {
    await expectInvalid(agent, 'ready', [info.campaignId] as unknown as Record<string, unknown>);
  });
});

describe('HTTP surfaces', () => {
  beforeAll(freshTokens);
  const url = (path: string) => `http://127.0.0.1:${w.port}${path}`;

  it('/health says only up or down without a supervisor\'s token, and the details with one', async () => {
    const plain = await fetch(url('/health'));
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ status: 'up' });
    const agent = await fetch(url('/health'), { headers: { Authorization: `Bearer ${info.agents[0].jwt}` } });
    expect(await agent.json()).toEqual({ status: 'up' });
    const supervisor = await fetch(url('/health'), { headers: { Authorization: `Bearer ${info.supervisor.jwt}` } });
    expect(await supervisor.json()).toMatchObject({ status: 'up', redis: true, ami: true, cms: true, details: { callsInFlight: expect.any(Number), eventLoopLag: expect.any(Object) } });
  });

  it('the queue board takes no token in the URL; a supervisor signs in for an HttpOnly cookie; the board is read-only', async () => {
    expect((await fetch(url(`/admin/queues?token=${encodeURIComponent(info.supervisor.jwt)}`))).status).toBe(401);
    expect((await fetch(url('/admin/queues/session'), { method: 'POST' })).status).toBe(401);
    expect((await fetch(url('/admin/queues/session'), { method: 'POST', headers: { Authorization: `Bearer ${info.agents[0].jwt}` } })).status).toBe(403);

    const signIn = await fetch(url('/admin/queues/session'), { method: 'POST', headers: { Authorization: `Bearer ${info.supervisor.jwt}` } });
    expect(signIn.status).toBe(204);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^queue_board=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/admin\/queues; Max-Age=\d+/);
    expect(setCookie).not.toContain(info.supervisor.jwt.split('.')[1]);
    const cookie = setCookie.split(';')[0];

    const page = await fetch(url('/admin/queues'), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const queues = await fetch(url('/admin/queues/api/queues'), { headers: { cookie } });
    expect(queues.status).toBe(200);
    for (const action of ['dial/pause', 'dial/empty', 'record/retry/failed']) {
      const res = await fetch(url(`/admin/queues/api/queues/${action}`), { method: action.includes('retry') ? 'PUT' : 'PUT', headers: { cookie } });
      expect([action, res.status]).toEqual([action, 405]);
    }
    expect(await w.worker.queues.dial.isPaused()).toBe(false);

    expect((await fetch(url('/admin/queues/session'), { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    expect((await fetch(url('/admin/queues'), { headers: { cookie } })).status).toBe(401);
  });
});

describe('socket sessions', () => {
  it('drops a socket within seconds when cms refuses its session (user blocked), and refuses it again at connection', async () => {
    const agent = info.agents[1];
    const jwt = await login(agent.username);
    const s = await watched(w.port, jwt);
    expect(s.socket.connected).toBe(true);
    await setBlocked(agent.id, true);
    const blockedAt = Date.now();
    try {
      const [ended, at] = await Promise.all([s.ended, s.disconnected]);
      expect(ended.code).toBe('SESSION_ENDED');
      expect(at - blockedAt).toBeLessThan(3000);
      await expect(connect(w.port, jwt)).rejects.toThrow(/unauthorized/);
    } finally {
      await setBlocked(agent.id, false);
    }
  });

  it('refuses a command once cms refuses the session, even between background checks, and the command has no effect', async () => {
    const agent = info.agents[1];
    const jwt = await login(agent.username);
    const s = await watched(quiet.port, jwt);
    expect(await command(s.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await setBlocked(agent.id, true);
    try {
      await new Promise((r) => setTimeout(r, 400)); // past the 300 ms the worker trusts cms's last word
      expect(await command(s.socket, 'pause', { reason: 'should-not-happen' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
      expect((await quiet.worker.live.agent(agent.id))?.status).toBe('ready');
      expect((await s.ended).code).toBe('SESSION_ENDED');
      await s.disconnected;
    } finally {
      await setBlocked(agent.id, false);
    }
  });

  it('drops the sockets of a session logged out in cms within seconds, and only those', async () => {
    const agent = info.agents[1];
    const desk = await signIn(agent.username);
    const other = await signIn(agent.username);
    const s = await watched(w.port, desk.jwt);
    const kept = await watched(w.port, other.jwt);
    expect((await post('/api/auth/logout', {}, desk.jwt)).status).toBe(200);
    const loggedOutAt = Date.now();
    const [ended, at] = await Promise.all([s.ended, s.disconnected]);
    expect(ended.code).toBe('SESSION_ENDED');
    // cms refuses the token within its 2 s cache; the worker rechecks every 500 ms here (5 s by default).
    expect(at - loggedOutAt).toBeLessThan(4000);
    await expect(connect(w.port, desk.jwt)).rejects.toThrow(/unauthorized/);
    expect(kept.socket.connected).toBe(true);
    expect(await command(kept.socket, 'pause', { reason: 'still-signed-in' })).not.toMatchObject({ code: 'SESSION_ENDED' });
  });

  it('drops the sockets of a session whose rotated refresh token is replayed', async () => {
    const agent = info.agents[1];
    const first = await signIn(agent.username);
    const rotated = (await (await post('/api/auth/refresh', { refreshToken: first.refreshToken })).json()) as any;
    const s = await watched(w.port, rotated.jwt);
    expect(s.socket.connected).toBe(true);
    expect((await post('/api/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    const replayedAt = Date.now();
    const [ended, at] = await Promise.all([s.ended, s.disconnected]);
    expect(ended.code).toBe('SESSION_ENDED');
    expect(at - replayedAt).toBeLessThan(4000);
  });

  it('a cms outage disconnects nobody and reads CMS_UNAVAILABLE, not "not on this campaign"', async () => {
    const jwt = await login(info.agents[0].username);
    const s = await watched(w.port, jwt);
    const supervisor = await watched(w.port, await login(info.supervisor.username));
    const outageLogs = () => w.logs.filter((l) => l.msg.startsWith('cms did not answer session checks')).length;
    const before = outageLogs();
    proxy.setDown(true);
    try {
      const deadline = Date.now() + 5000;
      while (outageLogs() < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(outageLogs()).toBeGreaterThanOrEqual(before + 2);
      expect(s.socket.connected).toBe(true);
      expect(await command(s.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: false, code: 'CMS_UNAVAILABLE' });
      expect(await command(supervisor.socket, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: false, code: 'CMS_UNAVAILABLE' });
    } finally {
      proxy.setDown(false);
    }
    expect(await command(supervisor.socket, 'campaign:watch', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    expect([s.socket.connected, supervisor.socket.connected]).toEqual([true, true]);
  });

  // Last: the token signed in before every other test has expired by now, or soon will.
  it('drops a socket when its token expires, saying SESSION_EXPIRED', async () => {
    const jwt = await login(info.agents[0].username);
    const s = await watched(w.port, jwt);
    const [ended, at] = await Promise.all([s.ended, s.disconnected]);
    expect(ended.code).toBe('SESSION_EXPIRED');
    expect(at - expiryOf(jwt)).toBeGreaterThan(-1000);
    expect(at - expiryOf(jwt)).toBeLessThan(3000);
  });

});
