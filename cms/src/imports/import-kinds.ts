/** What an import writes, and the columns a file may bring for it. */
export type ImportKind = 'accounts' | 'dnc' | 'payments';
export const IMPORT_KINDS: ImportKind[] = ['accounts', 'dnc', 'payments'];
export const IMPORT_MODES = ['dry-run', 'commit'] as const;
export const ON_DUPLICATE = ['skip', 'update'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export type OnDuplicate = (typeof ON_DUPLICATE)[number];

/** Phones a row may carry as phone1…phoneN (the export's own flattening). */
export const MAX_FILE_PHONES = 5;
const PHONE_PARTS = ['', 'Type', 'Status', 'Consent', 'ConsentDate'] as const;

export type FieldSpec = { field: string; required?: boolean; synonyms: string[] };

const ACCOUNT_FIELDS: FieldSpec[] = [
  { field: 'accountNumber', required: true, synonyms: ['account number', 'account no', 'account', 'acct', 'acct no', 'acct number', 'account id', 'account ref', 'reference', 'loan number', 'customer reference'] },
  { field: 'debtorFirstName', synonyms: ['first name', 'firstname', 'given name', 'forename', 'debtor first name'] },
  { field: 'debtorLastName', required: true, synonyms: ['last name', 'lastname', 'surname', 'family name', 'debtor last name', 'name'] },
  { field: 'debtorEmail', synonyms: ['email', 'e-mail', 'email address', 'debtor email'] },
  { field: 'addressLine1', synonyms: ['address', 'address 1', 'address line 1', 'street'] },
  { field: 'addressLine2', synonyms: ['address 2', 'address line 2'] },
  { field: 'city', synonyms: ['town'] },
  { field: 'region', synonyms: ['state', 'province', 'county'] },
  { field: 'postalCode', synonyms: ['zip', 'zip code', 'postcode', 'post code', 'postal'] },
  { field: 'country', synonyms: ['country code'] },
  { field: 'balance', required: true, synonyms: ['current balance', 'balance due', 'amount due', 'outstanding', 'amount'] },
  { field: 'originalBalance', synonyms: ['original amount', 'principal'] },
  { field: 'currency', synonyms: ['ccy'] },
  { field: 'daysPastDue', synonyms: ['dpd', 'days delinquent', 'days overdue'] },
  { field: 'delinquencyBucket', synonyms: ['bucket'] },
  { field: 'status', synonyms: ['account status'] },
  { field: 'timezone', synonyms: ['time zone', 'tz'] },
  { field: 'originalCreditor', synonyms: ['creditor'] },
  { field: 'chargeOffDate', synonyms: ['charge off date', 'charged off'] },
  { field: 'lastPaymentDate', synonyms: ['last payment', 'last paid'] },
  { field: 'nextActionDate', synonyms: ['next action'] },
  { field: 'notes', synonyms: ['note', 'comments', 'comment'] },
];

const PHONE_SYNONYMS: Record<number, string[]> = {
  1: ['phone', 'phone number', 'telephone', 'tel', 'mobile', 'cell', 'mobile phone', 'primary phone', 'home phone'],
  2: ['work phone', 'secondary phone', 'alternate phone', 'alt phone', 'other phone'],
};

function phoneFields(): FieldSpec[] {
  const specs: FieldSpec[] = [];
  for (let n = 1; n <= MAX_FILE_PHONES; n++) {
    for (const part of PHONE_PARTS) {
      const synonyms = part === '' ? [`phone ${n}`, `telephone ${n}`, `tel ${n}`, ...(PHONE_SYNONYMS[n] ?? [])] : [`phone ${n} ${part}`];
      specs.push({ field: `phone${n}${part}`, synonyms });
    }
  }
  return specs;
}

const DNC_FIELDS: FieldSpec[] = [
  { field: 'phone', required: true, synonyms: ['phone number', 'number', 'telephone', 'tel', 'mobile'] },
  { field: 'reason', synonyms: ['dnc reason'] },
  { field: 'expiresAt', synonyms: ['expires', 'expiry', 'expiry date'] },
  { field: 'notes', synonyms: ['note', 'comment'] },
];

const PAYMENT_FIELDS: FieldSpec[] = [
  { field: 'accountNumber', required: true, synonyms: ['account number', 'account no', 'account', 'acct', 'acct no', 'acct number', 'account id', 'account ref', 'loan number', 'customer reference'] },
  { field: 'amount', required: true, synonyms: ['payment amount', 'amount paid', 'paid amount', 'payment', 'sum'] },
  { field: 'paidDate', required: true, synonyms: ['paid date', 'payment date', 'date paid', 'paid on', 'date', 'value date'] },
  { field: 'currency', synonyms: ['ccy'] },
  { field: 'method', synonyms: ['payment method', 'paid by', 'channel'] },
  { field: 'reference', synonyms: ['payment reference', 'transaction id', 'transaction reference', 'receipt', 'receipt number', 'ref'] },
];

export const KIND_FIELDS: Record<ImportKind, FieldSpec[]> = {
  accounts: [...ACCOUNT_FIELDS, ...phoneFields()],
  dnc: DNC_FIELDS,
  payments: PAYMENT_FIELDS,
};
