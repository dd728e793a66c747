import type { Core } from '@strapi/strapi';
import { asServer } from '../access/access-context';
import { foldProviderEvent, providerOutcome, type ProviderAnswer, type ProviderEvent } from './provider-call-state';
import { inboundLookup } from './inbound-lookup';
import { publishProviderPop } from './provider-pop-publisher';
import type { InboundLookup } from '../../../protocol/inbound-call';

const CALL = 'api::call.call';

export type ProviderEventReply = { eventId: string; callId: string; status: ProviderAnswer['status']; applied: boolean };

/** A provider's call id as our attempt id (the call record's key): prefixed, so it can never meet a dialer attempt's. */
export const providerAttemptId = (callId: string) => `webhook:${callId}`;

function isUniqueViolation(error: any): boolean {
  return error?.code === '23505' || /UNIQUE constraint failed|duplicate key|must be unique/i.test(String(error?.message ?? ''));
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The agent the provider named, if they are an agent (or supervisor) of the DID's client: nobody else gets the pop. */
async function namedAgent(strapi: Core.Strapi, username: string | null, clientDocumentId: string | null): Promise<number | null> {
  if (!username || !clientDocumentId) return null;
  const user: any = await strapi.db.query('plugin::users-permissions.user').findOne({
    where: { username, blocked: false, clients: { documentId: clientDocumentId } },
    select: ['id'],
    populate: { role: { select: ['type'] } },
  });
  return user && ['agent', 'supervisor'].includes(user.role?.type) ? user.id : null;
}

/**
 * Applies one verified provider event to its call record, idempotently: the record of the call
 * keeps every event id with the answer it got, so a retry gets that answer again and changes
 * nothing. Events fold in any order (provider-call-state.ts). The first event of a call matches
 * the caller to the DID's client's accounts, as an Asterisk call is matched.
 */
export async function applyProviderEvent(strapi: Core.Strapi, event: ProviderEvent, now = Date.now()): Promise<ProviderEventReply> {
  const attemptId = providerAttemptId(event.callId);
  const write = () =>
    strapi.db.transaction(async () => {
      const existing: any = await strapi.db.query(CALL).findOne({ where: { attemptId }, select: ['id', 'documentId', 'providerState'], populate: { agent: { select: ['id'] } } });
      const fold = foldProviderEvent(existing?.providerState ?? null, event);
      const reply: ProviderEventReply = { eventId: event.eventId, callId: event.callId, status: fold.answer.status, applied: fold.answer.applied };
      if (fold.replay) return { reply, pop: null };
      const s = fold.state;
      const o = providerOutcome(s);
      const facts: Record<string, unknown> = {
        queuedAt: iso(s.ringingAt ?? s.answeredAt ?? s.endedAt),
        answeredAt: iso(s.answeredAt),
        bridgedAt: iso(s.answeredAt),
        endedAt: iso(s.endedAt),
        outcome: o.outcome,
        queueWaitSeconds: o.queueWaitSec,
        talkSeconds: o.talkSec,
        providerState: s,
      };
      let lookup: InboundLookup | null = null;
      let agentId: number | null = existing?.agent?.id ?? null;
      if (!existing) {
        lookup = await inboundLookup(strapi, { callerId: event.from, did: event.to });
        agentId = await namedAgent(strapi, s.agent, lookup.clientDocumentId);
        Object.assign(facts, {
          direction: 'inbound',
          dialMode: 'inbound',
          recordedBy: 'dialer',
          amiUniqueId: event.callId,
          phone: lookup.callerNumber,
          callerNumber: lookup.callerNumber,
          did: lookup.did.slice(0, 16),
          ...(lookup.clientDocumentId ? { client: lookup.clientDocumentId } : {}),
          ...(lookup.accounts.length === 1 ? { account: lookup.accounts[0].documentId } : {}),
          ...(lookup.accounts.length ? { accounts: lookup.accounts.map((a) => a.documentId) } : {}),
          ...(agentId !== null ? { agent: agentId } : {}),
        });
      }
      await asServer(() =>
        existing
          ? strapi.documents(CALL).update({ documentId: existing.documentId, data: facts } as any)
          : strapi.documents(CALL).create({ data: { ...facts, attemptId } } as any),
      );
      const pop = fold.popAgent && agentId !== null && lookup ? { agentId, lookup, state: s } : null;
      return { reply, pop };
    });
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (error) {
    // Two deliveries of one call's first events at once: the second lands on the unique attempt id and folds into the first.
    if (!isUniqueViolation(error)) throw error;
    result = await write();
  }
  if (result.pop) {
    const { agentId, lookup, state } = result.pop;
    await publishProviderPop(strapi, {
      agentId,
      pop: {
        attemptId,
        accountDocumentId: lookup.accounts.length === 1 ? lookup.accounts[0].documentId : '',
        phone: lookup.callerNumber ?? '',
        campaignId: lookup.campaignIds[0] ?? '',
        callbackDocumentId: null,
        bridgedAt: new Date(now).toISOString(),
        account: lookup.accounts.length === 1 ? lookup.accounts[0] : null,
        inbound: { callerNumber: lookup.callerNumber, callerKind: lookup.callerKind, did: lookup.did, queueWaitSec: 0, matches: lookup.accounts },
        providerCallId: state.callId,
      },
    });
  }
  return result.reply;
}
