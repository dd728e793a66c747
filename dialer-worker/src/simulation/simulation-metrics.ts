import type { Scenario } from './scenario';

/** What one simulated shift produced. Times are clipped to the shift. */
export interface DayTally {
  agentSeconds: number;
  talkSec: number;
  wrapSec: number;
  connects: number;
  liveAnswers: number;
  abandons: number;
  dials: number;
}

export interface SimulationMetrics {
  /** talk time / logged-in time */
  utilization: number;
  /** (talk + wrap) / logged-in time */
  occupancy: number;
  /** abandoned / live-answered over the whole run */
  abandonRate: number;
  /** the worst compliance window (30 days US, 24 h UK), evaluated at the end of every shift */
  worstWindowAbandonRate: number;
  connectsPerAgentHour: number;
  talkMinutesPerAgentHour: number;
  /** agent idle seconds per connect: the wait between calls */
  meanIdleSec: number;
  dialsPerAgentHour: number;
  /** abandon rate of each compliance window, in order of the shifts that end them */
  windowAbandonRates: number[];
}

export function summarize(days: DayTally[], s: Scenario): SimulationMetrics {
  const sum = (f: (d: DayTally) => number) => days.reduce((acc, d) => acc + f(d), 0);
  const agentSec = sum((d) => d.agentSeconds);
  const talk = sum((d) => d.talkSec);
  const wrap = sum((d) => d.wrapSec);
  const connects = sum((d) => d.connects);
  const lives = sum((d) => d.liveAnswers);
  const abandons = sum((d) => d.abandons);
  const windowDays = Math.max(1, Math.round(s.abandonWindowHours / 24));
  const windowAbandonRates: number[] = [];
  for (let i = 0; i < days.length; i++) {
    let l = 0;
    let a = 0;
    for (let j = Math.max(0, i - windowDays + 1); j <= i; j++) {
      l += days[j].liveAnswers;
      a += days[j].abandons;
    }
    windowAbandonRates.push(l > 0 ? a / l : 0);
  }
  const hours = agentSec / 3600;
  return {
    utilization: talk / agentSec,
    occupancy: (talk + wrap) / agentSec,
    abandonRate: lives > 0 ? abandons / lives : 0,
    worstWindowAbandonRate: Math.max(0, ...windowAbandonRates),
    connectsPerAgentHour: connects / hours,
    talkMinutesPerAgentHour: talk / 60 / hours,
    meanIdleSec: connects > 0 ? (agentSec - talk - wrap) / connects : agentSec,
    dialsPerAgentHour: sum((d) => d.dials) / hours,
    windowAbandonRates,
  };
}
