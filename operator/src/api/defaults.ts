import { JOB_CATALOGUE, JOB_NAMES, SERVICE_CATALOGUE, SERVICE_NAMES, type JobName, type ServiceName } from './components.ts';
import type { ComponentSpec, JobSpec, LernInstallationSpec, ServiceSpec } from './types.ts';

/** Defaults, the same the CRD schema declares (the API server applies those; these cover objects read raw). */
export const DEFAULTS = {
  imageRepository: 'ghcr.io/sunbird-lern/lern',
  pullPolicy: 'IfNotPresent',
  environment: 'local',
  localDataCenter: 'datacenter1',
  consistency: 'LOCAL_QUORUM',
  replicationFactor: 1,
  searchEngine: 'elasticsearch',
  replicas: 1,
  minReplicas: 1,
  maxReplicas: 3,
  targetCPUUtilizationPercentage: 80,
  maxUnavailable: 1,
  migrationBackoffLimit: 2,
  migrationDeadlineSeconds: 600,
} as const;

type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A spec as a person may write it: everything with a default may be left out. */
export type SpecInput = DeepPartial<LernInstallationSpec> & { version: string };

/** A component is enabled by default only when this version's program can run it. */
function component(input: DeepPartial<ComponentSpec> | undefined, runnable: boolean): ComponentSpec {
  const out: ComponentSpec = { ...(input as ComponentSpec), enabled: input?.enabled ?? runnable, replicas: input?.replicas ?? DEFAULTS.replicas };
  return out;
}

function service(input: DeepPartial<ServiceSpec> | undefined, runnable: boolean): ServiceSpec {
  const out: ServiceSpec = component(input, runnable);
  if (input?.autoscaling) {
    out.autoscaling = {
      enabled: input.autoscaling.enabled ?? false,
      minReplicas: input.autoscaling.minReplicas ?? DEFAULTS.minReplicas,
      maxReplicas: input.autoscaling.maxReplicas ?? DEFAULTS.maxReplicas,
      targetCPUUtilizationPercentage: input.autoscaling.targetCPUUtilizationPercentage ?? DEFAULTS.targetCPUUtilizationPercentage,
    };
  }
  if (input?.podDisruptionBudget) {
    out.podDisruptionBudget = {
      enabled: input.podDisruptionBudget.enabled ?? false,
      maxUnavailable: input.podDisruptionBudget.maxUnavailable ?? DEFAULTS.maxUnavailable,
    };
  }
  return out;
}

/** Fills every default into a spec; values already present are kept. Pure. */
export function withDefaults(input: SpecInput): LernInstallationSpec {
  const services = {} as Record<ServiceName, ServiceSpec>;
  for (const name of SERVICE_NAMES) services[name] = service(input.services?.[name], SERVICE_CATALOGUE[name].runnable);
  const jobs = {} as Record<JobName, JobSpec>;
  for (const name of JOB_NAMES) jobs[name] = component(input.jobs?.[name], JOB_CATALOGUE[name].runnable);
  const spec = structuredClone(input) as unknown as LernInstallationSpec;
  spec.allowDowngrade = input.allowDowngrade ?? false;
  spec.paused = input.paused ?? false;
  spec.image = {
    ...(input.image as LernInstallationSpec['image'] | undefined),
    repository: input.image?.repository ?? DEFAULTS.imageRepository,
    pullPolicy: input.image?.pullPolicy ?? DEFAULTS.pullPolicy,
  };
  spec.environment = input.environment ?? DEFAULTS.environment;
  spec.cassandra = {
    ...(input.cassandra as LernInstallationSpec['cassandra'] | undefined),
    contactPoints: (input.cassandra?.contactPoints ?? []),
    localDataCenter: input.cassandra?.localDataCenter ?? DEFAULTS.localDataCenter,
    consistency: input.cassandra?.consistency ?? DEFAULTS.consistency,
    replicationFactor: input.cassandra?.replicationFactor ?? DEFAULTS.replicationFactor,
  };
  if (input.cassandra?.credentialsSecretRef) {
    spec.cassandra.credentialsSecretRef = {
      name: input.cassandra.credentialsSecretRef.name ?? '',
      usernameKey: input.cassandra.credentialsSecretRef.usernameKey ?? 'username',
      passwordKey: input.cassandra.credentialsSecretRef.passwordKey ?? 'password',
    };
  }
  if (input.search) {
    spec.search = { ...(input.search as LernInstallationSpec['search'] & object), engine: input.search.engine ?? DEFAULTS.searchEngine, url: input.search.url ?? '' };
    if (input.search.credentialsSecretRef) {
      spec.search.credentialsSecretRef = {
        name: input.search.credentialsSecretRef.name ?? '',
        usernameKey: input.search.credentialsSecretRef.usernameKey ?? 'username',
        passwordKey: input.search.credentialsSecretRef.passwordKey ?? 'password',
      };
    }
  }
  spec.kafka = { ...(input.kafka as LernInstallationSpec['kafka'] | undefined), brokers: (input.kafka?.brokers ?? []) };
  spec.services = services;
  spec.jobs = jobs;
  spec.migrations = {
    ...(input.migrations as LernInstallationSpec['migrations'] | undefined),
    backoffLimit: input.migrations?.backoffLimit ?? DEFAULTS.migrationBackoffLimit,
    activeDeadlineSeconds: input.migrations?.activeDeadlineSeconds ?? DEFAULTS.migrationDeadlineSeconds,
  };
  spec.networkPolicy = { ...(input.networkPolicy as LernInstallationSpec['networkPolicy'] | undefined), enabled: input.networkPolicy?.enabled ?? true };
  spec.deletionPolicy = 'Retain';
  return spec;
}
