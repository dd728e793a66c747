import type { Core } from '@strapi/strapi';
import { throwValidation } from '../validation/validation-middleware';
import type { FieldError } from '../validation/record-rules';
import { writerAccess, type Access } from './access-context';
import { label, readRelations, refKey, type FieldPath, type Ref, type RelationInput } from './relation-input';
import { and, scopeFilter, type Filter } from './scope-rules';
import { componentFieldsWithIds, componentIdProblems } from './component-input';

const ACCOUNT = 'api::account.account';
const CAMPAIGN = 'api::campaign.campaign';
const CALL = 'api::call.call';
const DNC = 'api::dnc-entry.dnc-entry';
const PROMISE = 'api::promise-to-pay.promise-to-pay';
const PAYMENT = 'api::payment.payment';
/** Types whose `client` is their account's, set here and never taken from a writer. */
const CLIENT_FROM_ACCOUNT = new Set([CALL, PROMISE, 'api::callback.callback', PAYMENT]);
/** A promise's verdict is the rule's (payments/promise-evaluator.ts); a person may only cancel one. */
const PROMISE_RULED_FIELDS = ['paidAmount', 'resolvedAt', 'brokenCallback'];
/** Types that belong to the client they were created for: moving them would strand their calls and promises. */
const CLIENT_FIXED = new Set([ACCOUNT, CAMPAIGN]);

type Row = { id: number; documentId: string };
type Resolved = Map<string, Row>;

const pathKey = (path: FieldPath) => path.join('.');
const problem = (path: FieldPath, message: string): FieldError => ({ path, message, name: 'ValidationError' });

/**
 * Every write that reaches the document service, from REST, the admin panel
 * or server code, passes here before Strapi links anything. Relations are
 * read with Strapi's own rules (relation-input.ts); every document named must
 * exist and, for a user, be one they can read; and the fields that follow
 * from others (a call's client, an account's assignment time, who recorded a
 * call) are set by the server, whatever the writer sent.
 */
