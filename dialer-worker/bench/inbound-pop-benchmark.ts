/**
 * Inbound caller to screen pop: a real cms (PostgreSQL), the worker in this process with Redis,
 * the PBX simulator over TCP. One agent is Ready; a caller of a known account dials in (the
 * simulator sends the InboundCall UserEvent); the time runs from that moment (the caller enters
 * the queue) to the pop on the agent's socket. The agent hangs up and wraps up, and the next
 * caller comes. Prints the distribution; not a timed test.
 *
 *   npm run bench:inbound-pop -- [--calls 100]
 */
import { performance } from 'node:perf_hooks';
import type { ScreenPop } from '../../protocol/socket-protocol';
import { command, connect, startCms } from '../tests/live/harness';
import { startInProcessWorker } from '../tests/live/in-process-worker';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

async function main() {
  const calls = Number(arg('calls', '100'));
  const cms = await startCms({ ACCOUNTS: '20', AGENTS: '1', DIAL_MODE: 'progressive' });
  const w = await startInProcessWorker(cms.info.url, cms.info.apiToken, { queuePrefix: `bench-inbound-${process.pid}` });
  try {
    await fetch(`${cms.info.url}/api/campaigns/${cms.info.campaignId}`, { method: 'PUT', headers: { Authorization: `Bearer ${cms.info.apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ data: { state: 'running' } }) });
    const agent = await connect(w.port, cms.info.agents[0].jwt);
    const ready = await command(agent, 'ready', { campaignId: cms.info.campaignId });
    if (!ready.ok) throw new Error(`ready: ${JSON.stringify(ready)}`);
    await new Promise((r) => setTimeout(r, 1000)); // the agent's conference leg comes up
    const samples: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < calls; i++) {
      const callerId = `+1312${String(2000000 + (i % 20)).padStart(7, '0')}`;
      const popped = new Promise<ScreenPop>((resolve) => agent.once('call:screen-pop', resolve));
      const t0 = performance.now();
      w.pbx.inboundCall({ callerId, did: '+12125550143', patienceSec: 3600, talkSec: 3600 });
      const pop = await popped;
      samples.push(performance.now() - t0);
      if (!pop.inbound) throw new Error('not an inbound pop');
      const ended = new Promise((resolve) => agent.once('call:ended', resolve));
      await command(agent, 'hangup');
      await ended;
      const done = await command(agent, 'disposition', { attemptId: pop.attemptId, disposition: cms.info.dispositions.RPC_REFUSED, next: 'ready' });
      if (!done.ok) throw new Error(`disposition: ${JSON.stringify(done)}`);
      // The cms lookup alone, as the worker makes it: the part of the path that is cms's.
      const l0 = performance.now();
      await fetch(`${cms.info.url}/api/calls/inbound-lookup`, { method: 'POST', headers: { Authorization: `Bearer ${cms.info.apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ data: { callerId, did: '+12125550143' } }) });
      lookups.push(performance.now() - l0);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(1);
    console.log(`inbound caller queued with an agent ready → pop on the agent's socket, ${samples.length} calls: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
    lookups.sort((a, b) => a - b);
    const l = (p: number) => lookups[Math.min(lookups.length - 1, Math.floor(p * lookups.length))].toFixed(1);
    console.log(`of which cms's caller lookup alone (POST /api/calls/inbound-lookup): p50 ${l(0.5)} ms, p95 ${l(0.95)} ms`);
    agent.close();
  } finally {
    await w.stop();
    await cms.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
