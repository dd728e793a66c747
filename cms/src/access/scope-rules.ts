import type { Access, ClientRef } from './access-context';
import type { SqlSubquery } from './scope-sql';

export type Filter = Record<string, unknown>;

/** Matches no row: what an unknown role sees. */
export const NOTHING: Filter = { id: { $null: true } };

type Rule = {
  agent?: (userId: number) => Filter;
  /** Agents also see these rows while they are on a live call about them. */
  agentLive?: (accountIds: number[] | SqlSubquery) => Filter;
  /** For supervisors and analysts: rows of the clients they are attached to. */
  clients?: (clients: ClientRef[]) => Filter;
  /** Where a client's users may change or delete fewer rows than they read. */
  clientsWrite?: (clients: ClientRef[]) => Filter;
  /** Personal records (an export's history, a saved export): every role sees only its own. */
  owner?: (userId: number) => Filter;
};

const ids = (clients: ClientRef[]) => clients.map((c) => c.id);
const byClient = (clients: ClientRef[]): Filter => ({ client: { id: { $in: ids(clients) } } });

/**
 * Row-level rules per content type. A type absent here is readable by every
 * role that holds the permission (dispositions are reference data).
 */
export const SCOPE_RULES: Record<string, Rule> = {
  'api::client.client': {
    agent: (userId) => ({ members: { id: { $eq: userId } } }),
    clients: (clients) => ({ id: { $in: ids(clients) } }),
  },
  'api::account.account': {
    agent: (userId) => ({ assignedAgent: { id: { $eq: userId } } }),
    agentLive: (accountIds) => ({ id: { $in: accountIds } }),
    clients: byClient,
  },
  'api::campaign.campaign': {
    agent: (userId) => ({ agents: { id: { $eq: userId } } }),
    clients: byClient,
  },
  'api::call.call': {
    agent: (userId) => ({ agent: { id: { $eq: userId } } }),
    clients: byClient,
  },
  'api::promise-to-pay.promise-to-pay': {
    agent: (userId) => ({ account: { assignedAgent: { id: { $eq: userId } } } }),
    clients: byClient,
  },
  'api::payment.payment': {
    agent: (userId) => ({ account: { assignedAgent: { id: { $eq: userId } } } }),
    clients: byClient,
  },
  'api::callback.callback': {
    agent: (userId) => ({
      $or: [{ owner: { id: { $eq: userId } } }, { account: { assignedAgent: { id: { $eq: userId } } } }],
    }),
    clients: byClient,
  },
  'api::dnc-entry.dnc-entry': {
    clients: (clients) => ({ $or: [{ scope: 'global' }, { client: { id: { $in: ids(clients) } } }] }),
    // The global list applies to every client: a client's supervisor reads it but does not edit it.
    clientsWrite: byClient,
  },
  // Supervisors import for their own clients; agents hold no grant, and no rule here either.
  'api::import.import': { clients: byClient },
  'api::import-template.import-template': { clients: byClient },
  'api::audit-log.audit-log': {
    // Audit entries keep the client's documentId as a value, not a relation, so
    // that deleting a client never rewrites its history.
    clients: (clients) => ({ clientDocumentId: { $in: clients.map((c) => c.documentId) } }),
  },
  'api::export.export': {
    owner: (userId) => ({ owner: { id: { $eq: userId } } }),
  },
  'api::export-definition.export-definition': {
    owner: (userId) => ({ owner: { id: { $eq: userId } } }),
  },
  'plugin::users-permissions.user': {
    agent: (userId) => ({ id: { $eq: userId } }),
    clients: (clients) => ({ clients: { id: { $in: ids(clients) } } }),
  },
};

export function isScopedType(uid: string): boolean {
  return uid in SCOPE_RULES;
}

/**
 * The filter a user's queries on `uid` are AND-ed with; null when unrestricted.
 * `liveAccounts`: an agent's live-call accounts as a subquery rather than the ids read first, for a
 * caller that turns the filter into SQL with scopeWhereSql (the query engine does not take it).
 */
export async function scopeFilter(uid: string, access: Access, liveAccounts?: SqlSubquery): Promise<Filter | null> {
  if (access.kind === 'unrestricted') return null;
  const rule = SCOPE_RULES[uid];
  if (!rule) return null;
  if (rule.owner) return rule.owner(access.userId);
  if (access.role === 'agent') {
    if (!rule.agent) return NOTHING;
    if (rule.agentLive && liveAccounts) return { $or: [rule.agent(access.userId), rule.agentLive(liveAccounts)] };
    const live = rule.agentLive ? await access.liveAccountIds() : [];
    return live.length && rule.agentLive ? { $or: [rule.agent(access.userId), rule.agentLive(live)] } : rule.agent(access.userId);
  }
  if (access.role === 'supervisor' || access.role === 'analyst') {
    return rule.clients ? rule.clients(await access.clients()) : NOTHING;
  }
  return NOTHING;
}

/** The filter on rows a user may update or delete: their read scope, narrowed where a rule says so. */
export async function writeScopeFilter(uid: string, access: Access): Promise<Filter | null> {
  const rule = SCOPE_RULES[uid];
  if (access.kind === 'scoped' && (access.role === 'supervisor' || access.role === 'analyst') && rule?.clientsWrite) {
    return rule.clientsWrite(await access.clients());
  }
  return scopeFilter(uid, access);
}

export function and(...filters: Array<Filter | Filter[] | null | undefined>): Filter | undefined {
  // A top-level array (`filters[0][id]=…`) means "all of these" to Strapi, but nested in `$and` it loses its
  // table alias and fails as SQL (ambiguous "id"): spelled out as the `$and` it means.
  const present = filters
    .map((f) => (Array.isArray(f) ? (f.length ? { $and: f } : null) : f))
    .filter((f): f is Filter => !!f && Object.keys(f).length > 0);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return { $and: present };
}
