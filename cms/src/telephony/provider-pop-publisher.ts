import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import type { ProviderPopNotice } from '../../../protocol/inbound-call';

export const DEFAULT_POPS_CHANNEL = 'collections:provider-pops';

let redis: Redis | null = null;

/**
 * Hands a webhook call's screen pop to the workers over Redis pub/sub: they hold the agents'
 * sockets. A pop lost while Redis is down costs the agent a search, not data: the call record is
 * written either way.
 */
export async function publishProviderPop(strapi: Core.Strapi, notice: ProviderPopNotice, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.REDIS_URL) return false;
  redis ??= new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  try {
    await redis.publish(env.PROVIDER_POPS_CHANNEL || DEFAULT_POPS_CHANNEL, JSON.stringify(notice));
    return true;
  } catch (error) {
    strapi.log.warn(`telephony webhook: a screen pop was dropped (${(error as Error).message})`);
    return false;
  }
}

export function closeProviderPops(): void {
  redis?.disconnect();
  redis = null;
}
