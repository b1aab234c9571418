/**
 * What should exist for an installation at a given version, built from the render builders.
 * Pure: the installation (with defaults) in, plain objects out.
 */
import {
  HEALTH_PATHS,
  INTERNAL_SERVICE_PORT,
  JOB_CATALOGUE,
  JOB_NAMES,
  MIGRATION_STORES,
  SERVICE_CATALOGUE,
  SERVICE_NAMES,
  SERVICE_CALLS,
  SERVICE_PORT,
  jobsUsing,
  servicesUsing,
  type CatalogueEntry,
  type JobName,
  type MigrationStore,
  type ServiceName,
  type Store,
} from '../api/components.ts';
import {
  JOB_GENERATION_ANNOTATION,
  JOB_RETRY_ANNOTATION,
  RENDER_HASH_ANNOTATION,
  type ComponentSpec,
  type LernInstallation,
  type LernInstallationSpec,
} from '../api/types.ts';
import { AUTH_KEYS_DIR, configEnv, extraEnv, secretEnv } from '../render/env.ts';
import { HASH_LABEL, STORE_LABEL, childLabels, installationSelector, ownerReference, selectorLabels } from '../render/labels.ts';
import { childName, contentHash, versionForName } from '../render/names.ts';
import { renderAutoscaler, renderConfigMap, renderDisruptionBudget, renderNetworkPolicy, renderService, renderServiceAccount } from '../render/objects.ts';
import { SHUTDOWN, renderDeployment, renderJob, type PodProps, type ResourceProps } from '../render/workloads.ts';

/** Any Kubernetes object the operator writes. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** One object the plan wants to exist. */
export interface PlannedObject {
  kind: string;
  name: string;
  object: KubeObject;
  /** Written only when absent (Jobs: their template is immutable and they run once). */
  createOnly: boolean;
  /** For Deployments: the component and its render hash, to judge readiness. */
  component?: { name: string; kind: 'service' | 'job' };
}

/** Pod annotation carrying the hash of the ConfigMap the pods load, so a settings change rolls them. */
export const CONFIG_HASH_ANNOTATION = 'lern.sunbird.org/config-hash';

const DEFAULT_RESOURCES: Record<'service' | 'job' | 'migration', ResourceProps> = {
  service: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  job: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  migration: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
};

/** The hash annotation of a rendered object: what it would be written with. */
export function stamp<T extends KubeObject>(object: T): T {
  const { [RENDER_HASH_ANNOTATION]: _ignored, ...annotations } = object.metadata.annotations ?? {};
  const withoutHash = { ...object, metadata: { ...object.metadata, annotations } };
  const hash = contentHash(withoutHash, 16);
  object.metadata.annotations = { ...annotations, [RENDER_HASH_ANNOTATION]: hash };
  return object;
}

/** The render hash an object was stamped with. */
export function renderHashOf(object: KubeObject): string {
  return object.metadata.annotations?.[RENDER_HASH_ANNOTATION] ?? '';
}

function image(spec: LernInstallationSpec, version: string): string {
  return `${spec.image.repository}:${version}`;
}

/**
 * Name of the installation-wide objects (its ServiceAccount and NetworkPolicy): `<installation>-lern`.
 * Never the bare installation name, so an installation called "default" cannot take over (and on
 * deletion remove) the namespace's default ServiceAccount; no component is called "lern", so it
 * cannot meet a component's objects either.
 */
export function installationObjectName(inst: LernInstallation): string {
  return childName(inst.metadata.name, 'lern');
}

/** The ServiceAccount every workload of the installation runs as. */
export function serviceAccountName(inst: LernInstallation): string {
  return installationObjectName(inst);
}

/** Name of a service's or job's Deployment (and its Service, ConfigMap, autoscaler, budget). */
export function componentName(inst: LernInstallation, component: string): string {
  return childName(inst.metadata.name, component);
}

function podBase(inst: LernInstallation, version: string): Pick<PodProps, 'image' | 'pullPolicy' | 'pullSecrets' | 'serviceAccountName' | 'authKeys'> {
  const spec = inst.spec;
  const base: ReturnType<typeof podBase> = {
    image: image(spec, version),
    pullPolicy: spec.image.pullPolicy,
    serviceAccountName: serviceAccountName(inst),
  };
  if (spec.image.pullSecrets) base.pullSecrets = spec.image.pullSecrets;
  if (spec.auth?.publicKeysSecretRef) base.authKeys = { secretName: spec.auth.publicKeysSecretRef.name, mountPath: AUTH_KEYS_DIR };
  return base;
}

