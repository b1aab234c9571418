/** The service's own settings (beyond the kit's configuration) and how the environment sets them. */
import { ConfigError, type Env, type OutboxTiming } from '@lern/kit';

/** Upstream's limits (externalresource.properties: max_group_members_limit, max_activity_limit, max_group_limit). */
export interface GroupLimits {
  /** Active members of one group, the creator included. */
  maxMembers: number;
  /** Activities of one group. */
  maxActivities: number;
  /** Groups a user may belong to when creating another. */
  maxGroupsPerUser: number;
}

/** Settings of the Groups service; unset ones come from the environment. */
export interface GroupsServiceOptions {
  limits?: Partial<GroupLimits>;
  /** TTL of the `<groupId>` and `<groupId>_members` entries: LERN_GROUPS_CACHE_TTL_SECONDS (upstream groups_redis_ttl). */
  groupCacheTtlSeconds?: number;
  /** TTL of the `<userId>` group lists: LERN_GROUPS_USER_CACHE_TTL_SECONDS (upstream user_redis_ttl). */
  userCacheTtlSeconds?: number;
  /** Prepended to every cache key: LERN_GROUPS_CACHE_PREFIX. @default '' (upstream's bare keys) */
  cachePrefix?: string;
  /** Base URL of the Notification service's internal port: LERN_NOTIFICATION_URL; none: members are not notified. */
  notificationUrl?: string | null;
  /** Longest wait for the Notification service: LERN_NOTIFICATION_TIMEOUT_MS. */
  notificationTimeoutMs?: number;
  /** The clock (tests). */
  now?: () => Date;
  outboxTiming?: Partial<OutboxTiming>;
}

/** Every setting resolved. */
export type ResolvedGroupsOptions = Required<Omit<GroupsServiceOptions, 'outboxTiming' | 'limits'>> & { limits: GroupLimits; outboxTiming?: Partial<OutboxTiming> };

/** Upstream's defaults. */
export const DEFAULT_LIMITS: Readonly<GroupLimits> = { maxMembers: 150, maxActivities: 20, maxGroupsPerUser: 50 };

function count(env: Env, name: string, fallback: number, min = 1, max = 1_000_000): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function url(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** The options the environment sets (given options win). */
export function resolveOptions(given: GroupsServiceOptions = {}, env: Env = process.env): ResolvedGroupsOptions {
  return {
    limits: {
      maxMembers: given.limits?.maxMembers ?? count(env, 'LERN_GROUPS_MAX_MEMBERS', DEFAULT_LIMITS.maxMembers),
      maxActivities: given.limits?.maxActivities ?? count(env, 'LERN_GROUPS_MAX_ACTIVITIES', DEFAULT_LIMITS.maxActivities),
      maxGroupsPerUser: given.limits?.maxGroupsPerUser ?? count(env, 'LERN_GROUPS_MAX_GROUPS_PER_USER', DEFAULT_LIMITS.maxGroupsPerUser),
    },
    groupCacheTtlSeconds: given.groupCacheTtlSeconds ?? count(env, 'LERN_GROUPS_CACHE_TTL_SECONDS', 86_400, 0),
    userCacheTtlSeconds: given.userCacheTtlSeconds ?? count(env, 'LERN_GROUPS_USER_CACHE_TTL_SECONDS', 3_600, 0),
    cachePrefix: given.cachePrefix ?? env.LERN_GROUPS_CACHE_PREFIX ?? '',
    notificationUrl: given.notificationUrl !== undefined ? given.notificationUrl : url(env, 'LERN_NOTIFICATION_URL'),
    notificationTimeoutMs: given.notificationTimeoutMs ?? count(env, 'LERN_NOTIFICATION_TIMEOUT_MS', 5_000, 100, 120_000),
    now: given.now ?? (() => new Date()),
    ...(given.outboxTiming ? { outboxTiming: given.outboxTiming } : {}),
  };
}
