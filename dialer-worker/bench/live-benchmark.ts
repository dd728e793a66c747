/**
 * Live figures of the worker, through real parts: a cms on PostgreSQL, Redis,
 * the PBX simulator over TCP (in this process, so its log shares our clock)
 * and the worker as its own process.
 *
 *   npm run bench:live                      # both parts
 *   npm run bench:live -- --part screen-pop # 100 agents, p50/p95 from the answer (AMD result) to the agent's socket
 *   npm run bench:live -- --part capacity   # calls in flight one worker holds with event-loop lag p99 < 50 ms
 *
 * The capacity part puts attempts straight on the worker's dial queue (the
 * hopper and its compliance rules are not what is measured) and lets them
 * ring for five minutes while it adds 250 more every 15 s, reading the worker's own event-loop lag from
 * /health.
 */
import crypto from 'crypto';
import Redis from 'ioredis';
import type { Socket } from 'socket.io-client';
import { mulberry32 } from '../src/math/random-source';
import { PbxSimulator } from '../src/pbx-simulator/pbx-simulator';
import { JsonLinesFileLog, readPbxLog } from '../src/pbx-simulator/simulator-log';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';
import type { LiveCall } from '../src/live/call-state';
import { command, connect, sleep, startCms, startWorker, tmpFile } from '../tests/live/harness';

const args = process.argv.slice(2);
const part = args.includes('--part') ? args[args.indexOf('--part') + 1] : 'all';
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function screenPop() {
  const AGENTS = 100;
  const SPEED = 10;
  const cms = await startCms({ ACCOUNTS: '1500', AGENTS: String(AGENTS) });
  const logPath = tmpFile('pbx.jsonl');
  const pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: SPEED, scenario: { ...DEFAULT_SCENARIO, liveRate: 0.3 }, outcomes: {}, random: mulberry32(5), log: new JsonLinesFileLog(logPath) });
  const port = await pbx.start(0);
  const worker = await startWorker({ AMI_PORT: String(port), CMS_URL: cms.info.url, CMS_API_TOKEN: cms.info.apiToken, SIM_SPEED: String(SPEED), PACING_INTERVAL_MS: '100', QUEUE_PREFIX: `benchpop${Date.now()}`, WORKER_ID: 'bench-pop' });
  const received = new Map<string, number>();
  const sockets: Socket[] = [];
  for (const a of cms.info.agents) {
    const s = await connect(worker.port, a.jwt);
    sockets.push(s);
    s.on('call:screen-pop', (p: any) => received.set(p.attemptId, Date.now()));
    s.on('call:ended', (e: any) => setTimeout(() => void command(s, 'disposition', { attemptId: e.attemptId, disposition: cms.info.dispositions.PTP }), 100));
    await command(s, 'ready', { campaignId: cms.info.campaignId });
  }
  const sup = await connect(worker.port, cms.info.supervisor.jwt);
  await command(sup, 'campaign:start', { campaignId: cms.info.campaignId });
  await sleep(60_000);
  await command(sup, 'campaign:pause', { campaignId: cms.info.campaignId });
  const amd = new Map((readPbxLog(logPath) as any[]).filter((e) => e.event === 'outcome' && e.amdAt).map((e) => [e.attemptId, Date.parse(e.amdAt)]));
  const latencies = [...received].filter(([id]) => amd.has(id)).map(([id, at]) => at - amd.get(id)!).sort((a, b) => a - b);
  const health: any = await (await fetch(`http://127.0.0.1:${worker.port}/health`, { headers: { Authorization: `Bearer ${cms.info.supervisor.jwt}` } })).json();
  console.log(`screen pop, ${AGENTS} agents, SIM_SPEED ${SPEED}: ${latencies.length} pops, p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, max ${latencies.at(-1)} ms (from the AMD result to the agent's socket); worker event-loop lag p99 ${health.details.eventLoopLag.p99Ms.toFixed(1)} ms`);
  for (const s of [...sockets, sup]) s.close();
  await worker.stop();
  await pbx.stop();
  await cms.stop();
  return { pops: latencies.length, p50: pct(latencies, 50), p95: pct(latencies, 95) };
}

