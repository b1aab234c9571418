/** Pure builders of the supporting objects: Service, ConfigMap, ServiceAccount, NetworkPolicy, autoscaler, disruption budget. */
import type {
  V1ConfigMap,
  V1PodDisruptionBudget,
  V1Service,
  V1ServiceAccount,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { NetworkPolicyPeer } from '../api/types.ts';
import { metadata, type ObjectProps } from './workloads.ts';

/** A ClusterIP Service in front of one service's pods. */
export interface ServiceProps extends ObjectProps {
  selector: Record<string, string>;
  /** Public port the Service exposes; it targets the pods' port named "http". */
  port: number;
  /** Internal port (`/private/*` routes); it targets the pods' port named "internal". */
  internalPort: number;
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
      ports: [
        { name: 'http', port: props.port, targetPort: 'http' },
        { name: 'internal', port: props.internalPort, targetPort: 'internal' },
      ],
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

/**
 * A NetworkPolicy as sent to the API server. Not client-node's V1NetworkPolicy: its model names
 * the `from` field `_from`, which only its own serializer maps back.
 */
export interface NetworkPolicyObject {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: Record<string, unknown> & { name: string };
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: ['Ingress'];
    ingress: { from?: NetworkPolicyPeer[]; ports: { protocol: 'TCP'; port: number }[] }[];
  };
}

/** The ingress policy of an installation's pods. */
export interface NetworkPolicyProps extends ObjectProps {
  /** Labels every pod of the installation carries: the pods guarded, and the peers always let in. */
  podSelector: Record<string, string>;
  /** Ports the installation's own pods may reach (public and internal). */
  ownPorts: number[];
  /** The public port. */
  publicPort: number;
  /** Who else may reach the public port: undefined for any source, an empty list for no one. */
  publicFrom?: NetworkPolicyPeer[];
}

/**
 * Renders the NetworkPolicy: ingress only from the installation's own pods, and to the public port
 * also from `publicFrom`. Pods this policy selects refuse every other ingress (egress is untouched).
 */
export function renderNetworkPolicy(props: NetworkPolicyProps): NetworkPolicyObject {
  if (Object.keys(props.podSelector).length === 0) throw new Error(`NetworkPolicy ${props.name} needs a pod selector, or it would guard every pod of the namespace`);
  if (!props.ownPorts.includes(props.publicPort)) throw new Error(`NetworkPolicy ${props.name}: the own pods' ports must include the public port ${props.publicPort}`);
  const tcp = (port: number) => ({ protocol: 'TCP' as const, port });
  const ingress: NetworkPolicyObject['spec']['ingress'] = [{ from: [{ podSelector: { matchLabels: { ...props.podSelector } } }], ports: props.ownPorts.map(tcp) }];
  if (props.publicFrom === undefined) ingress.push({ ports: [tcp(props.publicPort)] });
  else if (props.publicFrom.length > 0) ingress.push({ from: structuredClone(props.publicFrom), ports: [tcp(props.publicPort)] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(props),
    spec: { podSelector: { matchLabels: { ...props.podSelector } }, policyTypes: ['Ingress'], ingress },
  };
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
