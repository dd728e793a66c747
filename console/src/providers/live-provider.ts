import type { LiveEvent, LiveProvider } from '@refinedev/core';
import type { DataChangedEvent, LiveResource } from '@protocol/data-change';
import type { WorkerConnection } from './worker-connection';

/** The resources the worker relays changes of; the compiler keeps this list whole. */
const LIVE: Record<LiveResource, true> = { clients: true, accounts: true, campaigns: true, calls: true, dispositions: true, 'promises-to-pay': true, callbacks: true, 'dnc-entries': true };
const isLive = (name: string): name is LiveResource => Object.prototype.hasOwnProperty.call(LIVE, name);

type Subscription = { resource: LiveResource; listener: (change: DataChangedEvent) => void };

/**
 * Refine's live provider over the worker's socket. The worker says which record changed
 * (`data:changed`, ids only, and only records the reader may see); Refine then refetches with
 * the reader's own token. One worker subscription per resource however many pages listen,
 * asked again after every reconnection (a new socket has joined no room).
 */
export function workerLiveProvider(worker: WorkerConnection): LiveProvider {
  const listening = new Map<LiveResource, number>();
  const ask = (resource: LiveResource) => void worker.command('live:subscribe', { resource });
  worker.socket.on('connect', () => {
    for (const resource of listening.keys()) ask(resource);
  });

  return {
    subscribe: ({ channel, types, callback, params }) => {
      const resource = channel.replace(/^resources\//, '');
      if (!isLive(resource)) return null;
      const only = params?.id !== undefined ? [String(params.id)] : params?.ids?.map(String);
      const listener = (change: DataChangedEvent) => {
        if (change.resource !== resource) return;
        if (!types.includes('*') && !types.includes(change.action)) return;
        if (only && !only.includes(change.documentId)) return;
        const event: LiveEvent = { channel, type: change.action, payload: { ids: [change.documentId] }, date: new Date(change.at) };
        callback(event);
      };
      worker.socket.on('data:changed', listener);
      listening.set(resource, (listening.get(resource) ?? 0) + 1);
      if (listening.get(resource) === 1 && worker.socket.connected) ask(resource);
      const subscription: Subscription = { resource, listener };
      return subscription;
    },
    unsubscribe: (subscription: Subscription | null) => {
      if (!subscription) return;
      worker.socket.off('data:changed', subscription.listener);
      const left = (listening.get(subscription.resource) ?? 1) - 1;
      if (left > 0) return void listening.set(subscription.resource, left);
      listening.delete(subscription.resource);
      if (worker.socket.connected) void worker.command('live:unsubscribe', { resource: subscription.resource });
    },
  };
}
