import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';

const APP_DIR = path.resolve(__dirname, '..', '..');

/** Boots the compiled cms (global-setup compiled it) on the test database, with its HTTP server mounted but not listening. */
export async function startStrapi(): Promise<Core.Strapi> {
  const app = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  await app.server.mount();
  // Every file shares one database, and the files before this one may have grown its tables by
  // thousands of rows in a minute: statistics as fresh as a production database's autovacuum
  // keeps them, so that a plan chosen for an empty table is not what a test waits on.
  if (app.db.dialect.client === 'postgres') await app.db.connection.raw('ANALYZE');
  stallWatches.set(app, watchStalls(app));
  return app;
}

const stallWatches = new WeakMap<object, () => Promise<void>>();

/**
 * A request of a test once waited 80 s on PostgreSQL in a full run and never alone. When this
 * process's pool has had a request waiting for a connection, or a statement of its database has
 * run, for over 15 s, print what each backend of the database is doing and who blocks it, so the
 * failing run's log says why. Diagnostics only: it changes nothing.
 */
function watchStalls(app: Core.Strapi): () => Promise<void> {
  if (app.db?.dialect?.client !== 'postgres') return async () => undefined;
  const { Client } = require('pg');
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  // A database dropped or a backend ended under it must not crash the test process.
  client.on('error', () => undefined);
  const connected = client.connect().then(() => true, () => false);
  const pool = (app.db.connection as any).client.pool;
  let pendingSince = 0;
  let reported = false;
  const timer = setInterval(async () => {
    const pending = pool?.numPendingAcquires?.() ?? 0;
    pendingSince = pending ? pendingSince || Date.now() : 0;
    if (!(await connected)) return;
    try {
      const { rows } = await client.query(`SELECT pid, state, wait_event_type AS wait_type, wait_event AS wait, pg_blocking_pids(pid) AS blocked_by,
          round(extract(epoch FROM now() - xact_start)) AS xact_s, round(extract(epoch FROM now() - query_start)) AS query_s, left(query, 160) AS query
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`);
      const stalled = (pendingSince && Date.now() - pendingSince > 15_000) || rows.some((r: any) => Number(r.query_s) > 15 || Number(r.xact_s) > 15);
      if (stalled && !reported) {
        reported = true;
        console.error(`[stall watch] pool used ${pool?.numUsed?.()}, free ${pool?.numFree?.()}, waiting ${pending}; backends:\n${rows.map((r: any) => JSON.stringify(r)).join('\n')}`);
      }
      if (!stalled) reported = false;
    } catch {
      // The database is going away with the test file.
    }
  }, 5_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (await connected) await client.end().catch(() => undefined);
  };
}

export async function stopStrapi(app: Core.Strapi | undefined): Promise<void> {
  if (!app) return;
  // Background work first (an import stops at its next batch, as on a real shutdown): a pool kept
  // busy by a running job would never go quiet, and the job would run on to its end meanwhile.
  await (app as any).importQueue?.stop?.();
  try {
    await untilDatabaseIdle(app);
    await app.destroy();
  } finally {
    await stallWatches.get(app)?.();
  }
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
