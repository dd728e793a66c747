import Bull from 'bull';
import Redis, { type RedisOptions } from 'ioredis';

export type DialJob = { attemptId: string };
export type RecordStage = 'bridged' | 'ended' | 'final';
export type RecordJob = { attemptId: string; final: boolean };
export type WrapLimitJob = { attemptId: string };

export type DialerQueues = { dial: Bull.Queue<DialJob>; record: Bull.Queue<RecordJob>; wrapLimit: Bull.Queue<WrapLimitJob>; close(timeoutMs?: number): Promise<void> };

/**
 * The worker's Bull queues, behind one small module since Bull is in
 * maintenance mode. The dial queue never re-runs a job: a stalled dial job
 * is a call that may already be ringing, so no stalled-job retry, and each
 * job carries its attempt id as job id.
 */
export function createQueues(redisUrl: string, prefix: string): DialerQueues {
  const clients: Redis[] = [];
  const createClient = (type: 'client' | 'subscriber' | 'bclient', opts?: RedisOptions) => {
    const blocking = type !== 'client';
    const client = new Redis(redisUrl, { ...opts, ...(blocking ? { maxRetriesPerRequest: null, enableReadyCheck: false } : {}) });
    clients.push(client);
    return client;
  };
  const dial = new Bull<DialJob>('dial', {
    prefix,
    createClient,
    settings: { maxStalledCount: 0, lockDuration: 60_000, stalledInterval: 30_000 },
    defaultJobOptions: { attempts: 1, removeOnComplete: 5000, removeOnFail: 5000 },
  });
  const record = new Bull<RecordJob>('record', {
    prefix,
    createClient,
    // A record job takes milliseconds: one held by a killed worker should be picked up again within seconds.
    settings: { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000 },
    // Until cms acknowledges: a record that never lands is a call the agency cannot account for.
    defaultJobOptions: { attempts: 10_000, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: 5000, removeOnFail: 5000 },
  });
  // A delayed job per wrap-up with a limit: it outlives a worker restart, and runs once whichever worker holds it.
  const wrapLimit = new Bull<WrapLimitJob>('wrap-limit', {
    prefix,
    createClient,
    defaultJobOptions: { attempts: 100, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: 5000, removeOnFail: 5000 },
  });
  return {
    dial,
    record,
    wrapLimit,
    async close(timeoutMs = 10_000) {
      // A queue that fails to close (Redis gone) must not keep the other, or the connections, open.
      const closing = Promise.allSettled([dial.close(), record.close(), wrapLimit.close()]);
      await Promise.race([closing, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
      for (const c of clients) c.disconnect();
    },
  };
}
