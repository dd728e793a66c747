import crypto from 'crypto';
import type Redis from 'ioredis';

/** A browser's queue-board sign-in lasts no longer than this, even with a longer-lived token. */
const MAX_LIFETIME_MS = 12 * 3600_000;
/** When the token says nothing of its expiry: cms's access-token lifespan. */
const DEFAULT_LIFETIME_MS = 15 * 60_000;

/**
 * Queue-board sign-ins: an opaque random id in the browser's cookie, the supervisor's cms
 * token behind it in Redis (under the id's hash, so a Redis dump gives no usable cookie),
 * kept no longer than the token lives. Any worker behind the same Redis serves the board.
 */
export class BoardSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:board-session:${crypto.createHash('sha256').update(id).digest('hex')}`;
  }

  /** The new id and how long it lives (ms), or null when the token has already expired. */
  async create(token: string, expiresAtMs: number | null, now = Date.now()): Promise<{ id: string; ttlMs: number } | null> {
    const ttlMs = Math.min(MAX_LIFETIME_MS, expiresAtMs === null ? DEFAULT_LIFETIME_MS : expiresAtMs - now);
    if (ttlMs <= 0) return null;
    const id = crypto.randomBytes(32).toString('base64url');
    await this.redis.set(this.key(id), token, 'PX', Math.ceil(ttlMs));
    return { id, ttlMs };
  }

  async token(id: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    return this.redis.get(this.key(id));
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}
