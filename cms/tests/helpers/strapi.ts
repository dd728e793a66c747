import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '..', '..');

/** Boots the compiled cms (global-setup compiled it) on the test database, with its HTTP server mounted but not listening. */
export async function startStrapi(): Promise<Core.Strapi> {
  const app = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  await app.server.mount();
  return app;
}

export async function stopStrapi(app: Core.Strapi | undefined): Promise<void> {
  if (!app) return;
  // Background work first (an import stops at its next batch, as on a real shutdown): a pool kept
  // busy by a running job would never go quiet, and the job would run on to its end meanwhile.
  await (app as any).importQueue?.stop?.();
  await untilDatabaseIdle(app);
  await app.destroy();
}

/**
 * Strapi fires its entry events after each write commits without awaiting them (each one a
 * deep-populated findOne): destroying the app while some are queued makes them fail after the
 * test file ended (a KnexTimeoutError in the next file's output, and jest's exit status 1).
 * Wait until the pool has been quiet for a few ticks.
 */
async function untilDatabaseIdle(app: Core.Strapi, quietTicks = 4, tickMs = 50, limitMs = 30_000): Promise<void> {
  const pool = (app.db?.connection as any)?.client?.pool;
  if (!pool || typeof pool.numUsed !== 'function') return;
  const deadline = Date.now() + limitMs;
  let quiet = 0;
  while (quiet < quietTicks && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, tickMs));
    const busy = pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates();
    quiet = busy === 0 ? quiet + 1 : 0;
  }
}

export function http(app: Core.Strapi) {
  return request(app.server.httpServer);
}
