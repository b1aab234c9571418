import { INTERNAL_SERVICE_PORT, SERVICE_PORT, type Store } from '../api/components.ts';
import type { EnvVar, LernInstallationSpec } from '../api/types.ts';

/** Folder the auth public keys Secret is mounted at. */
export const AUTH_KEYS_DIR = '/etc/lern/auth-keys';

/** A rendered container env entry (literal or Secret key). */
export interface ContainerEnv {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** What a component needs in its environment. */
export interface EnvNeeds {
  stores: readonly Store[];
  /** HTTP services get LERN_HTTP_PORT and LERN_INTERNAL_HTTP_PORT. */
  http: boolean;
  /** Components that encrypt personal data get LERN_ENCRYPTION_KEY (nothing else sees it). */
  encryptionKey: boolean;
}

/**
 * Non-secret settings for a component, as the contract names them. They go into a ConfigMap
 * (envFrom); only stores the component uses are included, so unrelated changes do not roll it.
 */
export function configEnv(spec: LernInstallationSpec, needs: Pick<EnvNeeds, 'stores' | 'http'>): Record<string, string> {
  const env: Record<string, string> = { LERN_ENV: spec.environment };
  if (needs.http) {
    env.LERN_HTTP_PORT = String(SERVICE_PORT);
    env.LERN_INTERNAL_HTTP_PORT = String(INTERNAL_SERVICE_PORT);
  }
  const uses = new Set(needs.stores);
  if (uses.has('cassandra')) {
    env.LERN_CASSANDRA_CONTACT_POINTS = spec.cassandra.contactPoints.join(',');
    env.LERN_CASSANDRA_LOCAL_DC = spec.cassandra.localDataCenter;
    env.LERN_CASSANDRA_CONSISTENCY = spec.cassandra.consistency;
    env.LERN_CASSANDRA_REPLICATION_FACTOR = String(spec.cassandra.replicationFactor);
    if (spec.cassandra.keyspacePrefix) env.LERN_CASSANDRA_KEYSPACE_PREFIX = spec.cassandra.keyspacePrefix;
  }
  if (uses.has('search') && spec.search) {
    env.LERN_SEARCH_ENGINE = spec.search.engine;
    env.LERN_SEARCH_URL = spec.search.url;
    if (spec.search.indexPrefix) env.LERN_SEARCH_INDEX_PREFIX = spec.search.indexPrefix;
  }
  if (uses.has('redis') && spec.redis) env.LERN_REDIS_URL = spec.redis.url;
  if (uses.has('kafka')) {
    env.LERN_KAFKA_BROKERS = spec.kafka.brokers.join(',');
    if (spec.kafka.topicPrefix !== undefined) env.LERN_KAFKA_TOPIC_PREFIX = spec.kafka.topicPrefix;
  }
  if (uses.has('postgres') && spec.postgres) env.LERN_POSTGRES_URL = spec.postgres.url;
  if (spec.auth?.issuer) env.LERN_AUTH_ISSUER = spec.auth.issuer;
  if (spec.auth?.publicKeysSecretRef) env.LERN_AUTH_KEYS_DIR = AUTH_KEYS_DIR;
  return env;
}

const fromSecret = (name: string, secret: string, key: string): ContainerEnv => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

/** Secret settings as env entries referencing the installation's Secrets; values never leave the Secrets. */
export function secretEnv(spec: LernInstallationSpec, needs: Pick<EnvNeeds, 'stores' | 'encryptionKey'>): ContainerEnv[] {
  const uses = new Set(needs.stores);
  const env: ContainerEnv[] = [];
  const cassandra = spec.cassandra.credentialsSecretRef;
  if (uses.has('cassandra') && cassandra) {
    env.push(fromSecret('LERN_CASSANDRA_USERNAME', cassandra.name, cassandra.usernameKey));
    env.push(fromSecret('LERN_CASSANDRA_PASSWORD', cassandra.name, cassandra.passwordKey));
  }
  const search = spec.search?.credentialsSecretRef;
  if (uses.has('search') && search) {
    env.push(fromSecret('LERN_SEARCH_USERNAME', search.name, search.usernameKey));
    env.push(fromSecret('LERN_SEARCH_PASSWORD', search.name, search.passwordKey));
  }
  const redis = spec.redis?.passwordSecretRef;
  if (uses.has('redis') && redis) env.push(fromSecret('LERN_REDIS_PASSWORD', redis.name, redis.key));
  const postgres = spec.postgres?.passwordSecretRef;
  if (uses.has('postgres') && postgres) env.push(fromSecret('LERN_POSTGRES_PASSWORD', postgres.name, postgres.key));
  if (needs.encryptionKey && spec.encryptionKeySecretRef) env.push(fromSecret('LERN_ENCRYPTION_KEY', spec.encryptionKeySecretRef.name, spec.encryptionKeySecretRef.key));
  return env;
}

/** A component's extra env entries, as written in the spec. */
export function extraEnv(env: readonly EnvVar[] | undefined): ContainerEnv[] {
  return (env ?? []).map((e) => (e.valueFrom ? { name: e.name, valueFrom: { secretKeyRef: { ...e.valueFrom.secretKeyRef } } } : { name: e.name, value: e.value ?? '' }));
}

/** Every variable name the operator sets itself; extra env may not override them. */
export const MANAGED_ENV_NAMES: readonly string[] = [
  'LERN_ENV',
  'LERN_HTTP_PORT',
  'LERN_INTERNAL_HTTP_PORT',
  'LERN_SHUTDOWN_DEADLINE_MS',
  'LERN_CASSANDRA_CONTACT_POINTS',
  'LERN_CASSANDRA_LOCAL_DC',
  'LERN_CASSANDRA_CONSISTENCY',
  'LERN_CASSANDRA_REPLICATION_FACTOR',
  'LERN_CASSANDRA_KEYSPACE_PREFIX',
  'LERN_CASSANDRA_USERNAME',
  'LERN_CASSANDRA_PASSWORD',
  'LERN_SEARCH_ENGINE',
  'LERN_SEARCH_URL',
  'LERN_SEARCH_INDEX_PREFIX',
  'LERN_SEARCH_USERNAME',
  'LERN_SEARCH_PASSWORD',
  'LERN_REDIS_URL',
  'LERN_REDIS_PASSWORD',
  'LERN_KAFKA_BROKERS',
  'LERN_KAFKA_TOPIC_PREFIX',
  'LERN_POSTGRES_URL',
  'LERN_POSTGRES_PASSWORD',
  'LERN_AUTH_ISSUER',
  'LERN_AUTH_KEYS_DIR',
  'LERN_ENCRYPTION_KEY',
];
