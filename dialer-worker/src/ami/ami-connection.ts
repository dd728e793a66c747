import type { AmiMessage } from './ami-protocol';

/**
 * What the worker needs from the PBX, and nothing more. Production uses
 * `AsteriskManagerConnection` (the asterisk-manager client against Asterisk or the PBX
 * simulator); a test of the worker core may use any object with this shape.
 *
 * Every action rejects with an `AmiError` (see ami-errors.ts) when it did not succeed.
 * Nothing is queued while the connection is down and nothing is retried: an action attempted
 * while disconnected rejects at once with `AmiDisconnectedError` (code NOT_CONNECTED).
 */
export interface AmiConnection {
  /** Starts connecting (and reconnecting after any drop); resolves on the first login. */
  connect(): Promise<void>;
  /** Stops for good: logs off, rejects what is pending with code CLOSED. Idempotent. */
  close(): Promise<void>;
  /** Logged in on an open socket right now. */
  isConnected(): boolean;
  status(): AmiConnectionStatus;

  /**
   * Dials a debtor: `Originate` (async) of `PJSIP/<phone>@trunk` into `dialer-amd,s,1`, with
   * `ChannelId` and variable `ATTEMPT_ID` set to the attempt id. Resolves when the PBX accepts
   * it ("Originate successfully queued"); what happens next arrives as events.
   */
  originate(request: OriginateRequest): Promise<OriginateAccepted>;
  /** Calls an agent into their own conference (the login call). See docs/pbx-simulator.md. */
  originateAgentLeg(request: AgentLegRequest): Promise<AgentLegAccepted>;
  /** Moves a channel (by name or Uniqueid) to `context,exten,priority`. */
  redirect(channel: string, context: string, exten: string, priority?: number): Promise<void>;
  /** Hangs up a channel (by name or Uniqueid). */
  hangup(channel: string, cause?: number): Promise<void>;
  /** Round trip in milliseconds. */
  ping(): Promise<number>;
  /** The channels the PBX has right now (`CoreShowChannels`): to reconcile after a reconnection. */
  listChannels(): Promise<AmiChannelInfo[]>;

  on<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this;
  off<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this;
  once<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this;
}

export interface AmiConnectionEvents {
  /** every event message from the PBX (`Event: ...`), keys lowercased */
  event: (message: AmiMessage) => void;
  /** every reply to an action (`Response: ...` without `Event`), keys lowercased */
  response: (message: AmiMessage) => void;
  /** logged in (first time and after every reconnection) */
  connected: () => void;
  /** a logged-in session was lost; reconnection is already scheduled unless closed */
  disconnected: (info: { reason: string }) => void;
  /** an authentication failure, or an internal failure; emitted only when someone listens */
  error: (error: Error) => void;
}

export interface AmiConnectionStatus {
  connected: boolean;
  /** epoch ms of the current session's login */
  connectedSince?: number;
  /** reconnection attempts since the last login */
  reconnectAttempts: number;
  /** sessions lost since start */
  disconnects: number;
  lastError?: string;
  closed: boolean;
}

export interface OriginateRequest {
  attemptId: string;
  /** E.164 (`+13125550100`) */
  phone: string;
  /** how long the PBX lets it ring, in ms (the campaign's ring timeout) */
  timeoutMs: number;
  /** `"Name" <number>` or a number */
  callerId: string;
  /** default `dialer-amd` */
  context?: string;
  /** default `s` */
  exten?: string;
  /** more channel variables (ATTEMPT_ID is always set) */
  variables?: Record<string, string>;
}

export interface OriginateAccepted {
  attemptId: string;
  actionId: string;
  /** the dial string sent (`PJSIP/+13125550100@trunk`); the live channel's name comes in events */
  dialString: string;
}

export interface AgentLegRequest {
  agentId: string;
  /** what to ring; default `Local/<agentId>@agents/n` */
  dialString?: string;
  /** default 30 000 */
  timeoutMs?: number;
  callerId?: string;
  /** where the answered leg goes; default `agent-login`, exten `<agentId>` */
  context?: string;
  exten?: string;
}

export interface AgentLegAccepted {
  agentId: string;
  /** the leg's Uniqueid (`agentleg~<nonce>~<agentId>`) */
  legId: string;
  actionId: string;
  dialString: string;
}

export interface AmiChannelInfo {
  channel: string;
  uniqueId: string;
  linkedId?: string;
  context?: string;
  exten?: string;
  state?: number;
  stateDesc?: string;
  application?: string;
  bridgeId?: string;
  durationSec?: number;
  callerIdNum?: string;
}
