import type { Core } from '@strapi/strapi';
import { http, startStrapi, stopStrapi } from '../helpers/strapi';
import { buildWorld, type World } from '../helpers/world';

let strapi: Core.Strapi;
let w: World;
let workerToken: string;
let adminToken: string;
/** A connected call of agentA1 on another of their accounts. */
let callOnOtherAccount: any;

beforeAll(async () => {
  strapi = await startStrapi();
  w = await buildWorld(strapi, 'cns');
  workerToken = (await strapi.service('admin::api-token').create({ name: `${w.prefix}-worker`, type: 'full-access', lifespan: null })).accessKey;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  const email = `${w.prefix}@admin.example.com`;
  await strapi.service('admin::user').create({ email, firstname: 'Ada', lastname: 'Admin', password: 'Admin-pass-2026', isActive: true, roles: [superAdmin.id] });
  adminToken = (await http(strapi).post('/admin/login').send({ email, password: 'Admin-pass-2026' })).body.data.token;
  callOnOtherAccount = await docs('api::call.call').create({
    data: { account: w.accounts.a1b.documentId, agent: w.users.agentA1.id, phone: '+13125550102', outcome: 'connected', queuedAt: minutesAgo(10) },
  } as any);
});
afterAll(() => stopStrapi(strapi));

const docs = (uid: string) => strapi.documents(uid as any);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const A = '+13125550177';
const B = '+13125550178';

type Phone = Record<string, unknown>;
const none = (number = A): Phone => ({ number, type: 'mobile', status: 'valid', autodialConsent: false });
const granted = (number = A): Phone => ({ ...none(number), autodialConsent: true, consentDate: '2025-01-01T00:00:00.000Z', consentSource: 'original_creditor' });

/** One account of agentA1's per case, with calls on it: agentA1's connected one, agentA2's, and agentA1's unanswered one. */
async function scene(phones: Phone[]) {
  const account = await docs('api::account.account').create({
    data: {
      accountNumber: `${w.prefix}-${Math.random().toString(36).slice(2, 10)}`, client: w.clients.a.documentId, debtorLastName: 'Consent',
      balance: 100, timezone: 'America/Chicago', assignedAgent: w.users.agentA1.id, phones,
    },
  } as any);
  const call = (agent: any, outcome: string) =>
    docs('api::call.call').create({ data: { account: account.documentId, agent: agent.id, phone: A, outcome, queuedAt: minutesAgo(10) } } as any);
  return { account, mine: await call(w.users.agentA1, 'connected'), colleagues: await call(w.users.agentA2, 'connected'), unanswered: await call(w.users.agentA1, 'no_answer') };
}
type Scene = Awaited<ReturnType<typeof scene>>;

const onCall = (callId: string | null, over: Phone = {}): Phone =>
  ({ ...none(), autodialConsent: true, consentDate: minutesAgo(5), consentSource: 'debtor_verbal', ...(callId ? { consentCallId: callId } : {}), ...over });

const ACTIONS: Record<string, { before: Phone[]; after: (s: Scene) => Phone[] }> = {
  'revoke': { before: [granted()], after: () => [{ ...granted(), autodialConsent: false, consentRevokedAt: minutesAgo(1), consentRevocationSource: 'debtor_written' }] },
  'revoke without when and how': { before: [granted()], after: () => [{ ...granted(), autodialConsent: false }] },
  'grant with own call': { before: [none()], after: (s) => [onCall(s.mine.documentId)] },
  'grant without call': { before: [none()], after: () => [onCall(null)] },
  'grant with a colleague\'s call': { before: [none()], after: (s) => [onCall(s.colleagues.documentId)] },
  'grant with an unanswered call': { before: [none()], after: (s) => [onCall(s.unanswered.documentId)] },
  'grant on another account\'s call': { before: [none()], after: () => [onCall(callOnOtherAccount.documentId)] },
  'grant without source': { before: [none()], after: (s) => [onCall(s.mine.documentId, { consentSource: null })] },
  'grant without date': { before: [none()], after: (s) => [onCall(s.mine.documentId, { consentDate: null })] },
  'grant dated in the future': { before: [none()], after: (s) => [onCall(s.mine.documentId, { consentDate: new Date(Date.now() + 86_400_000).toISOString() })] },
  'grant smuggled in a new phone': { before: [none()], after: () => [none(), granted(B)] },
  'grant smuggled by replacing the list': { before: [granted()], after: () => [granted(B)] },
  'grant smuggled by moving its date': { before: [granted()], after: () => [{ ...granted(), consentDate: minutesAgo(1) }] },
  'reorder phones, grants unchanged': { before: [granted(), none(B)], after: () => [none(B), granted()] },
};

type Writer = 'agent' | 'supervisor' | 'worker token' | 'admin panel';
async function write(writer: Writer, documentId: string, phones: Phone[]) {
  if (writer === 'admin panel') {
    return http(strapi).put(`/content-manager/collection-types/api::account.account/${documentId}`).set('Authorization', `Bearer ${adminToken}`).send({ phones });
  }
  const token = writer === 'agent' ? w.tokens.agentA1 : writer === 'supervisor' ? w.tokens.supervisorA : workerToken;
  return http(strapi).put(`/api/accounts/${documentId}`).set('Authorization', `Bearer ${token}`).send({ data: { phones } });
}

