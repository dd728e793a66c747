import type { PacingModel } from './pacing-model';

/** A busy agent as the model sees it: what they are doing and for how long already. */
export interface BusyAgent {
  state: 'talking' | 'wrap';
  elapsedSec: number;
  /** see AgentSnapshot.revealedStateLeftSec */
  revealedLeftSec?: number;
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
  if (agent.revealedLeftSec !== undefined) {
    revealedFree(model, agent.state, agent.revealedLeftSec, horizons, out);
    return;
  }
  if (agent.state === 'wrap') {
    for (let m = 0; m < horizons.length; m++) out[m] = model.wrap.conditional(agent.elapsedSec, horizons[m]);
    return;
  }
  talkingFree(model, agent.elapsedSec, wrapTable ?? wrapCdfTable(model, horizons), out);
}

/** A wrap-up that ends at a known time frees the agent then; a talk that ends then starts a wrap-up. */
function revealedFree(model: PacingModel, state: BusyAgent['state'], leftSec: number, horizons: readonly number[], out: Float64Array): void {
  for (let m = 0; m < horizons.length; m++) {
    const h = horizons[m];
    out[m] = state === 'wrap' ? (leftSec <= h ? 1 : 0) : h > leftSec ? model.wrap.cdf(h - leftSec) : 0;
  }
}

function talkingFree(model: PacingModel, elapsedSec: number, table: WrapTable, out: Float64Array): void {
  const M = table.horizons;
  const a = elapsedSec;
  const talk = model.talk;
  const base = talk.cdf(a);
  const surv = 1 - base;
  if (surv <= 1e-9) {
    const last = (table.steps - 1) * M;
    for (let m = 0; m < M; m++) out[m] = table.values[last + m] > 0 ? model.wrap.cdf(table.horizonValues[m]) : 0;
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

/**
 * Talking agents differ only by elapsed talk time, and a decision on a big floor asks about
 * dozens of them, so the answer is memoised per whole second of elapsed talk (interpolated
 * between seconds) for the life of the model's duration distributions.
 */
const TALK_MEMO_MAX_SEC = 7200;
const talkMemo = new WeakMap<object, Map<string, Float64Array[]>>();

export function freeProbabilitiesTalking(model: PacingModel, elapsedSec: number, table: WrapTable, out: Float64Array): void {
  let byHorizons = talkMemo.get(model.talk);
  if (!byHorizons) {
    byHorizons = new Map();
    talkMemo.set(model.talk, byHorizons);
  }
  let rows = byHorizons.get(table.key);
  if (!rows) {
    rows = [];
    byHorizons.set(table.key, rows);
  }
  const M = table.horizons;
  const a = Math.min(Math.max(0, elapsedSec), TALK_MEMO_MAX_SEC);
  const i = Math.floor(a);
  const f = a - i;
  const row = (k: number): Float64Array => {
    let r = rows[k];
    if (!r) {
      r = new Float64Array(M);
      talkingFree(model, k, table, r);
      rows[k] = r;
    }
    return r;
  };
  const r0 = row(i);
  const r1 = f > 0 ? row(i + 1) : r0;
  for (let m = 0; m < M; m++) out[m] = r0[m] + f * (r1[m] - r0[m]);
}

/** wrap.cdf(h_m − s − STEP/2) for each talk-end step s and horizon h_m, shared by all agents. */
export interface WrapTable {
  steps: number;
  horizons: number;
  horizonValues: readonly number[];
  /** identifies the horizons, for memoising per-agent answers */
  key: string;
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
  return { steps, horizons: M, horizonValues: horizons, key: horizons.map((h) => h.toFixed(3)).join(','), values };
}

/**
 * P(a call in flight that has been out for `elapsedSec` turns into a live answer within
 * `horizon` seconds). It conditions on the call still being unresolved: a call ringing for
 * 20 s is far less likely to be a person than a fresh one, since most people answer early.
 */
export function liveWithin(model: PacingModel, elapsedSec: number, horizon: number, revealedLiveInSec?: number): number {
  if (revealedLiveInSec !== undefined) return revealedLiveWithin(revealedLiveInSec, horizon);
  const p = model.liveRate;
  const gNow = model.liveTime.cdf(elapsedSec);
  const surv = 1 - p * gNow - (1 - p) * model.failTime.cdf(elapsedSec);
  if (surv <= 1e-9) return 0;
  const r = (p * (model.liveTime.cdf(elapsedSec + horizon) - gNow)) / surv;
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/** The information bound's version of liveWithin: the call's revealed fate (Infinity: never live). */
export function revealedLiveWithin(revealedLiveInSec: number, horizon: number): number {
  return revealedLiveInSec <= horizon ? 1 : 0;
}
