import type { Server as HttpServer } from 'http';
import type Redis from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { CmsClient, SessionUser } from '../cms/cms-client';
import type { LiveAgent } from '../live/agent-state';
import type { RealtimeEvents, ScreenPop } from './realtime-events';

export type Ack = (result: { ok: boolean; error?: string; data?: unknown }) => void;
export type CommandContext = { user: SessionUser; token: string; socket: Socket };
export type CommandHandler = (ctx: CommandContext, payload: any) => Promise<unknown>;

/** Which role may send which command: checked before any handler runs. */
export const COMMAND_ROLES: Record<string, string[]> = {
  ready: ['agent'],
  pause: ['agent'],
  hangup: ['agent'],
  disposition: ['agent'],
  logout: ['agent'],
  'preview:next': ['agent'],
  'preview:dial': ['agent'],
  'preview:skip': ['agent'],
  'campaign:start': ['supervisor'],
  'campaign:pause': ['supervisor'],
  'campaign:resume': ['supervisor'],
  'campaign:set-max-ratio': ['supervisor'],
  'campaign:watch': ['supervisor'],
};

export class CommandError extends Error {
  constructor(readonly code: 'FORBIDDEN' | 'INVALID' | 'NOT_FOUND' | 'CONFLICT', message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

function agentPayload(agent: LiveAgent) {
  return { id: agent.id, username: agent.username, status: agent.status, since: new Date(agent.since).toISOString(), campaignId: agent.campaignId, pauseReason: agent.pauseReason, attemptId: agent.attemptId };
}

const rooms = {
  agent: (id: number) => `agent:${id}`,
  campaign: (id: string) => `campaign:${id}`,
  supervisors: 'supervisors',
};

/**
 * Socket.IO for the console: clients sign in with their cms JWT (cms says who
 * they are), agents hear only their own room, supervisors their campaigns'.
 * The Redis adapter lets several workers serve the same rooms.
 */
export class SocketServer implements RealtimeEvents {
  readonly io: Server;

  constructor(
    httpServer: HttpServer,
    cms: CmsClient,
    pub: Redis,
    sub: Redis,
    handlers: Record<string, CommandHandler>,
    corsOrigins: string[],
    /** The agent's live state, sent on (re)connection: after a worker restart the console learns it is still on a call or in wrap-up. */
    currentAgent: (id: number) => Promise<LiveAgent | null> = async () => null,
  ) {
    this.io = new Server(httpServer, { cors: { origin: corsOrigins, credentials: true }, adapter: createAdapter(pub, sub) });
    this.io.use(async (socket, next) => {
      const token = socket.handshake.auth?.token ?? String(socket.handshake.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!token) return next(new Error('unauthorized'));
      try {
        socket.data.user = await cms.session(token);
        socket.data.token = token;
        next();
      } catch {
        next(new Error('unauthorized'));
      }
    });
    this.io.on('connection', (socket) => {
      const user: SessionUser = socket.data.user;
      if (user.role === 'agent') {
        void socket.join(rooms.agent(user.id));
        void currentAgent(user.id).then((agent) => agent && socket.emit('agent:state', agentPayload(agent)));
      }
      if (user.role === 'supervisor') void socket.join(rooms.supervisors);
      for (const [command, roles] of Object.entries(COMMAND_ROLES)) {
        socket.on(command, async (payload: unknown, ack?: Ack) => {
          const reply: Ack = typeof ack === 'function' ? ack : () => undefined;
          if (!roles.includes(user.role)) return reply({ ok: false, error: `FORBIDDEN: ${command} is not for the ${user.role} role` });
          try {
            reply({ ok: true, data: await handlers[command]({ user, token: socket.data.token, socket }, payload ?? {}) });
          } catch (error) {
            const e = error as Error & { code?: string };
            reply({ ok: false, error: `${e.code ?? 'FAILED'}: ${e.message}` });
          }
        });
      }
    });
  }

  joinCampaign(socket: Socket, campaignId: string): void {
    void socket.join(rooms.campaign(campaignId));
  }

  agentState(agent: LiveAgent): void {
    const payload = agentPayload(agent);
    this.io.to(rooms.agent(agent.id)).emit('agent:state', payload);
    if (agent.campaignId) this.io.to(rooms.campaign(agent.campaignId)).emit('agent:state', payload);
  }

  screenPop(agentId: number, pop: ScreenPop): void {
    this.io.to(rooms.agent(agentId)).emit('call:screen-pop', pop);
  }

  callEnded(agentId: number, info: { attemptId: string; outcome: string; endedAt: string }): void {
    this.io.to(rooms.agent(agentId)).emit('call:ended', info);
  }

  campaignStats(campaignId: string, stats: Record<string, unknown>): void {
    this.io.to(rooms.campaign(campaignId)).emit('campaign:stats', stats);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.io.close(() => resolve()));
  }
}
