/**
 * What can be exported, under which name in the URL, and the columns a
 * person gets when they ask for none: names and labels, not ids.
 */
export type ExportType = { uid: string; defaultColumns: string[] };

/** Phones of an account, flattened: `phone1`, `phone1Type`, … The import reads the same names back (round trip). */
export const PHONE_PROPERTIES: Record<string, string> = {
  '': 'number',
  Type: 'type',
  Status: 'status',
  Consent: 'autodialConsent',
  ConsentDate: 'consentDate',
  ConsentSource: 'consentSource',
  ConsentRevokedAt: 'consentRevokedAt',
  ConsentRevocationSource: 'consentRevocationSource',
  Primary: 'isPrimary',
};
/** As many phones as an account may hold (record-rules MAX_PHONES). */
export const MAX_PHONE_COLUMNS = 20;
export const DEFAULT_PHONE_COLUMNS = 3;

const phoneColumns = (count: number) =>
  Array.from({ length: count }, (_, i) => ['', 'Type', 'Status', 'Consent', 'ConsentDate', 'ConsentSource'].map((s) => `phone${i + 1}${s}`)).flat();

export const EXPORT_TYPES: Record<string, ExportType> = {
  accounts: {
    uid: 'api::account.account',
    defaultColumns: [
      'accountNumber', 'client.name', 'debtorFirstName', 'debtorLastName', 'debtorEmail',
      'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country',
      'balance', 'originalBalance', 'currency', 'daysPastDue', 'delinquencyBucket', 'status', 'timezone',
      'assignedAgent.username', 'originalCreditor', 'chargeOffDate', 'lastPaymentDate', 'lastContactAt', 'nextActionDate', 'notes',
      ...phoneColumns(DEFAULT_PHONE_COLUMNS),
    ],
  },
  calls: {
    uid: 'api::call.call',
    defaultColumns: [
      'queuedAt', 'client.name', 'account.accountNumber', 'campaign.name', 'agent.username', 'phone', 'direction', 'dialMode',
      'outcome', 'disposition.label', 'answeredAt', 'endedAt', 'ringSeconds', 'talkSeconds', 'wrapSeconds', 'notes',
    ],
  },
  'promises-to-pay': {
    uid: 'api::promise-to-pay.promise-to-pay',
    defaultColumns: ['createdAt', 'client.name', 'account.accountNumber', 'agent.username', 'amount', 'currency', 'dueDate', 'paymentMethod', 'state', 'paidAmount', 'resolvedAt', 'notes'],
  },
  callbacks: {
    uid: 'api::callback.callback',
    defaultColumns: ['createdAt', 'client.name', 'account.accountNumber', 'campaign.name', 'owner.username', 'phone', 'dueAt', 'state', 'notes'],
  },
  'dnc-entries': {
    uid: 'api::dnc-entry.dnc-entry',
    defaultColumns: ['phone', 'scope', 'client.name', 'reason', 'source', 'addedAt', 'expiresAt', 'notes'],
  },
  'audit-logs': {
    uid: 'api::audit-log.audit-log',
    defaultColumns: ['seq', 'at', 'actorType', 'actorName', 'action', 'entity', 'entityDocumentId', 'clientDocumentId', 'requestId', 'changes'],
  },
};

/** Of a user, only who they are: the rest of the record is account management, not export data. */
export const USER_COLUMNS = new Set(['username', 'email']);
