import type { DataChange, LiveResource } from '../../../protocol/data-change';
import type { SessionUser } from '../cms/cms-client';

/**
 * Who hears which cms change notice (`data:changed`). A reader joins, per resource they
 * subscribe to, only rooms their own scope in cms would let them read:
 *
 * - an agent: `live:<resource>:agent:<their id>` (the records cms scopes to them: accounts
 *   assigned to them, their calls, callbacks they own…), never another agent's;
 * - a supervisor or analyst: `live:<resource>:client:<documentId>` for each client they are a
 *   member of (cms's /api/session says which), never another client's;
 * - both: `live:<resource>:global`, for records every reader of the resource sees
 *   (dispositions, a global DNC entry).
 *
 * cms routes each notice by the scope keys of the record before and after the write, so a
 * reader who just lost a record hears of it and refetches it away. Rooms are settled when the
 * socket subscribes; a membership changed in cms takes effect on the next connection (every
 * token refresh reconnects). Only ids travel: the reader refetches with their own rights.
 */
export const LIVE_RESOURCES: Record<LiveResource, { agents: boolean }> = {
  clients: { agents: true },
  accounts: { agents: true },
  campaigns: { agents: true },
  calls: { agents: true },
  dispositions: { agents: true },
  'promises-to-pay': { agents: true },
  callbacks: { agents: true },
  // Agents hold no grant on DNC entries.
  'dnc-entries': { agents: false },
};

const room = {
  agent: (resource: LiveResource, id: number) => `live:${resource}:agent:${id}`,
  client: (resource: LiveResource, documentId: string) => `live:${resource}:client:${documentId}`,
  global: (resource: LiveResource) => `live:${resource}:global`,
};

export function isLiveResource(value: unknown): value is LiveResource {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LIVE_RESOURCES, value);
}

/** The rooms a reader joins to hear changes of a resource; empty when their role reads none of it. */
export function readerRooms(user: SessionUser, resource: LiveResource): string[] {
  if (user.role === 'agent') return LIVE_RESOURCES[resource].agents ? [room.agent(resource, user.id), room.global(resource)] : [];
  if (user.role === 'supervisor' || user.role === 'analyst') return [...user.clients.map((c) => room.client(resource, c)), room.global(resource)];
  return [];
}

/** The rooms a change notice goes to. */
export function changeRooms(change: DataChange): string[] {
  if (change.global) return [room.global(change.resource)];
  return [...change.agentIds.map((id) => room.agent(change.resource, id)), ...change.clientDocumentIds.map((c) => room.client(change.resource, c))];
}

/** Every room a reader may have joined for a resource, to leave them all on unsubscribe. */
export function isRoomOf(resource: LiveResource, name: string): boolean {
  return name.startsWith(`live:${resource}:`);
}
