import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import AsteriskManager = require('asterisk-manager');
import type {
  AgentLegAccepted,
  AgentLegRequest,
  AmiChannelInfo,
  AmiConnection,
  AmiConnectionEvents,
  AmiConnectionStatus,
  OriginateAccepted,
  OriginateRequest,
} from './ami-connection';
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiDisconnectedError,
  AmiErrorCode,
  AmiInvalidArgumentError,
  AmiTimeoutError,
} from './ami-errors';
import { agentLegActionId, agentLegId, originateActionId } from './ami-ids';
import { header, type AmiMessage } from './ami-protocol';

export interface AsteriskManagerConnectionOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** first retry after a drop; doubles up to `reconnectMaxDelayMs` (defaults 250 ms, 5 s) */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** an action without a reply after this long rejects with AmiTimeoutError (default 10 s) */
  actionTimeoutMs?: number;
  /** TCP connect plus login must finish within this (default 5 s) */
  loginTimeoutMs?: number;
  /** a Ping this often detects a silent dead peer; 0 turns it off (default 15 s) */
  keepAliveIntervalMs?: number;
  /** the dial string for a debtor's number (default `PJSIP/<phone>@trunk`) */
  dialString?: (phone: string) => string;
  /** the dial string for an agent's leg (default `Local/<agentId>@agents/n`) */
  agentDialString?: (agentId: string) => string;
}

type RawMessage = Record<string, string | string[] | Record<string, string>>;

interface Session {
  client: AsteriskManager.Client;
  loggedIn: boolean;
  dead: boolean;
  since?: number;
  loginTimer?: NodeJS.Timeout;
}

interface PendingAction {
  action: string;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface ChannelListing {
  items: AmiChannelInfo[];
  resolve: (items: AmiChannelInfo[]) => void;
}

const PHONE = /^\+?[0-9]{3,20}$/;
const AGENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_UNIQUE_ID = 149;

/**
 * `AmiConnection` over the asterisk-manager client, with our own reconnection.
 *
 * What the client does that we work around (asterisk-manager 0.2.0, lib/ami.js):
 * - `keepConnected()` waits 10 s, then 20 s, ... 60 s between attempts: not used; we retry
 *   from 250 ms, doubling to 5 s.
 * - Actions sent before login are held in memory and sent after the next login, and an action
 *   whose reply never comes never calls back: an Originate could be placed minutes later, or
 *   hang forever. We never hand it an action unless logged in, and we time out and reject
 *   every pending action ourselves when the connection drops.
 * - Its line parser keeps leftover text across reconnections of the same instance, so every
 *   connection attempt gets a fresh client instance.
 * - With a port in the constructor it logs in with no way to learn that login failed: we
 *   construct without one and call connect()/login() ourselves.
 * - `disconnect()` only ends an open socket; a socket still connecting is left alone, so an
 *   abandoned attempt is marked dead and logged off if it ever completes.
 * - Default ActionIDs are `Date.now()`: we send our own (`orig~<nonce>~<attemptId>` for an
 *   Originate, so an OriginateResponse without a channel still names its attempt).
 * - Values go on the wire unescaped, so we refuse line breaks (and commas in variables,
 *   which Asterisk would split).
 * - Its `error` event has a no-op listener; socket errors surface as `close`, handled here.
 */
export class AsteriskManagerConnection extends EventEmitter implements AmiConnection {
  private readonly opts: Required<Omit<AsteriskManagerConnectionOptions, 'dialString' | 'agentDialString'>> &
    Pick<AsteriskManagerConnectionOptions, 'dialString' | 'agentDialString'>;
  private readonly nonce = randomBytes(4).toString('hex');
  private sequence = 0;
  private session: Session | undefined;
  private readonly pending = new Map<string, PendingAction>();
  private readonly listings = new Map<string, ChannelListing>();
  private started = false;
  private closed = false;
  private delayMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private firstLogin: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  private everLoggedIn = false;
  private reconnectAttempts = 0;
  private disconnects = 0;
  private lastError: string | undefined;

