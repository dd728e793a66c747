/**
 * `/health` when what it checks hangs: a Redis and a cms that accept connections and never
 * answer (real TCP servers; the real ioredis and cms clients talk to them).
 */
import http from 'http';
import net from 'net';
import type { AddressInfo } from 'net';
import Redis from 'ioredis';
import { HttpCmsClient } from '../src/cms/cms-client';
import { BoardSessions } from '../src/http/board-sessions';
import { createHttpApp } from '../src/http/http-app';

let blackHole: net.Server;
let silentHttp: http.Server;
let app: http.Server;
let redis: Redis;
const held: net.Socket[] = [];
const TIMEOUT_MS = 500;

beforeAll(async () => {
  blackHole = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  silentHttp = http.createServer(() => undefined);
  await new Promise<void>((r) => silentHttp.listen(0, '127.0.0.1', r));
  redis = new Redis((blackHole.address() as AddressInfo).port, '127.0.0.1', { maxRetriesPerRequest: null });
  const cms = new HttpCmsClient(`http://127.0.0.1:${(silentHttp.address() as AddressInfo).port}`, 'token', 2000);
  const handler = createHttpApp({
    health: {
      checks: { redis: async () => (await redis.ping()) === 'PONG', ami: async () => true, cms: () => cms.ping() },
      details: async () => ({ callsInFlight: await redis.scard('calls') }),
    },
    queues: [],
    cms,
    boardSessions: new BoardSessions(redis, 'test'),
    timeoutMs: TIMEOUT_MS,
    corsOrigins: [],
    log: () => undefined,
  });
  app = http.createServer(handler);
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  // One untimed request first: the first fetch of a process loads its HTTP client (hundreds of ms on a busy machine), which is not /health's time.
  await (await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/no-such-page`)).text();
});

afterAll(async () => {
  redis.disconnect();
  for (const s of held) s.destroy();
  silentHttp.closeAllConnections();
  app.closeAllConnections();
  await new Promise((r) => app.close(r));
  await new Promise((r) => blackHole.close(r));
  await new Promise((r) => silentHttp.close(r));
});

describe('/health with hanging dependencies', () => {
  it.each([
    ['without a token', {}],
    ['with a token cms never rules on', { Authorization: 'Bearer some.jwt.token' }],
  ])('%s it answers 503 "down" within its timeout, and nothing more', async (_what, headers) => {
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/health`, { headers });
    expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + 700);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'down' });
  });
});
