/**
 * The outer loop of predictive pacing: a stochastic-approximation (Robbins-Monro) integrator
 * on the abandon rate. The inner model says how risky each extra call is; this loop learns
 * how much risk per call the campaign can afford so that, over many live answers, the
 * abandoned share settles on the setpoint. It works on log-risk so that one abandon moves
 * the threshold by the same factor whatever its size.
 */
export interface AbandonFeedbackState {
  /** natural log of the per-call abandon risk the predictive mode accepts */
  logRiskThreshold: number;
  liveOutcomes: number;
}

export const FEEDBACK_LIMITS = {
  minLogRisk: Math.log(0.002),
  maxLogRisk: Math.log(0.6),
};

export function initialAbandonFeedback(): AbandonFeedbackState {
  return { logRiskThreshold: Math.log(0.02), liveOutcomes: 0 };
}

/**
 * One live answer settled: connected or abandoned. Each abandon lowers the threshold by
 * gain·(1−s), each connect raises it by gain·s, so the fixed point is an abandon share of s.
 * The gain starts large so a new campaign finds its level within a few hundred answers.
 */
export function updateAbandonFeedback(
  state: AbandonFeedbackState,
  abandoned: boolean,
  setpoint: number,
  baseGain = 0.04,
): void {
  const warmup = Math.max(1, 3 - state.liveOutcomes / 200);
  const gain = baseGain * warmup;
  const error = (abandoned ? 1 : 0) - setpoint;
  const next = state.logRiskThreshold - gain * error;
  state.logRiskThreshold = Math.min(FEEDBACK_LIMITS.maxLogRisk, Math.max(FEEDBACK_LIMITS.minLogRisk, next));
  state.liveOutcomes += 1;
}
