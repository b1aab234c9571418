/**
 * Pure builders of the workload objects: one Props interface each, documented defaults, and an
 * error a person can act on when the props are incomplete.
 */
import type { V1Container, V1Deployment, V1Job, V1PodSpec, V1Probe } from '@kubernetes/client-node';
import type { ContainerEnv } from './env.ts';
import { quantityString } from './quantity.ts';

/** Metadata every rendered object shares. */
export interface ObjectProps {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Owner reference to the installation. */
  owner: Record<string, unknown>;
  annotations?: Record<string, string>;
}

/** Container resources as quantity strings or numbers. */
export interface ResourceProps {
  requests?: { cpu?: string | number; memory?: string | number };
  limits?: { cpu?: string | number; memory?: string | number };
}

/** The one container of a Lern pod. */
export interface PodProps {
  /** Full image reference, `<repository>:<version>`. */
  image: string;
  /** @default "IfNotPresent" */
  pullPolicy?: string;
  pullSecrets?: { name: string }[];
  /** Arguments to the `lern` entrypoint, e.g. ["service", "userorg"]. */
  args: string[];
  /** ConfigMap loaded whole as environment (non-secret settings). */
  configMapName?: string;
  /** Literal and Secret-referenced env entries. */
  env: ContainerEnv[];
  resources: ResourceProps;
  serviceAccountName: string;
  /**
   * HTTP port and health paths (probes use it). Services also have an internal port and serve
   * traffic (a preStop delay lets endpoints drain); jobs serve only probes and metrics.
   */
  http?: { port: number; internalPort?: number; livenessPath: string; readinessPath: string };
  /** How the pod stops; absent for run-once Jobs, which keep the kubelet's defaults. */
  shutdown?: ShutdownProps;
  /** Secret with the token verification keys, mounted read-only at `authKeysDir`. */
  authKeys?: { secretName: string; mountPath: string };
  /** Labels and annotations of the pods. */
  podLabels: Record<string, string>;
  podAnnotations?: Record<string, string>;
  /** @default "Always" */
  restartPolicy?: 'Always' | 'Never' | 'OnFailure';
}

/** Non-root UID/GID the image runs as. */
export const RUN_AS_USER = 10001;

/**
 * How a long-running pod stops. A service first sleeps in preStop, so Services and load balancers
 * drop the pod from their endpoints before it stops accepting; then SIGTERM, after which the
 * process exits by the deadline it is given (LERN_SHUTDOWN_DEADLINE_MS); the kubelet's SIGKILL
 * (terminationGracePeriodSeconds, counted from the start of preStop) comes only after both.
 */
export interface ShutdownProps {
  /** Sleep before SIGTERM, for services (pods behind a Service). */
  preStopSleepSeconds: number;
  /** The process exits by this long after SIGTERM. */
  deadlineMs: number;
}

/** The shutdown every Lern Deployment gets. */
export const SHUTDOWN: ShutdownProps = { preStopSleepSeconds: 5, deadlineMs: 20_000 };

/** Slack between the process's own deadline and the kubelet's SIGKILL. */
export const SHUTDOWN_MARGIN_SECONDS = 5;

/** The grace period that leaves room for the preStop sleep (services only), the deadline and the margin. */
export function terminationGracePeriodSeconds(shutdown: ShutdownProps, http: boolean): number {
  return (http ? shutdown.preStopSleepSeconds : 0) + Math.ceil(shutdown.deadlineMs / 1000) + SHUTDOWN_MARGIN_SECONDS;
}

function resources(r: ResourceProps): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const side of ['requests', 'limits'] as const) {
    const v = r[side];
    if (!v) continue;
    const list: Record<string, string> = {};
    if (v.cpu !== undefined) list.cpu = quantityString(v.cpu);
    if (v.memory !== undefined) list.memory = quantityString(v.memory);
    if (Object.keys(list).length > 0) out[side] = list;
  }
  return out;
}