  constructor(options: AsteriskManagerConnectionOptions) {
    super();
    this.opts = {
      reconnectInitialDelayMs: 250,
      reconnectMaxDelayMs: 5_000,
      actionTimeoutMs: 10_000,
      loginTimeoutMs: 5_000,
      keepAliveIntervalMs: 15_000,
      ...options,
    };
    this.delayMs = this.opts.reconnectInitialDelayMs;
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new AmiDisconnectedError(AmiErrorCode.CLOSED, 'the AMI connection is closed'));
    if (this.isConnected()) return Promise.resolve();
    if (!this.firstLogin) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.firstLogin = { promise, resolve, reject };
    }
    if (!this.started) {
      this.started = true;
      this.attempt();
    }
    return this.firstLogin.promise;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.stopKeepAlive();
    this.firstLogin?.reject(new AmiDisconnectedError(AmiErrorCode.CLOSED, 'the AMI connection was closed before it logged in'));
    this.firstLogin?.promise.catch(() => undefined);
    this.rejectPending(AmiErrorCode.CLOSED, 'the AMI connection was closed');
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    session.dead = true;
    clearTimeout(session.loginTimer);
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => {
        if (session.client.isConnected()) session.client.disconnect();
        resolve();
      }, 1_000);
      done.unref();
      session.client.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      // Logoff is written before the FIN; its Goodbye is not worth waiting for. A socket still
      // connecting is ended by the connect callback instead (session.dead).
      if (session.client.isConnected()) {
        if (session.loggedIn) session.client.action({ action: 'Logoff', actionid: this.nextActionId('logoff') });
        session.client.disconnect();
      }
    });
  }

  isConnected(): boolean {
    const s = this.session;
    return !!s && s.loggedIn && !s.dead && s.client.isConnected();
  }

  status(): AmiConnectionStatus {
    return {
      connected: this.isConnected(),
      ...(this.isConnected() && this.session?.since ? { connectedSince: this.session.since } : {}),
      reconnectAttempts: this.reconnectAttempts,
      disconnects: this.disconnects,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      closed: this.closed,
    };
  }

  async originate(request: OriginateRequest): Promise<OriginateAccepted> {
    const { attemptId, phone } = request;
    // `;`: Asterisk names the second half of a Local channel `<id>;2`, which must never read as an attempt.
    if (!attemptId || attemptId.length > MAX_UNIQUE_ID || /[\s,;]/.test(attemptId)) {
      throw new AmiInvalidArgumentError(`attempt id must be 1-${MAX_UNIQUE_ID} characters without spaces, commas or semicolons`);
    }
    if (!PHONE.test(phone)) throw new AmiInvalidArgumentError(`not a dialable number: ${JSON.stringify(phone)}`);
    if (!(request.timeoutMs > 0)) throw new AmiInvalidArgumentError('timeoutMs must be positive');
    const dialString = this.opts.dialString ? this.opts.dialString(phone) : `PJSIP/${phone}@trunk`;
    const actionId = originateActionId(attemptId, this.nextNonce());
    await this.send('Originate', actionId, {
      channel: dialString,
      context: request.context ?? 'dialer-amd',
      exten: request.exten ?? 's',
      priority: 1,
      timeout: Math.round(request.timeoutMs),
      callerid: request.callerId,
      channelid: attemptId,
      async: 'true',
      variable: { ...request.variables, ATTEMPT_ID: attemptId },
    });
    return { attemptId, actionId, dialString };
  }

  async originateAgentLeg(request: AgentLegRequest): Promise<AgentLegAccepted> {
    const { agentId } = request;
    if (!AGENT_ID.test(agentId)) throw new AmiInvalidArgumentError('agent id must be 1-64 letters, digits, _ or -');
    // `/n`: no Local channel optimisation, so the leg keeps its Uniqueid while it sits in the conference
    const dialString = request.dialString ?? (this.opts.agentDialString ? this.opts.agentDialString(agentId) : `Local/${agentId}@agents/n`);
    const legId = agentLegId(agentId, this.nextNonce());
    const actionId = agentLegActionId(legId, this.nextNonce());
    await this.send('Originate', actionId, {
      channel: dialString,
      context: request.context ?? 'agent-login',
      exten: request.exten ?? agentId,
      priority: 1,
      timeout: Math.round(request.timeoutMs ?? 30_000),
      callerid: request.callerId,
      channelid: legId,
      async: 'true',
      variable: { AGENT_ID: agentId },
    });
    return { agentId, legId, actionId, dialString };
  }

  async redirect(channel: string, context: string, exten: string, priority = 1): Promise<void> {
    await this.send('Redirect', this.nextActionId('redirect'), { channel, context, exten, priority });
  }

  async hangup(channel: string, cause?: number): Promise<void> {
    await this.send('Hangup', this.nextActionId('hangup'), { channel, cause });
  }

  async ping(): Promise<number> {
    const started = Date.now();
    await this.send('Ping', this.nextActionId('ping'), {});
    return Date.now() - started;
  }

  async listChannels(): Promise<AmiChannelInfo[]> {
    const actionId = this.nextActionId('channels');
    let resolveList!: (items: AmiChannelInfo[]) => void;
    const listed = new Promise<AmiChannelInfo[]>((resolve) => (resolveList = resolve));
    this.listings.set(actionId, { items: [], resolve: resolveList });
    try {
      await this.send('CoreShowChannels', actionId, {});
      return await this.withTimeout(listed, 'CoreShowChannels', actionId);
    } finally {
      this.listings.delete(actionId);
    }
  }

  override on<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this {
    return super.off(event, listener);
  }

  override once<E extends keyof AmiConnectionEvents>(event: E, listener: AmiConnectionEvents[E]): this {
    return super.once(event, listener);
  }

  // --- sessions ---------------------------------------------------------------------------

  private attempt(): void {
    if (this.closed) return;
    const client = new AsteriskManager(undefined, this.opts.host, this.opts.username, this.opts.secret, true);
    const session: Session = { client, loggedIn: false, dead: false };
    this.session = session;

    client.on('close', () => this.onClosed(session, 'connection closed'));
    client.on('error', (err: Error) => {
      if (session === this.session) this.lastError = err.message;
    });
    client.on('managerevent', (raw: RawMessage) => {
      if (session !== this.session || session.dead) return;
      this.onEvent(normalize(raw));
    });
    client.on('response', (raw: RawMessage) => {
      if (session !== this.session || session.dead || raw.event !== undefined) return;
      this.emit('response', normalize(raw));
    });

    session.loginTimer = setTimeout(() => this.abandon(session, 'connect and login timed out'), this.opts.loginTimeoutMs);
    session.loginTimer.unref();
    client.connect(this.opts.port, this.opts.host, () => {
      if (session.dead) {
        // given up on (timeout, close()) while it was connecting: now it can be ended
        client.disconnect();
        return;
      }
      client.login((err) => {
        clearTimeout(session.loginTimer);
        if (err) {
          this.onAuthenticationFailed(session);
          return;
        }
        if (session.dead) {
          // given up on (timeout, close()) while it was still connecting
          client.disconnect();
          return;
        }
        this.onLoggedIn(session);
      });
    });
  }

  private onLoggedIn(session: Session): void {
    session.loggedIn = true;
    session.since = Date.now();
    this.everLoggedIn = true;
    this.delayMs = this.opts.reconnectInitialDelayMs;
    this.reconnectAttempts = 0;
    this.lastError = undefined;
    this.startKeepAlive(session);
    this.firstLogin?.resolve();
    this.firstLogin = undefined;
    this.emit('connected');
  }

  private onAuthenticationFailed(session: Session): void {
    const error = new AmiAuthenticationError();
    this.lastError = error.message;
    if (!this.everLoggedIn && this.firstLogin) {
      // A wrong secret will not get better by retrying: give up and tell connect()'s caller.
      this.firstLogin.reject(error);
      this.firstLogin = undefined;
      this.closed = true;
      clearTimeout(this.reconnectTimer);
      session.dead = true;
      session.client.disconnect();
      if (this.session === session) this.session = undefined;
      return;
    }
    this.emitError(error);
    // The PBX worked before with these credentials: keep trying, at the slowest pace.
    this.delayMs = this.opts.reconnectMaxDelayMs;
    this.abandon(session, 'authentication failed');
  }

  private abandon(session: Session, reason: string): void {
    if (session.dead) return;
    this.lastError = reason;
    // A socket still connecting would only be forgotten by disconnect(), not closed: the
    // connect callback ends it once it opens (session.dead is set by onClosed below).
    if (session.client.isConnected()) session.client.disconnect();
    this.onClosed(session, reason);
  }

  private onClosed(session: Session, reason: string): void {
    if (session.dead) return;
    session.dead = true;
    clearTimeout(session.loginTimer);
    if (session !== this.session) return;
    this.session = undefined;
    this.stopKeepAlive();
    if (session.loggedIn) {
      this.disconnects++;
      this.rejectPending(AmiErrorCode.CONNECTION_LOST, `the AMI connection was lost (${reason})`);
      this.emit('disconnected', { reason });
    }
    if (this.closed) return;
    this.reconnectAttempts++;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.opts.reconnectMaxDelayMs);
    this.reconnectTimer = setTimeout(() => this.attempt(), delay);
    this.reconnectTimer.unref();
  }

  private onEvent(message: AmiMessage): void {
    const actionId = header(message, 'actionid');
    const listing = actionId !== undefined ? this.listings.get(actionId) : undefined;
    if (listing) {
      const name = header(message, 'event')?.toLowerCase();
      if (name === 'coreshowchannel') listing.items.push(toChannelInfo(message));
      else if (name === 'coreshowchannelscomplete') listing.resolve(listing.items);
    }
    this.emit('event', message);
  }

  private startKeepAlive(session: Session): void {
    this.stopKeepAlive();
    if (!(this.opts.keepAliveIntervalMs > 0)) return;
    this.keepAliveTimer = setInterval(() => {
      this.ping().catch((err: unknown) => {
        if (err instanceof AmiTimeoutError) this.abandon(session, 'keep-alive ping timed out');
      });
    }, this.opts.keepAliveIntervalMs);
    this.keepAliveTimer.unref();
  }

  private stopKeepAlive(): void {
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }

  // --- actions ----------------------------------------------------------------------------

  private send(action: string, actionId: string, fields: Record<string, unknown>): Promise<RawMessage | undefined> {
    if (this.closed) return Promise.reject(new AmiDisconnectedError(AmiErrorCode.CLOSED, `${action} not sent: the AMI connection is closed`, { action, actionId }));
    const session = this.session;
    if (!session || !this.isConnected()) {
      return Promise.reject(
        new AmiDisconnectedError(AmiErrorCode.NOT_CONNECTED, `${action} not sent: the AMI connection is down`, { action, actionId, mayHaveRun: false }),
      );
    }
    try {
      assertWireSafe(fields);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(actionId)) return;
        reject(new AmiTimeoutError(`${action} got no reply within ${this.opts.actionTimeoutMs} ms`, { action, actionId }));
      }, this.opts.actionTimeoutMs);
      timer.unref();
      this.pending.set(actionId, { action, reject, timer });
      const payload: Record<string, unknown> = { action };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) payload[k] = v;
      payload.actionid = actionId;
      session.client.action(payload, (err, res) => {
        const entry = this.pending.get(actionId);
        if (!entry) return;
        this.pending.delete(actionId);
        clearTimeout(entry.timer);
        if (err) {
          const raw = err as RawMessage;
          const message = typeof raw.message === 'string' ? raw.message : err instanceof Error ? err.message : 'error';
          reject(new AmiActionError(`${action} failed: ${message}`, { action, actionId, response: message }));
        } else {
          resolve(res);
        }
      });
    });
  }

  private withTimeout<T>(promise: Promise<T>, action: string, actionId: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AmiTimeoutError(`${action} did not complete within ${this.opts.actionTimeoutMs} ms`, { action, actionId })),
        this.opts.actionTimeoutMs,
      );
      timer.unref();
      const entry: PendingAction = { action, reject, timer };
      this.pending.set(actionId, entry);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.pending.delete(actionId);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          this.pending.delete(actionId);
          reject(err);
        },
      );
    });
  }

  private rejectPending(code: AmiErrorCode, message: string): void {
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (const [actionId, entry] of entries) {
      clearTimeout(entry.timer);
      entry.reject(new AmiDisconnectedError(code, `${entry.action}: ${message}`, { action: entry.action, actionId, mayHaveRun: true }));
    }
  }

  private emitError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private nextNonce(): string {
    return `${this.nonce}${(++this.sequence).toString(36)}`;
  }

  private nextActionId(kind: string): string {
    return `${kind}~${this.nextNonce()}`;
  }
}

