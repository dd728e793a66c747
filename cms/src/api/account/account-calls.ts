import type { Access } from '../../access/access-context';

/** What an account's call history shows of each call. */
export const ACCOUNT_CALL_FIELDS = ['documentId', 'createdAt', 'queuedAt', 'dialedAt', 'answeredAt', 'endedAt', 'direction', 'outcome', 'phone', 'talkSeconds', 'notes'] as const;

type StoredCall = Record<string, unknown> & { agent?: { id: number; username: string } | null };
export type AccountCall = Record<string, unknown> & { agent: { id: number; username: string } | null };

/**
 * Whom a reader may see named as a call's agent: themself, and anyone for those who read users
 * (supervisors, API tokens). An agent reads the calls others made on their account (what was said,
 * when, with what outcome) but not who made them; an analyst reads the work, not the workers.
 */
export function mayNameAgent(access: Access, agentId: number): boolean {
  if (access.kind === 'unrestricted') return true;
  return access.role === 'supervisor' || access.userId === agentId;
}

/** A stored call as this reader sees it in an account's history. */
export function accountCallView(call: StoredCall, access: Access): AccountCall {
  const agent = call.agent && mayNameAgent(access, call.agent.id) ? { id: call.agent.id, username: call.agent.username } : null;
  return { ...call, agent };
}
