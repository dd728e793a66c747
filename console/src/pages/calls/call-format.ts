import type { ComplianceReceipt } from './receipt-checks';

/** How calls read on screen. */
export type Call = {
  id: string;
  attemptId?: string | null;
  direction: 'outbound' | 'inbound';
  dialMode?: string | null;
  phone?: string | null;
  outcome: string;
  queuedAt?: string | null;
  dialedAt?: string | null;
  answeredAt?: string | null;
  bridgedAt?: string | null;
  endedAt?: string | null;
  wrapEndedAt?: string | null;
  ringSeconds?: number | string | null;
  talkSeconds?: number | string | null;
  wrapSeconds?: number | string | null;
  hangupCause?: number | null;
  amdStatus?: string | null;
  notes?: string | null;
  recordingRef?: string | null;
  recordedBy?: string | null;
  createdAt?: string;
  complianceReceipt?: ComplianceReceipt | null;
  account?: { documentId: string; accountNumber: string; debtorFirstName?: string | null; debtorLastName: string } | null;
  campaign?: { documentId: string; name: string } | null;
  agent?: { documentId?: string; username: string } | null;
  disposition?: { documentId: string; code: string; label: string } | null;
};

export const OUTCOMES: Record<string, { label: string; color: string }> = {
  pending: { label: 'In progress', color: 'processing' },
  connected: { label: 'Connected', color: 'green' },
  no_answer: { label: 'No answer', color: 'default' },
  busy: { label: 'Busy', color: 'orange' },
  machine: { label: 'Machine', color: 'purple' },
  failed: { label: 'Failed', color: 'red' },
  abandoned: { label: 'Abandoned', color: 'volcano' },
};

/** 95 → "1:35"; nothing → "—". */
export function duration(seconds: number | string | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds === '') return '—';
  const s = Math.round(Number(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** When the call happened: queued for an outbound attempt, else recorded. */
export const callTime = (c: Pick<Call, 'queuedAt' | 'createdAt'>) => c.queuedAt ?? c.createdAt ?? null;

/** A call's relations by name; the agent only for supervisors, the one role cms names agents to. */
export const callPopulate = (withAgent: boolean) => ({
  account: { fields: ['accountNumber', 'debtorFirstName', 'debtorLastName'] },
  campaign: { fields: ['name'] },
  disposition: { fields: ['code', 'label'] },
  ...(withAgent ? { agent: { fields: ['username'] } } : {}),
});