function resourcesOf(c: ComponentSpec, kind: 'service' | 'job'): ResourceProps {
  return c.resources && (c.resources.requests || c.resources.limits) ? c.resources : DEFAULT_RESOURCES[kind];
}

/** LERN_<CALLEE>_URL of each enabled service the component calls, on the callee's internal port. */
export function peerEnv(inst: LernInstallation, name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const callee of SERVICE_CALLS[name as ServiceName | JobName] ?? []) {
    if (!inst.spec.services[callee].enabled) continue;
    env[`LERN_${callee.toUpperCase()}_URL`] = `http://${componentName(inst, callee)}:${INTERNAL_SERVICE_PORT}`;
  }
  return env;
}

/** The objects of one service or job at a version: ConfigMap, Deployment, and for services Service, autoscaler, budget. */
function componentObjects(inst: LernInstallation, name: string, kind: 'service' | 'job', c: ComponentSpec, entry: CatalogueEntry, version: string): PlannedObject[] {
  const stores = entry.stores;
  const ns = inst.metadata.namespace;
  const owner = ownerReference(inst);
  const objName = componentName(inst, name);
  const labels = childLabels(inst, name, kind, version);
  const selector = selectorLabels(inst, name);
  const data = { ...configEnv(inst.spec, { stores, http: kind === 'service' }), ...peerEnv(inst, name) };
  const configMap = renderConfigMap({ name: objName, namespace: ns, labels: childLabels(inst, name, kind, version), owner, data });
  const service = kind === 'service' ? inst.spec.services[name as ServiceName] : undefined;
  const autoscaled = service?.autoscaling?.enabled === true;
  const pod: PodProps = {
    ...podBase(inst, version),
    args: [kind, name],
    configMapName: objName,
    env: [...secretEnv(inst.spec, { stores, encryptionKey: entry.encryptionKey }), ...extraEnv(c.env)],
    resources: resourcesOf(c, kind),
    shutdown: SHUTDOWN,
    podLabels: { ...labels },
    podAnnotations: { [CONFIG_HASH_ANNOTATION]: contentHash(data) },
  };
  // Services serve traffic on two ports; jobs answer probes and metrics on the public one.
  pod.http = { port: SERVICE_PORT, livenessPath: HEALTH_PATHS.liveness, readinessPath: HEALTH_PATHS.readiness };
  if (kind === 'service') pod.http.internalPort = INTERNAL_SERVICE_PORT;
  const deployment = renderDeployment({
    name: objName,
    namespace: ns,
    labels,
    owner,
    selector,
    pod,
    ...(autoscaled ? {} : { replicas: c.replicas }),
  });
  const out: PlannedObject[] = [
    { kind: 'ConfigMap', name: objName, object: stamp(configMap as unknown as KubeObject), createOnly: false },
    { kind: 'Deployment', name: objName, object: stamp(deployment as unknown as KubeObject), createOnly: false, component: { name, kind } },
  ];
  if (service) {
    out.push({ kind: 'Service', name: objName, object: stamp(renderService({ name: objName, namespace: ns, labels, owner, selector, port: SERVICE_PORT, internalPort: INTERNAL_SERVICE_PORT }) as unknown as KubeObject), createOnly: false });
    if (autoscaled && service.autoscaling) {
      const hpa = renderAutoscaler({ name: objName, namespace: ns, labels, owner, deploymentName: objName, ...service.autoscaling });
      out.push({ kind: 'HorizontalPodAutoscaler', name: objName, object: stamp(hpa as unknown as KubeObject), createOnly: false });
    }
    if (service.podDisruptionBudget?.enabled) {
      const pdb = renderDisruptionBudget({ name: objName, namespace: ns, labels, owner, selector, maxUnavailable: service.podDisruptionBudget.maxUnavailable });
      out.push({ kind: 'PodDisruptionBudget', name: objName, object: stamp(pdb as unknown as KubeObject), createOnly: false });
    }
  }
  return out;
}

