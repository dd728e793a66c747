/**
 * A socket lives as long as its session: dropped at the token's expiry and when cms stops
 * accepting it (here: the user blocked, which cms refuses today), its commands refused;
 * a cms outage leaves everyone connected and is reported as an outage. A real cms with
 * 10-second access tokens behind a relay that can cut it off, the worker in this process.
 */
import type { Socket } from 'socket.io-client';
import { startCmsProxy, type CmsProxy } from './cms-proxy';
import { command, connect, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(300_000);

const LIFESPAN_SEC = 10;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo & { password: string };
let proxy: CmsProxy;
/** Rechecks every socket's session every 500 ms. */
let checking: InProcessWorker;
/** Never rechecks in the background during a test: only commands ask cms. */
let quiet: InProcessWorker;
const sockets: Socket[] = [];

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '20', AGENTS: '2', ACCESS_TOKEN_LIFESPAN_SEC: String(LIFESPAN_SEC) });
  info = cms.info as CmsInfo & { password: string };
  proxy = await startCmsProxy(info.url);
  checking = await startInProcessWorker(proxy.url, info.apiToken, { sessionRecheckMs: 500, sessionCacheMs: 300 });
  quiet = await startInProcessWorker(proxy.url, info.apiToken, { sessionRecheckMs: 600_000, sessionCacheMs: 300 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await checking?.stop();
  await quiet?.stop();
  await proxy?.stop();
  await cms?.stop();
});

async function login(username: string): Promise<string> {
  const res = await fetch(`${info.url}/api/auth/local`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: username, password: info.password }) });
  return ((await res.json()) as any).jwt;
}

async function setBlocked(userId: number, blocked: boolean): Promise<void> {
  const res = await fetch(`${info.url}/api/users/${userId}`, { method: 'PUT', headers: { Authorization: `Bearer ${info.apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ blocked }) });
  expect(res.status).toBe(200);
}

type Watched = { socket: Socket; ended: Promise<{ code: string; at: number }>; disconnected: Promise<number> };

async function online(port: number, jwt: string): Promise<Watched> {
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

describe('socket sessions', () => {
  it('drops a socket when its token expires, saying SESSION_EXPIRED', async () => {
    const jwt = await login(info.agents[0].username);
    const s = await online(checking.port, jwt);
    const [ended, at] = await Promise.all([s.ended, s.disconnected]);
    expect(ended.code).toBe('SESSION_EXPIRED');
    expect(at - expiryOf(jwt)).toBeGreaterThan(-1000);
    expect(at - expiryOf(jwt)).toBeLessThan(3000);
  });

  it('drops a socket within seconds when cms refuses its session (user blocked), and refuses it again at connection', async () => {
    const agent = info.agents[1];
    const jwt = await login(agent.username);
    const s = await online(checking.port, jwt);
    expect(await command(s.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await setBlocked(agent.id, true);
    const blockedAt = Date.now();
    try {
      const [ended, at] = await Promise.all([s.ended, s.disconnected]);
      expect(ended.code).toBe('SESSION_ENDED');
      expect(at - blockedAt).toBeLessThan(3000);
      await expect(connect(checking.port, jwt)).rejects.toThrow(/unauthorized/);
    } finally {
      await setBlocked(agent.id, false);
    }
  });

  it('refuses a command once cms refuses the session, even between background checks, and the command has no effect', async () => {
    const agent = info.agents[1];
    const jwt = await login(agent.username);
    const s = await online(quiet.port, jwt);
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

  it('a cms outage disconnects nobody and reads CMS_UNAVAILABLE, not "not on this campaign"', async () => {
    const jwt = await login(info.agents[0].username);
    const s = await online(checking.port, jwt);
    const outageLogs = () => checking.logs.filter((l) => l.msg.startsWith('cms did not answer session checks')).length;
    const before = outageLogs();
    proxy.setDown(true);
    try {
      const deadline = Date.now() + 5000;
      while (outageLogs() < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(outageLogs()).toBeGreaterThanOrEqual(before + 2);
      expect(s.socket.connected).toBe(true);
      expect(await command(s.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: false, code: 'CMS_UNAVAILABLE' });
    } finally {
      proxy.setDown(false);
    }
    expect(await command(s.socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    expect(s.socket.connected).toBe(true);
  });
});
