import { io, type Socket } from 'socket.io-client';
import type { CommandErrorCode } from '@worker/realtime/command-errors';
import type { AgentStatus } from '@worker/live/agent-state';
import type { ScreenPop } from '@worker/realtime/realtime-events';
import type { SessionStore } from './session-store';

export type { AgentStatus, CommandErrorCode, ScreenPop };

/** What the worker sends as `agent:state` (its LiveAgent, with `since` as an ISO date). */
export type AgentStatePayload = { id: number; username: string; status: AgentStatus; since: string; campaignId: string | null; pauseReason: string | null; attemptId: string | null };
export type CallEndedPayload = { attemptId: string; outcome: string; endedAt: string };
export type CommandReply<T = unknown> = { ok: true; data?: T } | { ok: false; code: CommandErrorCode | 'NO_REPLY'; error: string };
export type ConnectionHealth = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

/**
 * The console's one socket to the worker, signed in with the current access token. It
 * reconnects with the new token after each refresh, and after the worker drops it.
 */
export class WorkerConnection {
  readonly socket: Socket;
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

  command<T = unknown>(name: string, payload: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<CommandReply<T>> {
    return new Promise((resolve) =>
      this.socket.timeout(timeoutMs).emit(name, payload, (err: Error | null, reply: CommandReply<T>) => {
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
