import express, { type Request, type Response, type NextFunction } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type Bull from 'bull';
import type { CmsClient } from '../cms/cms-client';

export type HealthProbe = () => Promise<{ redis: boolean; ami: boolean; cms: boolean; details?: Record<string, unknown> }>;

/** `/health` for orchestrators, and the queue board for supervisors at /admin/queues. */
export function createHttpApp(health: HealthProbe, queues: Bull.Queue[], cms: CmsClient) {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', async (_req, res) => {
    const report = await health();
    const ok = report.redis && report.ami && report.cms;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', ...report });
  });

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: queues.map((q) => new BullAdapter(q)), serverAdapter: board });
  // Supervisors sign in with their cms JWT (header, or ?token= once, kept in a cookie for the board's own requests).
  const requireSupervisor = async (req: Request, res: Response, next: NextFunction) => {
    const cookie = /(?:^|;\s*)queue_board=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(req.query.token ?? '') || (cookie ? decodeURIComponent(cookie) : '');
    if (!token) return res.status(401).json({ error: 'sign in with a supervisor token' });
    try {
      const user = await cms.session(token);
      if (user.role !== 'supervisor') return res.status(403).json({ error: 'supervisors only' });
      if (req.query.token) res.setHeader('Set-Cookie', `queue_board=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/admin/queues`);
      next();
    } catch {
      res.status(401).json({ error: 'invalid token' });
    }
  };
  app.use('/admin/queues', requireSupervisor, board.getRouter());
  return app;
}
