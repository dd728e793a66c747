import type { PacingModel } from './pacing-model';

/** A busy agent as the model sees it: what they are doing and for how long already. */
export interface BusyAgent {
  state: 'talking' | 'wrap';
  elapsedSec: number;
}

const STEP = 1;

/**
 * P(agent free within each horizon), for a list of ascending horizons (seconds from now).
 * An agent in wrap-up is free when the residual wrap ends. An agent still talking must
 * finish the call and then the whole wrap-up, so the residual talk is convolved with the
 * wrap distribution — this is why a talking agent almost never counts as free within the
 * next 30 s, and an agent 40 s into wrap-up very often does.
 */
export function freeProbabilities(
  model: PacingModel,
  agent: BusyAgent,
  horizons: readonly number[],
  out: Float64Array,
  wrapTable?: WrapTable,
): void {
  if (agent.state === 'wrap') {
    for (let m = 0; m < horizons.length; m++) out[m] = model.wrap.conditional(agent.elapsedSec, horizons[m]);
    return;
  }
  const table = wrapTable ?? wrapCdfTable(model, horizons);
  const a = agent.elapsedSec;
  const talk = model.talk;
  const base = talk.cdf(a);
  const surv = 1 - base;
  const M = horizons.length;
  if (surv <= 1e-9) {
    for (let m = 0; m < M; m++) out[m] = model.wrap.cdf(horizons[m]);
    return;
  }
  for (let m = 0; m < M; m++) out[m] = 0;
  let prev = base;
  for (let si = 0; si < table.steps; si++) {
    const next = talk.cdf(a + (si + 1) * STEP);
    const ends = (next - prev) / surv;
    prev = next;
    if (ends <= 0) continue;
    const row = si * M;
    for (let m = 0; m < M; m++) out[m] += ends * table.values[row + m];
  }
}

/** wrap.cdf(h_m − s − STEP/2) for each talk-end step s and horizon h_m, shared by all agents. */
export interface WrapTable {
  steps: number;
  values: Float64Array;
}

export function wrapCdfTable(model: PacingModel, horizons: readonly number[]): WrapTable {
  const M = horizons.length;
  const steps = Math.ceil(horizons[M - 1] / STEP);
  const values = new Float64Array(steps * M);
  for (let si = 0; si < steps; si++) {
    for (let m = 0; m < M; m++) {
      const rest = horizons[m] - si * STEP - STEP / 2;
      values[si * M + m] = rest > 0 ? model.wrap.cdf(rest) : 0;
    }
  }
  return { steps, values };
}

/**
 * P(a call in flight that has been out for `elapsedSec` turns into a live answer within
 * `horizon` seconds). It conditions on the call still being unresolved: a call ringing for
 * 20 s is far less likely to be a person than a fresh one, since most people answer early.
 */
export function liveWithin(model: PacingModel, elapsedSec: number, horizon: number): number {
  const p = model.liveRate;
  const gNow = model.liveTime.cdf(elapsedSec);
  const surv = 1 - p * gNow - (1 - p) * model.failTime.cdf(elapsedSec);
  if (surv <= 1e-9) return 0;
  const r = (p * (model.liveTime.cdf(elapsedSec + horizon) - gNow)) / surv;
  return r < 0 ? 0 : r > 1 ? 1 : r;
}
