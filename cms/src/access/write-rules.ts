/**
 * What an agent may write. Everything else an agent sends is refused with the
 * field named: balance, client and assignment belong to supervisors, and the
 * system facts of a call belong to the dialer.
 */
export const AGENT_WRITABLE: Record<string, { create?: string[]; update: string[] }> = {
  'api::account.account': {
    update: ['status', 'notes', 'nextActionDate', 'phones', 'debtorEmail', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country'],
  },
  'api::call.call': {
    create: ['account', 'campaign', 'phone', 'direction', 'dialMode', 'queuedAt', 'dialedAt', 'answeredAt', 'bridgedAt', 'endedAt', 'wrapEndedAt', 'ringSeconds', 'talkSeconds', 'wrapSeconds', 'outcome', 'disposition', 'notes'],
    update: ['disposition', 'notes', 'wrapSeconds', 'wrapEndedAt'],
  },
  'api::promise-to-pay.promise-to-pay': {
    create: ['account', 'call', 'amount', 'currency', 'dueDate', 'paymentMethod', 'notes'],
    update: ['amount', 'dueDate', 'paymentMethod', 'notes', 'state'],
  },
  // An agent records a payment taken on the call; correcting or removing one is a supervisor's.
  'api::payment.payment': {
    create: ['account', 'promise', 'amount', 'currency', 'paidDate', 'method', 'reference', 'notes'],
    update: [],
  },
  'api::callback.callback': {
    create: ['account', 'campaign', 'call', 'phone', 'dueAt', 'notes'],
    update: ['dueAt', 'notes', 'state', 'phone'],
  },
};

/** Relations the server fills in for an agent's create: the agent is always themself. */
export const AGENT_SELF_FIELDS: Record<string, string> = {
  'api::call.call': 'agent',
  'api::promise-to-pay.promise-to-pay': 'agent',
  'api::callback.callback': 'owner',
};

export function forbiddenFields(uid: string, action: 'create' | 'update', data: Record<string, unknown>): string[] {
  const rule = AGENT_WRITABLE[uid];
  const allowed = rule?.[action] ?? [];
  return Object.keys(data).filter((field) => !allowed.includes(field));
}

/** Relations naming who a personal record belongs to: always the writer, for every role, and never changed. */
export const OWNER_FIELDS: Record<string, string> = {
  'api::export-definition.export-definition': 'owner',
};