const OK = null;
/** action → what each writer gets: null for accepted, or the field a 400 names. */
const EXPECTED: Record<string, Record<Writer, string | null>> = {
  'revoke': { agent: OK, supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'revoke without when and how': { agent: 'phones.0.consentRevokedAt', supervisor: 'phones.0.consentRevokedAt', 'worker token': 'phones.0.consentRevokedAt', 'admin panel': 'phones.0.consentRevokedAt' },
  'grant with own call': { agent: OK, supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant without call': { agent: 'phones.0.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant with a colleague\'s call': { agent: 'phones.0.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant with an unanswered call': { agent: 'phones.0.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant on another account\'s call': { agent: 'phones.0.consentCallId', supervisor: 'phones.0.consentCallId', 'worker token': 'phones.0.consentCallId', 'admin panel': 'phones.0.consentCallId' },
  'grant without source': { agent: 'phones.0.consentSource', supervisor: 'phones.0.consentSource', 'worker token': 'phones.0.consentSource', 'admin panel': 'phones.0.consentSource' },
  'grant without date': { agent: 'phones.0.consentDate', supervisor: 'phones.0.consentDate', 'worker token': 'phones.0.consentDate', 'admin panel': 'phones.0.consentDate' },
  'grant dated in the future': { agent: 'phones.0.consentDate', supervisor: 'phones.0.consentDate', 'worker token': 'phones.0.consentDate', 'admin panel': 'phones.0.consentDate' },
  'grant smuggled in a new phone': { agent: 'phones.1.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant smuggled by replacing the list': { agent: 'phones.0.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'grant smuggled by moving its date': { agent: 'phones.0.consentCallId', supervisor: OK, 'worker token': OK, 'admin panel': OK },
  'reorder phones, grants unchanged': { agent: OK, supervisor: OK, 'worker token': OK, 'admin panel': OK },
};

const WRITERS: Writer[] = ['agent', 'supervisor', 'worker token', 'admin panel'];
const CASES = Object.keys(ACTIONS).flatMap((action) => WRITERS.map((writer) => [writer, action, EXPECTED[action][writer]] as [Writer, string, string | null]));

const errorPaths = (res: any) => (res.body.error?.details?.errors ?? []).map((e: any) => e.path.join('.'));
const storedPhones = async (documentId: string) =>
  (await strapi.db.query('api::account.account').findOne({ where: { documentId }, populate: { phones: true } })).phones.map((p: any) => ({ number: p.number, autodialConsent: p.autodialConsent }));

describe('autodial consent, by writer', () => {
  it.each(CASES)('%s: %s → %s', async (writer, action, expected) => {
    const s = await scene(ACTIONS[action].before);
    const before = await storedPhones(s.account.documentId);
    const after = ACTIONS[action].after(s);
    const res = await write(writer, s.account.documentId, after);
    if (expected === OK) {
      expect(res.status).toBe(200);
      expect(await storedPhones(s.account.documentId)).toEqual(after.map((p) => ({ number: p.number, autodialConsent: p.autodialConsent })));
      return;
    }
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(errorPaths(res)).toContain(expected);
    expect(await storedPhones(s.account.documentId)).toEqual(before);
  });
});

describe('consent in the audit trail', () => {
  const lastEntry = async (documentId: string) =>
    (await strapi.db.query('api::audit-log.audit-log').findMany({ where: { entityDocumentId: documentId }, orderBy: { seq: 'asc' } })).pop();

  it('records an agent\'s grant with its date, source and call, and the phone as it was before', async () => {
    const s = await scene([none()]);
    const phone = onCall(s.mine.documentId);
    expect((await write('agent', s.account.documentId, [phone])).status).toBe(200);
    const entry = await lastEntry(s.account.documentId);
    expect(entry).toMatchObject({ action: 'update', actorType: 'user', actorId: String(w.users.agentA1.id) });
    expect(entry.changes.phones.before[0]).toMatchObject({ number: A, autodialConsent: false, consentCallId: null });
    expect(entry.changes.phones.after[0]).toMatchObject({
      number: A, autodialConsent: true, consentSource: 'debtor_verbal', consentCallId: s.mine.documentId,
      consentDate: new Date(phone.consentDate as string).toISOString(),
    });
  });

  it('records a revocation with when and how, keeping the grant it ends', async () => {
    const s = await scene([granted()]);
    const revokedAt = minutesAgo(1);
    expect((await write('agent', s.account.documentId, [{ ...granted(), autodialConsent: false, consentRevokedAt: revokedAt, consentRevocationSource: 'debtor_verbal' }])).status).toBe(200);
    const entry = await lastEntry(s.account.documentId);
    expect(entry.changes.phones.before[0]).toMatchObject({ autodialConsent: true, consentRevokedAt: null });
    expect(entry.changes.phones.after[0]).toMatchObject({
      autodialConsent: false, consentSource: 'original_creditor', consentRevocationSource: 'debtor_verbal',
      consentRevokedAt: new Date(revokedAt).toISOString(), consentDate: '2025-01-01T00:00:00.000Z',
    });
  });
});
