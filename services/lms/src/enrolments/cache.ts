/**
 * The cached course list of a user, under upstream's Redis key `<userId>:user-enrolments` (so
 * whatever drops upstream's key drops this one), for `ttlSeconds` (upstream's
 * `user_enrolments_response_cache_ttl`, 60 s). Every enrolment and progress change of the user drops
 * it. Redis failures cost speed only: a failed read is a miss, a failed write or drop is logged
 * (the entry then expires with its TTL), so callers need not wait for a write or a drop: ioredis
 * writes a command to its one connection when it is called, and Redis runs a connection's commands
 * in order, so a drop issued before an answer is done before any later read through this service.
 */
import type { RedisConnector } from '@lern/kit';
import type { ServiceLog } from '../context.ts';
import type { CourseEnrolmentView } from './view.ts';

/** Redis client of the kit's connector. */
export type RedisClient = RedisConnector['client'];

/** Seconds a cached list lives by default. */
export const ENROLMENT_LIST_TTL_SECONDS = 60;

/** Upstream's key of a user's cached course list. */
export const enrolmentListKey = (userId: string): string => `${userId}:user-enrolments`;

/** Read-through cache of users' course lists (no-ops without Redis or with a TTL of 0). */
export class EnrolmentListCache {
  private readonly redis: RedisClient | null;
  private readonly ttlSeconds: number;
  private readonly log: Pick<ServiceLog, 'warn'>;

  constructor(redis: RedisClient | null, log: Pick<ServiceLog, 'warn'>, ttlSeconds = ENROLMENT_LIST_TTL_SECONDS) {
    this.redis = ttlSeconds > 0 ? redis : null;
    this.ttlSeconds = ttlSeconds;
    this.log = log;
  }

  /** The cached list, or undefined. */
  async get(userId: string): Promise<CourseEnrolmentView[] | undefined> {
    if (!this.redis) return undefined;
    try {
      const raw = await this.redis.get(enrolmentListKey(userId));
      if (raw === null) return undefined;
      const parsed = JSON.parse(raw) as { courses?: CourseEnrolmentView[] };
      return Array.isArray(parsed.courses) ? parsed.courses : undefined;
    } catch (error) {
      this.log.warn({ err: error }, 'enrolment list cache read failed');
      return undefined;
    }
  }

  /** Stores a user's list (as upstream: the `{ courses }` result). */
  async set(userId: string, courses: readonly CourseEnrolmentView[]): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.set(enrolmentListKey(userId), JSON.stringify({ courses }), 'EX', this.ttlSeconds);
    } catch (error) {
      this.log.warn({ err: error }, 'enrolment list cache write failed');
    }
  }

  /** Drops a user's list after a change. */
  async drop(userId: string): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.del(enrolmentListKey(userId));
    } catch (error) {
      this.log.warn({ err: error }, 'enrolment list cache entry not dropped');
    }
  }
}
