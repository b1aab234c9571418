/**
 * The CustomResourceDefinition of LernInstallation, built from the component catalogue so the
 * defaults and the "required while enabled" rules always name the right components. `crds/` and
 * the chart hold its YAML (`lern operator crd > crds/lern.sunbird.org_lerninstallations.yaml`, the
 * same file in charts/lern-operator/crds/); unit tests keep them equal.
 */
import { stringify } from 'yaml';
import { JOB_CATALOGUE, JOB_NAMES, SERVICE_CATALOGUE, SERVICE_NAMES, type JobName, type ServiceName } from './components.ts';
import { CEL_RULES, requiredEncryptionKeyRule, requiredStoreRule } from './cel.ts';
import { bool, credentialsRef, envList, int, networkPolicySchema, obj, resourceList, secretKeyRef, str, type Schema } from './crd-parts.ts';
import { DEFAULTS } from './defaults.ts';
import { GROUP, KIND, PLURAL, VERSION } from './types.ts';

export { CEL_RULES, celField, requiredEncryptionKeyRule, requiredStoreRule, type CelRule } from './cel.ts';

const componentProps = (kind: string, runnable: boolean): Record<string, Schema> => ({
  enabled: bool(
    runnable
      ? `Run this ${kind} (on by default)`
      : `Run this ${kind}. Off by default: this version of the lern program cannot run it yet, so its pods and migrations would fail`,
    runnable,
  ),
  replicas: int('Pod count (ignored while autoscaling is enabled)', { default: DEFAULTS.replicas, 'x-kubernetes-validations': [CEL_RULES.replicas] }),
  resources: obj('Container resources', { requests: resourceList('Requests'), limits: resourceList('Limits') }),
  env: envList,
});

const serviceSchema = (name: ServiceName): Schema =>
  obj(
    `The ${name} service`,
    {
      ...componentProps('service', SERVICE_CATALOGUE[name].runnable),
      autoscaling: obj('HorizontalPodAutoscaler on CPU', {
        enabled: bool('Create the autoscaler', false),
        minReplicas: int('Lower bound', { default: DEFAULTS.minReplicas }),
        maxReplicas: int('Upper bound', { default: DEFAULTS.maxReplicas }),
        targetCPUUtilizationPercentage: int('Target average CPU utilisation', { default: DEFAULTS.targetCPUUtilizationPercentage, minimum: 1, maximum: 100 }),
      }),
      podDisruptionBudget: obj('PodDisruptionBudget', {
        enabled: bool('Create the budget', false),
        maxUnavailable: int('Pods that may be down at once during voluntary disruptions', { default: DEFAULTS.maxUnavailable, minimum: 0 }),
      }),
    },
    { default: {}, 'x-kubernetes-validations': [CEL_RULES.autoscalingBounds] },
  );

const jobSchema = (name: JobName): Schema => obj(`The ${name} Kafka consumer job`, componentProps('job', JOB_CATALOGUE[name].runnable), { default: {} });

