import type { Server as HttpServer } from 'http';
import type Redis from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { CmsClient, SessionUser } from '../cms/cms-client';
import type { LiveAgent } from '../live/agent-state';
import type { DataChange } from '../../../protocol/data-change';
import type {
  AgentStatePayload,
  CallEndedPayload,
  ClientToServerEvents,
  CommandName,
  CommandReply,
  CommandResult,
  Commands,
  ScreenPop,
  ServerToClientEvents,
  SessionEndedPayload,
  WatchedAgent,
} from '../../../protocol/socket-protocol';
import type { CampaignDialing, CampaignStats } from '../../../protocol/campaign-stats';
import { CommandError, toCommandError, type CommandErrorCode } from './command-errors';
import { changeRooms, isLiveResource, isRoomOf, readerRooms } from './live-rooms';
import type { RealtimeEvents } from './realtime-events';
import { jwtExpiry, SessionGuard, type SessionVerdict } from './session-guard';
import { payloadOf } from './socket-ids';

export { CommandError, type CommandErrorCode };

type SocketData = { user: SessionUser; token: string };
export type DialerSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type CommandContext = { user: SessionUser; token: string; socket: DialerSocket };
/** A command's payload arrives as the client sent it (an object, checked field by field); its result is the protocol's. */
export type CommandHandler<C extends CommandName = CommandName> = (ctx: CommandContext, payload: Record<string, unknown>) => Promise<CommandResult<C>>;
export type CommandHandlers = { [C in CommandName]: CommandHandler<C> };
/** The commands the server answers itself; the dialer provides the rest. */
type OwnCommands = 'live:subscribe' | 'live:unsubscribe';
export type DialerCommandHandlers = Omit<CommandHandlers, OwnCommands>;
type Ack = (reply: CommandReply<unknown>) => void;

export type SocketServerOptions = {
  corsOrigins: string[];
  /**
   * The Redis channel prefix of the Socket.IO adapter: workers of one deployment share it, and
   * another deployment (or test stack) on the same Redis must not, or a room such as `agent:1`
   * would hear another cms's user 1.
   */
  adapterKey: string;
  /** Every connected socket's session is checked with cms this often. */
  sessionRecheckMs: number;
  /** A command trusts cms's last word on its session for this long. */
  sessionCacheMs: number;
  /** Sessions checked with cms at once during a recheck. */
  sessionCheckConcurrency: number;
  log: (message: string, extra?: Record<string, unknown>) => void;
};

/** Which role may send which command: checked before any handler runs. */
export const COMMAND_ROLES: { [C in CommandName]: Array<Commands[C]['roles']> } = {
  ready: ['agent'],
  pause: ['agent'],
  hangup: ['agent'],
  disposition: ['agent'],
  logout: ['agent'],
  'preview:next': ['agent'],
  'preview:dial': ['agent'],
  'preview:skip': ['agent'],
  'inbound:link': ['agent'],
  'campaign:start': ['supervisor'],
  'campaign:pause': ['supervisor'],
  'campaign:resume': ['supervisor'],
  'campaign:set-max-ratio': ['supervisor'],
  'campaign:what-if': ['supervisor'],
  'campaign:watch': ['supervisor', 'analyst'],
  'live:subscribe': ['agent', 'supervisor', 'analyst'],
  'live:unsubscribe': ['agent', 'supervisor', 'analyst'],
};

export function agentPayload(agent: LiveAgent): AgentStatePayload {
  return { id: agent.id, username: agent.username, status: agent.status, since: new Date(agent.since).toISOString(), campaignId: agent.campaignId, pauseReason: agent.pauseReason, attemptId: agent.attemptId };
}

/**
 * Agents are only ever in their own room. The campaign-wide view (every agent's state,
 * pacing statistics) goes to `watch:` rooms, which only a supervisor joins, and only after
 * cms has shown them the campaign with their own token.
 */
const rooms = {
  agent: (id: number) => `agent:${id}`,
  watchers: (campaignId: string) => `watch:campaign:${campaignId}`,
};

const failure = (e: CommandError): CommandReply<never> => ({ ok: false, code: e.code, error: `${e.code}: ${e.message}` });

/**
 * Socket.IO for the console: clients sign in with their cms JWT (cms says who
 * they are), agents hear only their own room, supervisors the campaigns they watch.
 * A socket lives as long as its session: it is dropped at the token's expiry, and
 * when cms stops accepting the session (checked every few seconds and before commands).
 * The Redis adapter lets several workers serve the same rooms.
 */
