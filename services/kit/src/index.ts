/**
 * @lern/kit: the runtime every Lern service and job shares. See ../API.md for how a service uses it.
 */
export { Type, type Static, type TSchema } from 'typebox';

export { apiIdFromPath, requestIdFrom, type ApiId } from './ids.ts';
export {
  sunbirdTimestamp,
  successEnvelope,
  errorEnvelope,
  envelopeSchema,
  errorEnvelopeSchema,
  type Envelope,
  type EnvelopeMeta,
  type EnvelopeParams,
} from './envelope.ts';
export {
  LernError,
  HTTP_STATUS,
  MESSAGES,
  REASON,
  REASON_KEY,
  DEFAULT_ERROR_CODES,
  formatMessage,
  clientError,
  notFound,
  unauthorized,
  forbidden,
  serviceUnavailable,
  serverError,
  isDependencyUnavailable,
  type ResponseCode,
  type ErrorCodes,
} from './errors.ts';
export {
  issueFromAjv,
  sunbirdValidationError,
  validationMessage,
  type ValidationIssue,
  type ValidationErrorMapper,
  type AjvErrorLike,
} from './validation.ts';
export {
  loadConfig,
  requireConfig,
  ConfigError,
  CONFIG_VARIABLES,
  CONSISTENCIES,
  type LernConfig,
  type Env,
  type SearchEngine,
  type ConfigNeed,
  type ConfigVariable,
} from './config.ts';
export {
  ROLES,
  createTokenVerifier,
  userIdFromSubject,
  bearerToken,
  hasAnyRole,
  type Access,
  type AuthContext,
  type TokenVerifier,
  type TokenVerifierOptions,
  type ReloadingTokenVerifier,
} from './auth.ts';
export { readKeyFolder, watchKeyFolder, type KeyFolder, type KeyRing, type KeyRingOptions } from './auth-keys.ts';
export { defineRoute, withStatus, type Route, type RouteDefinition, type RouteSchemas, type RouteMethod, type LernRequest, type WithStatus, type HandlerErrorStatus } from './routes.ts';
export {
  SYSTEM_SCOPE,
  ADMIN_ROLE,
  SYSTEM_ADMIN_ROLE,
  TARGET_POLICIES,
  decide,
  isSystemAdmin,
  isAnyAdmin,
  isSelf,
  administers,
  administeredOrgs,
  mayGrant,
  roleNames,
  type Grant,
  type Caller,
  type CallerRecord,
  type CallerStatus,
  type Policy,
  type Target,
  type TargetScope,
  type Decision,
} from './authz.ts';
export { createCallerDirectory, sunbirdCallerResolver, callerCacheKey, callerStatusOf, scopeOrgIds, type CallerDirectory, type CallerDirectoryOptions } from './callers.ts';
export { defineService, type ServiceDefinition, type ServiceDeps, type LernApp } from './service.ts';
export { createApp, addRoutes, classifyError, documentedStatuses, type CreateAppOptions } from './app.ts';
export { runService, type RunningService, type RunOptions } from './run.ts';
export { listenPublicAndInternal, listenOnLoopback, serverTimeouts, type ListenOptions, type Listening } from './listen.ts';
export { isInternalRequest } from './internal.ts';
export { loggerOptions, serializeRequest, serializeResponse, REDACTED_PATHS, type LoggedRequest, type LoggedResponse } from './logging.ts';
export { checkHealth, primaryConnector, type HealthCheck, type HealthReport } from './health.ts';
export { createMetrics, type AppMetrics } from './metrics.ts';

export { createConnectors, closeConnectors, connectorEntries, connectorPlugin, type ConnectorName, type Connectors, type Pingable } from './connectors/index.ts';
export { createCassandra, quoteIdentifier, withTimeout, type CassandraConnector, type CassandraOptions } from './connectors/cassandra.ts';
export { createRedis, type RedisConnector, type RedisOptions } from './connectors/redis.ts';
export {
  createSearch,
  searchConnectorOver,
  SearchError,
  type SearchConnector,
  type SearchBody,
  type SearchHit,
  type SearchResult,
  type SearchResponse,
  type SearchTransport,
  type BulkOp,
  type BulkResult,
} from './connectors/search.ts';
export { createKafka, type KafkaConnector, type OutgoingMessage } from './connectors/kafka.ts';
export { createPostgres, type PostgresConnector } from './connectors/postgres.ts';

export { discoverComponents, repoRoot, type Component, type ComponentFilter } from './migrate/discover.ts';
export { splitCql, checksum, parseMigrationFileName, planCassandra, type CqlMigration, type AppliedMigration, type CassandraPlan } from './migrate/cql.ts';
export { migrateCassandra, readCassandraMigrations } from './migrate/cassandra.ts';
export type { MigrationFile, CodeMigration, CassandraMigration, CodeMigrationContext, CodeMigrationModule } from './migrate/cql.ts';
export { migrateSearch, planIndex, readSearchMigrations, indexNameFor, type IndexMigration, type ObservedIndex, type IndexAction } from './migrate/search.ts';
export { migrateKafka, planTopics, readKafkaMigrations, type TopicSpec, type ObservedTopic, type TopicAction } from './migrate/kafka.ts';
export { migrateCommand, MIGRATE_HELP, type MigrationReport, type MigrateOptions } from './migrate/cli.ts';

export {
  createOutbox,
  DEFAULT_OUTBOX_TIMING,
  kafkaEntry,
  indexEntry,
  destinationOf,
  OUTBOX_CQL_PATH,
  OUTBOX_TABLES,
  OUTBOX_BUCKETS,
  OUTBOX_SLICE_MS,
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  afterFailure,
  planBucket,
  groupDeliveries,
  isBacklog,
  nextCursor,
  slicesToRead,
  rememberScan,
  leaseStep,
  shouldTryFastPath,
  bucketOf,
  orderingKeyOf,
  sliceOf,
  type Outbox,
  type OutboxOptions,
  type OutboxTiming,
  type OutboxWriteResult,
  type CqlStatement,
  type OutboxEntry,
  type KafkaEntry,
  type IndexEntry,
  type StoredEntry,
  type IndexHandler,
  type OutboxKafka,
  type OutboxLog,
  type OutboxBacklog,
  type RelayPassReport,
  type RetryPolicy,
  type BucketPlan,
  type DeliveryGroup,
  type LeaseStep,
  type FastPathState,
  type ScanMemory,
  type SliceRead,
} from './outbox/index.ts';
