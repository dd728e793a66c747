import { header, type AmiMessage } from '../ami/ami-protocol';
import { newLiveCall, type LiveCall } from '../live/call-state';
import type { CmsClient } from '../cms/cms-client';
import type { InboundLookup } from '../../../protocol/inbound-call';
import type { InboundQueueBook } from './inbound-queue-book';

/** Asks to cms for one caller before they are offered as unknown. */
const LOOKUP_TRIES = 3;

/** What the dialplan's `UserEvent(InboundCall,InboundId: …,Did: …)` says, with the channel's own headers. */
export type InboundCallEvent = { uniqueId: string; channel: string; callerIdRaw: string; did: string };

/** Reads extensions.conf's InboundCall UserEvent; null for any other message. Pure. */
export function readInboundCallEvent(m: AmiMessage): InboundCallEvent | null {
  if (header(m, 'event')?.toLowerCase() !== 'userevent' || header(m, 'userevent')?.toLowerCase() !== 'inboundcall') return null;
  const uniqueId = (header(m, 'inboundid') || header(m, 'uniqueid') || '').trim();
  const did = (header(m, 'did') || header(m, 'exten') || '').trim();
  const channel = (header(m, 'channel') ?? '').trim();
  if (!uniqueId || !did || !channel) return null;
  return { uniqueId, channel, callerIdRaw: (header(m, 'calleridnum') ?? '').trim(), did };
}

export type InboundIntakeDeps = {
  workerId: string;
  cms: Pick<CmsClient, 'inboundLookup'>;
  flow: { adoptInbound(call: LiveCall): Promise<void> };
  queue: InboundQueueBook;
  /** where a caller goes when cms cannot say (it is down): every campaign running or with agents at work, so nobody waits unnoticed */
  runningCampaigns: () => Promise<string[]>;
  now: () => number;
  log: (message: string, extra?: Record<string, unknown>) => void;
};

/**
 * Takes inbound callers in from the PBX: asks cms who they are and who may take them, and hands
 * them to the call flow, which queues them and offers them to an agent. A caller cms cannot
 * match (cms down, a DID of nobody) still waits and is offered: as an unknown caller.
 */
export class InboundIntake {
  constructor(private readonly d: InboundIntakeDeps) {}

  onAmiMessage(m: AmiMessage): void {
    const e = readInboundCallEvent(m);
    if (e) void this.take(e).catch((error) => this.d.log('an inbound caller could not be taken in', { uniqueId: e.uniqueId, error: (error as Error).message }));
  }

  async take(e: InboundCallEvent): Promise<LiveCall> {
    const at = this.d.now();
    let lookup: InboundLookup | null = null;
    // The caller is on hold with music: a slow cms is worth a second and third try before they are offered as unknown.
    for (let tries = 1; !lookup; tries++) {
      try {
        lookup = await this.d.cms.inboundLookup(e.callerIdRaw, e.did);
      } catch (error) {
        if (tries < LOOKUP_TRIES) {
          await new Promise((r) => setTimeout(r, 250 * tries));
          continue;
        }
        this.d.log('cms did not match an inbound caller; offered as unknown to every campaign at work', { uniqueId: e.uniqueId, error: (error as Error).message });
        lookup = { callerNumber: null, callerKind: 'invalid', did: e.did, clientDocumentId: null, campaignIds: await this.d.runningCampaigns(), accounts: [], assignedAgentIds: [] };
      }
    }
    if (!lookup.campaignIds.length) this.d.log('inbound caller to a number no running campaign takes; they wait until one does or they hang up', { uniqueId: e.uniqueId, did: e.did });
    const only = lookup.accounts.length === 1 ? lookup.accounts[0] : null;
    const call = newLiveCall({
      attemptId: e.uniqueId,
      campaignId: lookup.campaignIds[0] ?? '',
      workerId: this.d.workerId,
      accountDocumentId: only?.documentId ?? '',
      callbackDocumentId: null,
      phone: lookup.callerNumber ?? e.callerIdRaw,
      dialMode: 'inbound',
      ringTimeoutSec: 0,
      dropWindowSec: 0,
      callerId: null,
      reservedAgentId: null,
      preferredAgentId: null,
      receipt: {},
      ...(only ? { account: only } : {}),
      phase: 'waiting',
      channel: e.channel,
      queuedAt: at,
      // For an inbound call answeredAt is when the caller entered the queue (the PBX answered them with music).
      answeredAt: at,
      inbound: {
        did: lookup.did,
        callerNumber: lookup.callerNumber,
        callerKind: lookup.callerKind,
        callerIdRaw: e.callerIdRaw.slice(0, 64),
        clientDocumentId: lookup.clientDocumentId,
        campaignIds: lookup.campaignIds,
        matches: lookup.accounts,
        assignedAgentIds: lookup.assignedAgentIds,
      },
    });
    void this.d.queue.entered(call.attemptId, lookup.campaignIds, at).catch((error) => this.d.log('an inbound caller was not counted in the queue figures', { uniqueId: e.uniqueId, error: (error as Error).message }));
    await this.d.flow.adoptInbound(call);
    return call;
  }
}
