/**
 * The pacing benchmark: runs progressive, the best fixed ratio (swept), a VICIdial-style
 * adaptive policy and our predictive engine through the seeded simulator, and prints
 * utilization, occupancy, abandon rates and idle time per policy.
 *
 *   npm run bench:pacing -- [--scenario <file.json>] [--days N] [--seed S | --seeds 1-4] [--json]
 *                           [--policy progressive|ratio|vicidial|ours]   (repeatable; default all)
 *                           [--reveal agents|calls]   (repeatable: adds "ours" runs given that truth)
 *
 * With several seeds each figure is the mean over the seeds, the worst window is the worst of
 * any seed, and utilization's range is printed too: at 5 agents one seed's utilization differs
 * from the next by up to two points, more than most changes to the engine are worth.
 *
 * --reveal is an information bound, not a policy: the simulator tells the engine what no live
 * dialer knows (agents: when each talk and wrap-up ends; calls: which calls in flight will turn
 * live, and when), and the same rule runs on it. It says how much of the idle time left is the
 * rule's doing and how much is the uncertainty it faces.
 *
 * Without --scenario it runs the standard grid (4 pool sizes × 3 live rates + drift case).
 * The work is spread over child processes, one per core.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { makePolicy, PolicySpec, RATIO_SWEEP, standardGrid } from '../src/simulation/benchmark-grid';
import { parseScenario, Scenario } from '../src/simulation/scenario';
import { simulate, SimulationResult } from '../src/simulation/simulator';
import type { SimulationMetrics } from '../src/simulation/simulation-metrics';

/** Days per cell when --days is not given: the whole grid fits in ~10 min on 2 cores. */
const DEFAULT_DAYS = 5;

interface Task {
  id: number;
  scenario: Scenario;
  spec: PolicySpec;
  days: number;
  seed: number;
  reveal?: Reveal;
}

type Reveal = { agents?: boolean; calls?: boolean };

type ReportedMetrics = Pick<
  SimulationMetrics,
  'utilization' | 'occupancy' | 'abandonRate' | 'worstWindowAbandonRate' | 'connectsPerAgentHour' | 'talkMinutesPerAgentHour' | 'meanIdleSec'
>;

interface Row extends ReportedMetrics {
  scenario: string;
  policy: string;
  ratio?: number;
  days: number;
  seeds: number[];
  /** lowest and highest utilization of a single seed */
  utilizationMin: number;
  utilizationMax: number;
}

const REPORTED: (keyof ReportedMetrics)[] = [
  'utilization',
  'occupancy',
  'abandonRate',
  'worstWindowAbandonRate',
  'connectsPerAgentHour',
  'talkMinutesPerAgentHour',
  'meanIdleSec',
];

/** One policy on one cell over every seed: means, except the worst window, which is the worst. */
function combine(runs: SimulationResult[]): ReportedMetrics & { utilizationMin: number; utilizationMax: number } {
  const out = {} as ReportedMetrics;
  for (const k of REPORTED) out[k] = runs.reduce((acc, r) => acc + r[k], 0) / runs.length;
  out.worstWindowAbandonRate = Math.max(...runs.map((r) => r.worstWindowAbandonRate));
  const utils = runs.map((r) => r.utilization);
  return { ...out, utilizationMin: Math.min(...utils), utilizationMax: Math.max(...utils) };
}

/** "3" → [3]; "1-4" → [1, 2, 3, 4]; "1,5,9" → [1, 5, 9] */
function parseSeeds(text: string): number[] {
  const range = /^(-?\d+)-(-?\d+)$/.exec(text);
  const seeds = range
    ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : text.split(',').map((x) => Number(x.trim()));
  if (seeds.length === 0 || seeds.some((x) => !Number.isInteger(x))) throw new Error(`--seeds: expected N, A-B or A,B,C; got "${text}"`);
  return seeds;
}

function runTask(t: Task): SimulationResult {
  return simulate({ scenario: t.scenario, policy: makePolicy(t.spec, t.scenario), days: t.days, seed: t.seed, reveal: t.reveal });
}

if (process.argv.includes('--child')) {
  process.on('message', (t: Task) => {
    const r = runTask(t);
    process.send?.({ id: t.id, result: r });
  });
} else {
  void main();
}

