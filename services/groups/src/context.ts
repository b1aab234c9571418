/**
 * What every Groups resource works with: the stores, the cache, the user directory, the outbox that
 * writes a change together with the notifications it causes, the limits and the clock. Built once
 * per app by {@link createDeps}.
 */
import { randomUUID } from 'node:crypto';
import { createOutbox, indexEntry, type CassandraConnector, type CqlStatement, type Outbox, type OutboxTiming, type RedisConnector } from '@lern/kit';
import { GroupsCache } from './cache.ts';
import { Directory } from './directory.ts';
import { GroupStore, KEYSPACE } from './groups/store.ts';
import { MemberStore } from './members/store.ts';
import { notificationClient, type NotificationSender } from './notifications/client.ts';
import { notificationRequest, type FeedNotification } from './notifications/events.ts';
import { NotificationStore } from './notifications/store.ts';
import type { GroupLimits } from './options.ts';

/** Outbox target of pending notifications (its handler sends one stored notification). */
export const NOTIFICATION_TARGET = 'group-notification';

/** Logger used by the resources. Log ids, never personal data. */
export interface ServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The dependencies of the Groups resources. */
export interface GroupsDeps {
  groups: GroupStore;
  members: MemberStore;
  /** Notifications waiting for the Notification service. */
  pendingNotifications: NotificationStore;
  directory: Directory;
  cache: GroupsCache;
  outbox: Outbox;
  limits: GroupLimits;
  groupCacheTtlSeconds: number;
  userCacheTtlSeconds: number;
  /** True when members are notified (LERN_NOTIFICATION_URL is set). */
  notifies: boolean;
  now(): Date;
  log: ServiceLog;
}

/** Options of createDeps. */
export interface DepsOptions {
  cassandra: CassandraConnector;
  redis: RedisConnector | null;
  log: ServiceLog;
  limits: GroupLimits;
  groupCacheTtlSeconds: number;
  userCacheTtlSeconds: number;
  cachePrefix: string;
  /** Sends to the Notification service; null: members are not notified. */
  notify: NotificationSender | null;
  now: () => Date;
  outboxTiming?: Partial<OutboxTiming>;
}

/** Sends one stored notification and forgets it (idempotent: a sent one is gone). */
async function sendStored(store: NotificationStore, notify: NotificationSender, id: string): Promise<void> {
  const request = await store.get(id);
  if (request === null) return;
  await notify(request);
  await store.delete(id);
}

/** Builds the resources' dependencies from connectors. */
export function createDeps(options: DepsOptions): GroupsDeps {
  const pending = new NotificationStore(options.cassandra);
  const notify = options.notify;
  return {
    groups: new GroupStore(options.cassandra),
    members: new MemberStore(options.cassandra),
    directory: new Directory(options.cassandra),
    cache: new GroupsCache(options.redis?.client ?? null, options.cachePrefix, options.log),
    outbox: createOutbox({
      cassandra: options.cassandra,
      keyspace: KEYSPACE,
      kafka: null,
      indexHandlers: notify ? { [NOTIFICATION_TARGET]: (id) => sendStored(pending, notify, id) } : {},
      log: options.log,
      ...(options.outboxTiming ? { timing: options.outboxTiming } : {}),
    }),
    limits: options.limits,
    groupCacheTtlSeconds: options.groupCacheTtlSeconds,
    userCacheTtlSeconds: options.userCacheTtlSeconds,
    notifies: notify !== null,
    now: options.now,
    log: options.log,
    pendingNotifications: pending,
  };
}

/** A sender to the configured Notification service, or null when none is configured. */
export const senderFor = (url: string | null, timeoutMs: number): NotificationSender | null => (url === null ? null : notificationClient(url, timeoutMs));

/** Most statements of one logged batch (Cassandra refuses batches over 50 KiB; a member row is well under 1 KiB). */
export const MAX_BATCH_STATEMENTS = 40;

/** A change: the statements that must land together, and member statements that may go ahead of them. */
export interface Change {
  core: readonly CqlStatement[];
  members?: readonly CqlStatement[];
}

/**
 * How a change is written (pure): in one logged batch when it fits, otherwise the member statements
 * first, in batches of their own, then the core with the notifications. Member statements are
 * idempotent and a group shows a member only once the member rows are in, so a change cut short
 * leaves rows a retry completes, never a group missing its members.
 */
export function batchesOf(change: Change): { leading: CqlStatement[][]; main: CqlStatement[] } {
  const members = change.members ?? [];
  if (change.core.length + members.length <= MAX_BATCH_STATEMENTS) return { leading: [], main: [...change.core, ...members] };
  const leading: CqlStatement[][] = [];
  for (let i = 0; i < members.length; i += MAX_BATCH_STATEMENTS) leading.push(members.slice(i, i + MAX_BATCH_STATEMENTS));
  return { leading, main: [...change.core] };
}

/**
 * Stores a change with its notifications (the outbox then sends them, at once or by its relay),
 * and drops the cache entries it makes stale.
 */
export async function writeChange(deps: GroupsDeps, change: Change, notifications: readonly (FeedNotification | null)[], staleKeys: readonly string[]): Promise<void> {
  const request = deps.notifies ? notificationRequest(notifications) : null;
  const { leading, main } = batchesOf(change);
  for (const batch of leading) await deps.outbox.write(batch, []);
  const all = [...main];
  const entries = [];
  if (request !== null) {
    const id = randomUUID();
    all.push(deps.pendingNotifications.insert(id, request, deps.now()));
    entries.push(indexEntry(NOTIFICATION_TARGET, id));
  }
  await deps.outbox.write(all, entries);
  await deps.cache.drop(staleKeys);
}
