/** Installations and observations for the planner's tables. */
import { JOB_NAMES, SERVICE_NAMES } from '../api/components.ts';
import { withDefaults, type SpecInput } from '../api/defaults.ts';
import { RENDER_HASH_ANNOTATION, type LernInstallation, type LernInstallationStatus } from '../api/types.ts';
import type { Observed, ObservedDeployment, ObservedJob } from './observed.ts';
import { renderHashOf, type PlannedMigration, type PlannedObject } from './objects.ts';

/** A spec with every store, in the shape a person writes it. */
export const FULL_SPEC: SpecInput = {
  version: '1.0.0',
  cassandra: { contactPoints: ['cassandra.data.svc:9042'], credentialsSecretRef: { name: 'cassandra' } },
  search: { url: 'http://search.data.svc:9200' },
  redis: { url: 'redis://redis.data.svc:6379', passwordSecretRef: { name: 'redis', key: 'password' } },
  kafka: { brokers: ['kafka.data.svc:9092'] },
  postgres: { url: 'postgres://lern@pg.data.svc:5432/lern', passwordSecretRef: { name: 'pg', key: 'password' } },
  encryptionKeySecretRef: { name: 'lern-keys', key: 'encryption' },
};

/** An installation built from a spec as written (only the defaults filled in) and a status. */
export function defaultInstallation(spec: Partial<SpecInput> = {}, status?: LernInstallationStatus, meta: Partial<LernInstallation['metadata']> = {}): LernInstallation {
  const inst: LernInstallation = {
    apiVersion: 'lern.sunbird.org/v1alpha1',
    kind: 'LernInstallation',
    metadata: { name: 'lern', namespace: 'prod', uid: 'uid-1', generation: 1, ...meta },
    spec: withDefaults({ ...FULL_SPEC, ...spec }),
  };
  if (status) inst.status = status;
  return inst;
}

/**
 * An installation with every component enabled unless `spec` disables it, also those this version
 * cannot run yet: the planner's tables exercise all fourteen.
 */
export function installation(spec: Partial<SpecInput> = {}, status?: LernInstallationStatus, meta: Partial<LernInstallation['metadata']> = {}): LernInstallation {
  const services = Object.fromEntries(SERVICE_NAMES.map((n) => [n, { enabled: true, ...spec.services?.[n] }]));
  const jobs = Object.fromEntries(JOB_NAMES.map((n) => [n, { enabled: true, ...spec.jobs?.[n] }]));
  return defaultInstallation({ ...spec, services, jobs }, status, meta);
}

/** A finished Job for a planned migration. */
export function jobFor(m: PlannedMigration, state: ObservedJob['state'], extra: Partial<ObservedJob> = {}): ObservedJob {
  return { name: m.name, store: m.store, version: m.version, hash: m.hash, generation: 1, retryToken: '', state, deleting: false, ...extra };
}

/** A Deployment observed fully rolled out at a planned rendering. */
export function rolledOutDeployment(o: PlannedObject, extra: Partial<ObservedDeployment> = {}): ObservedDeployment {
  const labels = o.object.metadata.labels ?? {};
  const spec = o.object.spec as { replicas?: number };
  const replicas = spec.replicas ?? 1;
  return {
    name: o.name,
    component: labels['lern.sunbird.org/component'] ?? '',
    version: labels['app.kubernetes.io/version'] ?? '',
    renderHash: o.object.metadata.annotations?.[RENDER_HASH_ANNOTATION] ?? renderHashOf(o.object),
    generation: 2,
    observedGeneration: 2,
    replicas,
    statusReplicas: replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
    ...extra,
  };
}

/** Observation made of jobs and deployments. */
export function observed(jobs: ObservedJob[] = [], deployments: ObservedDeployment[] = []): Observed {
  return { jobs, deployments };
}
