export const AGENT_STATUSES = ['ready', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;
export const INTERVAL_ID = /^[A-Za-z0-9._:-]{6,80}$/;
const DAY_MS = 86_400_000;
const SKEW_MS = 5 * 60_000;

export type AgentIntervalInput = { agentId: number; campaign: string | null; status: (typeof AGENT_STATUSES)[number]; pauseReason: string | null; startedAt: Date; endedAt: Date };
export type FieldProblem = { path: string[]; message: string };

/**
 * One interval the worker reports: an agent, the campaign they were on, a
 * state and when it began and ended. At most a day long (the worker splits
 * longer ones), never ending in the future. Pure: the clock is a parameter.
 */
export function readAgentInterval(intervalId: string, data: Record<string, unknown>, now: Date): { value: AgentIntervalInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const err = (field: string, message: string) => problems.push({ path: [field], message: `${field} ${message}` });
  if (!INTERVAL_ID.test(intervalId)) err('intervalId', 'must be 6-80 letters, digits or ._:-');
  const agentId = Number(data.agentId);
  if (!Number.isInteger(agentId) || agentId <= 0) err('agentId', 'must be a user id');
  const campaign = data.campaign === undefined || data.campaign === null ? null : data.campaign;
  if (campaign !== null && (typeof campaign !== 'string' || !/^[a-z0-9]{10,40}$/.test(campaign))) err('campaign', 'must be a campaign documentId');
  const status = data.status as AgentIntervalInput['status'];
  if (!AGENT_STATUSES.includes(status)) err('status', `must be one of: ${AGENT_STATUSES.join(', ')}`);
  const pauseReason = data.pauseReason === undefined || data.pauseReason === null ? null : String(data.pauseReason);
  if (pauseReason !== null && pauseReason.length > 40) err('pauseReason', 'must be at most 40 characters');
  const date = (field: string) => {
    const v = data[field];
    const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) { err(field, 'must be a date-time'); return null; }
    return d;
  };
  const startedAt = date('startedAt'), endedAt = date('endedAt');
  if (startedAt && endedAt) {
    if (endedAt < startedAt) err('endedAt', 'must not be before startedAt');
    else if (endedAt.getTime() - startedAt.getTime() > DAY_MS) err('endedAt', 'must be at most a day after startedAt');
    if (endedAt.getTime() > now.getTime() + SKEW_MS) err('endedAt', 'must not be in the future');
  }
  if (problems.length) return { value: null, problems };
  return { value: { agentId, campaign: campaign as string | null, status, pauseReason, startedAt: startedAt!, endedAt: endedAt! }, problems };
}
