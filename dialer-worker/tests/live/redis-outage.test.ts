/**
 * Redis dies under a running worker and comes back empty (no persistence): /health says so at
 * once, ioredis leaves no unhandled error, and the agents learn that their state is gone and
 * can go Ready again. A Redis of this test's own (a real redis-server child on a free port, so
 * it can be killed), a real cms, the worker in this process, the PBX simulator over TCP.
 */
import { spawn, type ChildProcess } from 'child_process';
import type { Socket } from 'socket.io-client';
import { command, connect, freePort, sleep, startCms, type CmsInfo } from './harness';
import { startInProcessWorker, type InProcessWorker } from './in-process-worker';

jest.setTimeout(600_000);

let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let w: InProcessWorker;
let redisPort: number;
let redis: ChildProcess | undefined;
const sockets: Socket[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    redis!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
}

async function killRedis(): Promise<void> {
  const child = redis!;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function health(): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${w.port}/health`);
  await res.text();
  return { status: res.status, ms: Date.now() - started };
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redisPort = await freePort();
  await startRedis();
  cms = await startCms({ ACCOUNTS: '20', AGENTS: '2' });
  info = cms.info;
  // The product's default /health budget (1500 ms): "down" must come well before it.
  w = await startInProcessWorker(info.url, info.apiToken, { redisUrl: `redis://127.0.0.1:${redisPort}`, healthTimeoutMs: 1500 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  if (redis && redis.exitCode === null && redis.signalCode === null) await w?.stop();
  await killRedis().catch(() => undefined);
  await cms?.stop();
  process.off('unhandledRejection', onUnhandled);
});

describe('a Redis outage', () => {
  it('answers /health 503 within a second, leaves no unhandled error, and tells agents to go Ready again when Redis comes back empty', async () => {
    const errors = jest.spyOn(console, 'error');
    const agent = info.agents[0];
    const states: any[] = [];
    const socket = await connect(w.port, agent.jwt, (s) => s.on('agent:state', (st: any) => states.push(st)));
    sockets.push(socket);
    expect(await command(socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect((await health()).status).toBe(200);

    await killRedis();
    const deadline = Date.now() + 5_000;
    while ((await health()).status !== 503 && Date.now() < deadline) await sleep(100);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(1000);

    await startRedis();
    const told = Date.now() + 20_000;
    while (!states.some((s) => s.reason === 'STATE_LOST') && Date.now() < told) await sleep(50);
    expect(states.find((s) => s.reason === 'STATE_LOST')).toMatchObject({ id: agent.id, status: 'logged_out' });
    expect(await command(socket, 'ready', { campaignId: info.campaignId })).toMatchObject({ ok: true, data: { status: 'ready' } });
    expect((await health()).status).toBe(200);

    const printed = errors.mock.calls.map((c) => c.map(String).join(' ')).filter((line) => /Unhandled error event/.test(line));
    expect(printed).toEqual([]);
    expect(unhandled).toEqual([]);
    errors.mockRestore();
  });
});
