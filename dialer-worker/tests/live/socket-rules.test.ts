/**
 * Who hears what on the worker's socket, what a socket payload may reach in cms, and the
 * worker's HTTP surfaces: a real cms (PostgreSQL) behind a recording relay, the worker in
 * this process with Redis and the PBX simulator over TCP, agents and supervisors on Socket.IO.
 */
import type { Socket } from 'socket.io-client';
import { startCmsProxy, type CmsProxy } from './cms-proxy';
import { command, connect, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(300_000);

let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let proxy: CmsProxy;
let w: InProcessWorker;
const sockets: Socket[] = [];

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '60', AGENTS: '2' });
  info = cms.info;
  proxy = await startCmsProxy(info.url);
  w = await startInProcessWorker(proxy.url, info.apiToken);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await w?.stop();
  await proxy?.stop();
  await cms?.stop();
});

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

describe('sockets are private', () => {
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
