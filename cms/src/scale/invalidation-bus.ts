import cluster from 'cluster';
import crypto from 'crypto';
import Redis from 'ioredis';

/**
 * Tells every cms process of a deployment that something they cache changed
 * ("auth": users, roles, grants, memberships; "sessions": a login ended).
 * Delivered in this process at once, in the others through Redis pub/sub when
 * REDIS_URL is set, else through the cluster primary when this process is one
 * of its workers (one host), else nowhere (one process: nothing else to tell).
 *
 * A message can be lost (Redis restarting), so every cache that listens also
 * bounds its entries' age, and drops everything when its link comes back.
 */
export type InvalidationBus = {
  publish(topic: string): void;
  /** `fn(true)` when messages may have been missed: the listener should forget everything. */
  subscribe(topic: string, fn: (missed: boolean) => void): () => void;
  readonly transport: 'redis' | 'cluster' | 'local';
  close(): Promise<void>;
};

export const IPC_TYPE = 'collections:invalidate';
type Message = { type: typeof IPC_TYPE; topic: string; origin: string };

export function createInvalidationBus({ redisUrl, channel, log }: { redisUrl?: string; channel: string; log?: { warn(msg: string): void } }): InvalidationBus {
  const origin = crypto.randomUUID();
  const listeners = new Map<string, Set<(missed: boolean) => void>>();
  const deliver = (topic: string, missed = false) => {
    for (const fn of listeners.get(topic) ?? []) fn(missed);
  };
  const deliverAll = () => {
    for (const topic of listeners.keys()) deliver(topic, true);
  };
  const accept = (raw: unknown) => {
    const msg = raw as Partial<Message>;
    if (msg?.type === IPC_TYPE && typeof msg.topic === 'string' && msg.origin !== origin) deliver(msg.topic);
  };

  let transport: InvalidationBus['transport'] = 'local';
  let send: (msg: Message) => void = () => undefined;
  let close = async () => undefined as void;

  if (redisUrl) {
    transport = 'redis';
    const pub = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    const sub = new Redis(redisUrl, { lazyConnect: true });
    let down = false;
    for (const link of [pub, sub]) {
      link.on('error', (error: Error) => {
        if (!down) log?.warn(`cache invalidation: Redis unreachable (${error.message}); caches expire on their own until it is back`);
        down = true;
      });
    }
    let subscribedOnce = false;
    sub.on('ready', () => {
      // Whatever was published while the link was down is lost: start afresh.
      if (subscribedOnce) deliverAll();
      subscribedOnce = true;
      down = false;
    });
    sub.on('message', (_channel: string, text: string) => {
      try {
        accept(JSON.parse(text));
      } catch {
        /* not ours */
      }
    });
    void pub.connect().catch(() => undefined);
    void sub.connect().then(() => sub.subscribe(channel), () => undefined);
    send = (msg) => void pub.publish(channel, JSON.stringify(msg)).catch(() => deliverAll());
    close = async () => {
      pub.disconnect();
      sub.disconnect();
    };
  } else if (cluster.isWorker && typeof process.send === 'function') {
    transport = 'cluster';
    const onMessage = (msg: unknown) => accept(msg);
    process.on('message', onMessage);
    send = (msg) => process.send?.(msg);
    close = async () => void process.off('message', onMessage);
  }

  return {
    transport,
    publish(topic) {
      deliver(topic);
      send({ type: IPC_TYPE, topic, origin });
    },
    subscribe(topic, fn) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic)!.add(fn);
      return () => listeners.get(topic)?.delete(fn);
    },
    close,
  };
}

const buses = new WeakMap<object, InvalidationBus>();

/** One bus per Strapi instance (a test may boot two in one process), on a channel of its own database. */
export function invalidationBusOf(strapi: { log: { warn(msg: string): void } }, env: NodeJS.ProcessEnv = process.env): InvalidationBus {
  let bus = buses.get(strapi);
  if (!bus) {
    const database = env.DATABASE_URL || `${env.DATABASE_HOST ?? ''}/${env.DATABASE_NAME ?? ''}${env.DATABASE_FILENAME ?? ''}`;
    const channel = `collections:invalidate:${crypto.createHash('sha256').update(database).digest('hex').slice(0, 16)}`;
    bus = createInvalidationBus({ redisUrl: env.REDIS_URL, channel, log: strapi.log });
    buses.set(strapi, bus);
  }
  return bus;
}
