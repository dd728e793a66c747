/**
 * The dialer-worker's Socket.IO protocol: what a console may send (commands, each answered by
 * an ack), and what the worker sends (events). The worker types its server with these
 * (`Server<ClientToServerEvents, ServerToClientEvents>`), the console its client
 * (`Socket<ServerToClientEvents, ClientToServerEvents>`).
 */
import type { AgentDay, CampaignDialing, CampaignStats } from './campaign-stats';
import type { WhatIfResult } from './what-if';
import type { DataChangedEvent, LiveResource } from './data-change';
import type { AccountSummary } from './hopper-item';
import type { InboundPopInfo } from './inbound-call';

export type Role = 'agent' | 'supervisor' | 'analyst';

export type AgentStatus = 'logged_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused';

/** How an attempt ended, as the worker tells cms and the agent. */
export type CallOutcome = 'no_answer' | 'busy' | 'failed' | 'machine' | 'connected' | 'abandoned';

/** Every code a failed command's ack may carry. The console branches on the code; `error` is for people. */
export type CommandErrorCode =
  /** the payload is malformed (an id of the wrong shape, a missing field): fix the request */
  | 'INVALID'
  /** this user may not do this (role, a campaign they are not on, another client) */
  | 'FORBIDDEN'
  /** no such thing of yours (call, preview, phone to dial) */
  | 'NOT_FOUND'
  /** not now: the agent or the call is in a state that does not allow it */
  | 'CONFLICT'
  /** the access token has expired: refresh it and connect again */
  | 'SESSION_EXPIRED'
  /** cms no longer accepts this session (logged out, blocked, deleted): sign in again */
  | 'SESSION_ENDED'
  /** cms did not answer: try again shortly; nothing was decided about you */
  | 'CMS_UNAVAILABLE'
  /** the phone system did not answer: try again shortly */
  | 'PBX_UNAVAILABLE'
  /** the worker cannot reach its live state (Redis): try again shortly; nothing was changed */
  | 'STATE_UNAVAILABLE'
  /** the worker failed unexpectedly; the details are in its log */
  | 'FAILED';

export type CommandReply<T> = { ok: true; data: T } | { ok: false; code: CommandErrorCode; error: string };

/** The agent's held preview: the phone is booked and the agent reserved, nothing dialed yet. */
export type PreviewOffer = {
  attemptId: string;
  accountDocumentId: string;
  accountNumber: string;
  phone: string;
  callbackDocumentId: string | null;
  kind: 'callback' | 'account';
  account: AccountSummary;
};

type CampaignRef = { campaignId: string };
type AttemptRef = { attemptId: string };
type Nothing = Record<string, never>;

/** Each command: who may send it, what it takes, and what its ack carries on success. */
/** How a promise to pay may be paid (cms: promise-to-pay.paymentMethod). */
export type PaymentMethod = 'card' | 'bank_transfer' | 'check' | 'cash' | 'other';
/** A promise to pay as the agent recorded it in wrap-up (cms: promise-to-pay); `dueDate` is YYYY-MM-DD. */
export type WrapUpPromise = { amount: number; dueDate: string; paymentMethod: PaymentMethod | null };
/** A callback the debtor asked for (cms: callback), at an instant the console chose in the debtor's zone. */
export type WrapUpCallback = { dueAt: string };