function parseArgs(argv: string[]) {
  const out = { scenario: undefined as string | undefined, days: DEFAULT_DAYS, seeds: [1], json: false, policies: [] as string[], reveal: {} as Reveal };
  let seedGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scenario') out.scenario = argv[++i];
    else if (a === '--days') out.days = Number(argv[++i]);
    else if (a === '--seed' || a === '--seeds') {
      if (seedGiven) throw new Error('give --seed or --seeds once');
      seedGiven = true;
      const v = argv[++i] ?? '';
      if (a === '--seed' && !Number.isInteger(Number(v))) throw new Error('--seed must be an integer');
      out.seeds = parseSeeds(v);
    }
    else if (a === '--json') out.json = true;
    else if (a === '--policy') out.policies.push(argv[++i]);
    else if (a === '--reveal') {
      const what = argv[++i];
      if (what !== 'agents' && what !== 'calls') throw new Error('--reveal: expected agents or calls');
      out.reveal[what] = true;
    }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.days) || out.days < 1) throw new Error('--days must be a positive integer');
  for (const p of out.policies) if (!['progressive', 'ratio', 'vicidial', 'ours'].includes(p)) throw new Error(`unknown policy ${p}`);
  if (out.policies.length === 0) out.policies = ['progressive', 'ratio', 'vicidial', 'ours'];
  return out;
}

async function runAll(tasks: Task[]): Promise<SimulationResult[]> {
  if (tasks.length === 0) return [];
  const results: SimulationResult[] = new Array(tasks.length);
  const workers = Math.max(1, Math.min(cpus().length, tasks.length));
  // Longest tasks first so the pool does not end waiting on one big cell.
  const queue = [...tasks].sort((a, b) => cost(b) - cost(a));
  await Promise.all(
    Array.from({ length: workers }, () => {
      const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return new Promise<void>((resolve, reject) => {
        const next = () => {
          const t = queue.shift();
          if (!t) {
            child.disconnect();
            resolve();
            return;
          }
          child.send(t);
        };
        child.on('message', (m: { id: number; result: SimulationResult }) => {
          results[m.id] = m.result;
          next();
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          if (code !== 0 && queue.length > 0) reject(new Error(`benchmark worker exited with ${code}`));
        });
        next();
      });
    }),
  );
  return results;
}

function cost(t: Task): number {
  const perAgent = t.spec.kind === 'predictive' ? 10 : 1;
  return t.scenario.agents * t.days * perAgent;
}

