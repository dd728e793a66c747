/**
 * No phone is offered again inside its retry delay, whatever was restarted: a predictive
 * campaign with three agents on sockets, a cms outage (a relay that cuts every connection), then
 * a SIGKILL of the worker. Real cms (PostgreSQL), Redis, the PBX simulator over TCP, the worker
 * as a child process.
 */
import type { Socket } from 'socket.io-client';
import { mulberry32 } from '../../src/math/random-source';
import { PbxSimulator } from '../../src/pbx-simulator/pbx-simulator';
import { MemoryLog } from '../../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../../src/simulation/scenario';
import { startCmsProxy, type CmsProxy } from './cms-proxy';
import { command, connect, sleep, startCms, startWorker, updateCampaign, type CmsInfo, type WorkerProcess } from './harness';

jest.setTimeout(600_000);

const SPEED = 20;
let cms: Awaited<ReturnType<typeof startCms>>;
let info: CmsInfo;
let proxy: CmsProxy;
let pbx: PbxSimulator;
let pbxPort: number;
let worker: WorkerProcess | undefined;
const pbxLog = new MemoryLog();
const sockets: Socket[] = [];
const prefix = `redial${Date.now()}`;

beforeAll(async () => {
  cms = await startCms({ ACCOUNTS: '60', AGENTS: '3' });
  info = cms.info;
  // An hour between two calls to one phone: longer than the whole test, so any phone rung twice was rung too early.
  await updateCampaign(info, { retryDelayMinutes: 60 });
  proxy = await startCmsProxy(info.url);
  pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: SPEED, scenario: DEFAULT_SCENARIO, outcomes: {}, random: mulberry32(17), log: pbxLog });
  pbxPort = await pbx.start(0);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await worker?.stop('SIGKILL');
  await pbx?.stop();
  await proxy?.stop();
  await cms?.stop();
});

const workerEnv = () => ({ AMI_PORT: String(pbxPort), CMS_URL: proxy.url, CMS_API_TOKEN: info.apiToken, SIM_SPEED: String(SPEED), PACING_INTERVAL_MS: '100', QUEUE_PREFIX: prefix, WORKER_ID: 'redial-worker' });

const originates = () => pbxLog.entries.filter((e: any) => e.event === 'originate' && e.leg === 'customer') as any[];
const ended = () => pbxLog.entries.filter((e) => e.event === 'outcome');

/** Resolves when `ready()` holds, or after `ms` if it never does (then the test goes on and its assertions judge). */
async function upTo(ms: number, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await sleep(50);
}

async function agentsOnline(port: number): Promise<void> {
  for (const s of sockets) s.close();
  sockets.length = 0;
  for (const a of info.agents) {
    const s = await connect(port, a.jwt, (s) => {
      const dispose = (attemptId: string) => setTimeout(() => void command(s, 'disposition', { attemptId, disposition: info.dispositions.PTP }), 100);
      s.on('call:ended', (e: any) => dispose(e.attemptId));
      s.on('agent:state', (st: any) => st.status === 'wrap_up' && st.attemptId && dispose(st.attemptId));
    });
    sockets.push(s);
    await command(s, 'ready', { campaignId: info.campaignId });
  }
}

describe('an attempt counts in cms before the next hopper is read', () => {
  it('no phone is rung twice inside its retry delay across a cms outage and a worker SIGKILL', async () => {
    worker = await startWorker(workerEnv());
    await agentsOnline(worker.port);
    const supervisor = await connect(worker.port, info.supervisor.jwt);
    sockets.push(supervisor);
    expect(await command(supervisor, 'campaign:start', { campaignId: info.campaignId })).toMatchObject({ ok: true });
    await upTo(60_000, () => originates().length >= 10);
    expect(originates().length).toBeGreaterThanOrEqual(10);

    // cms goes away while calls end: their records wait in the retry queue.
    proxy.setDown(true);
    const endedBefore = ended().length;
    await upTo(20_000, () => ended().length >= endedBefore + 4);
    await sleep(3_000); // the outage itself: long enough for the record retries to back off
    proxy.setDown(false);
    const afterOutage = originates().length;
    await upTo(20_000, () => originates().length >= afterOutage + 10);

    // The worker dies mid-run; the next one closes its calls by reconciliation and dials on.
    await worker.stop('SIGKILL');
    worker = await startWorker(workerEnv());
    await agentsOnline(worker.port);
    const afterKill = originates().length;
    await upTo(20_000, () => originates().length >= afterKill + 10);
    const admin = await connect(worker.port, info.supervisor.jwt);
    sockets.push(admin);
    expect(await command(admin, 'campaign:pause', { campaignId: info.campaignId })).toMatchObject({ ok: true });

    const byPhone = new Map<string, string[]>();
    for (const o of originates()) byPhone.set(o.phone, [...(byPhone.get(o.phone) ?? []), o.at]);
    const twice = [...byPhone].filter(([, at]) => at.length > 1);
    expect(originates().length).toBeGreaterThan(afterOutage);
    expect(twice).toEqual([]);
  });
});
