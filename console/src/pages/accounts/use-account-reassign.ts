import { useCustom, useCustomMutation, useInvalidate, useNotification, type HttpError } from '@refinedev/core';

/** An agent accounts may go to, with the clients (documentIds) they work for. */
export type AssignableAgent = { documentId: string; username: string; clients: string[] };
export type ReassignSelection = { documentIds: string[] } | { filters: Record<string, unknown> };
export type ReassignResult = { matched: number; reassigned: number; unchanged: number; agent: { documentId: string; username: string } };

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** What a finished reassignment says to the supervisor. */
export function reassignSummary(r: ReassignResult): string {
  const already = r.unchanged ? `; ${plural(r.unchanged, 'account')} already ${r.unchanged === 1 ? 'was' : 'were'} theirs` : '';
  return `${plural(r.reassigned, 'account')} reassigned to ${r.agent.username}${already}`;
}

/** The agents of the supervisor's clients (cms answers no one else). */
export function useAssignableAgents(enabled: boolean) {
  const { result, query } = useCustom<{ data: AssignableAgent[] }>({ url: '/accounts/agents', method: 'get', queryOptions: { enabled } });
  return { agents: result.data?.data ?? [], loading: query.isLoading };
}

/** Sends a bulk reassignment; the lists and the account pages read again once cms has answered. */
export function useReassignAccounts() {
  const { mutateAsync, mutation } = useCustomMutation<{ data: ReassignResult }, HttpError>();
  const invalidate = useInvalidate();
  const { open } = useNotification();
  const reassign = async (selection: ReassignSelection, agent: string): Promise<ReassignResult | null> => {
    try {
      const res = await mutateAsync({ url: '/accounts/reassign', method: 'post', values: { data: { ...selection, agent } }, successNotification: false, errorNotification: false });
      const result = res.data.data;
      open?.({ type: 'success', message: 'Accounts reassigned', description: reassignSummary(result) });
      await invalidate({ resource: 'accounts', invalidates: ['resourceAll'] });
      return result;
    } catch (error) {
      const http = error as HttpError;
      const detail = Object.values(http.errors ?? {}).flat().join('; ') || http.message;
      // Refine's antd notifications show the description as the title.
      open?.({ type: 'error', description: 'Nothing was reassigned', message: String(detail) });
      return null;
    }
  };
  return { reassign, pending: mutation.isPending };
}