const specSchema: Schema = obj(
  'Desired state of one Lern installation',
  {
    version: str('Lern version: the image tag and the schema version set (semantic version)', {
      maxLength: 64,
      'x-kubernetes-validations': [CEL_RULES.semver],
    }),
    allowDowngrade: bool('Allow spec.version below status.schemaVersion (older code against a newer schema)', false),
    paused: bool('Stop migrations and rollouts; status and drift reporting continue', false),
    image: obj(
      'Image of every workload; the tag is spec.version',
      {
        repository: str('Image repository', { default: DEFAULTS.imageRepository, maxLength: 200 }),
        pullPolicy: { type: 'string', description: 'Image pull policy', enum: ['Always', 'IfNotPresent', 'Never'], default: DEFAULTS.pullPolicy },
        pullSecrets: {
          type: 'array',
          description: 'Secrets for pulling the image',
          maxItems: 8,
          items: obj('Secret reference', { name: str('Secret name') }, { required: ['name'] }),
        },
      },
      { default: {} },
    ),
    environment: str('Environment name: topic and table prefix (LERN_ENV)', { default: DEFAULTS.environment, maxLength: 32, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    cassandra: obj(
      'Cassandra connection (credentials only by Secret reference)',
      {
        contactPoints: { type: 'array', description: 'host:port entries', minItems: 1, maxItems: 16, items: str('host:port', { maxLength: 260 }) },
        localDataCenter: str('Local data centre', { default: DEFAULTS.localDataCenter, maxLength: 64 }),
        consistency: { type: 'string', description: 'Consistency level', default: DEFAULTS.consistency, enum: ['ONE', 'QUORUM', 'LOCAL_QUORUM', 'LOCAL_ONE', 'ALL', 'EACH_QUORUM'] },
        replicationFactor: int('Replication factor of keyspaces the migrations create', { default: DEFAULTS.replicationFactor, minimum: 1, maximum: 9 }),
        keyspacePrefix: str('Prefix of every keyspace name', { maxLength: 16, pattern: '^[a-z0-9_]*$' }),
        credentialsSecretRef: credentialsRef('Secret with the Cassandra user name and password'),
      },
      { required: ['contactPoints'] },
    ),
    search: obj(
      'Search engine connection (Elasticsearch or OpenSearch)',
      {
        engine: { type: 'string', description: 'Which engine', enum: ['elasticsearch', 'opensearch'], default: DEFAULTS.searchEngine, 'x-kubernetes-validations': [CEL_RULES.searchEngineImmutable] },
        url: str('http(s)://host:port', { maxLength: 512 }),
        indexPrefix: str('Prefix of every index and alias', { maxLength: 32, pattern: '^[a-z0-9][a-z0-9._-]*$' }),
        credentialsSecretRef: credentialsRef('Secret with the user name and password'),
      },
      { required: ['url'], 'x-kubernetes-validations': [CEL_RULES.urlWithoutPassword] },
    ),
    redis: obj(
      'Redis connection',
      { url: str('redis://host:port', { maxLength: 512 }), passwordSecretRef: secretKeyRef('Secret key holding the password') },
      { required: ['url'], 'x-kubernetes-validations': [CEL_RULES.urlWithoutPassword] },
    ),
    kafka: obj(
      'Kafka connection',
      {
        brokers: { type: 'array', description: 'host:port entries', minItems: 1, maxItems: 16, items: str('host:port', { maxLength: 260 }) },
        topicPrefix: str('Prefix of every topic (default "<environment>.")', { maxLength: 64 }),
      },
      { required: ['brokers'] },
    ),
    postgres: obj(
      'PostgreSQL connection',
      { url: str('postgres://user@host:port/db', { maxLength: 512 }), passwordSecretRef: secretKeyRef('Secret key holding the password') },
      { required: ['url'], 'x-kubernetes-validations': [CEL_RULES.urlWithoutPassword] },
    ),
    auth: obj('Access token verification', {
      issuer: str('Expected token issuer (iss)', { maxLength: 512 }),
      publicKeysSecretRef: obj('Secret whose keys are PEM public keys named by kid', { name: str('Secret name') }, { required: ['name'] }),
    }),
    encryptionKeySecretRef: secretKeyRef('Secret key holding the key that encrypts personal data at rest (LERN_ENCRYPTION_KEY); required while User-Org is enabled'),
    services: obj(
      'The HTTP services',
      Object.fromEntries(SERVICE_NAMES.map((n) => [n, serviceSchema(n)])),
      { default: {} },
    ),
    jobs: obj('The Kafka consumer jobs', Object.fromEntries(JOB_NAMES.map((n) => [n, jobSchema(n)])), { default: {} }),
    migrations: obj(
      'How migration Jobs run',
      {
        backoffLimit: int('Pod retries before a migration Job fails', { default: DEFAULTS.migrationBackoffLimit, minimum: 0, maximum: 10 }),
        activeDeadlineSeconds: int('Time limit of one migration Job', { default: DEFAULTS.migrationDeadlineSeconds, minimum: 30, maximum: 86400 }),
        podLabels: { type: 'object', description: 'Extra labels on migration pods', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 63 } },
        podAnnotations: { type: 'object', description: 'Extra annotations on migration pods', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 1024 } },
      },
      { default: {} },
    ),
    networkPolicy: networkPolicySchema,
    deletionPolicy: {
      type: 'string',
      description: 'What deleting the installation does to data: Retain keeps every keyspace, index and topic',
      enum: ['Retain'],
      default: 'Retain',
    },
  },
  {
    required: ['version', 'cassandra', 'kafka'],
    'x-kubernetes-validations': [requiredStoreRule('search'), requiredStoreRule('redis'), requiredStoreRule('postgres'), requiredEncryptionKeyRule()],
  },
);

