/**
 * Inbound calls: what cms tells the worker about a caller (`POST /api/inbound/lookup`), and what
 * the screen pop of an inbound call carries to the agent.
 */
import type { AccountSummary } from './hopper-item';

/** How cms read the caller id: a number (E.164), withheld by the caller, or not a phone number. */
export type CallerIdKind = 'number' | 'withheld' | 'invalid';

/** `POST /api/inbound/lookup` `{ callerId, did }`: who is calling, and who may take the call. */
export type InboundLookup = {
  /** the caller's number in E.164, or null when withheld or unreadable */
  callerNumber: string | null;
  callerKind: CallerIdKind;
  /** the dialed number as cms matched it (E.164 when it reads as one) */
  did: string;
  /** the client the DID belongs to; null for a DID of no client (the call is still queued, to every blended campaign) */
  clientDocumentId: string | null;
  /** the campaigns (inbound group) whose agents take this DID's calls: the client's running blended campaigns */
  campaignIds: string[];
  /** the caller's accounts at that client (phone on the account, not DNC-filtered: the debtor called), most recently worked first, at most 20 */
  accounts: AccountSummary[];
  /** the assigned agent of each account, in the same order (null when unassigned) */
  assignedAgentIds: Array<number | null>;
};

/** What a screen pop says of an inbound call. One account: the pop's account is it; several or none: the agent picks or searches. */
export type InboundPopInfo = {
  callerNumber: string | null;
  callerKind: CallerIdKind;
  did: string;
  /** seconds the caller waited in the queue before this agent took the call */
  queueWaitSec: number;
  /** every account matched on the caller's number (one, several, or none: an unknown caller) */
  matches: AccountSummary[];
  /** an account the agent found and linked to the call (an unknown caller); the pop's account is it */
  linkedAccountDocumentId?: string | null;
};

/**
 * One answer of cms's search for an unknown inbound caller's account
 * (`GET /api/calls/attempts/:attemptId/account-search?q=`): only the agent on the live inbound
 * call asks, and only the DID's client's accounts answer. What identifies the debt, no more.
 */
export type AccountSearchHit = Pick<AccountSummary, 'documentId' | 'accountNumber' | 'debtorName' | 'clientName' | 'balance' | 'currency' | 'status'>;

/**
 * On Redis, from cms to the workers (`collections:provider-pops` unless PROVIDER_POPS_CHANNEL
 * names another): a provider's webhook named the agent a call rings for; the worker holding that
 * agent's socket pushes the pop.
 */
export type ProviderPopNotice = { agentId: number; pop: import('./socket-protocol').ScreenPop };
