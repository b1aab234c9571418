/**
 * Observe: one snapshot of what the cluster holds for an installation, read from the informer
 * caches (no API requests), turned into the planner's typed view.
 */
import { MIGRATION_STORES, type MigrationStore } from '../api/components.ts';
import { INSTALLATION_LABEL, JOB_GENERATION_ANNOTATION, JOB_RETRY_ANNOTATION, RENDER_HASH_ANNOTATION, type LernInstallation } from '../api/types.ts';
import { COMPONENT_LABEL, HASH_LABEL, STORE_LABEL } from '../render/labels.ts';
import type { Observed, ObservedDeployment, ObservedJob } from '../plan/observed.ts';
import type { CachedObject } from './cache.ts';

/** Kinds of children, in the order they are applied and pruned. */
export const CHILD_KINDS = ['ServiceAccount', 'NetworkPolicy', 'ConfigMap', 'Job', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'] as const;
/** One of {@link CHILD_KINDS}. */
export type ChildKind = (typeof CHILD_KINDS)[number];

/** Children of an installation by kind, as cached. */
export type Children = Record<ChildKind, CachedObject[]>;

/** True when the object belongs to the installation (label and controller owner reference). */
export function ownedBy(obj: CachedObject, inst: LernInstallation): boolean {
  if (obj.metadata.labels?.[INSTALLATION_LABEL] !== inst.metadata.name) return false;
  const refs = (obj.metadata.ownerReferences ?? []) as { uid?: string; controller?: boolean }[];
  return refs.some((r) => r.controller === true && r.uid === inst.metadata.uid);
}

interface JobLike {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  status?: { succeeded?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

interface DeploymentLike {
  metadata: { name: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** A migration Job as the planner sees it. */
export function observeJob(obj: CachedObject): ObservedJob | undefined {
  const job = obj as unknown as JobLike;
  const labels = job.metadata.labels ?? {};
  const store = labels[STORE_LABEL] as MigrationStore | undefined;
  if (!store || !MIGRATION_STORES.includes(store)) return undefined;
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True');
  const complete = conditions.find((c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
  const out: ObservedJob = {
    name: job.metadata.name,
    store,
    version: labels['app.kubernetes.io/version'] ?? '',
    hash: labels[HASH_LABEL] ?? '',
    generation: Number(job.metadata.annotations?.[JOB_GENERATION_ANNOTATION] ?? 0),
    retryToken: job.metadata.annotations?.[JOB_RETRY_ANNOTATION] ?? '',
    state: failed ? 'failed' : complete ? 'succeeded' : 'running',
    deleting: job.metadata.deletionTimestamp !== undefined,
  };
  if (failed?.reason) out.reason = failed.reason;
  if (failed?.message) out.message = failed.message;
  return out;
}

/** A Deployment as the planner sees it. */
export function observeDeployment(obj: CachedObject): ObservedDeployment {
  const d = obj as unknown as DeploymentLike;
  const out: ObservedDeployment = {
    name: d.metadata.name,
    component: d.metadata.labels?.[COMPONENT_LABEL] ?? '',
    generation: d.metadata.generation ?? 0,
    observedGeneration: d.status?.observedGeneration ?? 0,
    replicas: d.spec?.replicas ?? 1,
    statusReplicas: d.status?.replicas ?? 0,
    updatedReplicas: d.status?.updatedReplicas ?? 0,
    availableReplicas: d.status?.availableReplicas ?? 0,
  };
  const version = d.metadata.labels?.['app.kubernetes.io/version'];
  if (version) out.version = version;
  const hash = d.metadata.annotations?.[RENDER_HASH_ANNOTATION];
  if (hash) out.renderHash = hash;
  return out;
}

/** The planner's view of the children. */
export function observe(children: Children): Observed {
  return {
    jobs: children.Job.map(observeJob).filter((j): j is ObservedJob => j !== undefined),
    deployments: children.Deployment.map(observeDeployment),
  };
}
