import { consentProblems, type ConsentCall, type ConsentPhone, type ConsentWriter } from '../../src/validation/consent-rules';

const NOW = new Date('2026-06-15T12:00:00Z');
const ACCOUNT = 'acc1';
const AGENT: ConsentWriter = { kind: 'agent', userId: 7 };
const BACK_OFFICE: ConsentWriter = { kind: 'back-office' };

const call = (documentId: string, over: Partial<ConsentCall> = {}): ConsentCall => ({
  documentId, accountDocumentId: ACCOUNT, agentId: 7, outcome: 'connected', startedAt: new Date('2026-06-15T11:50:00Z'), ...over,
});
const CALLS = new Map([
  ['mine', call('mine')],
  ['colleague', call('colleague', { agentId: 8 })],
  ['elsewhere', call('elsewhere', { accountDocumentId: 'acc2' })],
  ['unanswered', call('unanswered', { outcome: 'no_answer' })],
]);

const A = '+13125550101';
const B = '+13125550102';
const none: ConsentPhone = { number: A, autodialConsent: false };
const granted: ConsentPhone = { number: A, autodialConsent: true, consentDate: '2025-01-01T00:00:00.000Z', consentSource: 'original_creditor' };
const onCall = (callId: string | null, over: Partial<ConsentPhone> = {}): ConsentPhone =>
  ({ number: A, autodialConsent: true, consentDate: '2026-06-15T11:55:00Z', consentSource: 'debtor_verbal', consentCallId: callId, ...over });
const revoked = (over: Partial<ConsentPhone> = {}): ConsentPhone =>
  ({ ...granted, autodialConsent: false, consentRevokedAt: '2026-06-15T11:58:00Z', consentRevocationSource: 'debtor_verbal', ...over });

const paths = (before: ConsentPhone[], after: ConsentPhone[], writer: ConsentWriter, accountDocumentId: string | null = ACCOUNT) =>
  consentProblems({ before, after, writer, accountDocumentId, calls: CALLS, now: NOW }).map((e) => e.path.join('.'));

describe('consent rules', () => {
  it.each<[string, ConsentPhone[], ConsentPhone[], ConsentWriter, string[]]>([
    ['an agent revokes with when and how', [granted], [revoked()], AGENT, []],
    ['an agent revokes without saying when or how', [granted], [{ ...granted, autodialConsent: false }], AGENT, ['phones.0.consentRevokedAt', 'phones.0.consentRevocationSource']],
    ['a revocation with a date but no source', [granted], [revoked({ consentRevocationSource: null })], BACK_OFFICE, ['phones.0.consentRevocationSource']],
    ['a revocation dated before the grant it revokes', [granted], [revoked({ consentRevokedAt: '2024-12-31T00:00:00Z' })], BACK_OFFICE, ['phones.0.consentRevokedAt']],
    ['an agent grants on their own connected call', [none], [onCall('mine')], AGENT, []],
    ['an agent grants without a call', [none], [onCall(null)], AGENT, ['phones.0.consentCallId']],
    ['an agent grants on a colleague\'s call', [none], [onCall('colleague')], AGENT, ['phones.0.consentCallId']],
    ['an agent grants on a call of another account', [none], [onCall('elsewhere')], AGENT, ['phones.0.consentCallId']],
    ['an agent grants on an unanswered call', [none], [onCall('unanswered')], AGENT, ['phones.0.consentCallId']],
    ['an agent grants on a call that does not exist', [none], [onCall('ghost')], AGENT, ['phones.0.consentCallId']],
    ['an agent grants with a written source', [none], [onCall('mine', { consentSource: 'debtor_written' })], AGENT, ['phones.0.consentSource']],
    ['an agent dates a grant before the call began', [none], [onCall('mine', { consentDate: '2026-06-01T00:00:00Z' })], AGENT, ['phones.0.consentDate']],
    ['an agent smuggles a grant in a new phone', [none], [none, { ...granted, number: B }], AGENT, ['phones.1.consentCallId', 'phones.1.consentSource']],
    ['an agent replaces a phone by a consented new number', [granted], [{ ...granted, number: B }], AGENT, ['phones.0.consentCallId', 'phones.0.consentSource']],
    ['an agent reorders phones, grants unchanged', [granted, { ...none, number: B }], [{ ...none, number: B }, granted], AGENT, []],
    ['an agent swaps a grant onto the other phone', [granted, { ...none, number: B }], [{ ...granted, number: B }, none], AGENT, ['phones.0.consentCallId', 'phones.0.consentSource', 'phones.1.consentRevokedAt', 'phones.1.consentRevocationSource']],
    ['an agent moves a stored grant\'s date', [granted], [{ ...granted, consentDate: '2026-06-01T00:00:00Z' }], AGENT, ['phones.0.consentCallId', 'phones.0.consentSource']],
    ['an agent keeps a stored grant as it is', [granted], [{ ...granted, consentDate: new Date('2025-01-01T00:00:00Z') }], AGENT, []],
    ['anyone grants without a date', [none], [{ ...granted, consentDate: null }], BACK_OFFICE, ['phones.0.consentDate']],
    ['anyone grants without a source', [none], [{ ...granted, consentSource: null }], BACK_OFFICE, ['phones.0.consentSource']],
    ['the back office grants from a letter', [none], [{ ...granted, consentSource: 'debtor_written' }], BACK_OFFICE, []],
    ['the back office names a call of another account', [none], [onCall('elsewhere')], BACK_OFFICE, ['phones.0.consentCallId']],
    ['the back office names a colleague\'s call on this account', [none], [onCall('colleague')], BACK_OFFICE, []],
    ['a grant still carrying a later revocation', [none], [{ ...onCall('mine'), consentRevokedAt: '2026-06-15T11:58:00Z', consentRevocationSource: 'debtor_verbal' }], AGENT, ['phones.0.autodialConsent']],
    ['a new grant after an old revocation', [revoked()], [onCall('mine', { consentDate: '2026-06-15T11:59:00Z', consentRevokedAt: '2026-06-15T11:58:00Z', consentRevocationSource: 'debtor_verbal' })], AGENT, []],
    ['an agent removes a consented phone', [granted, { ...none, number: B }], [{ ...none, number: B }], AGENT, []],
  ])('%s', (_label, before, after, writer, expected) => {
    expect(paths(before, after, writer).sort()).toEqual(expected.sort());
  });

  it('refuses a call named by a create: no call can be on an account not yet made', () => {
    expect(paths([], [onCall('mine')], BACK_OFFICE, null)).toEqual(['phones.0.consentCallId']);
    expect(paths([], [granted], BACK_OFFICE, null)).toEqual([]);
  });
});
