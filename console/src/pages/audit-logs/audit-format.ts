/** How audit entries read on screen. */
export type AuditEntry = {
  id: string;
  seq: number | string;
  at: string;
  actorType: string;
  actorId?: string | null;
  actorName?: string | null;
  action: 'create' | 'update' | 'delete';
  entity: string;
  entityDocumentId?: string | null;
  changes?: Record<string, { before: unknown; after: unknown }> | null;
  hash: string;
  prevHash?: string | null;
};

export const ENTITY_LABELS: Record<string, string> = {
  'api::client.client': 'Client',
  'api::account.account': 'Account',
  'api::campaign.campaign': 'Campaign',
  'api::call.call': 'Call',
  'api::disposition.disposition': 'Disposition',
  'api::promise-to-pay.promise-to-pay': 'Promise to pay',
  'api::callback.callback': 'Callback',
  'api::dnc-entry.dnc-entry': 'DNC entry',
  'plugin::users-permissions.user': 'User',
  'plugin::users-permissions.role': 'Role',
  'plugin::users-permissions.permission': 'Permission',
};

export const ACTIONS: Record<string, { label: string; color: string }> = {
  create: { label: 'Created', color: 'green' },
  update: { label: 'Changed', color: 'blue' },
  delete: { label: 'Deleted', color: 'red' },
};

const ACTOR_TYPES: Record<string, string> = { user: 'user', admin: 'admin', 'api-token': 'dialer / API', system: 'system', anonymous: 'anonymous' };

export const actorOf = (e: Pick<AuditEntry, 'actorType' | 'actorName'>) => `${e.actorName ?? '—'} (${ACTOR_TYPES[e.actorType] ?? e.actorType})`;

/** A changed value in one line: long documents are cut, not wrapped over the page. */
export function shortValue(v: unknown, max = 60): string {
  if (v === null || v === undefined || v === '') return '∅';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