export function registerWriteGuard(strapi: Core.Strapi) {
  const componentOf = (uid: string) => (strapi.components as any)[uid]?.attributes;

  /** The rows among `refs` that exist and that `access` may read, by ref key. */
  async function resolve(target: string, refs: Ref[], access: Access): Promise<Resolved> {
    const documentIds = [...new Set(refs.flatMap((r) => ('documentId' in r ? [r.documentId] : [])))];
    const ids = [...new Set(refs.flatMap((r) => ('id' in r ? [r.id] : [])))];
    const or: Filter[] = [];
    if (documentIds.length) or.push({ documentId: { $in: documentIds } });
    if (ids.length) or.push({ id: { $in: ids } });
    const where = and({ $or: or }, await scopeFilter(target, access));
    const rows: Row[] = await strapi.db.query(target as any).findMany({ where, select: ['id', 'documentId'] } as any);
    const found: Resolved = new Map();
    for (const row of rows) {
      found.set(refKey({ id: row.id }), row);
      found.set(refKey({ documentId: row.documentId }), row);
    }
    return found;
  }

  async function worksFor(userId: number, clientId: number): Promise<boolean> {
    return (await strapi.db.query('plugin::users-permissions.user').count({ where: { id: userId, clients: { id: clientId } } } as any)) > 0;
  }

  async function stored(uid: string, documentId: string, populate: Record<string, unknown>) {
    return strapi.db.query(uid as any).findOne({ where: { documentId }, populate } as any);
  }

  strapi.documents.use(async (ctx, next) => {
    if (ctx.action !== 'create' && ctx.action !== 'update') return next();
    const params = ctx.params as any;
    const data = params?.data;
    const model = (strapi.contentTypes as any)[ctx.uid];
    if (!data || typeof data !== 'object' || Array.isArray(data) || !model) return next();
    const uid = ctx.uid as string;
    const { access, origin } = writerAccess(strapi);

    const { relations, problems: shapeProblems } = readRelations(model.attributes, data, componentOf);
    const problems: FieldError[] = shapeProblems.map((p) => problem(p.path, p.message));
    // A component entry's id names a stored row Strapi updates in place: it must be one of this record's.
    const withIds = ctx.action === 'update' && params.documentId ? componentFieldsWithIds(model.attributes, data) : [];
    if (withIds.length) {
      const row = await stored(ctx.uid as string, params.documentId, Object.fromEntries(withIds.map((f) => [f, model.attributes[f].type === 'dynamiczone' ? true : { select: ['id'] }])));
      const ids = Object.fromEntries(withIds.map((f) => [f, ([] as any[]).concat(row?.[f] ?? []).map((c: any) => c.id)]));
      problems.push(...componentIdProblems(model.attributes, data, ids).map((p) => problem(p.path, p.message)));
    }

    // One query per target type; a document out of the writer's scope is reported exactly like one that does not exist.
    const byTarget = new Map<string, RelationInput[]>();
    for (const r of relations) if (r.refs.length) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
    const resolved = new Map<string, Resolved>();
    for (const [target, inputs] of byTarget) {
      const found = await resolve(target, inputs.flatMap((i) => i.refs), access);
      resolved.set(target, found);
      for (const input of inputs) {
        if (input.refs.some((ref) => !found.has(refKey(ref)))) problems.push(problem(input.path, `${label(input.path)} refers to a record that does not exist`));
      }
    }
    if (problems.length) throwValidation(problems);

    /** What an xToOne field links to after this write: a row, null when cleared, undefined when the write leaves it. */
    const linked = (field: string): Row | null | undefined => {
      const input = relations.find((r) => pathKey(r.path) === field);
      if (!input || input.linksTo === undefined) return undefined;
      return input.linksTo === null ? null : (resolved.get(input.target)?.get(refKey(input.linksTo)) ?? null);
    };
    const request = origin !== 'system';
    const existing = ctx.action === 'update' ? params.documentId : null;

    // An inbound call from an unknown caller has no account: the dialer (or the webhook, as the server) names its client, the DID's.
    const inboundClient = uid === CALL && access.kind === 'unrestricted' && data.account === undefined && data.direction === 'inbound' ? data.client : undefined;
    if (CLIENT_FROM_ACCOUNT.has(uid)) await deriveClient(uid, data, existing, linked, problems);
    if (inboundClient !== undefined && data.client === undefined) data.client = inboundClient;
    if (CLIENT_FIXED.has(uid) && existing && data.client !== undefined) {
      const current = await stored(uid, existing, { client: { select: ['id'] } });
      const next = linked('client');
      if (!next || next.id !== current?.client?.id) problems.push(problem(['client'], `client cannot be changed: ${uid === ACCOUNT ? 'an account' : 'a campaign'} belongs to the client it was created for`));
    }
    if (uid === ACCOUNT) {
      if (request) delete data.assignedAt;
      if (data.assignedAgent !== undefined) {
        const current = existing ? await stored(uid, existing, { assignedAgent: { select: ['id'] } }) : null;
        const next = linked('assignedAgent');
        if ((next?.id ?? null) !== (current?.assignedAgent?.id ?? null)) data.assignedAt = new Date().toISOString();
        // A supervisor of several clients can read every one of their agents, but an
        // account is worked by the agents of its own client only (as bulk reassign requires).
        if (next && request) {
          const clientId = existing ? (await stored(uid, existing, { client: { select: ['id'] } }))?.client?.id : linked('client')?.id;
          if (clientId !== undefined && !(await worksFor(next.id, clientId))) problems.push(problem(['assignedAgent'], 'assignedAgent does not work for the client of this account'));
        }
      }
    }
    // Only the dialer (or the server) records a call without an account: an inbound caller nobody knows yet.
    if (uid === CALL && ctx.action === 'create' && access.kind === 'scoped' && (data.account === undefined || data.account === null)) problems.push(problem(['account'], 'account is required'));
    if (uid === CALL) {
      // Server code (an import, a test fixture) may say who recorded a call; a request never does.
      if (ctx.action === 'create') data.recordedBy = request || !data.recordedBy ? origin : data.recordedBy;
      else if (request) delete data.recordedBy;
    }
    if (uid === PROMISE && request) {
      for (const f of PROMISE_RULED_FIELDS) delete data[f];
      if (data.state !== undefined) {
        const current = existing ? await stored(uid, existing, {}) : null;
        const unchanged = data.state === (current?.state ?? 'pending');
        if (!unchanged && data.state !== 'cancelled') problems.push(problem(['state'], 'state moves by rule as payments come in: by hand a promise may only be cancelled'));
      }
    }
    if (uid === PAYMENT) await paymentFacts(data, existing, origin, linked, problems);
    if (uid === DNC && access.kind === 'scoped') {
      const current = existing ? await stored(uid, existing, {}) : null;
      const scope = data.scope ?? current?.scope ?? 'client';
      if (scope !== 'client') problems.push(problem(['scope'], 'scope must be client: a global DNC entry is added by an administrator'));
    }
    if (problems.length) throwValidation(problems);
    return next();
  });

  /**
   * Where a payment came from is the server's to say: a person (agent,
   * supervisor, admin panel) or an API token; only server code (the import)
   * names another source. Its currency is its account's: balances and
   * collected sums add amounts of one currency.
   */
  async function paymentFacts(data: Record<string, any>, existing: string | null, origin: string, linked: (field: string) => Row | null | undefined, problems: FieldError[]) {
    if (!existing) {
      if (origin === 'dialer') data.source = 'api';
      else if (origin !== 'system') data.source = 'agent';
      else data.source ??= 'api';
    } else if (origin !== 'system') delete data.source;
    const accountId = linked('account')?.id ?? (existing ? (await stored(PAYMENT, existing, { account: { select: ['id'] } }))?.account?.id : undefined);
    if (!accountId) return;
    const account = await strapi.db.query(ACCOUNT).findOne({ where: { id: accountId }, select: ['currency'] } as any);
    const currency = account?.currency ?? 'USD';
    if (data.currency === undefined || data.currency === null) {
      if (!existing) data.currency = currency;
    } else if (data.currency !== currency) problems.push(problem(['currency'], `currency must be the account's, ${currency}`));
  }

  /**
   * A call, promise or callback takes its client from its account, and its
   * campaign and call must be of that same account's client and account.
   */
  async function deriveClient(uid: string, data: Record<string, any>, existing: string | null, linked: (field: string) => Row | null | undefined, problems: FieldError[]) {
    delete data.client;
    const current = existing
      ? await stored(uid, existing, { account: { select: ['id'], populate: { client: { select: ['id'] } } }, client: { select: ['id'] }, ...(uid === CALL ? {} : { call: { select: ['id'] } }), ...(uid === PROMISE || uid === PAYMENT ? {} : { campaign: { select: ['id'] } }), ...(uid === PAYMENT ? { promise: { select: ['id'] } } : {}) })
      : null;
    let accountId: number | undefined = current?.account?.id;
    let clientId: number | undefined = current?.client?.id;
    if (data.account !== undefined) {
      const account = linked('account');
      if (!account) {
        problems.push(problem(['account'], 'account is required: it cannot be removed'));
        return;
      }
      const row = await strapi.db.query(ACCOUNT).findOne({ where: { id: account.id }, populate: { client: { select: ['id', 'documentId'] } } } as any);
      if (!row?.client) {
        problems.push(problem(['account'], 'account has no client'));
        return;
      }
      accountId = row.id;
      clientId = row.client.id;
      data.client = row.client.documentId;
    }
    if (data.campaign !== undefined || data.account !== undefined) {
      const campaign = data.campaign !== undefined ? linked('campaign') : current?.campaign ? { id: current.campaign.id } : null;
      if (campaign && clientId !== undefined) {
        const row = await strapi.db.query(CAMPAIGN).findOne({ where: { id: campaign.id }, populate: { client: { select: ['id'] } } } as any);
        if (row?.client?.id !== clientId) problems.push(problem(['campaign'], 'campaign belongs to another client than the account'));
      }
    }
    if (uid === PAYMENT && (data.promise !== undefined || data.account !== undefined)) {
      const promise = data.promise !== undefined ? linked('promise') : current?.promise ? { id: current.promise.id } : null;
      if (promise && accountId !== undefined) {
        const row = await strapi.db.query(PROMISE).findOne({ where: { id: promise.id }, populate: { account: { select: ['id'] } } } as any);
        if (row?.account?.id !== accountId) problems.push(problem(['promise'], 'promise is about another account'));
      }
    }
    if (uid !== CALL && uid !== PAYMENT && (data.call !== undefined || data.account !== undefined)) {
      const call = data.call !== undefined ? linked('call') : current?.call ? { id: current.call.id } : null;
      if (call && accountId !== undefined) {
        const row = await strapi.db.query(CALL).findOne({ where: { id: call.id }, populate: { account: { select: ['id'] } } } as any);
        if (row?.account?.id !== accountId) problems.push(problem(['call'], 'call is about another account'));
      }
    }
  }
}
