import type { MigrationStore } from '../api/components.ts';

/** A migration Job the installation owns, as seen in the cluster. */
export interface ObservedJob {
  name: string;
  store: MigrationStore;
  version: string;
  hash: string;
  /** Installation generation the Job was created for. */
  generation: number;
  /** Retry token the Job was created with ("" when none). */
  retryToken: string;
  state: 'running' | 'succeeded' | 'failed';
  /** Failure reason and message from the Job's Failed condition. */
  reason?: string;
  message?: string;
  /** The Job is being deleted. */
  deleting: boolean;
}

/** A Deployment the installation owns, as seen in the cluster. */
export interface ObservedDeployment {
  name: string;
  /** Component label (service or job name). */
  component: string;
  /** Version label: the image version it runs or rolls to. */
  version?: string;
  /** Render hash annotation: which rendering it carries. */
  renderHash?: string;
  generation: number;
  observedGeneration: number;
  /** Desired pods (spec.replicas). */
  replicas: number;
  /** Pods in total, updated and available (status). */
  statusReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

/** What the planner knows about the cluster. */
export interface Observed {
  jobs: ObservedJob[];
  deployments: ObservedDeployment[];
}

/** Nothing observed yet. */
export const NOTHING_OBSERVED: Observed = { jobs: [], deployments: [] };

/** True when a Deployment runs the given rendering with every pod updated and available. */
export function rolledOut(d: ObservedDeployment, renderHash: string): boolean {
  return (
    d.renderHash === renderHash &&
    d.observedGeneration >= d.generation &&
    d.updatedReplicas >= d.replicas &&
    d.statusReplicas === d.updatedReplicas &&
    d.availableReplicas >= d.replicas
  );
}
