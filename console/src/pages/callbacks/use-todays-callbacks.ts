import { useMemo } from 'react';
import { useList, usePermissions } from '@refinedev/core';
import type { Account, Phone } from '@/pages/accounts/account-format';
import { dayBounds, type DueCallback } from './callback-schedule';

export type TodaysCallback = DueCallback & {
  phone?: Phone['number'] | null;
  notes?: string | null;
  /** A populated relation: addressed by its documentId (only the listed record gets Refine's `id`). */
  account?: (Pick<Account, 'accountNumber' | 'debtorFirstName' | 'debtorLastName' | 'timezone'> & { documentId: string }) | null;
  owner?: { username: string } | null;
};

/** New callbacks set in a wrap-up show up within this; the reminder itself is timed to the second. */
const REFRESH_MS = 60_000;

/**
 * The callbacks due in the reader's day, as far as cms lets the reader see them: for an agent,
 * theirs and those on the accounts assigned to them (cms neither shows an agent who owns a
 * callback nor lets them filter on it); for a supervisor, every one of their clients'.
 */
export function useTodaysCallbacks() {
  const { data: role } = usePermissions<string>({});
  const day = new Date().toDateString();
  const { start, end } = useMemo(() => dayBounds(new Date(day)), [day]);
  const isAgent = role === 'agent';
  const account = { fields: ['accountNumber', 'debtorFirstName', 'debtorLastName', 'timezone'] };
  return useList<TodaysCallback>({
    resource: 'callbacks',
    filters: [
      { field: 'dueAt', operator: 'gte', value: start.toISOString() },
      { field: 'dueAt', operator: 'lt', value: end.toISOString() },
    ],
    sorters: [{ field: 'dueAt', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    meta: { populate: isAgent ? { account } : { account, owner: { fields: ['username'] } } },
    queryOptions: { enabled: role !== undefined, refetchInterval: REFRESH_MS },
  });
}
