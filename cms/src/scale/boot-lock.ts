import { Client } from 'pg';
import type { Core } from '@strapi/strapi';

/** pg_advisory_lock's key for "a cms is booting on this database": any fixed bigint no other code uses. */
const BOOT_LOCK_KEY = '7352514462318829101';

/**
 * Serialises boots on one database: schema sync, migrations, roles and the
 * demo seed run in one process at a time, whether the processes are a
 * cluster's workers or on other hosts. Held from register (before Strapi
 * syncs the schema) to the end of bootstrap, on a connection of its own (a
 * session lock, which PostgreSQL releases if the process dies).
 * SQLite: nothing to share, nothing to lock.
 */
export async function acquireBootLock(strapi: Core.Strapi): Promise<() => Promise<void>> {
  const connection: any = strapi.config.get('database.connection');
  if (connection?.client !== 'postgres') return async () => undefined;
  const { schema, ...settings } = connection.connection ?? {};
  const client = new Client(settings);
  await client.connect();
  const started = Date.now();
  await client.query('SELECT pg_advisory_lock($1::bigint)', [BOOT_LOCK_KEY]);
  const waited = Date.now() - started;
  if (waited > 1000) strapi.log.info(`boot: waited ${(waited / 1000).toFixed(1)} s for another cms process to finish booting`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [BOOT_LOCK_KEY]);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}
