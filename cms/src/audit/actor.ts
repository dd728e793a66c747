import { AsyncLocalStorage } from 'async_hooks';
import { isTokenStrategy } from '../access/access-context';

export type Actor = { type: 'user' | 'admin' | 'api-token' | 'system' | 'anonymous'; id: string | null; name: string | null };

const systemActor = new AsyncLocalStorage<string>();

/** Runs work (a seed, a migration, a scheduled job) under a named system actor in the audit trail. */
export function asSystem<T>(name: string, work: () => Promise<T>): Promise<T> {
  return systemActor.run(name, work);
}

const delegatedActor = new AsyncLocalStorage<Actor>();

/**
 * Runs background work that a person started (an import) under that person in
 * the audit trail: the writes it makes through the document service are theirs,
 * not the server's, although they run outside the request that asked for them.
 */
export function onBehalfOf<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
  return delegatedActor.run(actor, work);
}

export function actorOf(requestCtx: any): Actor {
  if (!requestCtx) return delegatedActor.getStore() ?? { type: 'system', id: null, name: systemActor.getStore() ?? 'system' };
  const auth = requestCtx.state?.auth;
  const user = requestCtx.state?.user;
  if (isTokenStrategy(auth?.strategy?.name)) {
    return { type: 'api-token', id: auth.credentials?.id != null ? String(auth.credentials.id) : null, name: auth.credentials?.name ?? null };
  }
  if (auth?.strategy?.name === 'admin' && user) {
    return { type: 'admin', id: String(user.id), name: user.email ?? user.username ?? null };
  }
  if (user) return { type: 'user', id: String(user.id), name: user.username ?? user.email ?? null };
  return { type: 'anonymous', id: null, name: null };
}