function toRow(runs: SimulationResult[], policy: string, ratio?: number): Row {
  return {
    scenario: runs[0].scenario,
    policy,
    ...combine(runs),
    ...(ratio !== undefined ? { ratio } : {}),
    days: runs[0].days,
    seeds: runs.map((r) => r.seed),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cells = args.scenario
    ? [parseScenario(JSON.parse(readFileSync(args.scenario, 'utf8')), basename(args.scenario, '.json'))]
    : standardGrid();
  const started = Date.now();
  const tasks: Task[] = [];
  // One task per seed; a policy's entry holds the ids of its tasks.
  const add = (scenario: Scenario, spec: PolicySpec, reveal?: Reveal): number[] =>
    args.seeds.map((seed) => {
      tasks.push({ id: tasks.length, scenario, spec, days: args.days, seed, ...(reveal ? { reveal } : {}) });
      return tasks.length - 1;
    });
  const want = (p: string) => args.policies.includes(p);
  const revealText = [args.reveal.agents ? 'agents' : '', args.reveal.calls ? 'calls' : ''].filter(Boolean).join('+');
  const none: number[] = [];
  const plan = cells.map((scenario) => ({
    scenario,
    progressive: want('progressive') ? add(scenario, { kind: 'progressive' }) : none,
    ratios: want('ratio') ? RATIO_SWEEP.map((ratio) => ({ ratio, tasks: add(scenario, { kind: 'fixed-ratio', ratio }) })) : [],
    vicidial: want('vicidial') ? add(scenario, { kind: 'vicidial-adaptive' }) : none,
    ours: want('ours') ? add(scenario, { kind: 'predictive' }) : none,
    revealed: revealText ? add(scenario, { kind: 'predictive' }, args.reveal) : none,
  }));
  const results = await runAll(tasks);
  const runsOf = (ids: number[]) => ids.map((id) => results[id]);

  // Best fixed ratio: the highest utilization whose every compliance window stays within the
  // target on every seed (a ratio that breaks the limit is not a usable setting). A coarse
  // sweep first, then steps of 0.1 around the best coarse ratio.
  const bestOf = (cell: (typeof plan)[number]) => {
    const scored = cell.ratios.map((r) => ({ ...r, m: combine(runsOf(r.tasks)) }));
    const feasible = scored.filter((r) => r.m.worstWindowAbandonRate <= cell.scenario.abandonTarget);
    if (feasible.length === 0) return scored.reduce((a, b) => (b.m.worstWindowAbandonRate < a.m.worstWindowAbandonRate ? b : a));
    return feasible.reduce((a, b) => (b.m.utilization > a.m.utilization ? b : a));
  };
  const firstFine = tasks.length;
  for (const cell of plan) {
    if (cell.ratios.length === 0) continue;
    const coarse = bestOf(cell).ratio;
    for (let d = -3; d <= 3; d++) {
      const ratio = Math.round((coarse + d / 10) * 10) / 10;
      if (ratio < 1 || cell.ratios.some((r) => Math.abs(r.ratio - ratio) < 1e-9)) continue;
      cell.ratios.push({ ratio, tasks: add(cell.scenario, { kind: 'fixed-ratio', ratio }) });
    }
  }
  const fine = await runAll(tasks.slice(firstFine).map((t, i) => ({ ...t, id: i })));
  fine.forEach((r, i) => (results[firstFine + i] = r));

  const rows: Row[] = [];
  for (const cell of plan) {
    if (cell.progressive.length > 0) rows.push(toRow(runsOf(cell.progressive), 'progressive'));
    if (cell.ratios.length > 0) {
      const best = bestOf(cell);
      const within = best.m.worstWindowAbandonRate <= cell.scenario.abandonTarget;
      rows.push(toRow(runsOf(best.tasks), `best fixed ratio (${best.ratio})${within ? '' : ' NONE WITHIN TARGET'}`, best.ratio));
    }
    if (cell.vicidial.length > 0) rows.push(toRow(runsOf(cell.vicidial), 'vicidial-adaptive'));
    if (cell.ours.length > 0) rows.push(toRow(runsOf(cell.ours), 'ours (predictive)'));
    if (cell.revealed.length > 0) rows.push(toRow(runsOf(cell.revealed), `ours, ${revealText} revealed`));
  }
  const elapsedSec = (Date.now() - started) / 1000;

  if (args.json) {
    console.log(JSON.stringify({ results: rows, days: args.days, seeds: args.seeds, elapsedSec }, null, 2));
    return;
  }
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  const many = args.seeds.length > 1;
  const seedText = many ? `seeds ${args.seeds.join(', ')} (means; worst% is the worst of any seed)` : `seed ${args.seeds[0]}`;
  console.log(`pacing benchmark: ${args.days} day(s) per cell, ${seedText}, ${elapsedSec.toFixed(0)} s`);
  let current = '';
  for (const r of rows) {
    if (r.scenario !== current) {
      current = r.scenario;
      console.log(`\n${current}`);
      console.log(`  policy                         util%   occ%  aband%  worst%  conn/h  talk-min/h  idle-s${many ? '  util range' : ''}`);
    }
    console.log(
      `  ${r.policy.padEnd(29)} ${pct(r.utilization)} ${pct(r.occupancy)} ${pct(r.abandonRate).padStart(6)}  ${pct(r.worstWindowAbandonRate)}  ` +
        `${r.connectsPerAgentHour.toFixed(2).padStart(6)}  ${r.talkMinutesPerAgentHour.toFixed(1).padStart(10)}  ${r.meanIdleSec.toFixed(1).padStart(6)}` +
        (many ? `  ${(100 * r.utilizationMin).toFixed(1)}–${(100 * r.utilizationMax).toFixed(1)}` : ''),
    );
  }
}
