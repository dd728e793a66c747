import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { asServer, type Access } from '../access/access-context';
import { actorOf } from '../audit/actor';
import { ATTEMPT_ID } from '../dialing/attempt-recorder';
import { accountSummary } from '../dialing/hopper';
import { sharedConfig, type Compliance } from '../shared-config';
import { normalizeCallerId } from '../validation/caller-id';
import type { AccountSearchHit } from '../../../protocol/inbound-call';
import type { AccountSummary } from '../../../protocol/hopper-item';

const CALL = 'api::call.call';
const ACCOUNT = 'api::account.account';
/** At most this many accounts answer one search: the agent narrows it rather than scrolls. */
export const SEARCH_LIMIT = 20;
/** As the live-call grant (access-context.ts): a call older than this is no live call. */
const LIVE_CALL_HOURS = 12;
const DOCUMENT_ID = /^[a-z0-9]{24}$/;

/** A refusal with a code the console can act on; Strapi answers it as 403 with `details.code`. */
export class InboundLinkRefused extends errors.PolicyError {
  constructor(message: string, code: 'NOT_AN_AGENT' | 'CALL_WRAPPED_UP' | 'NO_CLIENT') {
    super(message, { code });
  }
}

type LiveInboundCall = {
  id: number;
  documentId: string;
  attemptId: string;
  callerNumber: string | null;
  client: { id: number; documentId: string; name: string; currency: string | null; defaultCountry: string | null };
};

/**
 * The inbound call this agent is on now: recorded by the dialer with them as its agent, not
 * wrapped up, of a client they work for. Only then may they search that client's accounts and
 * link one to the call: an agent never gets to read accounts beyond the live call's client, and
 * not after it. Another agent's call, an old one or an outbound one reads as not found.
 */
async function liveInboundCall(strapi: Core.Strapi, access: Access, attemptId: unknown): Promise<LiveInboundCall> {
  if (access.kind !== 'scoped' || access.role !== 'agent') throw new InboundLinkRefused('Only the agent on an inbound call searches and links its caller\'s account', 'NOT_AN_AGENT');
  if (typeof attemptId !== 'string' || !ATTEMPT_ID.test(attemptId)) {
    throw new errors.ValidationError('attemptId is malformed', { errors: [{ path: ['attemptId'], message: 'attemptId must be 6-64 letters, digits or ._:-', name: 'ValidationError' }] });
  }
  const call: any = await strapi.db.query(CALL).findOne({
    where: { attemptId, direction: 'inbound', recordedBy: 'dialer', agent: { id: access.userId }, createdAt: { $gte: new Date(Date.now() - LIVE_CALL_HOURS * 3600_000) } },
    select: ['id', 'documentId', 'attemptId', 'callerNumber', 'outcome', 'wrapEndedAt'],
    populate: { client: { select: ['id', 'documentId', 'name', 'currency', 'defaultCountry'] } },
  });
  if (!call) throw new errors.NotFoundError('No inbound call of yours has this attempt id');
  if (call.wrapEndedAt || !['pending', 'connected'].includes(call.outcome)) throw new InboundLinkRefused('This call is wrapped up: its accounts are final', 'CALL_WRAPPED_UP');
  if (!call.client) throw new InboundLinkRefused('The number this caller dialed belongs to no client: there is no account to search', 'NO_CLIENT');
  if (!(await access.clients()).some((c) => c.id === call.client.id)) throw new errors.NotFoundError('No inbound call of yours has this attempt id');
  return call;
}

/**
 * The DID's client's accounts that match what the agent typed: an account number (its start),
 * the debtor's name (every word in the first or last name) or a phone (read in the client's
 * country, as the caller id was). Audited: who searched what on which call, and what came back.
 */
