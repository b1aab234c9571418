/**
 * @lern/groups: groups of users with their members and activities (`lern service groups`), on
 * upstream groups-service's paths, envelope and `GS_*` error codes.
 *
 * Cassandra (keyspace `sunbird_groups`: `group`, `group_member`, `user_group`) is the source of
 * truth; reads go through Redis with upstream's keys (`<groupId>`, `<groupId>_members`, `<userId>`),
 * dropped by every change. Members are told of changes through the Notification service
 * (`POST /v2/notification/send` at LERN_NOTIFICATION_URL): each notification is stored in the same
 * logged batch as its change and sent by the kit's outbox, at once or by its relay until the
 * Notification service takes it (at least once). Callers, their grants and members' names come from
 * User-Org's `sunbird` keyspace. A group's activity progress is LMS's `POST /v1/group/activity/agg`.
 */
import { addRoutes, defineService, type ServiceDefinition } from '@lern/kit';
import { createDeps, senderFor } from './context.ts';
import { KIT_ERROR_CODES } from './errors.ts';
import { groupRoutes } from './groups/routes.ts';
import { memberRoutes } from './members/routes.ts';
import { resolveOptions, type GroupsServiceOptions } from './options.ts';

/** The Groups service with the given settings (unset ones from the environment). */
export function createGroupsService(given: GroupsServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'groups',
    connectors: ['cassandra', 'redis'],
    primary: 'cassandra',
    errorCodes: KIT_ERROR_CODES,
    register(app, kit) {
      const options = resolveOptions(given);
      const deps = createDeps({
        cassandra: kit.connectors.cassandra!,
        redis: kit.connectors.redis ?? null,
        log: kit.log,
        limits: options.limits,
        groupCacheTtlSeconds: options.groupCacheTtlSeconds,
        userCacheTtlSeconds: options.userCacheTtlSeconds,
        cachePrefix: options.cachePrefix,
        notify: senderFor(options.notificationUrl, options.notificationTimeoutMs),
        now: options.now,
        ...(options.outboxTiming ? { outboxTiming: options.outboxTiming } : {}),
      });
      if (!deps.notifies) kit.log.warn({}, 'LERN_NOTIFICATION_URL is not set: group members are not notified');
      deps.outbox.attach(app);
      // One line per resource.
      addRoutes(app, ...groupRoutes(deps), ...memberRoutes(deps));
    },
  });
}

/** The Groups service definition (`lern service groups`). */
export const service: ServiceDefinition = createGroupsService();

export { createDeps, writeChange, NOTIFICATION_TARGET, type GroupsDeps } from './context.ts';
export { GroupStore, KEYSPACE } from './groups/store.ts';
export { MemberStore } from './members/store.ts';
export { GroupsCache, cacheKeys } from './cache.ts';
export { resolveOptions, DEFAULT_LIMITS, type GroupsServiceOptions, type GroupLimits } from './options.ts';