const conditionSchema: Schema = obj(
  'A condition (metav1.Condition)',
  {
    type: str('Ready, Reconciling, Stalled or MigrationsSucceeded', { maxLength: 64 }),
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    reason: str('Machine-readable reason', { maxLength: 64 }),
    message: { type: 'string', maxLength: 4096 },
    lastTransitionTime: { type: 'string', format: 'date-time' },
    observedGeneration: { type: 'integer', format: 'int64' },
  },
  { required: ['type', 'status', 'reason', 'lastTransitionTime'] },
);

const statusSchema: Schema = obj('Observed state', {
  observedGeneration: { type: 'integer', format: 'int64', description: 'Generation the status describes' },
  phase: { type: 'string', enum: ['Pending', 'Migrating', 'RollingOut', 'Ready', 'Stalled', 'Paused'] },
  version: str('Version that serves now', { maxLength: 64 }),
  targetVersion: str('Version being rolled to', { maxLength: 64 }),
  schemaVersion: str('Version whose migrations all succeeded', { maxLength: 64 }),
  lastRetryToken: str('Retry annotation value last handled', { maxLength: 253 }),
  drift: { type: 'array', description: 'Children that differ from the plan (corrected unless paused)', maxItems: 64, items: { type: 'string', maxLength: 512 } },
  conditions: { type: 'array', maxItems: 16, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'], items: conditionSchema },
  components: {
    type: 'array',
    maxItems: 32,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    items: obj(
      'Readiness of one service or job',
      {
        name: str('Component', { maxLength: 64 }),
        kind: { type: 'string', enum: ['service', 'job'] },
        ready: { type: 'boolean' },
        version: str('Version its pods run or roll to', { maxLength: 64 }),
        replicas: { type: 'integer', format: 'int32' },
        availableReplicas: { type: 'integer', format: 'int32' },
      },
      { required: ['name', 'kind', 'ready'] },
    ),
  },
  migrations: {
    type: 'array',
    maxItems: 8,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['store'],
    items: obj(
      'The last migration that succeeded for a store',
      { store: { type: 'string', enum: ['cassandra', 'search', 'kafka'] }, version: str('Version', { maxLength: 64 }), hash: str('Content hash', { maxLength: 16 }), job: str('Job name', { maxLength: 63 }) },
      { required: ['store', 'version', 'hash'] },
    ),
  },
});

/** The CRD object. */
export function lernInstallationCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}`, labels: { 'app.kubernetes.io/name': 'lern-operator', 'app.kubernetes.io/part-of': 'lern' } },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: 'lerninstallation', shortNames: ['lern'], categories: ['lern'] },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Version', type: 'string', jsonPath: '.status.version', description: 'Version that serves now' },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Target', type: 'string', jsonPath: '.spec.version', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'One Lern installation: migrations, services and jobs of one version, reconciled by the Lern operator',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: specSchema,
                status: statusSchema,
              },
              required: ['spec'],
              'x-kubernetes-validations': [CEL_RULES.nameLength, CEL_RULES.noDowngrade],
            },
          },
        },
      ],
    },
  };
}

/** The CRD as YAML, as committed under crds/. */
export function lernInstallationCrdYaml(): string {
  return `# Generated by \`lern operator crd\` from operator/src/api/crd.ts; do not edit by hand.\n${stringify(lernInstallationCrd(), { lineWidth: 0 })}`;
}
