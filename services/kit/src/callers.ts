/**
 * Who a token's subject is now: account status and scoped grants, read from the shared `sunbird`
 * keyspace (User-Org's `user` and `user_roles` tables) and cached, so that a blocked or deleted user
 * is refused within seconds rather than when the token expires. Every service uses the same directory;
 * User-Org invalidates an entry whenever it changes a user's status or roles.
 */
import type { Redis } from 'ioredis';
import type { CassandraConnector } from './connectors/cassandra.ts';
import type { CallerRecord, CallerStatus, Grant } from './authz.ts';

/** Looks callers up; `invalidate` drops every cached copy this process and Redis hold. */
export interface CallerDirectory {
  /** The caller's record; null when no such user exists. */
  get(userId: string): Promise<CallerRecord | null>;
  invalidate(userId: string): Promise<void>;
}

/** Options of createCallerDirectory. */
export interface CallerDirectoryOptions {
  /** Reads a caller from the store of record. */
  resolve(userId: string): Promise<CallerRecord | null>;
  /** Shared cache across replicas; null: this process only. */
  redis?: Redis | null;
  /** Seconds an entry lives in Redis. @default 60 */
  sharedTtlSeconds?: number;
  /** Milliseconds an entry lives in this process (the bound on how late another replica sees an invalidation). @default 2000 */
  localTtlMs?: number;
  /** Entries kept in this process. @default 10000 */
  localCapacity?: number;
  now?: () => number;
}

/** Redis key of a cached caller. */
export function callerCacheKey(userId: string): string {
  return `lern:caller:${userId}`;
}

const MISSING = 'null';

/** A directory over `resolve`, with a small in-process cache in front of Redis. Redis failures only cost speed. */
export function createCallerDirectory(options: CallerDirectoryOptions): CallerDirectory {
  const redis = options.redis ?? null;
  const sharedTtl = options.sharedTtlSeconds ?? 60;
  const localTtl = options.localTtlMs ?? 2_000;
  const capacity = options.localCapacity ?? 10_000;
  const now = options.now ?? Date.now;
  const local = new Map<string, { record: CallerRecord | null; until: number }>();

  const remember = (userId: string, record: CallerRecord | null): void => {
    if (local.size >= capacity) local.delete(local.keys().next().value!);
    local.set(userId, { record, until: now() + localTtl });
  };
  const redisReady = (): boolean => redis !== null && redis.status === 'ready';

  return {
    async get(userId) {
      const hit = local.get(userId);
      if (hit && hit.until > now()) return hit.record;
      if (redisReady()) {
        try {
          const cached = await redis!.get(callerCacheKey(userId));
          if (cached !== null) {
            const record = cached === MISSING ? null : (JSON.parse(cached) as CallerRecord);
            remember(userId, record);
            return record;
          }
        } catch {
          // Fall through to the store.
        }
      }
      const record = await options.resolve(userId);
      remember(userId, record);
      if (redisReady()) {
        try {
          await redis!.set(callerCacheKey(userId), record === null ? MISSING : JSON.stringify(record), 'EX', sharedTtl);
        } catch {
          // The next request reads the store again.
        }
      }
      return record;
    },
    async invalidate(userId) {
      local.delete(userId);
      if (redis) await redis.del(callerCacheKey(userId)).catch(() => undefined);
    },
  };
}

/** Upstream's numeric user status: 0 inactive (blocked), 1 active, 2 deleted. */
export function callerStatusOf(status: unknown, isDeleted: unknown): CallerStatus {
  if (isDeleted === true || status === 2) return 'deleted';
  if (status === 0) return 'blocked';
  return 'active';
}

/** A `user_roles.scope` value (JSON list of `{organisationId}`) as organisation ids; bad JSON grants nothing. */
export function scopeOrgIds(scope: unknown): string[] {
  if (typeof scope !== 'string' || scope === '') return [];
  try {
    const parsed: unknown = JSON.parse(scope);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((s: unknown) => {
      const id = typeof s === 'object' && s !== null ? (s as { organisationId?: unknown }).organisationId : undefined;
      return typeof id === 'string' && id !== '' ? [id] : [];
    });
  } catch {
    return [];
  }
}

/** Reads callers from the `sunbird` keyspace's `user` and `user_roles` tables (two reads, side by side). */
export function sunbirdCallerResolver(db: CassandraConnector): (userId: string) => Promise<CallerRecord | null> {
  const users = db.table('sunbird', 'user');
  const roles = db.table('sunbird', 'user_roles');
  return async (userId) => {
    const [user, grants] = await Promise.all([
      db.execute(`SELECT status, isdeleted FROM ${users} WHERE id = ?`, [userId]),
      db.execute(`SELECT role, scope FROM ${roles} WHERE userid = ?`, [userId]),
    ]);
    const row = user.first();
    if (!row) return null;
    const list: Grant[] = grants.rows.map((r) => ({ role: String(r.role), orgIds: scopeOrgIds(r.scope) }));
    return { status: callerStatusOf(row.status, row.isdeleted), grants: list };
  };
}