export class SocketServer implements RealtimeEvents {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  private readonly guard: SessionGuard;
  private readonly recheckTimer: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    httpServer: HttpServer,
    cms: CmsClient,
    pub: Redis,
    sub: Redis,
    handlers: DialerCommandHandlers,
    private readonly options: SocketServerOptions,
    /** The agent's live state, sent on (re)connection: after a worker restart the console learns it is still on a call or in wrap-up. */
    currentAgent: (id: number) => Promise<LiveAgent | null> = async () => null,
  ) {
    this.guard = new SessionGuard(cms, { cacheMs: options.sessionCacheMs, concurrency: options.sessionCheckConcurrency });
    this.io = new Server(httpServer, { cors: { origin: options.corsOrigins, credentials: true }, adapter: createAdapter(pub, sub, { key: options.adapterKey }) });
    this.io.use(async (socket, next) => {
      const raw = socket.handshake.auth?.token ?? String(socket.handshake.headers.authorization ?? '').replace(/^Bearer /, '');
      const token = typeof raw === 'string' ? raw : '';
      if (!token) return next(new Error('unauthorized'));
      try {
        socket.data.user = await cms.session(token);
        socket.data.token = token;
        next();
      } catch (error) {
        const e = toCommandError(error);
        next(new Error(e.code === 'CMS_UNAVAILABLE' ? 'cms unavailable' : 'unauthorized'));
      }
    });
    const all: CommandHandlers = { ...handlers, 'live:subscribe': (ctx, p) => this.subscribe(ctx, p), 'live:unsubscribe': (ctx, p) => this.unsubscribe(ctx, p) };
    this.io.on('connection', (socket) => this.onConnection(socket, all, currentAgent));
    this.recheckTimer = setInterval(() => void this.recheckAll(), options.sessionRecheckMs);
    this.recheckTimer.unref();
  }

  private onConnection(socket: DialerSocket, handlers: CommandHandlers, currentAgent: (id: number) => Promise<LiveAgent | null>): void {
    const user: SessionUser = socket.data.user;
    const token: string = socket.data.token;
    const expiry = jwtExpiry(token);
    if (expiry !== null) {
      // setTimeout's limit is about 24.8 days; a token living longer is caught by the rechecks.
      const timer = setTimeout(() => this.end(socket, 'expired'), Math.min(Math.max(0, expiry - Date.now()), 2 ** 31 - 1));
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    if (user.role === 'agent') {
      this.join(socket, rooms.agent(user.id));
      currentAgent(user.id)
        .then((agent) => agent && socket.emit('agent:state', agentPayload(agent)))
        .catch((error) => this.options.log('reading an agent state on connection failed', { agentId: user.id, error: (error as Error).message }));
    }
    for (const command of Object.keys(COMMAND_ROLES) as CommandName[]) {
      const roles: readonly string[] = COMMAND_ROLES[command];
      // The payload and the ack are whatever the client sent: checked here and by the handler, not trusted to the types.
      const listener = async (raw: unknown, ack?: unknown) => {
        const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
        if (!roles.includes(user.role)) return reply(failure(new CommandError('FORBIDDEN', `${command} is not for the ${user.role} role`)));
        try {
          const verdict = await this.guard.check(token, user);
          if (verdict === 'expired' || verdict === 'refused') {
            reply(failure(this.sessionError(verdict)));
            return this.end(socket, verdict);
          }
          // 'unavailable': cms is down, not the session. The token is still within its
          // expiry (checked above, and a timer ends the socket at it), so the command runs.
          const handler = handlers[command] as CommandHandler;
          reply({ ok: true, data: await handler({ user, token, socket }, payloadOf(raw)) });
        } catch (error) {
          const e = toCommandError(error);
          if (e.code === 'FAILED' || e.code === 'CMS_UNAVAILABLE' || e.code === 'PBX_UNAVAILABLE') {
            this.options.log('command failed', { command, userId: user.id, code: e.code, error: (error as Error).message });
          }
          reply(failure(e));
        }
      };
      socket.on(command, listener as ClientToServerEvents[typeof command]);
    }
  }

  private join(socket: DialerSocket, room: string): void {
    const joined = socket.join(room);
    // With the Redis adapter a join is local and synchronous; a promise here would be an adapter's.
    if (joined instanceof Promise) joined.catch((error) => this.options.log('joining a room failed', { room, error: (error as Error).message }));
  }

  private sessionError(verdict: 'expired' | 'refused'): CommandError<SessionEndedPayload['code']> {
    return verdict === 'expired' ? new CommandError('SESSION_EXPIRED', 'your access token has expired') : new CommandError('SESSION_ENDED', 'your session has ended');
  }

  /** Tells the console why, then drops the socket. */
  private end(socket: DialerSocket, verdict: 'expired' | 'refused'): void {
    if (!socket.connected) return;
    const e = this.sessionError(verdict);
    socket.emit('session:ended', { code: e.code, error: `${e.code}: ${e.message}` });
    socket.disconnect(true);
  }

  /** Every local socket's session, checked with cms; outages leave everyone connected. */
  async recheckAll(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const sockets = [...this.io.of('/').sockets.values()].filter((s) => s.data.token);
      if (!sockets.length) return;
      const verdicts = await this.guard.recheck(sockets.map((s) => ({ token: s.data.token, user: s.data.user })));
      let unavailable = 0;
      for (const socket of sockets) {
        const verdict: SessionVerdict | undefined = verdicts.get(socket.data.token);
        if (verdict === 'expired' || verdict === 'refused') this.end(socket, verdict);
        if (verdict === 'unavailable') unavailable++;
      }
      if (unavailable) this.options.log('cms did not answer session checks; sockets kept until it does or their tokens expire', { sessions: unavailable });
    } catch (error) {
      this.options.log('session recheck failed', { error: (error as Error).message });
    } finally {
      this.rechecking = false;
    }
  }

  /** A supervisor's socket starts hearing a campaign they may see (the caller asked cms). */
  watchCampaign(socket: DialerSocket, campaignId: string): void {
    this.join(socket, rooms.watchers(campaignId));
  }

  /**
   * Redis came back empty: every agent's state is gone (but those `except`, kept with their call).
   * Each other agent connected here is told they are logged out and why, so their console asks
   * them to go Ready again (a leg of theirs still up is taken back then, or placed anew).
   */
  agentsStateLost(except: ReadonlySet<number> = new Set()): number {
    let told = 0;
    for (const socket of this.io.of('/').sockets.values()) {
      const user: SessionUser = socket.data.user;
      if (user?.role !== 'agent' || except.has(user.id)) continue;
      socket.emit('agent:state', { id: user.id, username: user.username, status: 'logged_out', since: new Date().toISOString(), campaignId: null, pauseReason: null, attemptId: null, reason: 'STATE_LOST' });
      told++;
    }
    return told;
  }

  /** To the agent; their campaign's watchers hear it from watchedAgentState, with what the worker adds for them. */
  agentState(agent: LiveAgent): void {
    this.io.to(rooms.agent(agent.id)).emit('agent:state', agentPayload(agent));
  }

  watchedAgentState(campaignId: string, agent: WatchedAgent): void {
    this.io.to(rooms.watchers(campaignId)).emit('agent:state', agent);
  }

  screenPop(agentId: number, pop: ScreenPop): void {
    this.io.to(rooms.agent(agentId)).emit('call:screen-pop', pop);
  }

  /** A pop every worker hears (a provider's webhook call): each emits to its own sockets only, so the agent gets it once. */
  localScreenPop(agentId: number, pop: ScreenPop): void {
    this.io.local.to(rooms.agent(agentId)).emit('call:screen-pop', pop);
  }

  callEnded(agentId: number, info: CallEndedPayload): void {
    this.io.to(rooms.agent(agentId)).emit('call:ended', info);
  }

  campaignDialing(agentId: number, info: CampaignDialing): void {
    this.io.to(rooms.agent(agentId)).emit('campaign:dialing', info);
  }

  campaignStats(campaignId: string, stats: CampaignStats): void {
    this.io.to(rooms.watchers(campaignId)).emit('campaign:stats', stats);
  }

  /**
   * A cms change notice, to the readers of this worker whose rooms it routes to. Local only:
   * every worker hears cms's channel itself, so a broadcast through the adapter would deliver
   * each notice once per worker.
   */
  dataChanged(change: DataChange): void {
    const to = changeRooms(change);
    if (!to.length) return;
    this.io.local.to(to).emit('data:changed', { resource: change.resource, documentId: change.documentId, action: change.action, at: change.at });
  }

  private async subscribe({ user, socket }: CommandContext, p: Record<string, unknown>): Promise<CommandResult<'live:subscribe'>> {
    const resource = p.resource;
    if (!isLiveResource(resource)) throw new CommandError('INVALID', 'resource must be one of the live resources (accounts, calls, …)');
    const to = readerRooms(user, resource);
    if (!to.length) throw new CommandError('FORBIDDEN', `the ${user.role} role does not read ${resource}`);
    for (const name of to) this.join(socket, name);
    return { resource };
  }

  private async unsubscribe({ socket }: CommandContext, p: Record<string, unknown>): Promise<CommandResult<'live:unsubscribe'>> {
    const resource = p.resource;
    if (!isLiveResource(resource)) throw new CommandError('INVALID', 'resource must be one of the live resources (accounts, calls, …)');
    for (const name of socket.rooms) if (isRoomOf(resource, name)) void socket.leave(name);
    return { resource };
  }

  close(): Promise<void> {
    clearInterval(this.recheckTimer);
    return new Promise((resolve) => this.io.close(() => resolve()));
  }
}
