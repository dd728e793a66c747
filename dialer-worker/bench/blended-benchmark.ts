/**
 * Blended campaign in the pacing simulator: 20 agents dialing out with our predictive engine
 * while an inbound stream reaches the same agents (who take inbound first). Prints the outbound
 * abandon rate (mean and worst window, against the 3 % target) and the inbound queue's figures,
 * with the engine told of the agents inbound callers are expected to take (reserve) and without.
 *
 *   npm run bench:blended -- [--days N] [--seeds 1-3] [--per-hour 40,80]
 */
import { makePolicy } from '../src/simulation/benchmark-grid';
import { parseScenario } from '../src/simulation/scenario';
import { simulate, type SimulationResult } from '../src/simulation/simulator';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const days = Number(arg('days', '3'));
const [from, to] = arg('seeds', '1-3').split('-').map(Number);
const rates = arg('per-hour', '40,80').split(',').map(Number);
const scenario = parseScenario({ agents: 20, liveRate: 0.15 }, '20 agents, live 0.15');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

console.log(`Blended: ${scenario.name}, ${days} days × seeds ${from}-${to}, talk ${scenario.talkMeanSec} s, patience lognormal mean 90 s sd 90 s`);
console.log('inbound/h | reserve | outbound abandon (mean / worst window) | utilization | inbound offered | SL 20 s | ASA | hung up waiting');
for (const perHour of [0, ...rates]) {
  for (const reserve of perHour ? [false, true] : [false]) {
    const runs: SimulationResult[] = [];
    for (let seed = from; seed <= (to ?? from); seed++) {
      runs.push(simulate({ scenario, policy: makePolicy({ kind: 'predictive' }, scenario), days, seed, ...(perHour ? { inbound: { perHour, patienceMeanSec: 90, patienceSdSec: 90, reserve } } : {}) }));
    }
    const mean = (f: (r: SimulationResult) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
    const worst = Math.max(...runs.map((r) => r.worstWindowAbandonRate));
    const inb = runs.map((r) => r.inbound).filter((x) => !!x);
    const offered = inb.reduce((a, q) => a + q!.offered, 0);
    const answered = inb.reduce((a, q) => a + q!.answered, 0);
    const abandoned = inb.reduce((a, q) => a + q!.abandoned, 0);
    const sl = inb.length ? inb.reduce((a, q) => a + (q!.serviceLevel ?? 0) * (q!.answered + q!.abandoned), 0) / Math.max(1, answered + abandoned) : null;
    const asa = inb.length ? inb.reduce((a, q) => a + (q!.asaSec ?? 0) * q!.answered, 0) / Math.max(1, answered) : null;
    console.log(
      [
        String(perHour).padStart(9),
        (perHour ? (reserve ? 'yes' : 'no') : '—').padEnd(7),
        `${pct(mean((r) => r.abandonRate))} / ${pct(worst)}`.padEnd(38),
        pct(mean((r) => r.utilization)).padEnd(11),
        String(offered).padEnd(15),
        (sl === null ? '—' : pct(sl)).padEnd(7),
        asa === null ? '—' : `${asa.toFixed(1)} s`,
        inb.length ? `${abandoned} (${pct(abandoned / Math.max(1, offered))})` : '—',
      ].join(' | '),
    );
  }
}
