/** Pure builders of the supporting objects: Service, ConfigMap, ServiceAccount, autoscaler, disruption budget. */
import type {
  V1ConfigMap,
  V1PodDisruptionBudget,
  V1Service,
  V1ServiceAccount,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { metadata, type ObjectProps } from './workloads.ts';

/** A ClusterIP Service in front of one service's pods. */
export interface ServiceProps extends ObjectProps {
  selector: Record<string, string>;
  /** Port the Service exposes; it targets the pods' port named "http". */
  port: number;
}

/** Renders the Service. */
export function renderService(props: ServiceProps): V1Service {
  if (Object.keys(props.selector).length === 0) throw new Error(`Service ${props.name} needs a selector, or it would match no pods`);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(props),
    spec: {
      type: 'ClusterIP',
      selector: props.selector,
      ports: [{ name: 'http', port: props.port, targetPort: 'http' }],
    },
  };
}

/** A ConfigMap of non-secret settings. */
export interface ConfigMapProps extends ObjectProps {
  data: Record<string, string>;
}

/** Renders the ConfigMap. */
export function renderConfigMap(props: ConfigMapProps): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(props), data: { ...props.data } };
}

/** Renders the installation's ServiceAccount (its pods need no API access: token not mounted). */
export function renderServiceAccount(props: ObjectProps): V1ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(props), automountServiceAccountToken: false };
}

/** A CPU-based HorizontalPodAutoscaler. */
export interface AutoscalerProps extends ObjectProps {
  deploymentName: string;
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
}

/** Renders the autoscaler. */
export function renderAutoscaler(props: AutoscalerProps): V2HorizontalPodAutoscaler {
  if (props.minReplicas > props.maxReplicas) {
    throw new Error(`autoscaler ${props.name}: minReplicas ${props.minReplicas} exceeds maxReplicas ${props.maxReplicas}`);
  }
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(props),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.targetCPUUtilizationPercentage } } }],
    },
  };
}

/** A PodDisruptionBudget. */
export interface DisruptionBudgetProps extends ObjectProps {
  selector: Record<string, string>;
  maxUnavailable: number;
}

/** Renders the budget. */
export function renderDisruptionBudget(props: DisruptionBudgetProps): V1PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(props),
    spec: { selector: { matchLabels: props.selector }, maxUnavailable: props.maxUnavailable },
  };
}
