/**
 * The one catalogue of Lern's components: every service and job, the stores each one talks to, and
 * whether this version of the `lern` program can run it. The CRD's defaults and "required when
 * enabled" rules, the operator's rendering, `lern service` and `lern migrate` all read this table,
 * so they cannot disagree.
 *
 * This module imports nothing: the cli and services/registry.ts load it (as
 * `@lern/operator/components`) without pulling in Kubernetes code; the kit receives the runnable
 * names from the cli and never imports the operator.
 *
 * Making a component runnable: flip `runnable`, add its loader to services/registry.ts, and
 * regenerate the CRD, whose `enabled` defaults follow this table (`./bin/lern operator crd >
 * crds/lern.sunbird.org_lerninstallations.yaml`, and the same file into charts/lern-operator/crds/).
 * cli/src/catalogue.test.ts and operator/src/api/crd.test.ts fail until all three agree.
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

/** What the catalogue says about one component. */
export interface CatalogueEntry {
  /** Stores it uses (upstream: Cassandra is primary, search derived, Redis cache, Kafka events). */
  stores: readonly Store[];
  /**
   * This version's program has it (`lern service <name>` starts it, `lern migrate` knows its
   * migrations). Only runnable components are enabled by default.
   */
  runnable: boolean;
  /** It encrypts or decrypts personal data, so it gets LERN_ENCRYPTION_KEY and cannot start without it. */
  encryptionKey: boolean;
}

const entry = (stores: readonly Store[], runnable = false, encryptionKey = false): CatalogueEntry => ({ stores, runnable, encryptionKey });

/** The services. */
export const SERVICE_CATALOGUE: Readonly<Record<ServiceName, CatalogueEntry>> = {
  userorg: entry(['cassandra', 'search', 'redis', 'kafka'], true, true),
  lms: entry(['cassandra', 'search', 'redis', 'kafka', 'postgres'], true),
  groups: entry(['cassandra', 'redis', 'kafka'], true),
  notification: entry(['cassandra', 'kafka'], true),
  discussion: entry(['cassandra', 'kafka']),
};

/** The jobs. */
export const JOB_CATALOGUE: Readonly<Record<JobName, CatalogueEntry>> = {
  'activity-aggregate-updater': entry(['cassandra', 'redis', 'kafka']),
  'enrolment-reconciliation': entry(['cassandra', 'kafka']),
  'assessment-aggregator': entry(['cassandra', 'kafka']),
  'collection-cert-pre-processor': entry(['cassandra', 'kafka']),
  'collection-certificate-generator': entry(['cassandra', 'search', 'kafka']),
  'merge-user-courses': entry(['cassandra', 'kafka']),
  'notification-job': entry(['cassandra', 'kafka']),
  'user-deletion-cleanup': entry(['cassandra', 'search', 'redis', 'kafka'], true, true),
  'user-cache-updater': entry(['cassandra', 'redis', 'kafka'], true),
};

/** Stores used by each service. */
export const SERVICE_STORES: Readonly<Record<ServiceName, readonly Store[]>> = Object.fromEntries(SERVICE_NAMES.map((n) => [n, SERVICE_CATALOGUE[n].stores])) as Record<ServiceName, readonly Store[]>;

/** Stores used by each job. */
export const JOB_STORES: Readonly<Record<JobName, readonly Store[]>> = Object.fromEntries(JOB_NAMES.map((n) => [n, JOB_CATALOGUE[n].stores])) as Record<JobName, readonly Store[]>;

/** Services this version's program can run. */
export const RUNNABLE_SERVICES: readonly ServiceName[] = SERVICE_NAMES.filter((n) => SERVICE_CATALOGUE[n].runnable);

/** Jobs this version's program can run. */
export const RUNNABLE_JOBS: readonly JobName[] = JOB_NAMES.filter((n) => JOB_CATALOGUE[n].runnable);

/** True when `name` is a service this version can run. */
export function isRunnableService(name: string): name is ServiceName {
  return (RUNNABLE_SERVICES as readonly string[]).includes(name);
}

/**
 * Services a component calls on their internal port (service-to-service routes under `/private`).
 * Each callee's address reaches the caller as LERN_<CALLEE>_URL when the callee is enabled.
 */
export const SERVICE_CALLS: Readonly<Partial<Record<ServiceName | JobName, readonly ServiceName[]>>> = {
  groups: ['notification'],
};

/** Stores that every component needs, so their connection blocks are always required. */
export const ALWAYS_REQUIRED_STORES: readonly Store[] = ['cassandra', 'kafka'];

/** Public port of every service: the Sunbird APIs (contract: LERN_HTTP_PORT, upstream's 9000). */
export const SERVICE_PORT = 9000;

/** Internal port of every service: `/private/*` routes only (contract: LERN_INTERNAL_HTTP_PORT). */
export const INTERNAL_SERVICE_PORT = 9001;

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

/** Services that need the encryption key. */
export function servicesNeedingEncryptionKey(): ServiceName[] {
  return SERVICE_NAMES.filter((s) => SERVICE_CATALOGUE[s].encryptionKey);
}

/** Jobs that need the encryption key. */
export function jobsNeedingEncryptionKey(): JobName[] {
  return JOB_NAMES.filter((j) => JOB_CATALOGUE[j].encryptionKey);
}
