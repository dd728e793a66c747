import type { FieldError } from './record-rules';

/** The consent facts of one phone of an account (contact.phone), as stored or as sent. */
export type ConsentPhone = {
  number: string;
  autodialConsent?: boolean | null;
  consentDate?: string | Date | null;
  consentSource?: string | null;
  consentCallId?: string | null;
  consentRevokedAt?: string | Date | null;
  consentRevocationSource?: string | null;
};

/** The call a grant says it was captured on, as the database holds it (null: no such call). */
export type ConsentCall = {
  documentId: string;
  accountDocumentId: string | null;
  agentId: number | null;
  outcome: string;
  /** When the call began (queued, dialed or created): a consent given on it cannot predate it. */
  startedAt: Date | null;
};

/**
 * Who writes. An agent records a grant only as captured on one of their own
 * connected calls; the back office (supervisors, the dialer's API token, the
 * admin panel, imports) records grants from any source, still with its date.
 */
export type ConsentWriter = { kind: 'agent'; userId: number } | { kind: 'back-office' };

export type ConsentInput = {
  /** The account's phones before the write; empty for a create. */
  before: ConsentPhone[];
  /** The phones the write stores (the list replaces the stored one wholesale), numbers already in E.164. */
  after: ConsentPhone[];
  accountDocumentId: string | null;
  writer: ConsentWriter;
  /** The calls named by `after[].consentCallId`, by documentId. */
  calls: ReadonlyMap<string, ConsentCall>;
  now: Date;
};

/** The only source a grant captured on a call can have. */
export const CALL_GRANT_SOURCE = 'debtor_verbal';

const time = (v: unknown) => (v === null || v === undefined || v === '' ? null : new Date(v as string).getTime());
const sameGrant = (a: ConsentPhone, b: ConsentPhone) =>
  time(a.consentDate) === time(b.consentDate) && (a.consentSource ?? null) === (b.consentSource ?? null) && (a.consentCallId || null) === (b.consentCallId || null);

/**
 * The consent rules of one account write. Phones are matched by number, not
 * position: the list is replaced wholesale, so a reordered, replaced or
 * renumbered list must not turn a stored phone's grant into someone else's,
 * nor hide a new grant as an old one.
 *
 * A grant is a phone that now has consent and did not have it with the same
 * date, source and call before; a revocation is a phone that had consent and
 * no longer does. A revocation keeps the grant's facts (when and how consent
 * had been given) and adds its own (`consentRevokedAt`,
 * `consentRevocationSource`), so the phone alone tells the whole story.
 */
export function consentProblems(input: ConsentInput): FieldError[] {
  const errors: FieldError[] = [];
  const err = (i: number, field: string, message: string, value?: unknown) =>
    errors.push({ path: ['phones', i, field], message: `phones[${i}].${field} ${message}`, name: 'ValidationError', value });
  const stored = new Map<string, ConsentPhone>();
  for (const p of input.before) if (p?.number && !stored.has(p.number)) stored.set(p.number, p);

  input.after.forEach((p, i) => {
    if (!p || typeof p !== 'object') return;
    const prev = stored.get(p.number);
    const revokedAt = time(p.consentRevokedAt);
    const hasRevocationSource = !!p.consentRevocationSource;

    if ((revokedAt === null) !== !hasRevocationSource) {
      if (revokedAt === null) err(i, 'consentRevokedAt', 'is required with consentRevocationSource: a revocation records when and how');
      else err(i, 'consentRevocationSource', 'is required with consentRevokedAt: a revocation records when and how');
    }

    if (p.autodialConsent === true) {
      if (!p.consentDate) err(i, 'consentDate', 'is required when autodialConsent is true');
      if (!p.consentSource) err(i, 'consentSource', 'is required when autodialConsent is true');
      if (revokedAt !== null && time(p.consentDate) !== null && revokedAt >= time(p.consentDate)!) {
        err(i, 'autodialConsent', 'cannot be true after the revocation recorded on this phone: a new grant must be dated after consentRevokedAt', p.autodialConsent);
      }
      const isGrant = !prev || prev.autodialConsent !== true || !sameGrant(prev, p);
      if (isGrant) grantProblems(input, p, i, err);
      return;
    }

    if (prev?.autodialConsent === true) {
      if (revokedAt === null && !hasRevocationSource) {
        err(i, 'consentRevokedAt', 'is required to revoke autodial consent: a revocation records when and how');
        err(i, 'consentRevocationSource', 'is required to revoke autodial consent: a revocation records when and how');
      }
      const grantedAt = time(prev.consentDate);
      if (revokedAt !== null && grantedAt !== null && revokedAt < grantedAt) {
        err(i, 'consentRevokedAt', 'must not be before the consent it revokes (consentDate)', p.consentRevokedAt);
      }
    }
  });
  return errors;
}

function grantProblems(input: ConsentInput, p: ConsentPhone, i: number, err: (i: number, field: string, message: string, value?: unknown) => void) {
  const callId = p.consentCallId || null;
  const agent = input.writer.kind === 'agent' ? input.writer : null;
  if (agent && p.consentSource && p.consentSource !== CALL_GRANT_SOURCE) {
    err(i, 'consentSource', `must be ${CALL_GRANT_SOURCE}: an agent records a grant only as given on a call`, p.consentSource);
  }
  if (!callId) {
    if (agent) err(i, 'consentCallId', 'is required: an agent records a grant only with the call it was given on');
    return;
  }
  const call = input.calls.get(callId);
  if (!call || !input.accountDocumentId || call.accountDocumentId !== input.accountDocumentId) {
    err(i, 'consentCallId', 'must be a call on this account', callId);
    return;
  }
  if (!agent) return;
  if (call.agentId !== agent.userId) return err(i, 'consentCallId', 'must be one of your own calls', callId);
  if (call.outcome !== 'connected') return err(i, 'consentCallId', 'must be a connected call', callId);
  const given = time(p.consentDate);
  if (given !== null && call.startedAt && given < call.startedAt.getTime() - 60_000) {
    err(i, 'consentDate', 'must not be before the call it was given on began', p.consentDate);
  }
}