export interface Commands {
  /** `campaignId` defaults to the agent's last campaign. */
  ready: { roles: 'agent'; payload: { campaignId?: string | null }; reply: { status: AgentStatus } };
  pause: { roles: 'agent'; payload: { reason?: string }; reply: { status: AgentStatus } };
  logout: { roles: 'agent'; payload: Nothing; reply: { status: AgentStatus } };
  hangup: { roles: 'agent'; payload: Nothing; reply: AttemptRef };
  /** `attemptId` defaults to the agent's current call; `next` to `ready`; `accountDocumentId`: on an inbound call, which of the matched accounts it was about. */
  disposition: { roles: 'agent'; payload: { attemptId?: string | null; accountDocumentId?: string | null; disposition?: string | null; notes?: string | null; promise?: WrapUpPromise | null; callback?: WrapUpCallback | null; next?: 'ready' | 'pause' }; reply: AttemptRef };
  /** The next phone of the agent's preview campaign (their own accounts first). */
  'preview:next': { roles: 'agent'; payload: Nothing; reply: PreviewOffer };
  'preview:dial': { roles: 'agent'; payload: AttemptRef; reply: AttemptRef };
  'preview:skip': { roles: 'agent'; payload: AttemptRef; reply: AttemptRef };
  /**
   * An unknown inbound caller: the agent links the account they found (cms's account search) to the call. cms checks it,
   * as the agent, is of the dialed number's client and the call not wrapped up, and audits it; the pop is sent again with it.
   */
  'inbound:link': { roles: 'agent'; payload: AttemptRef & { accountDocumentId: string }; reply: AttemptRef & { account: AccountSummary } };
  'campaign:start': { roles: 'supervisor'; payload: CampaignRef; reply: CampaignRef & { state: 'running' } };
  'campaign:resume': { roles: 'supervisor'; payload: CampaignRef; reply: CampaignRef & { state: 'running' } };
  'campaign:pause': { roles: 'supervisor'; payload: CampaignRef; reply: CampaignRef & { state: 'paused' } };
  'campaign:set-max-ratio': { roles: 'supervisor'; payload: CampaignRef & { maxDialRatio: number }; reply: CampaignRef & { maxDialRatio: number } };
  /** What the engine expects at a proposed maximum ratio (and at the current one), from its statistics now; changes nothing. */
  'campaign:what-if': { roles: 'supervisor'; payload: CampaignRef & { maxDialRatio: number }; reply: WhatIfResult };
  /**
   * Every agent's `agent:state` on the campaign (as `WatchedAgent`) and its `campaign:stats`, from now on; `last` is the
   * latest tick, `agents` the agents logged in on it now. Read-only: analysts watch too.
   */
  'campaign:watch': { roles: 'supervisor' | 'analyst'; payload: CampaignRef; reply: CampaignRef & { last: CampaignStats | null; agents: WatchedAgent[] } };
  /** `data:changed` for this resource, within the reader's scope, from now on. */
  'live:subscribe': { roles: Role; payload: { resource: LiveResource }; reply: { resource: LiveResource } };
  'live:unsubscribe': { roles: Role; payload: { resource: LiveResource }; reply: { resource: LiveResource } };
}

export type CommandName = keyof Commands;
export type CommandPayload<C extends CommandName> = Commands[C]['payload'];
export type CommandResult<C extends CommandName> = Commands[C]['reply'];

export type ClientToServerEvents = {
  [C in CommandName]: (payload: CommandPayload<C>, ack: (reply: CommandReply<CommandResult<C>>) => void) => void;
};

/** `agent:state`: the agent's live state (`since` as an ISO date). */
export type AgentStatePayload = {
  id: number;
  username: string;
  status: AgentStatus;
  since: string;
  campaignId: string | null;
  pauseReason: string | null;
  attemptId: string | null;
  /** Set when Redis lost every agent's state: the agent is logged out and must go Ready again. */
  reason?: 'STATE_LOST';
};

/** `agent:state` as the watchers of a campaign hear it: with the account of the agent's call and their day so far. */
export type WatchedAgent = AgentStatePayload & { accountNumber: string | null; today: AgentDay };

/** `call:screen-pop`: the call just bridged to this agent. */
export type ScreenPop = {
  attemptId: string;
  /** the account the call is about; '' for an inbound caller matched to several accounts or none (see `inbound.matches`) */
  accountDocumentId: string;
  phone: string;
  campaignId: string;
  callbackDocumentId: string | null;
  bridgedAt: string;
  /** The account as cms described it when the attempt was queued; null for an attempt queued by a worker that did not carry it. */
  account: AccountSummary | null;
  /** present on an inbound call: the caller, the number they dialed, their wait, and every account matched */
  inbound?: InboundPopInfo;
  /** present on a pop pushed for a provider's webhook call (no worker call behind it): the provider's call id */
  providerCallId?: string;
};

/** `call:ended`: the agent's call is over (they are in wrap-up, or free again if it never reached them). */
export type CallEndedPayload = { attemptId: string; outcome: CallOutcome; endedAt: string };

/** `session:ended`: sent just before the worker drops the socket. */
export type SessionEndedPayload = { code: Extract<CommandErrorCode, 'SESSION_EXPIRED' | 'SESSION_ENDED'>; error: string };

export interface ServerToClientEvents {
  'agent:state': (state: AgentStatePayload | WatchedAgent) => void;
  'call:screen-pop': (pop: ScreenPop) => void;
  'call:ended': (info: CallEndedPayload) => void;
  'campaign:stats': (stats: CampaignStats) => void;
  'campaign:dialing': (info: CampaignDialing) => void;
  'session:ended': (info: SessionEndedPayload) => void;
  'data:changed': (change: DataChangedEvent) => void;
}
