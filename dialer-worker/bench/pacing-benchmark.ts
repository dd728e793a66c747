/**
 * The pacing benchmark: runs progressive, the best fixed ratio (swept), a VICIdial-style
 * adaptive policy and our predictive engine through the seeded simulator, and prints
 * utilization, occupancy, abandon rates and idle time per policy.
 *
 *   npm run bench:pacing -- [--scenario <file.json>] [--days N] [--seed S] [--json]
 *                           [--policy progressive|ratio|vicidial|ours]   (repeatable; default all)
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
}

type ReportedMetrics = Pick<
  SimulationMetrics,
  'utilization' | 'occupancy' | 'abandonRate' | 'worstWindowAbandonRate' | 'connectsPerAgentHour' | 'talkMinutesPerAgentHour' | 'meanIdleSec'
>;

interface Row extends ReportedMetrics {
  scenario: string;
  policy: string;
  ratio?: number;
  days: number;
  seed: number;
}

function runTask(t: Task): SimulationResult {
  return simulate({ scenario: t.scenario, policy: makePolicy(t.spec, t.scenario), days: t.days, seed: t.seed });
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
  const out = { scenario: undefined as string | undefined, days: DEFAULT_DAYS, seed: 1, json: false, policies: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scenario') out.scenario = argv[++i];
    else if (a === '--days') out.days = Number(argv[++i]);
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--json') out.json = true;
    else if (a === '--policy') out.policies.push(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.days) || out.days < 1) throw new Error('--days must be a positive integer');
  if (!Number.isInteger(out.seed)) throw new Error('--seed must be an integer');
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

function toRow(r: SimulationResult, policy: string, ratio?: number): Row {
  return {
    scenario: r.scenario,
    policy,
    utilization: r.utilization,
    occupancy: r.occupancy,
    abandonRate: r.abandonRate,
    worstWindowAbandonRate: r.worstWindowAbandonRate,
    connectsPerAgentHour: r.connectsPerAgentHour,
    talkMinutesPerAgentHour: r.talkMinutesPerAgentHour,
    meanIdleSec: r.meanIdleSec,
    ...(ratio !== undefined ? { ratio } : {}),
    days: r.days,
    seed: r.seed,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cells = args.scenario
    ? [parseScenario(JSON.parse(readFileSync(args.scenario, 'utf8')), basename(args.scenario, '.json'))]
    : standardGrid();
  const started = Date.now();
  const tasks: Task[] = [];
  const add = (scenario: Scenario, spec: PolicySpec) => {
    tasks.push({ id: tasks.length, scenario, spec, days: args.days, seed: args.seed });
    return tasks.length - 1;
  };
  const want = (p: string) => args.policies.includes(p);
  const plan = cells.map((scenario) => ({
    scenario,
    progressive: want('progressive') ? add(scenario, { kind: 'progressive' }) : -1,
    ratios: want('ratio') ? RATIO_SWEEP.map((ratio) => ({ ratio, task: add(scenario, { kind: 'fixed-ratio', ratio }) })) : [],
    vicidial: want('vicidial') ? add(scenario, { kind: 'vicidial-adaptive' }) : -1,
    ours: want('ours') ? add(scenario, { kind: 'predictive' }) : -1,
  }));
  const results = await runAll(tasks);

  // Best fixed ratio: the highest utilization whose every compliance window stays within the
  // target on this seed (a ratio that breaks the limit is not a usable setting). A coarse
  // sweep first, then steps of 0.1 around the best coarse ratio.
  const bestOf = (cell: (typeof plan)[number]) => {
    const feasible = cell.ratios.filter((r) => results[r.task].worstWindowAbandonRate <= cell.scenario.abandonTarget);
    if (feasible.length === 0) return cell.ratios.reduce((a, b) => (results[b.task].worstWindowAbandonRate < results[a.task].worstWindowAbandonRate ? b : a));
    return feasible.reduce((a, b) => (results[b.task].utilization > results[a.task].utilization ? b : a));
  };
  const firstFine = tasks.length;
  for (const cell of plan) {
    if (cell.ratios.length === 0) continue;
    const coarse = bestOf(cell).ratio;
    for (let d = -3; d <= 3; d++) {
      const ratio = Math.round((coarse + d / 10) * 10) / 10;
      if (ratio < 1 || cell.ratios.some((r) => Math.abs(r.ratio - ratio) < 1e-9)) continue;
      cell.ratios.push({ ratio, task: add(cell.scenario, { kind: 'fixed-ratio', ratio }) });
    }
  }
  const fine = await runAll(tasks.slice(firstFine).map((t, i) => ({ ...t, id: i })));
  fine.forEach((r, i) => (results[firstFine + i] = r));

  const rows: Row[] = [];
  for (const cell of plan) {
    if (cell.progressive >= 0) rows.push(toRow(results[cell.progressive], 'progressive'));
    if (cell.ratios.length > 0) {
      const best = bestOf(cell);
      const within = results[best.task].worstWindowAbandonRate <= cell.scenario.abandonTarget;
      rows.push(toRow(results[best.task], `best fixed ratio (${best.ratio})${within ? '' : ' NONE WITHIN TARGET'}`, best.ratio));
    }
    if (cell.vicidial >= 0) rows.push(toRow(results[cell.vicidial], 'vicidial-adaptive'));
    if (cell.ours >= 0) rows.push(toRow(results[cell.ours], 'ours (predictive)'));
  }
  const elapsedSec = (Date.now() - started) / 1000;

  if (args.json) {
    console.log(JSON.stringify({ results: rows, days: args.days, seed: args.seed, elapsedSec }, null, 2));
    return;
  }
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  console.log(`pacing benchmark: ${args.days} day(s) per cell, seed ${args.seed}, ${elapsedSec.toFixed(0)} s`);
  let current = '';
  for (const r of rows) {
    if (r.scenario !== current) {
      current = r.scenario;
      console.log(`\n${current}`);
      console.log('  policy                         util%   occ%  aband%  worst%  conn/h  talk-min/h  idle-s');
    }
    console.log(
      `  ${r.policy.padEnd(29)} ${pct(r.utilization)} ${pct(r.occupancy)} ${pct(r.abandonRate).padStart(6)}  ${pct(r.worstWindowAbandonRate)}  ` +
        `${r.connectsPerAgentHour.toFixed(2).padStart(6)}  ${r.talkMinutesPerAgentHour.toFixed(1).padStart(10)}  ${r.meanIdleSec.toFixed(1).padStart(6)}`,
    );
  }
}
