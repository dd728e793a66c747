import type Redis from 'ioredis';
import type { DataChange } from '../../../protocol/data-change';
import { isLiveResource } from './live-rooms';

/** A notice as cms publishes it, or null for anything else on the channel. */
export function parseDataChange(raw: string): DataChange | null {
  let m: any;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  const ids = (v: unknown, ok: (x: unknown) => boolean) => Array.isArray(v) && v.every(ok);
  if (!m || !isLiveResource(m.resource) || typeof m.documentId !== 'string' || !['created', 'updated', 'deleted'].includes(m.action) || typeof m.at !== 'string') return null;
  if (!ids(m.clientDocumentIds, (x) => typeof x === 'string') || !ids(m.agentIds, Number.isInteger) || typeof m.global !== 'boolean') return null;
  return { resource: m.resource, documentId: m.documentId, action: m.action, at: m.at, clientDocumentIds: m.clientDocumentIds, agentIds: m.agentIds, global: m.global };
}

/**
 * Hears cms's change notices on Redis and hands each to `deliver` (the socket server, which
 * routes it to its readers' rooms). Every worker subscribes, and delivers to its own sockets only.
 */
export class DataChangeRelay {
  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly deliver: (change: DataChange) => void,
    private readonly log: (message: string, extra?: Record<string, unknown>) => void,
  ) {}

  async start(): Promise<void> {
    let down = false;
    this.subscriber.on('error', (error: Error) => {
      if (!down) this.log('Redis unreachable for change notices; lists refresh again once it is back', { error: error.message });
      down = true;
    });
    this.subscriber.on('ready', () => (down = false));
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const change = parseDataChange(raw);
      if (change) this.deliver(change);
      else this.log('ignored a malformed change notice', { channel });
    });
    // ioredis subscribes again by itself after a reconnection.
    await this.subscriber.subscribe(this.channel);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
