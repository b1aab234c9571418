/**
 * @lern/userorg: users, organisations, locations, roles, system settings and tenant preferences.
 *
 * Cassandra (keyspace `sunbird`) is the source of truth; the search index (`user_alias`,
 * `org_alias`, `location`) is written after it and rebuilt by `POST /v1/data/sync`; user reads are
 * cached in Redis and invalidated on every write; every change is published on `user.events`.
 * There is no identity provider: users live in Cassandra only, tokens are verified offline with the
 * keys in LERN_AUTH_KEYS_DIR, and the kit resolves each caller's status and scoped grants from the
 * same `user` and `user_roles` tables this service writes.
 */
import { addRoutes, ConfigError, defineService, type ServiceDefinition } from '@lern/kit';
import { createDeps } from './context.ts';
import { KIT_ERROR_CODES } from './errors.ts';
import { createPiiCipher, type PiiCipher } from './pii.ts';
import { userOrgRoutes } from './routes.ts';
import { UserOrgStore } from './store/index.ts';

function cipherFrom(key: string | undefined): PiiCipher {
  if (!key) throw new ConfigError('LERN_ENCRYPTION_KEY', 'not set; it is the key that encrypts email and phone at rest');
  return createPiiCipher(key);
}

/** LERN_USERORG_USER_CACHE_TTL: seconds a cached user view lives (0 = no cache); default 3600. */
function cacheTtl(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('LERN_USERORG_USER_CACHE_TTL', `must be a whole number of seconds, got '${value}'`);
  return n;
}

/** The User-Org service definition (`lern service userorg`). */
export const service: ServiceDefinition = defineService({
  name: 'userorg',
  connectors: ['cassandra', 'redis', 'search', 'kafka'],
  primary: 'cassandra',
  errorCodes: KIT_ERROR_CODES,
  register(app, kit) {
    const deps = createDeps({
      store: new UserOrgStore(kit.connectors.cassandra!, cipherFrom(kit.config.encryptionKey)),
      search: kit.connectors.search!,
      redis: kit.connectors.redis?.client ?? null,
      kafka: kit.connectors.kafka ?? null,
      callers: kit.callers ?? null,
      log: kit.log,
      refreshIndex: process.env.LERN_USERORG_REFRESH_INDEX === 'true',
      userCacheTtlSeconds: cacheTtl(process.env.LERN_USERORG_USER_CACHE_TTL),
    });
    addRoutes(app, ...userOrgRoutes(deps));
  },
});

export { createDeps, INDEX, type UserOrgDeps } from './context.ts';
export { UserOrgStore } from './store/index.ts';
export { userCacheKey } from './cache.ts';
export { ROUTE_GROUPS, userOrgRoutes } from './routes.ts';
export { createPiiCipher, maskEmail, maskPhone } from './pii.ts';
export { toChangeEvent, toDeleteUserEvent, toUserEvent, USER_EVENTS_TOPIC, DELETE_USER_TOPIC } from './events.ts';
export { toEngineSearch, parseSearchRequest } from './search-query.ts';
export { reindexCommand, REINDEX_HELP } from './reindex.ts';
