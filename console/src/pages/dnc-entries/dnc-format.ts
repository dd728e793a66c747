/** How do-not-call entries read on screen. */
export type DncEntry = {
  id: string;
  phone: string;
  scope: 'global' | 'client';
  client?: { documentId: string; name: string } | null;
  reason: string;
  source: string;
  addedAt?: string | null;
  expiresAt?: string | null;
  notes?: string | null;
};

export const DNC_REASONS: Record<string, string> = {
  debtor_request: 'Debtor asked',
  cease_and_desist: 'Cease and desist',
  attorney: 'Represented by an attorney',
  litigation: 'Litigation',
  wrong_number: 'Wrong number',
  deceased: 'Deceased',
  regulatory: 'Regulatory',
  other: 'Other',
};

export const DNC_SOURCES: Record<string, string> = { agent: 'agent', disposition: 'call outcome', import: 'import', admin: 'administrator', api: 'API' };
