/**
 * Read-through cache of user views in Redis (`userorg:user:<id>`, JSON, 1 hour). Views are already
 * masked, so Redis never holds personal data in clear. Every user write deletes the key; a Redis
 * outage only costs speed (errors are logged and the read goes to Cassandra).
 */
import type { Redis } from 'ioredis';

/**
 * Seconds a cached view lives.
 * @default 3600
 */
export const USER_CACHE_TTL_SECONDS = 3600;

/** Key of a user's cached view. */
export function userCacheKey(userId: string): string {
  return `userorg:user:${userId}`;
}

/** Minimal logger the cache reports to. */
interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** Get/set/invalidate of user views; all methods swallow Redis failures. */
export class UserCache {
  private readonly redis: Redis | null;
  private readonly log: WarnLogger;
  private readonly ttl: number;

  /** ttlSeconds 0 turns caching off (reads always go to Cassandra; writes still invalidate). */
  constructor(redis: Redis | null, log: WarnLogger, ttlSeconds: number = USER_CACHE_TTL_SECONDS) {
    this.redis = redis;
    this.log = log;
    this.ttl = ttlSeconds;
  }

  /** The cached JSON text, or null on a miss or when Redis is unavailable. */
  async get(userId: string): Promise<string | null> {
    if (!this.redis || this.ttl === 0 || this.redis.status !== 'ready') return null;
    try {
      return await this.redis.get(userCacheKey(userId));
    } catch (error) {
      this.log.warn({ err: error }, 'user cache read failed');
      return null;
    }
  }

  async set(userId: string, viewJson: string): Promise<void> {
    if (!this.redis || this.ttl === 0 || this.redis.status !== 'ready') return;
    try {
      await this.redis.set(userCacheKey(userId), viewJson, 'EX', this.ttl);
    } catch (error) {
      this.log.warn({ err: error }, 'user cache write failed');
    }
  }

  /** Drops the cached view; called after every write to the user. */
  async invalidate(userId: string): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status !== 'ready') {
      // Queued until Redis is back (ioredis offline queue), without holding up the request.
      this.redis.del(userCacheKey(userId)).catch((error: unknown) => this.log.warn({ err: error, userId }, 'user cache invalidation failed'));
      return;
    }
    try {
      await this.redis.del(userCacheKey(userId));
    } catch (error) {
      this.log.warn({ err: error, userId }, 'user cache invalidation failed');
    }
  }
}
