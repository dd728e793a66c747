import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useList } from '@refinedev/core';
import type { CampaignStats } from '@protocol/campaign-stats';
import type { AgentStatePayload, WatchedAgent } from '@protocol/socket-protocol';
import { useConsoleServices } from '@/providers/console-services';
import { WallboardStore } from './wallboard-store';

export type Campaign = {
  id: string;
  name: string;
  state: 'draft' | 'running' | 'paused' | 'finished';
  dialMode: 'preview' | 'progressive' | 'ratio' | 'predictive';
  maxDialRatio: number;
  abandonTarget: number;
  client?: { name: string } | null;
};

/**
 * The supervisor's campaigns (cms lists only their clients'), each watched on the worker: its
 * agents and last tick once, then every push. Watched again after each reconnection, since a
 * new socket is in no room.
 */
export function useWallboard() {
  const { worker } = useConsoleServices();
  const store = useMemo(() => new WallboardStore(), []);
  const campaigns = useList<Campaign>({ resource: 'campaigns', pagination: { pageSize: 100 }, sorters: [{ field: 'name', order: 'asc' }], meta: { populate: ['client'] } });
  const list = campaigns.result?.data ?? [];
  const ids = list.map((c) => c.id).join(',');
  const [watchErrors, setWatchErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const socket = worker.socket;
    const onAgent = (state: AgentStatePayload | WatchedAgent) => store.onAgent(state);
    const onStats = (stats: CampaignStats) => store.onStats(stats);
    socket.on('agent:state', onAgent);
    socket.on('campaign:stats', onStats);
    return () => {
      socket.off('agent:state', onAgent);
      socket.off('campaign:stats', onStats);
    };
  }, [worker, store]);

  useEffect(() => {
    const wanted = ids ? ids.split(',') : [];
    for (const id of store.stats.keys()) if (!wanted.includes(id)) store.drop(id);
    const watchAll = () =>
      wanted.forEach(async (campaignId) => {
        const reply = await worker.command('campaign:watch', { campaignId });
        if (reply.ok) store.seed(campaignId, reply.data.last, reply.data.agents);
        setWatchErrors((errors) => {
          const { [campaignId]: _, ...rest } = errors;
          return reply.ok ? rest : { ...rest, [campaignId]: reply.error };
        });
      });
    worker.ensureConnected();
    if (worker.socket.connected) watchAll();
    worker.socket.on('connect', watchAll);
    return () => void worker.socket.off('connect', watchAll);
  }, [worker, store, ids]);

  return { store, campaigns: list, loading: campaigns.query.isLoading, watchErrors };
}

/** Re-renders on a slice of the store. */
export function useSlice(store: WallboardStore, slice: 'agents' | 'stats' | 'trends'): number {
  const subscribe = useCallback((cb: () => void) => store.subscribe(slice, cb), [store, slice]);
  return useSyncExternalStore(subscribe, () => store.version(slice));
}
