import { useMemo } from 'react';
import { useGetIdentity, useList, usePermissions, type CrudFilters } from '@refinedev/core';
import type { Account, Phone } from '@/pages/accounts/account-format';
import { dayBounds, type DueCallback } from './callback-schedule';

export type TodaysCallback = DueCallback & {
  phone?: Phone['number'] | null;
  notes?: string | null;
  account?: Pick<Account, 'id' | 'accountNumber' | 'debtorFirstName' | 'debtorLastName' | 'timezone'> | null;
  owner?: { username: string } | null;
};

/** New callbacks set in a wrap-up show up within this; the reminder itself is timed to the second. */
const REFRESH_MS = 60_000;

/**
 * The callbacks due in the reader's day: for an agent, theirs and those anyone may make on their
 * accounts (cms scopes the rest away); for a supervisor, every one of their clients'.
 */
export function useTodaysCallbacks() {
  const { data: role } = usePermissions<string>({});
  const { data: identity } = useGetIdentity<{ id: number }>();
  const day = new Date().toDateString();
  const { start, end } = useMemo(() => dayBounds(new Date(day)), [day]);
  const isAgent = role === 'agent';
  const filters: CrudFilters = [
    { field: 'dueAt', operator: 'gte', value: start.toISOString() },
    { field: 'dueAt', operator: 'lt', value: end.toISOString() },
  ];
  if (isAgent) filters.push({ operator: 'or', value: [{ field: 'owner.id', operator: 'eq', value: identity?.id }, { field: 'owner.id', operator: 'null', value: true }] });
  const account = { fields: ['accountNumber', 'debtorFirstName', 'debtorLastName', 'timezone'] };
  return useList<TodaysCallback>({
    resource: 'callbacks',
    filters,
    sorters: [{ field: 'dueAt', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    meta: { populate: isAgent ? { account } : { account, owner: { fields: ['username'] } } },
    queryOptions: { enabled: role !== undefined && (!isAgent || identity?.id !== undefined), refetchInterval: REFRESH_MS },
  });
}
