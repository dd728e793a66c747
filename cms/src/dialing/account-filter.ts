/**
 * Which of a client's accounts a campaign works. `countries` keeps a campaign to
 * the debtors whose law its compliance profile applies (a UK profile to UK debtors).
 */
export type AccountFilter = {
  daysPastDue?: { min?: number; max?: number };
  balance?: { min?: number; max?: number };
  buckets?: string[];
  statuses?: string[];
  countries?: string[];
};

export type FilteredAccount = { daysPastDue?: number | null; balance?: number | string | null; delinquencyBucket?: string | null; status?: string | null; country?: string | null };

/** The filter as database conditions. */
export function accountFilterWhere(filter: AccountFilter | null | undefined): Record<string, unknown>[] {
  const f = filter ?? {};
  const where: Record<string, unknown>[] = [];
  if (f.daysPastDue?.min !== undefined) where.push({ daysPastDue: { $gte: f.daysPastDue.min } });
  if (f.daysPastDue?.max !== undefined) where.push({ daysPastDue: { $lte: f.daysPastDue.max } });
  if (f.balance?.min !== undefined) where.push({ balance: { $gte: f.balance.min } });
  if (f.balance?.max !== undefined) where.push({ balance: { $lte: f.balance.max } });
  if (f.buckets?.length) where.push({ delinquencyBucket: { $in: f.buckets } });
  if (f.statuses?.length) where.push({ status: { $in: f.statuses } });
  if (f.countries?.length) where.push({ country: { $in: f.countries } });
  return where;
}

/** The same filter on an account in memory (data not yet in a database, e.g. the demo seed). */
export function matchesAccountFilter(filter: AccountFilter | null | undefined, a: FilteredAccount): boolean {
  const f = filter ?? {};
  const within = (value: unknown, range?: { min?: number; max?: number }) =>
    !range || ((range.min === undefined || Number(value) >= range.min) && (range.max === undefined || Number(value) <= range.max));
  return (
    within(a.daysPastDue, f.daysPastDue) &&
    within(a.balance, f.balance) &&
    (!f.buckets?.length || f.buckets.includes(a.delinquencyBucket ?? '')) &&
    (!f.statuses?.length || f.statuses.includes(a.status ?? '')) &&
    (!f.countries?.length || f.countries.includes(a.country ?? ''))
  );
}
