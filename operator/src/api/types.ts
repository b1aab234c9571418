/**
 * The LernInstallation resource (lern.sunbird.org/v1alpha1) as the operator reads and writes it.
 * The CRD schema in crd.ts is the authority on defaults and validation; these types mirror it.
 */
import type { JobName, MigrationStore, ServiceName } from './components.ts';

/** API group of the resource. */
export const GROUP = 'lern.sunbird.org';
/** Served and stored version. */
export const VERSION = 'v1alpha1';
/** apiVersion string. */
export const API_VERSION = `${GROUP}/${VERSION}`;
/** Kind. */
export const KIND = 'LernInstallation';
/** Plural resource name (URL path). */
export const PLURAL = 'lerninstallations';

/** Label on every child naming its installation (the operator's own label, not app.kubernetes.io/instance). */
export const INSTALLATION_LABEL = `${GROUP}/installation`;
/** Annotation on a child: hash of what the operator rendered, so unchanged renders are never rewritten. */
export const RENDER_HASH_ANNOTATION = `${GROUP}/render-hash`;
/** Annotation on a migration Job: the installation generation it was created for. */
export const JOB_GENERATION_ANNOTATION = `${GROUP}/generation`;
/** Annotation on a migration Job: the retry token it was created with. */
export const JOB_RETRY_ANNOTATION = `${GROUP}/retry-token`;
/**
 * Annotation a person sets on the installation to retry failed migrations: any new value retries
 * once (e.g. `kubectl annotate lern/x lern.sunbird.org/retry-migrations=$(date +%s) --overwrite`).
 */
export const RETRY_ANNOTATION = `${GROUP}/retry-migrations`;
/** Field manager for every write the operator makes. */
export const FIELD_MANAGER = 'lern-operator';

/** Reference to one key of a Secret in the installation's namespace. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** Reference to a Secret holding a username and a password. */
export interface CredentialsSecretRef {
  name: string;
  /** @default "username" */
  usernameKey: string;
  /** @default "password" */
  passwordKey: string;
}

/** Container resources in Kubernetes quantity strings. */
export interface Resources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/** One extra environment variable: a literal value or a Secret key. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: SecretKeyRef };
}

/** Horizontal autoscaling of a service. */
export interface Autoscaling {
  /** @default false */
  enabled: boolean;
  /** @default 1 */
  minReplicas: number;
  /** @default 3 */
  maxReplicas: number;
  /** @default 80 */
  targetCPUUtilizationPercentage: number;
}

/** PodDisruptionBudget of a service. */
export interface DisruptionBudget {
  /** @default false */
  enabled: boolean;
  /** @default 1 */
  maxUnavailable: number;
}

/** Settings shared by services and jobs. */
export interface ComponentSpec {
  /** @default true */
  enabled: boolean;
  /** @default 1 */
  replicas: number;
  resources?: Resources;
  env?: EnvVar[];
}

/** Settings of one HTTP service. */
export interface ServiceSpec extends ComponentSpec {
  autoscaling?: Autoscaling;
  podDisruptionBudget?: DisruptionBudget;
}

/** Settings of one Kafka consumer job. */
export type JobSpec = ComponentSpec;

/** Cassandra connection. */
export interface CassandraSpec {
  contactPoints: string[];
  /** @default "datacenter1" */
  localDataCenter: string;
  /** @default "LOCAL_QUORUM" */
  consistency: string;
  /** @default 1 */
  replicationFactor: number;
  /** @default "" */
  keyspacePrefix?: string;
  credentialsSecretRef?: CredentialsSecretRef;
}

/** Search engine connection. */
export interface SearchSpec {
  /** @default "elasticsearch" */
  engine: 'elasticsearch' | 'opensearch';
  url: string;
  indexPrefix?: string;
  credentialsSecretRef?: CredentialsSecretRef;
}

/** Redis connection. */
export interface RedisSpec {
  url: string;
  passwordSecretRef?: SecretKeyRef;
}

/** Kafka connection. */
export interface KafkaSpec {
  brokers: string[];
  /** @default "<environment>." */
  topicPrefix?: string;
}

/** PostgreSQL connection. */
export interface PostgresSpec {
  url: string;
  passwordSecretRef?: SecretKeyRef;
}

/** Token verification. */
export interface AuthSpec {
  issuer?: string;
  /** Secret whose keys are PEM public keys named by `kid`; mounted read-only. */
  publicKeysSecretRef?: { name: string };
}

