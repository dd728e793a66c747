import type { LiveResource } from '../../../protocol/data-change';

/** Who reads a record: routing keys of a change notice, read from the record itself. */
export type ChangeScope = { clientDocumentIds: string[]; agentIds: number[]; global: boolean };

type Watched = { resource: LiveResource; populate: Record<string, unknown>; scope: (row: any) => ChangeScope };

const id = { select: ['id'] };
const docId = { select: ['documentId'] };
const clientOf = (row: any): string[] => (row.client?.documentId ? [row.client.documentId] : []);
const ids = (...values: Array<number | undefined | null>): number[] => values.filter((v): v is number => typeof v === 'number');
const accountAgent = { account: { select: ['id'], populate: { assignedAgent: id } } };

/**
 * The content types whose changes the console hears, and who reads each record: the same
 * readers cms's scope rules (src/access/scope-rules.ts) let see it. The worker turns these
 * keys into Socket.IO rooms (dialer-worker/src/realtime/live-rooms.ts).
 */
export const LIVE_TYPES: Record<string, Watched> = {
  'api::client.client': {
    resource: 'clients',
    populate: { members: id },
    scope: (row) => ({ clientDocumentIds: [row.documentId], agentIds: (row.members ?? []).map((m: any) => m.id), global: false }),
  },
  'api::account.account': {
    resource: 'accounts',
    populate: { client: docId, assignedAgent: id },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: ids(row.assignedAgent?.id), global: false }),
  },
  'api::campaign.campaign': {
    resource: 'campaigns',
    populate: { client: docId, agents: id },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: (row.agents ?? []).map((a: any) => a.id), global: false }),
  },
  'api::call.call': {
    resource: 'calls',
    populate: { client: docId, agent: id },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: ids(row.agent?.id), global: false }),
  },
  'api::promise-to-pay.promise-to-pay': {
    resource: 'promises-to-pay',
    populate: { client: docId, ...accountAgent },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: ids(row.account?.assignedAgent?.id), global: false }),
  },
  'api::callback.callback': {
    resource: 'callbacks',
    populate: { client: docId, owner: id, ...accountAgent },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: ids(row.owner?.id, row.account?.assignedAgent?.id), global: false }),
  },
  'api::dnc-entry.dnc-entry': {
    resource: 'dnc-entries',
    populate: { client: docId },
    scope: (row) => ({ clientDocumentIds: clientOf(row), agentIds: [], global: row.scope === 'global' }),
  },
  'api::disposition.disposition': {
    resource: 'dispositions',
    populate: {},
    scope: () => ({ clientDocumentIds: [], agentIds: [], global: true }),
  },
};

/** The readers of a record before and after a write: a record that moved away is news to its old readers too. */
export function mergeScopes(...scopes: Array<ChangeScope | null>): ChangeScope {
  const present = scopes.filter((s): s is ChangeScope => s !== null);
  return {
    clientDocumentIds: [...new Set(present.flatMap((s) => s.clientDocumentIds))],
    agentIds: [...new Set(present.flatMap((s) => s.agentIds))],
    global: present.some((s) => s.global),
  };
}
