import express, { type Request, type Response, type NextFunction } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type Bull from 'bull';
import type { CmsClient, SessionUser } from '../cms/cms-client';
import { jwtExpiry } from '../realtime/session-guard';
import type { BoardSessions } from './board-sessions';

export type HealthChecks = {
  /** Each answers whether its dependency is up; one that hangs counts as down after the timeout. */
  checks: Record<'redis' | 'ami' | 'cms', () => Promise<boolean>>;
  /** What a supervisor sees besides: campaigns, calls in flight, event-loop lag. */
  details: () => Promise<Record<string, unknown>>;
};

export type HttpAppOptions = {
  health: HealthChecks;
  queues: Bull.Queue[];
  cms: Pick<CmsClient, 'session'>;
  boardSessions: BoardSessions;
  timeoutMs: number;
  corsOrigins: string[];
  log: (message: string, extra?: Record<string, unknown>) => void;
};

const BOARD = '/admin/queues';
const COOKIE = 'queue_board';
/** The board polls every few seconds; cms is asked about its session at most this often. */
const BOARD_SESSION_CACHE_MS = 3000;

/** The value, or `fallback` once `ms` have passed (the promise may go on in the background; its failure is swallowed). */
export function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

const bearer = (req: Request) => {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
};
const cookieOf = (req: Request) => /(?:^|;\s*)queue_board=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';

/**
 * `/health` for orchestrators (up or down, nothing else, within `timeoutMs` whatever hangs)
 * and, for a supervisor's cms JWT, the details. The Bull queue board at /admin/queues,
 * read-only, for supervisors signed in by `POST /admin/queues/session` (see docs/live-worker.md).
 */
export function createHttpApp(o: HttpAppOptions) {
  const app = express();
  app.disable('x-powered-by');
  const sessionCache = new Map<string, { at: number; user: SessionUser | null }>();

  /** The supervisor holding this token, null when cms refuses it or it is not a supervisor's; throws when cms is unreachable. */
  const supervisorOf = async (token: string): Promise<SessionUser | null> => {
    const hit = sessionCache.get(token);
    if (hit && Date.now() - hit.at < BOARD_SESSION_CACHE_MS) return hit.user;
    let user: SessionUser | null;
    try {
      user = await o.cms.session(token);
    } catch (error) {
      if ((error as { code?: string }).code !== 'UNAUTHORIZED') throw error;
      user = null;
    }
    const supervisor = user?.role === 'supervisor' ? user : null;
    if (sessionCache.size > 1000) sessionCache.clear();
    sessionCache.set(token, { at: Date.now(), user: supervisor });
    return supervisor;
  };

  app.get('/health', async (req, res) => {
    const names = Object.keys(o.health.checks) as Array<keyof HealthChecks['checks']>;
    const token = bearer(req);
    const [results, supervisor] = await Promise.all([
      Promise.all(names.map((n) => within(o.health.checks[n](), o.timeoutMs, false))),
      token ? within(supervisorOf(token), o.timeoutMs, null) : Promise.resolve(null),
    ]);
    const up = results.every(Boolean);
    const status = up ? 'up' : 'down';
    res.setHeader('Cache-Control', 'no-store');
    if (!supervisor) return res.status(up ? 200 : 503).json({ status });
    const details = await within(o.health.details(), o.timeoutMs, { unavailable: 'the details did not come in time' });
    res.status(up ? 200 : 503).json({ status, ...Object.fromEntries(names.map((n, i) => [n, results[i]])), details });
  });

  // Only the console's origins may sign a browser in from a script; the cookie is SameSite=Strict.
  const cors = (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && o.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'POST, DELETE');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') return res.status(204).end();
    next();
  };
  const cookie = (req: Request, value: string, maxAgeSec: number) =>
    `${COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=${BOARD}; Max-Age=${maxAgeSec}${req.secure ? '; Secure' : ''}`;

  app.options(`${BOARD}/session`, cors);
  app.post(`${BOARD}/session`, cors, async (req, res) => {
    const token = bearer(req);
    if (!token) return res.status(401).json({ error: 'send a supervisor\'s cms JWT as "Authorization: Bearer <jwt>"' });
    try {
      if (!(await supervisorOf(token))) return res.status(403).json({ error: 'the queue board is for supervisors' });
      const session = await o.boardSessions.create(token, jwtExpiry(token));
      if (!session) return res.status(401).json({ error: 'this token has expired' });
      res.setHeader('Set-Cookie', cookie(req, session.id, Math.floor(session.ttlMs / 1000)));
      res.status(204).end();
    } catch (error) {
      o.log('queue board sign-in failed', { error: (error as Error).message });
      res.status(503).json({ error: 'cms or Redis is not answering; try again shortly' });
    }
  });
  app.delete(`${BOARD}/session`, cors, async (req, res) => {
    const id = cookieOf(req);
    if (id) await o.boardSessions.remove(id).catch((error) => o.log('queue board sign-out failed', { error: (error as Error).message }));
    res.setHeader('Set-Cookie', cookie(req, '', 0));
    res.status(204).end();
  });

  const requireSupervisor = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = cookieOf(req);
      const token = bearer(req) || (id ? await o.boardSessions.token(id) : null);
      if (!token) return res.status(401).json({ error: `sign in first: POST ${BOARD}/session with a supervisor's cms JWT` });
      if (await supervisorOf(token)) return next();
      if (id) await o.boardSessions.remove(id);
      res.status(bearer(req) ? 403 : 401).json({ error: 'the queue board is for signed-in supervisors' });
    } catch (error) {
      o.log('queue board check failed', { error: (error as Error).message });
      res.status(503).json({ error: 'cms or Redis is not answering; try again shortly' });
    }
  };

  const board = new ExpressAdapter();
  board.setBasePath(BOARD);
  // Read-only: the board shows call attempts; retrying, promoting or removing one is not a supervisor's click.
  createBullBoard({ queues: o.queues.map((q) => new BullAdapter(q, { readOnlyMode: true })), serverAdapter: board });
  app.use(BOARD, requireSupervisor, board.getRouter());
  return app;
}
