/** How campaigns read on screen: their modes, states and the parts of them the form edits. */
export type Ref = { id: number | string; documentId: string; username?: string; code?: string; label?: string; name?: string };

export type AccountFilter = { daysPastDue?: { min?: number; max?: number }; balance?: { min?: number; max?: number }; statuses?: string[] };

export type Campaign = {
  id: string;
  name: string;
  state: 'draft' | 'running' | 'paused' | 'finished';
  dialMode: string;
  complianceProfile: 'us' | 'uk';
  abandonTarget?: number | string | null;
  maxDialRatio?: number | string | null;
  fixedDialRatio?: number | string | null;
  ringTimeoutSec?: number | null;
  dropWindowSec?: number | string | null;
  callWindowStart?: string | null;
  callWindowEnd?: string | null;
  maxAttemptsPerAccount?: number | null;
  maxAttemptsPerPhonePerDay?: number | null;
  retryDelayMinutes?: number | null;
  wrapUpLimitSec?: number | null;
  callerId?: string | null;
  description?: string | null;
  accountFilter?: AccountFilter | null;
  client?: Ref | null;
  agents?: Ref[];
  allowedDispositions?: Ref[];
  defaultDisposition?: Ref | null;
  startedAt?: string | null;
  updatedAt?: string;
};

export const CAMPAIGN_STATES: Record<string, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'default' },
  running: { label: 'Running', color: 'green' },
  paused: { label: 'Paused', color: 'orange' },
  finished: { label: 'Finished', color: 'blue' },
};

export const DIAL_MODES: Record<string, string> = {
  preview: 'Preview',
  progressive: 'Progressive',
  ratio: 'Fixed ratio',
  predictive: 'Predictive',
};

export const COMPLIANCE_PROFILES: Record<string, string> = { us: 'United States (FCC, TCPA, Reg F)', uk: 'United Kingdom (Ofcom)' };

export const percent = (fraction: number | string | null | undefined) =>
  fraction === null || fraction === undefined ? '—' : `${(Number(fraction) * 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;

export const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
