import type { Phone } from './account-format';

/** The fields of an account the console edits; cms refuses anything else an agent sends, naming it. */
export const EDITABLE_FIELDS = ['status', 'nextActionDate', 'debtorEmail', 'addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country', 'notes', 'phones'] as const;

type PhoneEdit = Pick<Phone, 'number' | 'type' | 'status'>;
export type AccountFormValues = Partial<Record<Exclude<(typeof EDITABLE_FIELDS)[number], 'phones'>, string | null>> & { phones?: PhoneEdit[] };

const NEW_PHONE: Omit<Phone, 'number'> = { type: 'mobile', status: 'valid', isPrimary: false, autodialConsent: false };

/**
 * The update to send for a form. cms replaces an account's phones wholesale, so each phone goes
 * back whole: the edited number, type and status over everything else it holds (consent, last
 * dial), which the form neither shows for editing nor may lose. Empty text is sent as null.
 */
export function accountUpdate(values: AccountFormValues, storedPhones: Phone[] = []): Record<string, unknown> {
  const update: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (field === 'phones' || !(field in values)) continue;
    const v = values[field];
    update[field] = typeof v === 'string' && v.trim() === '' ? null : v;
  }
  if (values.phones) {
    update.phones = values.phones.map((edit, i) => {
      const { id: _rowId, ...stored } = storedPhones[i] ?? { ...NEW_PHONE, number: '' };
      return { ...stored, ...edit, number: String(edit.number ?? '').trim() };
    });
  }
  return update;
}