/** asterisk-manager's parsed object to ours: `variable` objects back to `k=v` lines. */
function normalize(raw: RawMessage): AmiMessage {
  const out: AmiMessage = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map(String);
    else if (value && typeof value === 'object') out[key] = Object.entries(value).map(([k, v]) => `${k}=${v}`);
  }
  return out;
}

function assertWireSafe(fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === 'variable') {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new AmiInvalidArgumentError(`bad variable name ${JSON.stringify(name)}`);
        if (/[\r\n,]/.test(String(v))) throw new AmiInvalidArgumentError(`variable ${name} holds a line break or a comma`);
      }
    } else if (/[\r\n]/.test(String(value))) {
      throw new AmiInvalidArgumentError(`${key} holds a line break`);
    }
  }
}

function toChannelInfo(m: AmiMessage): AmiChannelInfo {
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const duration = header(m, 'duration');
  let durationSec: number | undefined;
  if (duration && /^\d+:\d{2}:\d{2}$/.test(duration)) {
    const [h, mi, s] = duration.split(':').map(Number);
    durationSec = h * 3600 + mi * 60 + s;
  }
  const info: AmiChannelInfo = { channel: header(m, 'channel') ?? '', uniqueId: header(m, 'uniqueid') ?? '' };
  const optional: Array<[keyof AmiChannelInfo, string | number | undefined]> = [
    ['linkedId', header(m, 'linkedid')],
    ['context', header(m, 'context')],
    ['exten', header(m, 'exten')],
    ['state', num(header(m, 'channelstate'))],
    ['stateDesc', header(m, 'channelstatedesc')],
    ['application', header(m, 'application')],
    ['bridgeId', header(m, 'bridgeid') || undefined],
    ['durationSec', durationSec],
    ['callerIdNum', header(m, 'calleridnum')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (info as unknown as Record<string, unknown>)[k] = v;
  return info;
}
