/**
 * The CustomResourceDefinition of LernInstallation, built from the component table so the
 * "required while enabled" rules always name the right components. `crds/` holds its YAML
 * (`lern operator crd > crds/lern.sunbird.org_lerninstallations.yaml`); a unit test keeps them equal.
 */
import { stringify } from 'yaml';
import {
  JOB_NAMES,
  SERVICE_NAMES,
  jobsUsing,
  servicesUsing,
  type Store,
} from './components.ts';
import { DEFAULTS } from './defaults.ts';
import { GROUP, KIND, PLURAL, VERSION } from './types.ts';

type Schema = Record<string, unknown>;

/** A CEL rule with the message a person reads when it fails. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
}

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, maxLength: 253, ...extra });
const int = (description: string, extra: Schema = {}): Schema => ({ type: 'integer', format: 'int32', description, ...extra });
const bool = (description: string, dflt: boolean): Schema => ({ type: 'boolean', description, default: dflt });
const obj = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  description,
  properties,
  ...extra,
});

/** CEL accepts property names that are not identifiers only in escaped form. */
export function celField(name: string): string {
  return name.replace(/__/g, '__underscores__').replace(/-/g, '__dash__').replace(/\./g, '__dot__').replace(/\//g, '__slash__');
}

const SEMVER = '^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$';
const QUANTITY = '^[0-9]+([.][0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$';
const URL_WITH_PASSWORD = '^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:[^/@]*@';
const CREDENTIAL_NAME = '(?i)(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS?|_KEY|APIKEY)$';

/** Every CEL rule, with where it sits, so tests can walk the list and try each one. */
export const CEL_RULES = {
  semver: {
    rule: `self.matches('${SEMVER}')`,
    message: 'must be a semantic version MAJOR.MINOR.PATCH such as 1.2.0 (no leading "v"): it is the image tag and the schema version',
  },
  replicas: {
    rule: 'self >= 0 && self <= 50',
    message: 'replicas must be between 0 and 50',
  },
  autoscalingBounds: {
    rule: '!self.enabled || !has(self.autoscaling) || !self.autoscaling.enabled || (self.autoscaling.minReplicas >= 1 && self.autoscaling.minReplicas <= self.autoscaling.maxReplicas && self.autoscaling.maxReplicas <= 50)',
    message: 'autoscaling needs 1 <= minReplicas <= maxReplicas <= 50',
  },
  envValueOrSecret: {
    rule: 'has(self.value) != has(self.valueFrom)',
    message: 'an env entry needs exactly one of value or valueFrom',
  },
  envCredentialFromSecret: {
    rule: `!has(self.value) || !self.name.matches('${CREDENTIAL_NAME}')`,
    messageExpression: `'env ' + self.name + ' looks like a credential: give it as valueFrom.secretKeyRef, never as a literal value'`,
  },
  urlWithoutPassword: {
    rule: `!self.url.matches('${URL_WITH_PASSWORD}')`,
    message: 'the URL must not carry a password: put credentials in a Secret and reference it (passwordSecretRef or credentialsSecretRef)',
  },
  searchEngineImmutable: {
    rule: 'self == oldSelf',
    message: 'search.engine cannot change on an existing installation (the indices live in one engine); create a new installation to switch',
  },
  nameLength: {
    rule: 'size(self.metadata.name) <= 50',
    message: 'the name of a LernInstallation must be at most 50 characters (child objects and labels are named after it)',
  },
  noDowngrade: {
    rule: [
      '!has(self.status) || !has(self.status.schemaVersion) || self.spec.allowDowngrade ||',
      'int(self.spec.version.split(\'-\')[0].split(\'.\')[0]) > int(self.status.schemaVersion.split(\'-\')[0].split(\'.\')[0]) ||',
      '(int(self.spec.version.split(\'-\')[0].split(\'.\')[0]) == int(self.status.schemaVersion.split(\'-\')[0].split(\'.\')[0]) &&',
      ' (int(self.spec.version.split(\'-\')[0].split(\'.\')[1]) > int(self.status.schemaVersion.split(\'-\')[0].split(\'.\')[1]) ||',
      '  (int(self.spec.version.split(\'-\')[0].split(\'.\')[1]) == int(self.status.schemaVersion.split(\'-\')[0].split(\'.\')[1]) &&',
      '   int(self.spec.version.split(\'-\')[0].split(\'.\')[2]) >= int(self.status.schemaVersion.split(\'-\')[0].split(\'.\')[2]))))',
    ].join(' '),
    messageExpression:
      "'spec.version ' + self.spec.version + ' is below the applied schema version ' + self.status.schemaVersion + ': older versions may not understand the newer schema; set spec.allowDowngrade: true to run it anyway'",
    fieldPath: '.spec.version',
  },
} satisfies Record<string, CelRule>;

/** The rule that a store's block is present while any component that uses it is enabled. */
export function requiredStoreRule(store: Store): CelRule {
  const users = [
    ...servicesUsing(store).map((s) => ({ name: s, path: `self.services.${celField(s)}` })),
    ...jobsUsing(store).map((j) => ({ name: j, path: `self.jobs.${celField(j)}` })),
  ];
  return {
    rule: `has(self.${store}) || !(${users.map((u) => `${u.path}.enabled`).join(' || ')})`,
    message: `spec.${store} is required while any of these is enabled: ${users.map((u) => u.name).join(', ')} (disable them to leave it out)`,
    reason: 'FieldValueRequired',
  };
}

const quantity = (description: string): Schema => ({
  description,
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: QUANTITY,
});

const resourceList = (description: string): Schema =>
  obj(description, { cpu: quantity('CPU, e.g. 250m or 1'), memory: quantity('Memory, e.g. 512Mi') });

const secretKeyRef = (description: string): Schema =>
  obj(description, { name: str('Secret name', { maxLength: 253 }), key: str('Key in the Secret', { maxLength: 253 }) }, { required: ['name', 'key'] });

const credentialsRef = (description: string): Schema =>
  obj(
    description,
    {
      name: str('Secret name'),
      usernameKey: str('Key holding the user name', { default: 'username' }),
      passwordKey: str('Key holding the password', { default: 'password' }),
    },
    { required: ['name'] },
  );

const envList: Schema = {
  type: 'array',
  description: 'Extra environment variables. Credentials only through valueFrom.secretKeyRef.',
  maxItems: 64,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['name'],
  items: obj(
    'One variable',
    {
      name: str('Variable name', { maxLength: 128, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
      value: { type: 'string', description: 'Literal value (not for credentials)', maxLength: 4096 },
      valueFrom: obj('Value from a Secret', { secretKeyRef: secretKeyRef('The Secret key') }, { required: ['secretKeyRef'] }),
    },
    { required: ['name'], 'x-kubernetes-validations': [CEL_RULES.envValueOrSecret, CEL_RULES.envCredentialFromSecret] },
  ),
};

const componentProps = (kind: string): Record<string, Schema> => ({
  enabled: bool(`Run this ${kind}`, true),
  replicas: int('Pod count (ignored while autoscaling is enabled)', { default: DEFAULTS.replicas, 'x-kubernetes-validations': [CEL_RULES.replicas] }),
  resources: obj('Container resources', { requests: resourceList('Requests'), limits: resourceList('Limits') }),
  env: envList,
});

const serviceSchema = (name: string): Schema =>
  obj(
    `The ${name} service`,
    {
      ...componentProps('service'),
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

const jobSchema = (name: string): Schema => obj(`The ${name} Kafka consumer job`, componentProps('job'), { default: {} });

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
    encryptionKeySecretRef: secretKeyRef('Secret key holding the key that encrypts personal data at rest'),
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
    deletionPolicy: {
      type: 'string',
      description: 'What deleting the installation does to data: Retain keeps every keyspace, index and topic',
      enum: ['Retain'],
      default: 'Retain',
    },
  },
  {
    required: ['version', 'cassandra', 'kafka'],
    'x-kubernetes-validations': [requiredStoreRule('search'), requiredStoreRule('redis'), requiredStoreRule('postgres')],
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
