import { useMemo } from 'react';
import { useCustom, useList, useOne } from '@refinedev/core';
import type { ContactRules } from '@cms/compliance/contact-rules';

export type { ContactRules };

export type Phone = { number: string; type?: string; status?: string; autodialConsent?: boolean; isPrimary?: boolean };
export type Account = {
  id: string;
  accountNumber: string;
  debtorFirstName?: string;
  debtorLastName: string;
  balance: number;
  currency?: string;
  daysPastDue?: number;
  status?: string;
  timezone?: string;
  client?: { name: string };
  phones?: Phone[];
};
export type PromiseToPay = { id: string; amount: number; currency?: string; dueDate: string; paymentMethod?: string; state: string };
export type Callback = { id: string; dueAt: string; phone?: string; state: string };
export type CallRow = { id: string; createdAt: string; dialedAt?: string; outcome: string; notes?: string; talkSeconds?: number; disposition?: { label: string; code: string } };

const byAccount = (accountDocumentId: string) => ({ field: 'account.documentId', operator: 'eq' as const, value: accountDocumentId });

/**
 * Everything the agent may read about an account, each part with their own rights: the account
 * and its phones, open promises, scheduled callbacks, the last calls, and the Regulation F counters.
 * `enabled` false holds the reads back (the pop paints its summary first, the reads follow).
 */
export function useAccountRecord(accountDocumentId: string, enabled = true) {
  const queryOptions = { enabled };
  const account = useOne<Account>({ resource: 'accounts', id: accountDocumentId, meta: { populate: { phones: true, client: { fields: ['name'] } } }, queryOptions });
  const promises = useList<PromiseToPay>({ resource: 'promises-to-pay', filters: [byAccount(accountDocumentId), { field: 'state', operator: 'eq', value: 'pending' }], sorters: [{ field: 'dueDate', order: 'asc' }], pagination: { pageSize: 5 }, queryOptions });
  const callbacks = useList<Callback>({ resource: 'callbacks', filters: [byAccount(accountDocumentId), { field: 'state', operator: 'eq', value: 'scheduled' }], sorters: [{ field: 'dueAt', order: 'asc' }], pagination: { pageSize: 5 }, queryOptions });
  const calls = useList<CallRow>({
    resource: 'calls',
    filters: [byAccount(accountDocumentId), { field: 'outcome', operator: 'ne', value: 'pending' }],
    sorters: [{ field: 'createdAt', order: 'desc' }],
    pagination: { pageSize: 5 },
    meta: { populate: { disposition: { fields: ['label', 'code'] } } },
    queryOptions,
  });
  const rules = useCustom<{ data: ContactRules }>({ url: `/accounts/${encodeURIComponent(accountDocumentId)}/contact-rules`, method: 'get', queryOptions });
  const parts = {
    account: account.result,
    accountLoading: !enabled || account.query.isLoading,
    promises: promises.result.data,
    callbacks: callbacks.result.data,
    calls: calls.result.data,
    callsLoading: !enabled || calls.query.isLoading,
    rules: rules.result.data?.data ?? null,
  };
  // One object per change of what it holds: the account's view is memoised on it, and the page's clock must not re-render it.
  return useMemo(
    () => ({ ...parts, promises: parts.promises ?? NONE, callbacks: parts.callbacks ?? NONE, calls: parts.calls ?? NONE }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [parts.account, parts.accountLoading, parts.promises, parts.callbacks, parts.calls, parts.callsLoading, parts.rules],
  );
}

const NONE: never[] = [];
