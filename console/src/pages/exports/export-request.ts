/** What the Exports page asks cms for, as the URL of `GET /api/exports/<type>.<format>`. Pure. */
export const EXPORT_TYPES = [
  { value: 'accounts', label: 'Accounts' },
  { value: 'calls', label: 'Calls' },
  { value: 'promises-to-pay', label: 'Promises to pay' },
  { value: 'callbacks', label: 'Callbacks' },
  { value: 'dnc-entries', label: 'Do-not-call numbers' },
  { value: 'audit-logs', label: 'Audit log' },
] as const;

export const EXPORT_FORMATS = [
  { value: 'csv', label: 'CSV (Excel, LibreOffice)' },
  { value: 'xlsx', label: 'Excel workbook' },
  { value: 'ndjson', label: 'NDJSON (one JSON record a line)' },
] as const;

/** Columns offered per type (cms's defaults, and a few more); any other column cms knows may be typed in. */
export const SUGGESTED_COLUMNS: Record<string, string[]> = {
  accounts: ['accountNumber', 'client.name', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'daysPastDue', 'status', 'timezone', 'assignedAgent.username', 'nextActionDate', 'phone1', 'phone1Type', 'phone1Status', 'phone1Consent', 'phone2', 'phone2Type'],
  calls: ['queuedAt', 'client.name', 'account.accountNumber', 'campaign.name', 'agent.username', 'phone', 'outcome', 'disposition.label', 'talkSeconds', 'wrapSeconds', 'notes'],
  'promises-to-pay': ['createdAt', 'client.name', 'account.accountNumber', 'agent.username', 'amount', 'currency', 'dueDate', 'state'],
  callbacks: ['createdAt', 'client.name', 'account.accountNumber', 'owner.username', 'phone', 'dueAt', 'state'],
  'dnc-entries': ['phone', 'scope', 'client.name', 'reason', 'source', 'addedAt'],
  'audit-logs': ['seq', 'at', 'actorName', 'action', 'entity', 'entityDocumentId', 'changes'],
};

export const OPERATORS = [
  { value: '$eq', label: 'is' },
  { value: '$ne', label: 'is not' },
  { value: '$containsi', label: 'contains' },
  { value: '$gte', label: 'at least' },
  { value: '$lte', label: 'at most' },
] as const;

export type ExportFilter = { field: string; operator: string; value: string };
export type ExportChoice = { type: string; format: string; columns: string[]; filters: ExportFilter[] };

/** `client.name` → `filters[client][name][$eq]=…`: the list endpoints' syntax, which the export takes as is. */
export function exportPath({ type, format, columns, filters }: ExportChoice): string {
  const params = new URLSearchParams();
  if (columns.length) params.set('columns', columns.join(','));
  for (const f of filters) {
    if (!f.field.trim() || f.value === '') continue;
    const path = f.field.trim().split('.').map((p) => `[${p}]`).join('');
    params.append(`filters${path}[${f.operator}]`, f.value);
  }
  const query = params.toString();
  return `/api/exports/${type}.${format}${query ? `?${query}` : ''}`;
}
