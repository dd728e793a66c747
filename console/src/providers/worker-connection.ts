import { io, type Socket } from 'socket.io-client';
import type {
  AgentStatePayload,
  AgentStatus,
  CallEndedPayload,
  ClientToServerEvents,
  CommandErrorCode,
  CommandName,
  CommandPayload,
  CommandReply as ProtocolReply,
  CommandResult,
  ScreenPop,
  ServerToClientEvents,
} from '@protocol/socket-protocol';
import type { SessionStore } from './session-store';

export type { AgentStatePayload, AgentStatus, CallEndedPayload, CommandErrorCode, CommandName, CommandResult, ScreenPop };

/** The worker's ack, or NO_REPLY when none came in time (the console's own code, never the worker's). */
export type CommandReply<T = unknown> = ProtocolReply<T> | { ok: false; code: 'NO_REPLY'; error: string };
export type WorkerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** A command's payload, which may be left out when none of its fields is required, then `Rest`. */
export type CommandArgs<C extends CommandName, Rest extends unknown[] = []> = Record<string, never> extends CommandPayload<C> ? [payload?: CommandPayload<C>, ...Rest] : [payload: CommandPayload<C>, ...Rest];
export type ConnectionHealth = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

/**
 * The console's one socket to the worker, signed in with the current access token. It
 * reconnects with the new token after each refresh, and after the worker drops it.
 */
export class WorkerConnection {
  readonly socket: WorkerSocket;
  private health: ConnectionHealth = 'connecting';
  private lastEventAt = 0;
  private lastAgentState: AgentStatePayload | null = null;
  private lastPop: ScreenPop | null = null;
  private readonly healthListeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(workerUrl: string, private readonly store: SessionStore) {
    this.socket = io(workerUrl, { auth: (cb) => cb({ token: store.token() }), transports: ['websocket'], autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 5_000 });
    this.socket.on('connect', () => this.setHealth('connected'));
    this.socket.on('disconnect', (reason) => {
      this.setHealth(store.token() ? 'reconnecting' : 'signed-out');
      // The server dropped us (an expired token): the client does not retry on its own after that.
      if (reason === 'io server disconnect' && store.token()) setTimeout(() => this.socket.connect(), 1_000);
    });
    this.socket.on('connect_error', () => this.setHealth(store.token() ? 'reconnecting' : 'signed-out'));
    // Kept here, not only in the page: the worker sends the state once on connection, often
    // before the workspace's code has loaded and started listening.
    this.socket.on('agent:state', (state: AgentStatePayload) => {
      this.lastAgentState = state;
      if (state.status !== 'on_call' && state.status !== 'wrap_up') this.lastPop = null;
    });
    this.socket.on('call:screen-pop', (pop: ScreenPop) => (this.lastPop = pop));
    this.socket.onAny(() => {
      this.lastEventAt = Date.now();
      this.emitHealth();
    });
    let lastToken = store.token();
    this.unsubscribe = store.subscribe((session) => {
      if (!session) {
        this.lastAgentState = null;
        this.lastPop = null;
        this.socket.disconnect();
        this.setHealth('signed-out');
      } else if (session.jwt !== lastToken) {
        // A refreshed token: reconnect now rather than be dropped at the old one's expiry.
        this.socket.disconnect().connect();
      }
      lastToken = session?.jwt ?? null;
    });
    if (store.token()) this.socket.connect();
  }

  ensureConnected(): void {
    if (!this.socket.connected && this.store.token()) this.socket.connect();
  }

  /** The last agent state and screen pop the worker sent, for a page that starts listening late. */
  snapshot(): { agent: AgentStatePayload | null; pop: ScreenPop | null } {
    return { agent: this.lastAgentState, pop: this.lastPop };
  }

  status(): { health: ConnectionHealth; lastEventAt: number } {
    return { health: this.health, lastEventAt: this.lastEventAt };
  }

  onHealth(listener: () => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  command<C extends CommandName>(name: C, ...[payload, timeoutMs = 10_000]: CommandArgs<C, [timeoutMs?: number]>): Promise<CommandReply<CommandResult<C>>> {
    // Socket.IO's typed emit cannot take an event name that is a type parameter; CommandArgs above is the contract.
    const socket = this.socket.timeout(timeoutMs) as unknown as { emit: (name: string, payload: unknown, ack: (err: Error | null, reply: ProtocolReply<CommandResult<C>>) => void) => void };
    return new Promise((resolve) =>
      socket.emit(name, payload ?? {}, (err, reply) => {
        resolve(err ? { ok: false, code: 'NO_REPLY', error: 'the worker did not answer' } : reply);
      }),
    );
  }

  close(): void {
    this.unsubscribe();
    this.socket.close();
  }

  private setHealth(health: ConnectionHealth): void {
    this.health = health;
    this.emitHealth();
  }

  private emitHealth(): void {
    for (const l of this.healthListeners) l();
  }
}