/** How migration Jobs run. */
export interface MigrationsSpec {
  /** @default 2 */
  backoffLimit: number;
  /** @default 600 */
  activeDeadlineSeconds: number;
  /** Extra labels on migration pods (e.g. to opt out of a mesh sidecar). */
  podLabels?: Record<string, string>;
  /** Extra annotations on migration pods. */
  podAnnotations?: Record<string, string>;
}

/** The image of every workload: `<repository>:<spec.version>`. */
export interface ImageSpec {
  /** @default "ghcr.io/sunbird-lern/lern" */
  repository: string;
  /** @default "IfNotPresent" */
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  pullSecrets?: { name: string }[];
}

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** A source of traffic (networking.k8s.io/v1 NetworkPolicyPeer): selectors, or an IP block. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

/** The NetworkPolicy the operator renders for the installation's pods. */
export interface NetworkPolicySpec {
  /** @default true */
  enabled: boolean;
  /**
   * Who may reach the services' public port besides the installation's own pods (an ingress
   * controller or gateway, Prometheus). Absent: any source; an empty list: no one else.
   */
  publicFrom?: NetworkPolicyPeer[];
}

/** Desired state. */
export interface LernInstallationSpec {
  /** Lern version: the image tag and the schema version set. */
  version: string;
  /** Allow `version` below `status.schemaVersion`. @default false */
  allowDowngrade: boolean;
  /** Stop rollouts and migrations; status and drift reporting go on. @default false */
  paused: boolean;
  image: ImageSpec;
  /** Environment name, the topic/table prefix (LERN_ENV). @default "local" */
  environment: string;
  cassandra: CassandraSpec;
  search?: SearchSpec;
  redis?: RedisSpec;
  kafka: KafkaSpec;
  postgres?: PostgresSpec;
  auth?: AuthSpec;
  /** Key used to encrypt personal data at rest (LERN_ENCRYPTION_KEY). */
  encryptionKeySecretRef?: SecretKeyRef;
  services: Record<ServiceName, ServiceSpec>;
  jobs: Record<JobName, JobSpec>;
  migrations: MigrationsSpec;
  networkPolicy: NetworkPolicySpec;
  /** What deleting the installation does to data: always kept. @default "Retain" */
  deletionPolicy: 'Retain';
}

/** Condition types the operator writes. */
export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled' | 'MigrationsSucceeded';

/** Reasons of conditions and events, one closed set. */
export type Reason =
  | 'Ready'
  | 'Pending'
  | 'Migrating'
  | 'MigrationsComplete'
  | 'MigrationFailed'
  | 'RollingOut'
  | 'ComponentsNotReady'
  | 'InvalidSpec'
  | 'Paused'
  | 'NoMigrationsNeeded'
  | 'ObjectNotOwned';

/** A status condition in the Kubernetes metav1.Condition shape. */
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: Reason;
  message: string;
  lastTransitionTime: string;
  observedGeneration: number;
}

/** The lifecycle step an installation is in. */
export type Phase = 'Pending' | 'Migrating' | 'RollingOut' | 'Ready' | 'Stalled' | 'Paused';

/** Readiness of one service or job. */
export interface ComponentStatus {
  name: string;
  kind: 'service' | 'job';
  ready: boolean;
  /** Image version its pods are rolling to. */
  version?: string;
  replicas: number;
  availableReplicas: number;
}

/** A migration that finished, per store. */
export interface AppliedMigration {
  store: MigrationStore;
  version: string;
  hash: string;
  job: string;
}

/** Observed state. */
export interface LernInstallationStatus {
  observedGeneration?: number;
  phase?: Phase;
  /** Version that serves now (every component available at it). */
  version?: string;
  /** Version being rolled to (spec.version). */
  targetVersion?: string;
  /** Version whose migrations have all succeeded. */
  schemaVersion?: string;
  conditions?: Condition[];
  components?: ComponentStatus[];
  migrations?: AppliedMigration[];
  /** Retry token of the last retry handled (from the retry annotation). */
  lastRetryToken?: string;
  /** Children that differ from the plan ("Kind/name: what"), reported even while paused. */
  drift?: string[];
}

/** Minimal object metadata the operator relies on. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The resource. */
export interface LernInstallation {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: ObjectMeta;
  spec: LernInstallationSpec;
  status?: LernInstallationStatus;
}