async function capacity() {
  const STEP = 250;
  const MAX = Number(process.env.MAX_CALLS ?? 2000);
  const cms = await startCms({ ACCOUNTS: String(MAX), AGENTS: '1' });
  // Every call rings until its 300 s timeout: the population in flight only grows during the run.
  const pbx = new PbxSimulator({ username: 'dialer', secret: 'sim-secret-123', speed: 1, scenario: { ...DEFAULT_SCENARIO, liveRate: 0, machineRate: 0, busyRate: 0, invalidRate: 0 }, outcomes: {}, random: mulberry32(9) });
  const port = await pbx.start(0);
  const prefix = `benchcap${Date.now()}`;
  const worker = await startWorker({ AMI_PORT: String(port), CMS_URL: cms.info.url, CMS_API_TOKEN: cms.info.apiToken, SIM_SPEED: '1', QUEUE_PREFIX: prefix, WORKER_ID: 'bench-cap' });
  const headers = { Authorization: `Bearer ${cms.info.apiToken}` };
  const accounts: any[] = [];
  for (let page = 1; accounts.length < MAX; page++) {
    const json: any = await (await fetch(`${cms.info.url}/api/accounts?populate=phones&pagination[pageSize]=100&pagination[page]=${page}&filters[accountNumber][$startsWith]=W0`, { headers })).json();
    if (!json.data.length) break;
    accounts.push(...json.data);
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const Bull = (await import('bull')).default;
  const dial = new Bull('dial', { prefix, redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  const health = async () => ((await (await fetch(`http://127.0.0.1:${worker.port}/health`, { headers: { Authorization: `Bearer ${cms.info.supervisor.jwt}` } })).json()) as any).details;
  const rows: Array<{ target: number; inFlight: number; lagP99: number; lagMax: number }> = [];
  let queued = 0;
  for (let target = STEP; target <= Math.min(MAX, accounts.length); target += STEP) {
    for (; queued < target; queued++) {
      const a = accounts[queued];
      const attemptId = `cap-${crypto.randomUUID()}`;
      const call: LiveCall = {
        attemptId, campaignId: cms.info.campaignId, workerId: 'bench-cap', accountDocumentId: a.documentId, callbackDocumentId: null, phone: a.phones[0].number,
        dialMode: 'predictive', ringTimeoutSec: 300, dropWindowSec: 2, callerId: null, reservedAgentId: null, preferredAgentId: null, receipt: { benchmark: true }, phase: 'queued',
        channel: null, agentId: null, queuedAt: Date.now(), dialedAt: null, answeredAt: null, bridgedAt: null, endedAt: null, wrapEndedAt: null, outcome: null,
        hangupCause: null, amdStatus: null, dispositionDocumentId: null, notes: null,
      };
      await redis.hset(`${prefix}:calls`, attemptId, JSON.stringify(call));
      await dial.add({ attemptId }, { jobId: attemptId });
    }
    await sleep(5000);
    await health(); // resets the lag histogram: measure the steady state only
    await sleep(10_000);
    const h = await health();
    rows.push({ target, inFlight: h.callsInFlight, lagP99: +h.eventLoopLag.p99Ms.toFixed(1), lagMax: +h.eventLoopLag.maxMs.toFixed(1) });
    console.log(`capacity: ${h.callsInFlight} calls in flight, event-loop lag p99 ${h.eventLoopLag.p99Ms.toFixed(1)} ms, max ${h.eventLoopLag.maxMs.toFixed(1)} ms`);
    if (h.eventLoopLag.p99Ms >= 50) break;
  }
  const sustained = rows.filter((r) => r.lagP99 < 50).map((r) => r.inFlight);
  console.log(`capacity: one worker held ${Math.max(0, ...sustained)} concurrent calls with event-loop lag p99 under 50 ms`);
  await dial.close();
  redis.disconnect();
  await worker.stop();
  await pbx.stop();
  await cms.stop();
  return rows;
}

(async () => {
  const out: Record<string, unknown> = {};
  if (part === 'all' || part === 'screen-pop') out.screenPop = await screenPop();
  if (part === 'all' || part === 'capacity') out.capacity = await capacity();
  console.log(JSON.stringify({ date: new Date().toISOString(), ...out }, null, 2));
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