export async function searchInboundAccounts(strapi: Core.Strapi, ctx: any, access: Access, attemptId: unknown, query: unknown): Promise<AccountSearchHit[]> {
  const call = await liveInboundCall(strapi, access, attemptId);
  if (typeof query !== 'string' || query.trim().length < 2 || query.length > 64) {
    throw new errors.ValidationError('q must be 2 to 64 characters', { errors: [{ path: ['q'], message: 'q must be an account number, a name or a phone, 2 to 64 characters', name: 'ValidationError' }] });
  }
  const q = query.trim();
  const phone = /\d/.test(q) ? normalizeCallerId(q, call.client.defaultCountry ?? 'US') : null;
  const words = q.split(/\s+/).filter(Boolean).slice(0, 4);
  // Strapi escapes LIKE's wildcards in these operators: a `%` typed is a `%` searched.
  const byText = {
    $and: words.map((word) => ({
      $or: [{ accountNumber: { $startsWithi: word } }, { debtorFirstName: { $containsi: word } }, { debtorLastName: { $containsi: word } }],
    })),
  };
  const rows: any[] = await strapi.db.query(ACCOUNT).findMany({
    where: { client: { id: call.client.id }, $or: [byText, { accountNumber: { $eqi: q } }, ...(phone?.kind === 'number' ? [{ phones: { number: phone.e164 } }] : [])] },
    select: ['documentId', 'accountNumber', 'debtorFirstName', 'debtorLastName', 'balance', 'currency', 'status'],
    orderBy: [{ accountNumber: 'asc' }],
    limit: SEARCH_LIMIT,
  });
  const hits: AccountSearchHit[] = rows.map((a) => ({
    documentId: a.documentId,
    accountNumber: a.accountNumber,
    debtorName: [a.debtorFirstName, a.debtorLastName].filter(Boolean).join(' '),
    clientName: call.client.name,
    balance: Number(a.balance),
    currency: a.currency ?? call.client.currency ?? 'USD',
    status: a.status,
  }));
  await (strapi.service('api::audit-log.audit-log') as any).append({
    actor: actorOf(ctx),
    action: 'search',
    entity: ACCOUNT,
    entityDocumentId: null,
    clientDocumentId: call.client.documentId,
    changes: { reason: 'inbound caller', attemptId: call.attemptId, q, found: hits.map((h) => h.documentId) },
    requestId: ctx.state?.requestId ?? null,
  });
  return hits;
}

/**
 * Links an account of the DID's client to the agent's live inbound call: the call record's
 * account (and among its accounts), written through the document service so the audit trail
 * records it with the agent as its author. From then on the agent reads the account as on any
 * live call of theirs (the live-call grant). Under the row lock the dialer's writes take, so a
 * wrap-up that lands meanwhile is seen and the link refused.
 */
export async function linkInboundAccount(strapi: Core.Strapi, access: Access, attemptId: unknown, accountDocumentId: unknown): Promise<AccountSummary> {
  const call = await liveInboundCall(strapi, access, attemptId);
  if (typeof accountDocumentId !== 'string' || !DOCUMENT_ID.test(accountDocumentId)) {
    throw new errors.ValidationError('accountDocumentId is malformed', { errors: [{ path: ['accountDocumentId'], message: 'accountDocumentId must be an account\'s documentId', name: 'ValidationError' }] });
  }
  return strapi.db.transaction(async ({ trx }) => {
    if (strapi.db.dialect.client === 'postgres') await trx(strapi.db.metadata.get(CALL).tableName).where('id', call.id).forUpdate().first('id');
    const now = await strapi.db.query(CALL).findOne({ where: { id: call.id }, select: ['outcome', 'wrapEndedAt'] });
    if (now?.wrapEndedAt || !['pending', 'connected'].includes(now?.outcome)) throw new InboundLinkRefused('This call is wrapped up: its accounts are final', 'CALL_WRAPPED_UP');
    // Another client's account reads exactly as one that does not exist.
    const account: any = await strapi.db.query(ACCOUNT).findOne({ where: { documentId: accountDocumentId, client: { id: call.client.id } }, populate: { phones: true } });
    if (!account) throw new errors.NotFoundError('accountDocumentId: no account of this call\'s client has this id');
    await asServer(() => strapi.documents(CALL).update({ documentId: call.documentId, data: { account: account.documentId, accounts: { connect: [{ documentId: account.documentId }] } } } as any));
    const hours = sharedConfig<Compliance>('compliance').callingHours;
    const onAccount = (account.phones ?? []).find((p: any) => p.number === call.callerNumber);
    return accountSummary(account, onAccount ?? { number: call.callerNumber ?? '' }, call.client, { start: hours.start, end: hours.end });
  });
}
