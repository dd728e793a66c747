/** How accounts read on screen: names, money, statuses, phones and dates. */
export type Phone = { id?: number; number: string; type?: string; status?: string; isPrimary?: boolean; autodialConsent?: boolean; [fact: string]: unknown };

export type Account = {
  id: string;
  accountNumber: string;
  debtorFirstName?: string | null;
  debtorLastName: string;
  balance: number | string;
  currency?: string | null;
  daysPastDue?: number | null;
  delinquencyBucket?: string | null;
  status?: string;
  timezone?: string;
  nextActionDate?: string | null;
  lastContactAt?: string | null;
  notes?: string | null;
  debtorEmail?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  phones?: Phone[];
  client?: { documentId?: string; name: string } | null;
  assignedAgent?: { documentId?: string; username: string } | null;
};

export const debtorName = (a: Pick<Account, 'debtorFirstName' | 'debtorLastName'>) => [a.debtorFirstName, a.debtorLastName].filter(Boolean).join(' ');

export const money = (amount: number | string, currency?: string | null) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(Number(amount));

export const ACCOUNT_STATUSES: Record<string, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  promised: { label: 'Promised', color: 'gold' },
  in_arrangement: { label: 'In arrangement', color: 'cyan' },
  paid: { label: 'Paid', color: 'green' },
  closed: { label: 'Closed', color: 'default' },
  dispute: { label: 'Dispute', color: 'volcano' },
  cease_contact: { label: 'Cease contact', color: 'red' },
};

/** "+13122000004" as "+1 312-200-0004"; other countries stay in E.164. */
export function formatPhone(e164: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return us ? `+1 ${us[1]}-${us[2]}-${us[3]}` : e164;
}

export const primaryPhone = (a: Pick<Account, 'phones'>) => a.phones?.find((p) => p.isPrimary) ?? a.phones?.[0];

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');
/** A date field (YYYY-MM-DD) as written, not shifted by the reader's time zone. */
export const formatDate = (ymd: string | null | undefined) => (ymd ? dateOnly.format(new Date(`${ymd}T00:00:00Z`)) : '—');

/** The time now where the debtor lives, or null for an unknown zone. */
export function localTimeIn(timezone: string | undefined, now = new Date()): string | null {
  if (!timezone) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(now);
  } catch {
    return null;
  }
}
