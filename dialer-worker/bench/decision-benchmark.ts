/**
 * Times one pacing decision on a large floor: 100 agents and 300 calls in flight, with a
 * model trained on realistic samples. Prints the median and p99 over many decisions.
 * Usage: npm run bench:decision [-- --iterations N] [--json]
 */
import { lognormal, sampleLognormal } from '../src/math/lognormal';
import { mulberry32 } from '../src/math/random-source';
import { PacingEngine } from '../src/pacing/pacing-engine';
import type { AgentSnapshot, CallInFlight, PacingSettings, PacingSnapshot } from '../src/pacing/pacing-types';
import { RollingStats } from '../src/pacing/rolling-stats';
import { CallOutcomeSampler } from '../src/simulation/call-outcome-sampler';
import { DEFAULT_SCENARIO } from '../src/simulation/scenario';

const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf('--iterations') + 1]) || 2000;
const json = args.includes('--json');

const random = mulberry32(42);
const stats = new RollingStats({ abandonTarget: 0.03, windowHours: 720 });
const sampler = new CallOutcomeSampler(DEFAULT_SCENARIO);
const talk = lognormal(240, 180);
const wrap = lognormal(45, 15);
const nowMs = Date.UTC(2025, 0, 6, 12);
for (let i = 0; i < 3000; i++) {
  const a = sampler.sample(0.15, random);
  stats.recordAttempt(a.outcome, a.resolveSec);
}
for (let i = 0; i < 600; i++) {
  stats.recordTalk(sampleLognormal(talk, random));
  stats.recordWrap(sampleLognormal(wrap, random));
}
for (let i = 0; i < 2000; i++) stats.recordLiveOutcome(nowMs - 3_600_000 + i * 1000, random() < 0.024);

function snapshot(): PacingSnapshot {
  const agents: AgentSnapshot[] = [];
  for (let i = 0; i < 100; i++) {
    const u = random();
    const state = u < 0.1 ? 'ready' : u < 0.8 ? 'talking' : 'wrap';
    const stateSec = state === 'talking' ? sampleLognormal(talk, random) * random() : state === 'wrap' ? 45 * random() : 10 * random();
    agents.push({ id: `a${i}`, state, stateSec });
  }
  const callsInFlight: CallInFlight[] = [];
  for (let i = 0; i < 300; i++) callsInFlight.push({ id: `c${i}`, elapsedSec: 27 * random(), autodialConsent: true });
  return { nowMs, agents, callsInFlight, waitingCalls: [] };
}

const settings: PacingSettings = { mode: 'predictive', abandonTarget: 0.03, maxLinesPerAgent: 8, dropWindowSec: 2, abandonWindowHours: 720 };
const engine = new PacingEngine();
engine.decide(snapshot(), settings, stats); // builds the model once, as the first tick would
const snaps = Array.from({ length: 50 }, snapshot);
for (let i = 0; i < 200; i++) engine.decide(snaps[i % snaps.length], settings, stats); // warm the JIT
const times: number[] = [];
let dials = 0;
for (let i = 0; i < iterations; i++) {
  const snap = snaps[i % snaps.length];
  const t0 = process.hrtime.bigint();
  dials += engine.decide(snap, settings, stats).dials;
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p99 = times[Math.floor(times.length * 0.99)];
const result = { agents: 100, callsInFlight: 300, iterations, medianMs: median, p99Ms: p99, meanDials: dials / iterations };
if (json) console.log(JSON.stringify(result));
else console.log(`one decision, 100 agents, 300 calls in flight: median ${median.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms over ${iterations} decisions`);
