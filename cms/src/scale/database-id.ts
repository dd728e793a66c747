import crypto from 'crypto';
import type { Core } from '@strapi/strapi';

/**
 * A random id kept in the database itself: every cms process on one database reads the same
 * one, and a cms on another database (another deployment, a test server) a different one,
 * however each reaches its database. Keys in a Redis shared between deployments carry it, so
 * one never takes another's work (an import id of one database run against the other).
 */
export async function databaseId(strapi: Core.Strapi): Promise<string> {
  const store = strapi.store({ type: 'plugin', name: 'collections', key: 'database-id' });
  const known = await store.get({});
  if (typeof known === 'string' && known) return known;
  // Boots are serialised (boot-lock.ts): the first process writes it, the others read it.
  const id = crypto.randomBytes(8).toString('hex');
  await store.set({ value: id });
  return id;
}
