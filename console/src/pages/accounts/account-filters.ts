import type { CrudFilter, CrudFilters } from '@refinedev/core';

/** What the supervisor's filter bar holds. Empty means "any". */
export type AccountFilterValues = {
  status?: string[];
  delinquencyBucket?: string[];
  balanceMin?: number | null;
  balanceMax?: number | null;
  dpdMin?: number | null;
  dpdMax?: number | null;
  /** An agent's documentId, or UNASSIGNED. */
  agent?: string | null;
  timezone?: string[];
};

export const UNASSIGNED = '__unassigned__';

export const DELINQUENCY_BUCKETS: Record<string, string> = {
  current: 'Current',
  dpd_1_30: '1–30',
  dpd_31_60: '31–60',
  dpd_61_90: '61–90',
  dpd_91_120: '91–120',
  dpd_121_180: '121–180',
  dpd_181_plus: '181+',
  charged_off: 'Charged off',
};

export const TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles',
  'America/Anchorage', 'Pacific/Honolulu', 'Europe/London',
];

/** Fields the bar owns; the search box owns the `or` filter. */
const BAR_FIELDS = new Set(['status', 'delinquencyBucket', 'balance', 'daysPastDue', 'assignedAgent.documentId', 'assignedAgent.id', 'timezone']);

const present = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** The bar's values as list filters, in the form cms takes on a list and on a bulk reassignment alike. */
export function accountBarFilters(v: AccountFilterValues): CrudFilter[] {
  const out: CrudFilter[] = [];
  if (v.status?.length) out.push({ field: 'status', operator: 'in', value: v.status });
  if (v.delinquencyBucket?.length) out.push({ field: 'delinquencyBucket', operator: 'in', value: v.delinquencyBucket });
  if (present(v.balanceMin)) out.push({ field: 'balance', operator: 'gte', value: v.balanceMin });
  if (present(v.balanceMax)) out.push({ field: 'balance', operator: 'lte', value: v.balanceMax });
  if (present(v.dpdMin)) out.push({ field: 'daysPastDue', operator: 'gte', value: v.dpdMin });
  if (present(v.dpdMax)) out.push({ field: 'daysPastDue', operator: 'lte', value: v.dpdMax });
  if (v.agent === UNASSIGNED) out.push({ field: 'assignedAgent.id', operator: 'null', value: true });
  else if (v.agent) out.push({ field: 'assignedAgent.documentId', operator: 'eq', value: v.agent });
  if (v.timezone?.length) out.push({ field: 'timezone', operator: 'in', value: v.timezone });
  return out;
}

/** The bar's values read back from a list's filters (a reload, a shared link). */
export function accountBarValues(filters: CrudFilters | undefined): AccountFilterValues {
  const v: AccountFilterValues = {};
  const asList = (x: unknown) => (Array.isArray(x) ? x.map(String) : x === undefined || x === null ? [] : [String(x)]);
  for (const f of filters ?? []) {
    if (!('field' in f)) continue;
    const n = Number(f.value);
    switch (`${f.field}:${f.operator}`) {
      case 'status:in': v.status = asList(f.value); break;
      case 'delinquencyBucket:in': v.delinquencyBucket = asList(f.value); break;
      case 'balance:gte': v.balanceMin = n; break;
      case 'balance:lte': v.balanceMax = n; break;
      case 'daysPastDue:gte': v.dpdMin = n; break;
      case 'daysPastDue:lte': v.dpdMax = n; break;
      case 'assignedAgent.id:null': v.agent = UNASSIGNED; break;
      case 'assignedAgent.documentId:eq': v.agent = String(f.value); break;
      case 'timezone:in': v.timezone = asList(f.value); break;
    }
  }
  return v;
}

/** The list's filters with the bar's part replaced and the search kept. */
export function withBarFilters(filters: CrudFilters | undefined, values: AccountFilterValues): CrudFilters {
  const kept = (filters ?? []).filter((f) => !('field' in f) || !BAR_FIELDS.has(f.field));
  return [...kept, ...accountBarFilters(values)];
}