function probe(path: string, port: string, failureThreshold: number, periodSeconds: number): V1Probe {
  return { httpGet: { path, port }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

/** The pod spec every Lern workload uses: non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export function renderPodSpec(props: PodProps): { metadata: Record<string, unknown>; spec: V1PodSpec } {
  if (props.args.length === 0) throw new Error('a Lern pod needs arguments for the lern entrypoint, e.g. ["service", "userorg"]');
  if (!props.image.includes(':')) throw new Error(`image "${props.image}" must carry a tag (<repository>:<version>)`);
  const container: V1Container = {
    name: 'lern',
    image: props.image,
    imagePullPolicy: props.pullPolicy ?? 'IfNotPresent',
    args: props.args,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    resources: resources(props.resources),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  if (props.configMapName) container.envFrom = [{ configMapRef: { name: props.configMapName } }];
  const env = props.env.map((e) => ({ ...e }));
  if (props.shutdown) env.push({ name: 'LERN_SHUTDOWN_DEADLINE_MS', value: String(props.shutdown.deadlineMs) });
  if (env.length > 0) container.env = env;
  const servesTraffic = props.http?.internalPort !== undefined;
  if (props.http) {
    if (props.http.internalPort === props.http.port) throw new Error(`the internal port must differ from the public port ${props.http.port}`);
    container.ports = [{ name: 'http', containerPort: props.http.port }];
    if (props.http.internalPort !== undefined) container.ports.push({ name: 'internal', containerPort: props.http.internalPort });
    container.startupProbe = probe(props.http.livenessPath, 'http', 30, 2);
    container.livenessProbe = probe(props.http.livenessPath, 'http', 3, 10);
    container.readinessProbe = probe(props.http.readinessPath, 'http', 3, 5);
    if (props.shutdown && servesTraffic) container.lifecycle = { preStop: { sleep: { seconds: props.shutdown.preStopSleepSeconds } } };
  }
  const volumes: NonNullable<V1PodSpec['volumes']> = [{ name: 'tmp', emptyDir: {} }];
  if (props.authKeys) {
    container.volumeMounts!.push({ name: 'auth-keys', mountPath: props.authKeys.mountPath, readOnly: true });
    volumes.push({ name: 'auth-keys', secret: { secretName: props.authKeys.secretName } });
  }
  const spec: V1PodSpec = {
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_USER,
      fsGroup: RUN_AS_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [container],
    volumes,
  };
  if (props.shutdown) spec.terminationGracePeriodSeconds = terminationGracePeriodSeconds(props.shutdown, servesTraffic);
  if (props.restartPolicy) spec.restartPolicy = props.restartPolicy;
  if (props.pullSecrets && props.pullSecrets.length > 0) spec.imagePullSecrets = props.pullSecrets.map((s) => ({ name: s.name }));
  const metadata: Record<string, unknown> = { labels: props.podLabels };
  if (props.podAnnotations && Object.keys(props.podAnnotations).length > 0) metadata.annotations = props.podAnnotations;
  return { metadata, spec };
}

/** A Deployment running one service or job. */
export interface DeploymentProps extends ObjectProps {
  pod: PodProps;
  /** Labels selecting the pods; must be stable across versions. */
  selector: Record<string, string>;
  /** Omitted while an autoscaler owns the replica count. */
  replicas?: number;
}

/** Renders a Deployment that rolls one extra pod at a time and never goes below the desired count. */
export function renderDeployment(props: DeploymentProps): V1Deployment {
  for (const [k, v] of Object.entries(props.selector)) {
    if (props.pod.podLabels[k] !== v) throw new Error(`Deployment ${props.name}: pod labels must include selector label ${k}=${v}`);
  }
  const template = renderPodSpec(props.pod);
  const spec: V1Deployment['spec'] = {
    selector: { matchLabels: props.selector },
    revisionHistoryLimit: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template,
  };
  if (props.replicas !== undefined) spec.replicas = props.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(props),
    spec,
  };
}

/** A migration Job. */
export interface JobProps extends ObjectProps {
  pod: PodProps;
  /** @default 2 */
  backoffLimit?: number;
  /** @default 600 */
  activeDeadlineSeconds?: number;
}

/** Renders a run-once Job (pods never restart in place; the Job retries up to backoffLimit). */
export function renderJob(props: JobProps): V1Job {
  const template = renderPodSpec({ ...props.pod, restartPolicy: 'Never' });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(props),
    spec: {
      backoffLimit: props.backoffLimit ?? 2,
      activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
      template,
    },
  };
}

/** Object metadata of a rendered child. */
export function metadata(props: ObjectProps): Record<string, unknown> & { name: string } {
  const meta: Record<string, unknown> & { name: string } = {
    name: props.name,
    namespace: props.namespace,
    labels: props.labels,
    ownerReferences: [props.owner],
  };
  if (props.annotations && Object.keys(props.annotations).length > 0) meta.annotations = props.annotations;
  return meta;
}
