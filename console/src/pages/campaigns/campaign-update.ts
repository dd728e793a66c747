import type { AccountFilter, Campaign, Ref } from './campaign-format';

type Picked = string | Ref;
export type CampaignFormValues = Omit<Partial<Campaign>, 'client' | 'agents' | 'allowedDispositions' | 'defaultDisposition' | 'accountFilter'> & {
  client?: Picked | null;
  agents?: Picked[];
  allowedDispositions?: Picked[];
  defaultDisposition?: Picked | null;
  accountFilter?: AccountFilter | null;
};

/** A relation as the form holds it: the documentId picked, or the record cms populated. */
export const documentIdOf = (v: Picked | null | undefined) => (v === null || v === undefined ? null : typeof v === 'string' ? v : v.documentId);

/** A populated relation shown in a Select: its documentId(s). */
export const relationField = {
  getValueProps: (v: Picked | Picked[] | null | undefined) => ({ value: Array.isArray(v) ? v.map(documentIdOf) : documentIdOf(v) }),
};

function withoutEmpty<T extends Record<string, unknown>>(range: T | undefined): T | undefined {
  if (!range) return undefined;
  const kept = Object.entries(range).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  return kept.length ? (Object.fromEntries(kept) as T) : undefined;
}

/** The account filter without its blank parts: cms reads a missing bound as "no bound". */
export function accountFilterOf(filter: AccountFilter | null | undefined): AccountFilter | null {
  if (!filter) return null;
  const out: AccountFilter = {};
  const dpd = withoutEmpty(filter.daysPastDue);
  const balance = withoutEmpty(filter.balance);
  if (dpd) out.daysPastDue = dpd;
  if (balance) out.balance = balance;
  if (filter.statuses?.length) out.statuses = filter.statuses;
  return Object.keys(out).length ? out : null;
}

/**
 * The write to send for a form: relations by documentId (lists replaced whole with `set`, as the
 * form shows them whole), blank text as null. Values go as typed: cms judges them and names the field.
 */
export function campaignUpdate(values: CampaignFormValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (field === 'agents' || field === 'allowedDispositions') data[field] = { set: (value as Picked[]).map((v) => ({ documentId: documentIdOf(v) })) };
    else if (field === 'client' || field === 'defaultDisposition') data[field] = documentIdOf(value as Picked);
    else if (field === 'accountFilter') data[field] = accountFilterOf(value as AccountFilter);
    else data[field] = typeof value === 'string' && value.trim() === '' ? null : value;
  }
  return data;
}