/** Objects that exist whatever the version: the ServiceAccount, and the NetworkPolicy unless turned off. */
export function baseObjects(inst: LernInstallation): PlannedObject[] {
  const name = installationObjectName(inst);
  const common = { name, namespace: inst.metadata.namespace, labels: childLabels(inst, 'lern', 'installation', inst.spec.version), owner: ownerReference(inst) };
  const out: PlannedObject[] = [{ kind: 'ServiceAccount', name, object: stamp(renderServiceAccount(common) as unknown as KubeObject), createOnly: false }];
  const policy = inst.spec.networkPolicy;
  if (policy.enabled) {
    const np = renderNetworkPolicy({
      ...common,
      podSelector: installationSelector(inst),
      ownPorts: [SERVICE_PORT, INTERNAL_SERVICE_PORT],
      publicPort: SERVICE_PORT,
      ...(policy.publicFrom ? { publicFrom: policy.publicFrom } : {}),
    });
    out.push({ kind: 'NetworkPolicy', name, object: stamp(np as unknown as KubeObject), createOnly: false });
  }
  return out;
}

/** The Deployments (and their companions) of every enabled service and job, rendered at `version`. */
export function workloadObjects(inst: LernInstallation, version: string): PlannedObject[] {
  const out: PlannedObject[] = [];
  for (const name of SERVICE_NAMES) {
    const s = inst.spec.services[name];
    if (s.enabled) out.push(...componentObjects(inst, name, 'service', s, SERVICE_CATALOGUE[name], version));
  }
  for (const name of JOB_NAMES) {
    const j = inst.spec.jobs[name];
    if (j.enabled) out.push(...componentObjects(inst, name, 'job', j, JOB_CATALOGUE[name], version));
  }
  return out;
}

/** Which enabled components a store's migration covers. */
export function migrationScope(spec: LernInstallationSpec, store: MigrationStore): { services: ServiceName[]; jobs: JobName[] } {
  return {
    services: servicesUsing(store).filter((s) => spec.services[s].enabled),
    jobs: jobsUsing(store).filter((j) => spec.jobs[j].enabled),
  };
}

/** A migration Job to run, with the identity that decides whether it already ran. */
export interface PlannedMigration {
  store: MigrationStore;
  version: string;
  hash: string;
  name: string;
  object: KubeObject;
}

/**
 * The migration Jobs of the spec's version: one per store that some enabled component uses.
 * The name carries version and content hash, so a Job runs once per version and content.
 */
export function migrationJobs(inst: LernInstallation, retryToken: string): PlannedMigration[] {
  const spec = inst.spec;
  const out: PlannedMigration[] = [];
  for (const store of MIGRATION_STORES) {
    if (store === 'search' && !spec.search) continue;
    const scope = migrationScope(spec, store);
    if (scope.services.length === 0 && scope.jobs.length === 0) continue;
    // Cassandra code migrations may rewrite derived data: User-Org's V004 rehashes lookups with the
    // encryption key and updates the search documents' hashes, so that Job gets both when in scope.
    const needsKey = store === 'cassandra' && (scope.services.some((s) => SERVICE_CATALOGUE[s].encryptionKey) || scope.jobs.some((j) => JOB_CATALOGUE[j].encryptionKey));
    const stores: Store[] = store === 'cassandra' && needsKey && spec.search ? ['cassandra', 'search'] : [store];
    const args = ['migrate', store];
    if (scope.services.length > 0) args.push('--services', scope.services.join(','));
    if (scope.jobs.length > 0) args.push('--jobs', scope.jobs.join(','));
    const labels = { ...childLabels(inst, `migrate-${store}`, 'migration', spec.version), [STORE_LABEL]: store };
    const configData = configEnv(spec, { stores, http: false });
    const pod: PodProps = {
      ...podBase(inst, spec.version),
      args,
      env: [...Object.entries(configData).map(([name, value]) => ({ name, value })), ...secretEnv(spec, { stores, encryptionKey: needsKey })],
      resources: DEFAULT_RESOURCES.migration,
      podLabels: { ...(spec.migrations.podLabels ?? {}), ...labels },
      podAnnotations: { ...(spec.migrations.podAnnotations ?? {}) },
    };
    const props = {
      name: 'pending',
      namespace: inst.metadata.namespace,
      labels,
      owner: ownerReference(inst),
      pod,
      backoffLimit: spec.migrations.backoffLimit,
      activeDeadlineSeconds: spec.migrations.activeDeadlineSeconds,
    };
    const hash = contentHash(renderJob(props).spec, 8);
    const name = childName(inst.metadata.name, 'migrate', store, versionForName(spec.version), hash);
    const job = renderJob({
      ...props,
      name,
      labels: { ...labels, [HASH_LABEL]: hash },
      annotations: { [JOB_GENERATION_ANNOTATION]: String(inst.metadata.generation ?? 0), [JOB_RETRY_ANNOTATION]: retryToken },
    }) as unknown as KubeObject;
    out.push({ store, version: spec.version, hash, name, object: job });
  }
  return out;
}
