import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import type { DataChange, DataChangeAction, DefaultDataChangesChannel } from '../../../protocol/data-change';
import { LIVE_TYPES, mergeScopes, type ChangeScope } from './change-scope';

const DEFAULT_CHANNEL: DefaultDataChangesChannel = 'collections:data-changes';
const ACTIONS: Record<string, DataChangeAction> = { create: 'created', clone: 'created', update: 'updated', delete: 'deleted' };

/**
 * Tells the dialer-workers, through Redis pub/sub, which record changed (ids and routing keys
 * only), once its write is committed: a write that fails or is rolled back says nothing.
 * Off without REDIS_URL (consoles then refresh on their own actions only).
 */
export function registerDataChanges(strapi: Core.Strapi, env: NodeJS.ProcessEnv = process.env): () => Promise<void> {
  if (!env.REDIS_URL) {
    strapi.log.info('live updates off: REDIS_URL is not set, so no change notices are published');
    return async () => undefined;
  }
  const channel = env.DATA_CHANGES_CHANNEL || DEFAULT_CHANNEL;
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) strapi.log.warn(`live updates: Redis unreachable (${error.message}); change notices are dropped until it is back`);
    down = true;
  });
  redis.on('ready', () => (down = false));
  const connected = redis.connect().catch(() => undefined);

  const publish = (change: DataChange) => {
    // A notice is a hint to refetch, not a record: one lost while Redis is down costs a stale list, not data.
    if (down) return;
    redis.publish(channel, JSON.stringify(change)).catch((error: Error) => strapi.log.warn(`live updates: a change notice was dropped (${error.message})`));
  };

  strapi.documents.use(async (ctx, next) => {
    const action = ACTIONS[ctx.action];
    const watched = LIVE_TYPES[ctx.uid];
    if (!action || !watched) return next();
    const scopeOf = async (documentId: string | undefined): Promise<ChangeScope | null> => {
      if (!documentId) return null;
      const row = await strapi.db.query(ctx.uid as any).findOne({ where: { documentId }, populate: watched.populate as any });
      return row ? watched.scope(row) : null;
    };
    const params = ctx.params as any;
    return strapi.db.transaction(async ({ onCommit }) => {
      const before = action === 'created' ? null : await scopeOf(params.documentId);
      const result: any = await next();
      const documentId: string | undefined = action === 'created' ? result?.documentId : params.documentId;
      if (!documentId || (action !== 'created' && !before)) return result;
      const after = action === 'deleted' ? null : await scopeOf(documentId);
      const change: DataChange = { resource: watched.resource, documentId, action, at: new Date().toISOString(), ...mergeScopes(before, after) };
      // Inside a caller's transaction this waits for that one's commit.
      onCommit(() => void connected.then(() => publish(change)));
      return result;
    });
  });

  return async () => {
    redis.disconnect();
  };
}
