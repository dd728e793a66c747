import crypto from 'crypto';
import Redis from 'ioredis';
import type { Core } from '@strapi/strapi';
import { IMPORT, runImport } from './import-job';
import { importSettings } from './import-settings';
import { databaseId } from '../scale/database-id';

/**
 * Runs imports in the background, one at a time per cms process, each at most
 * once at a time across processes. Redis holds the queue (a list of import
 * ids) and a lease per running import, renewed while it runs; PostgreSQL holds
 * the truth (status and committed cursor), so at start-up every import left
 * queued or running is queued again and resumes from its cursor. Without
 * REDIS_URL (the SQLite demo) the queue is this process's memory.
 */
export class ImportQueue {
  private redis: Redis | null = null;
  private blocking: Redis | null = null;
  private local: number[] = [];
  private wake: (() => void) | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly owner = crypto.randomBytes(8).toString('hex');
  private readonly settings = importSettings();
  /** The database's own id (database-id.ts): cms processes of another database on the same Redis keep to their own queue. */
  private database = '';

  constructor(private readonly strapi: Core.Strapi, redisUrl: string | undefined = process.env.REDIS_URL) {
    if (redisUrl) {
      this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
      this.blocking = new Redis(redisUrl, { maxRetriesPerRequest: null });
      for (const r of [this.redis, this.blocking]) r.on('error', (e: Error) => strapi.log.warn(`imports: Redis error (${e.message})`));
    }
  }

  private key(name: string) {
    return `${this.settings.queuePrefix}:imports:${this.database}:${name}`;
  }

  async enqueue(importId: number): Promise<void> {
    if (this.redis) await this.redis.rpush(this.key('queue'), String(importId));
    else this.local.push(importId);
    this.wake?.();
  }

  /** Queues again what a stopped process left unfinished, then starts taking jobs. */
  async start(): Promise<void> {
    this.database = await databaseId(this.strapi);
    const unfinished = await this.strapi.db.query(IMPORT as any).findMany({ where: { status: { $in: ['queued', 'running'] } }, select: ['id'], orderBy: { id: 'asc' } } as any);
    for (const row of unfinished) await this.enqueue(row.id);
    this.loop = this.run();
  }

  private async next(): Promise<number | null> {
    if (this.blocking) {
      const got = await this.blocking.blpop(this.key('queue'), 1).catch(() => null);
      return got ? Number(got[1]) : null;
    }
    if (!this.local.length) await new Promise<void>((resolve) => { this.wake = resolve; setTimeout(resolve, 1000).unref(); });
    this.wake = null;
    return this.local.shift() ?? null;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const id = await this.next();
      if (id === null || this.stopping) continue;
      await this.runOne(id);
    }
  }

  private async runOne(id: number): Promise<void> {
    const lease = this.key(`lease:${id}`);
    if (this.redis) {
      const claimed = await this.redis.set(lease, this.owner, 'PX', this.settings.lockMs, 'NX').catch(() => null);
      // Another process runs it: its lease expires if it dies, and the import is queued again below.
      if (!claimed) return void setTimeout(() => void this.enqueue(id).catch(() => undefined), this.settings.lockMs).unref();
    }
    const renew = this.redis ? setInterval(() => void this.redis!.pexpire(lease, this.settings.lockMs).catch(() => undefined), this.settings.lockMs / 3) : null;
    try {
      await runImport(this.strapi, id, () => this.stopping);
    } catch (error: any) {
      if (this.stopping) return;
      this.strapi.log.error(`import ${id} failed: ${error?.stack ?? error}`);
      await this.strapi.db.query(IMPORT as any).update({ where: { id }, data: { status: 'failed', failureCode: 'INTERNAL', failureMessage: 'The import stopped on an unexpected error; the rows committed so far stay. Retry resumes it.', finishedAt: new Date() } } as any).catch(() => undefined);
    } finally {
      if (renew) clearInterval(renew);
      if (this.redis) {
        const mine = await this.redis.get(lease).catch(() => null);
        if (mine === this.owner) await this.redis.del(lease).catch(() => undefined);
      }
    }
  }

  /** Stops after the batch in flight (which commits or rolls back whole), and frees the lease for the next process. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop?.catch(() => undefined);
    this.blocking?.disconnect();
    await this.redis?.quit().catch(() => undefined);
  }
}
