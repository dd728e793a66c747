/**
 * Inbound caller to screen pop: a real cms (PostgreSQL), the worker in this process with Redis,
 * the PBX simulator over TCP. One agent is Ready; a caller of a known account dials in (the
 * simulator sends the InboundCall UserEvent, as Asterisk's dialer-inbound does right after it
 * answers and puts the caller on hold: that is when they enter the queue); the time runs from
 * that moment to the pop on the agent's socket, so it includes the worker's cms lookup of the
 * caller, the queueing, the agent's claim in Redis and the pop. The agent hangs up and wraps up,
 * and the next caller comes. Then cms's lookup alone, and its CPU per lookup (the cms process's
 * user + system time over a batch, from /proc). Prints the distributions, the path's split by
 * stage (UserEvent parsed, lookup sent, cms answered, queued in Redis, agent claimed, pop
 * emitted, pop received) and the load average; not a timed test.
 *
 *   npm run bench:inbound-pop -- [--calls 100] [--warmup 40]
 *
 * The first `--warmup` calls run the same cycle unmeasured: cms's JIT compiles its hot paths during
 * its first hundred requests or so, and a floor's cms has taken thousands of calls before this one.
 * CMS_CPU_PROFILE=/tmp/cms.cpuprofile writes a CPU profile of cms (from ready to stop).
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ScreenPop } from '../../protocol/socket-protocol';
import { command, connect, startCms } from '../tests/live/harness';
import { startInProcessWorker } from '../tests/live/in-process-worker';

const STAGES = ['parsed', 'sent', 'answered', 'queued', 'claimed', 'emitted'] as const;
type Stage = (typeof STAGES)[number];

/**
 * Marks each stage of the in-process worker's path by wrapping the instance's own steps (the
 * intake's take, the cms client's lookup, the live store's addCall and claimAgent, the socket
 * server's screenPop): the bench's eyes only, nothing of the worker changes.
 */
function markStages(worker: any, mark: (stage: Stage) => void): void {
  // Only the inbound caller's own steps: the pacer may dial or claim for other calls meanwhile.
  let caller = '';
  const wrap = (target: any, method: string, before: Stage | null, after: Stage | null, ours: (...args: any[]) => boolean) => {
    const original = target[method].bind(target);
    target[method] = (...args: any[]) => {
      if (!ours(...args)) return original(...args);
      if (before) mark(before);
      const out = original(...args);
      if (after && out && typeof out.then === 'function') return out.then((v: unknown) => (mark(after), v));
      if (after) mark(after);
      return out;
    };
  };
  wrap(worker.intake, 'take', 'parsed', null, (e) => ((caller = e.uniqueId), true));
  wrap(worker.intake.d.cms, 'inboundLookup', 'sent', 'answered', () => true);
  wrap(worker.live, 'addCall', null, 'queued', (call) => call.attemptId === caller);
  wrap(worker.live, 'claimAgent', null, 'claimed', (_campaign, attemptId) => attemptId === caller);
  wrap(worker.sockets, 'screenPop', 'emitted', null, (_agent, pop) => pop.attemptId === caller);
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

async function main() {
  const calls = Number(arg('calls', '100'));
  const warmup = Number(arg('warmup', '40'));
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
    // cms's CPU: its process's user + system time, from /proc.
    const cpuMs = () => {
      const f = fs.readFileSync(`/proc/${cms.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (100 per second on Linux)
    };
    let marks: Partial<Record<Stage, number>> = {};
    markStages(w.worker, (stage) => (marks[stage] ??= performance.now()));
    const steps: Record<string, number[]> = {};
    let cycle0 = cpuMs();
    for (let i = -warmup; i < calls; i++) {
      if (i === 0) {
        samples.length = 0;
        lookups.length = 0;
        for (const k of Object.keys(steps)) delete steps[k];
        cycle0 = cpuMs();
      }
      const callerId = `+1312${String(2000000 + ((i + warmup) % 20)).padStart(7, '0')}`;
      const popped = new Promise<ScreenPop>((resolve) => agent.once('call:screen-pop', resolve));
      marks = {};
      const t0 = performance.now();
      w.pbx.inboundCall({ callerId, did: '+12125550143', patienceSec: 3600, talkSec: 3600 });
      const pop = await popped;
      const t1 = performance.now();
      samples.push(t1 - t0);
      let last = t0;
      for (const stage of [...STAGES, 'received'] as const) {
        const at = stage === 'received' ? t1 : marks[stage];
        if (at === undefined) continue;
        (steps[stage] ??= []).push(at - last);
        last = at;
      }
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
    const cyclesCpu = (cpuMs() - cycle0) / calls;
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(1);
    console.log(`inbound caller queued with an agent ready → pop on the agent's socket, ${samples.length} calls (after ${warmup} unmeasured): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
    const from: Record<string, string> = { parsed: 'simulator sends the UserEvent → worker parsed it', sent: 'parsed → lookup request sent', answered: 'sent → cms answered', queued: 'answered → caller queued in Redis', claimed: 'queued → agent claimed', emitted: 'claimed → pop emitted', received: 'emitted → pop received on the socket' };
    for (const [stage, values] of Object.entries(steps)) {
      values.sort((a, b) => a - b);
      const v = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))].toFixed(1);
      console.log(`  ${from[stage].padEnd(52)} p50 ${v(0.5).padStart(6)} ms, p95 ${v(0.95).padStart(6)} ms, mean ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(1)} ms`);
    }
    lookups.sort((a, b) => a - b);
    const l = (p: number) => lookups[Math.min(lookups.length - 1, Math.floor(p * lookups.length))].toFixed(1);
    console.log(`cms's CPU per call (the worker's lookup, the call's records: bridged, ended, wrap-up; the bench's own lookup): ${cyclesCpu.toFixed(1)} ms`);
    console.log(`of which cms's caller lookup alone (POST /api/calls/inbound-lookup): p50 ${l(0.5)} ms, p95 ${l(0.95)} ms`);
    // cms's CPU per lookup: its process's user + system time over a batch of lookups one after another.
    const batch = 200;
    const c0 = cpuMs();
    const b0 = performance.now();
    for (let i = 0; i < batch; i++) {
      await fetch(`${cms.info.url}/api/calls/inbound-lookup`, { method: 'POST', headers: { Authorization: `Bearer ${cms.info.apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ data: { callerId: `+1312${String(2000000 + (i % 20)).padStart(7, '0')}`, did: '+12125550143' } }) });
    }
    console.log(`cms's CPU per lookup over ${batch} in a row: ${((cpuMs() - c0) / batch).toFixed(2)} ms (wall ${((performance.now() - b0) / batch).toFixed(1)} ms each)`);
    console.log(`load average (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs`);
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
