/**
 * What every resource's operations work with: the store, the search index, the user-view cache, the
 * caller directory, and the after-write plumbing (index writes and event publishing that log instead
 * of failing a request whose Cassandra write already succeeded).
 */
import type { Caller, CallerDirectory, KafkaConnector, SearchConnector } from '@lern/kit';
import type { Redis } from 'ioredis';
import { UserCache } from './cache.ts';
import type { EventActor, OutgoingMessage } from './events.ts';
import type { UserOrgStore } from './store/index.ts';

/** Index aliases (without LERN_SEARCH_INDEX_PREFIX). */
export const INDEX = { user: 'user_alias', org: 'org_alias', location: 'location' } as const;

/** Logger used by the operations. Log ids, never emails or phones. */
export interface ServiceLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The dependencies of the User-Org operations. */
export interface UserOrgDeps {
  store: UserOrgStore;
  search: SearchConnector;
  cache: UserCache;
  /** The kit's caller directory: invalidated whenever a user's status or roles change. */
  callers: CallerDirectory | null;
  log: ServiceLog;
  /** Writes a search document; a failure is logged (`/v1/data/sync` rebuilds the index). */
  index(alias: string, id: string, doc: object): Promise<void>;
  /** Removes a search document; a failure is logged. */
  unindex(alias: string, id: string): Promise<void>;
  /** Publishes an event; a failure is logged. */
  publish(message: OutgoingMessage): Promise<void>;
}

/** Options of createDeps. */
export interface DepsOptions {
  store: UserOrgStore;
  search: SearchConnector;
  redis: Redis | null;
  kafka: KafkaConnector | null;
  callers: CallerDirectory | null;
  log: ServiceLog;
  /** Refresh the index after each write so the next search sees it (tests). @default false */
  refreshIndex?: boolean;
  /** Seconds a cached user view lives; 0 turns the cache off. @default 3600 */
  userCacheTtlSeconds?: number;
}

/** Builds the operations' dependencies from connectors. */
export function createDeps(options: DepsOptions): UserOrgDeps {
  const { search, kafka, log } = options;
  const refresh = options.refreshIndex ?? false;
  return {
    store: options.store,
    search,
    cache: new UserCache(options.redis, log, options.userCacheTtlSeconds),
    callers: options.callers,
    log,
    async index(alias, id, doc) {
      try {
        await search.index(alias, id, doc, { refresh });
      } catch (error) {
        log.error({ err: error, alias, id }, 'search index write failed; /v1/data/sync rebuilds it');
      }
    },
    async unindex(alias, id) {
      try {
        await search.delete(alias, id, { refresh });
      } catch (error) {
        log.error({ err: error, alias, id }, 'search document not removed');
      }
    },
    async publish(message) {
      if (!kafka) return;
      try {
        await kafka.send(message.topic, [{ key: message.key, value: message.value }]);
      } catch (error) {
        log.error({ err: error, topic: message.topic, key: message.key }, 'event not published');
      }
    },
  };
}

/** The actor of an event: the calling user, or the system for internal and anonymous calls. */
export function actorOf(caller: Caller | null): EventActor {
  return caller ? { id: caller.userId, type: 'User' } : { id: 'userorg-service', type: 'System' };
}

/** The caller's id for createdBy/updatedBy columns. */
export function byOf(caller: Caller | null): string | null {
  return caller?.userId ?? null;
}
