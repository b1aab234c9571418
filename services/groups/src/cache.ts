/**
 * The Redis cache of reads, with upstream's keys (groups-service CacheUtil): `<groupId>` the group
 * with its activities, `<groupId>_members` its member list, `<userId>` the user's group list, each
 * after an optional installation prefix. Writers drop the entries a change makes stale, after the
 * change is stored. Redis failures cost speed only: a failed read is a miss, a failed write or drop
 * is logged (the entry then lives until its TTL).
 */
import type { RedisConnector } from '@lern/kit';

/** Logger the cache reports failures to. */
export interface CacheLog {
  warn(obj: object, msg: string): void;
}

/** Upstream's cache keys, without the prefix (pure). */
export const cacheKeys = {
  group: (groupId: string): string => groupId,
  members: (groupId: string): string => `${groupId}_members`,
  userGroups: (userId: string): string => userId,
};

/** Read-through helpers over one Redis, or no-ops without one. */
export class GroupsCache {
  private readonly redis: RedisConnector['client'] | null;
  private readonly prefix: string;
  private readonly log: CacheLog;

  constructor(redis: RedisConnector['client'] | null, prefix: string, log: CacheLog) {
    this.redis = redis;
    this.prefix = prefix;
    this.log = log;
  }

  /** The cached value, or undefined on a miss (or when Redis fails). */
  async get<T>(key: string): Promise<T | undefined> {
    if (!this.redis) return undefined;
    try {
      const raw = await this.redis.get(this.prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (error) {
      this.log.warn({ err: error }, 'groups cache read failed');
      return undefined;
    }
  }

  /** Stores a value for `ttlSeconds` (0: not cached). */
  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!this.redis || ttlSeconds <= 0) return;
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.log.warn({ err: error }, 'groups cache write failed');
    }
  }

  /** Drops entries after a change. */
  async drop(keys: readonly string[]): Promise<void> {
    if (!this.redis || keys.length === 0) return;
    try {
      await this.redis.del(...[...new Set(keys)].map((k) => this.prefix + k));
    } catch (error) {
      this.log.warn({ err: error }, 'groups cache entries not dropped');
    }
  }
}
