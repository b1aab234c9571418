/**
 * The components of Lern the operator knows how to run, and which stores each one talks to.
 * One table drives the CRD's "required when enabled" rules, the migration arguments and the
 * rendered environment, so they cannot disagree.
 */

/** A store a component may need; `search` is Elasticsearch or OpenSearch. */
export type Store = 'cassandra' | 'search' | 'redis' | 'kafka' | 'postgres';

/** Stores that carry schema migrations (`lern migrate <store>`), in the order they are applied. */
export const MIGRATION_STORES = ['cassandra', 'search', 'kafka'] as const;
/** One of {@link MIGRATION_STORES}. */
export type MigrationStore = (typeof MIGRATION_STORES)[number];

/** The HTTP microservices, `lern service <name>`. */
export const SERVICE_NAMES = ['userorg', 'lms', 'groups', 'notification', 'discussion'] as const;
/** One of {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The Kafka consumer jobs, `lern job <name>`. */
export const JOB_NAMES = [
  'activity-aggregate-updater',
  'enrolment-reconciliation',
  'assessment-aggregator',
  'collection-cert-pre-processor',
  'collection-certificate-generator',
  'merge-user-courses',
  'notification-job',
  'user-deletion-cleanup',
  'user-cache-updater',
] as const;
/** One of {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[number];

/** Stores used by each service (upstream: Cassandra is primary, search derived, Redis cache, Kafka events). */
export const SERVICE_STORES: Record<ServiceName, readonly Store[]> = {
  userorg: ['cassandra', 'search', 'redis', 'kafka'],
  lms: ['cassandra', 'search', 'redis', 'kafka', 'postgres'],
  groups: ['cassandra', 'redis', 'kafka'],
  notification: ['cassandra', 'kafka'],
  discussion: ['cassandra', 'kafka'],
};

/** Stores used by each job. */
export const JOB_STORES: Record<JobName, readonly Store[]> = {
  'activity-aggregate-updater': ['cassandra', 'redis', 'kafka'],
  'enrolment-reconciliation': ['cassandra', 'kafka'],
  'assessment-aggregator': ['cassandra', 'kafka'],
  'collection-cert-pre-processor': ['cassandra', 'kafka'],
  'collection-certificate-generator': ['cassandra', 'search', 'kafka'],
  'merge-user-courses': ['cassandra', 'kafka'],
  'notification-job': ['cassandra', 'kafka'],
  'user-deletion-cleanup': ['cassandra', 'search', 'redis', 'kafka'],
  'user-cache-updater': ['cassandra', 'redis', 'kafka'],
};

/** Stores that every component needs, so their connection blocks are always required. */
export const ALWAYS_REQUIRED_STORES: readonly Store[] = ['cassandra', 'kafka'];

/** Port every service listens on (contract: LERN_HTTP_PORT, upstream's 9000). */
export const SERVICE_PORT = 9000;

/** Liveness and readiness paths every service answers (contract). */
export const HEALTH_PATHS = { liveness: '/livez', readiness: '/readyz' } as const;

/** Services that use the given store. */
export function servicesUsing(store: Store): ServiceName[] {
  return SERVICE_NAMES.filter((s) => SERVICE_STORES[s].includes(store));
}

/** Jobs that use the given store. */
export function jobsUsing(store: Store): JobName[] {
  return JOB_NAMES.filter((j) => JOB_STORES[j].includes(store));
}
