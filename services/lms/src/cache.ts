/**
 * The service's Redis caches, as named maps (upstream's cache maps, cleared by
 * `DELETE /v1/cache/clear/:mapName`): key `<prefix><map>:<id>`, JSON values with a time to live.
 * Redis failures cost speed only: a read that fails is a miss, a write that fails is skipped.
 */
import type { RedisConnector } from '@lern/kit';

/**
 * The cache maps. `all` in the clear route means every map. A resource that caches adds its map
 * here.
 */
export const CACHE_MAPS = ['course-structure'] as const;

/** One of {@link CACHE_MAPS}. */
export type CacheMap = (typeof CACHE_MAPS)[number];

/** Redis client type of the kit's connector. */
type RedisClient = RedisConnector['client'];

/** Logger the cache reports failures to. */
export interface CacheLog {
  warn(obj: object, msg: string): void;
}

/** Read-through helpers over one Redis, or no-ops when the service runs without Redis. */
export class LmsCache {
  private readonly redis: RedisClient | null;
  private readonly prefix: string;
  private readonly log: CacheLog;

  /** `prefix` keeps installations (and test files) sharing a Redis apart, e.g. `lms:`. */
  constructor(redis: RedisClient | null, prefix: string, log: CacheLog) {
    this.redis = redis;
    this.prefix = prefix;
    this.log = log;
  }

  private key(map: CacheMap, id: string): string {
    return `${this.prefix}${map}:${id}`;
  }

  /** The cached value, or undefined on a miss (or when Redis fails). */
  async get<T>(map: CacheMap, id: string): Promise<T | undefined> {
    if (!this.redis) return undefined;
    try {
      const raw = await this.redis.get(this.key(map, id));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (error) {
      this.log.warn({ err: error, map }, 'cache read failed');
      return undefined;
    }
  }

  /** Stores a value for `ttlSeconds`. */
  async set(map: CacheMap, id: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!this.redis || ttlSeconds <= 0) return;
    try {
      await this.redis.set(this.key(map, id), JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.log.warn({ err: error, map }, 'cache write failed');
    }
  }

  /** Drops one entry (after a write); a failure is logged, the entry then expires with its TTL. */
  async drop(map: CacheMap, id: string): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.del(this.key(map, id));
    } catch (error) {
      this.log.warn({ err: error, map }, 'cache entry not dropped');
    }
  }

  /** Drops every entry of a map, or of all maps; returns how many keys went. Fails when Redis does. */
  async clear(map: CacheMap | 'all'): Promise<number> {
    if (!this.redis) return 0;
    const pattern = map === 'all' ? `${this.prefix}*` : `${this.prefix}${map}:*`;
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await this.redis.del(...keys);
    } while (cursor !== '0');
    return removed;
  }
}
