import type { AgentStatus } from '@/providers/worker-connection';

/** The words the status region says for each state the worker reports. */
export const AGENT_STATE_LABELS: Record<AgentStatus, string> = {
  logged_out: 'Not ready',
  ready: 'Ready',
  reserved: 'Previewing',
  on_call: 'On call',
  wrap_up: 'Wrap-up',
  paused: 'Paused',
};

/**
 * The word for a state on a campaign of this dial mode. `reserved` is a preview held by the
 * agent in a preview campaign, but in the other modes it is an agent booked for a call the
 * engine is connecting: "Previewing" there would send a supervisor looking for a screen that
 * does not exist.
 */
export function agentStateLabel(status: AgentStatus, dialMode?: string | null): string {
  if (status === 'reserved' && dialMode && dialMode !== 'preview') return 'Connecting';
  return AGENT_STATE_LABELS[status];
}

/** Pause reasons the worker sets itself, beside the ones an agent picks (config/pause-codes.json). */
export const SYSTEM_PAUSE_LABELS: Record<string, string> = {
  'after call': 'After call',
  wrap_up_limit: 'Wrap-up time ran out',
};

/** `m:ss` (or `h:mm:ss`) since a moment. */
export function elapsed(sinceMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - sinceMs) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
