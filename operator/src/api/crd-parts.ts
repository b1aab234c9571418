/** Building blocks of the CRD schema: typed helpers and the reusable sub-schemas. */
import { INTERNAL_SERVICE_PORT, SERVICE_PORT } from './components.ts';
import { CEL_RULES } from './cel.ts';

/** An OpenAPI v3 schema node. */
export type Schema = Record<string, unknown>;

const QUANTITY = '^[0-9]+([.][0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$';

export const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, maxLength: 253, ...extra });
export const int = (description: string, extra: Schema = {}): Schema => ({ type: 'integer', format: 'int32', description, ...extra });
export const bool = (description: string, dflt: boolean): Schema => ({ type: 'boolean', description, default: dflt });
export const obj = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  description,
  properties,
  ...extra,
});

export const quantity = (description: string): Schema => ({
  description,
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: QUANTITY,
});

export const resourceList = (description: string): Schema =>
  obj(description, { cpu: quantity('CPU, e.g. 250m or 1'), memory: quantity('Memory, e.g. 512Mi') });

export const secretKeyRef = (description: string): Schema =>
  obj(description, { name: str('Secret name', { maxLength: 253 }), key: str('Key in the Secret', { maxLength: 253 }) }, { required: ['name', 'key'] });

export const credentialsRef = (description: string): Schema =>
  obj(
    description,
    {
      name: str('Secret name'),
      usernameKey: str('Key holding the user name', { default: 'username' }),
      passwordKey: str('Key holding the password', { default: 'password' }),
    },
    { required: ['name'] },
  );

export const envList: Schema = {
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

export const labelSelector = (description: string): Schema =>
  obj(description, {
    matchLabels: { type: 'object', description: 'Labels the object must carry', maxProperties: 32, additionalProperties: { type: 'string', maxLength: 63 } },
    matchExpressions: {
      type: 'array',
      description: 'Label requirements, all of which must hold',
      maxItems: 16,
      items: obj(
        'One requirement',
        {
          key: str('Label key', { maxLength: 317 }),
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { type: 'array', maxItems: 64, items: str('Value', { maxLength: 63 }) },
        },
        { required: ['key', 'operator'] },
      ),
    },
  }, { 'x-kubernetes-map-type': 'atomic' });

export const networkPolicyPeer: Schema = obj(
  'A source (NetworkPolicyPeer): podSelector and/or namespaceSelector, or ipBlock. A podSelector alone means pods of the installation\'s namespace',
  {
    podSelector: labelSelector('Pods, e.g. the ingress controller\'s'),
    namespaceSelector: labelSelector('Namespaces, e.g. {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}'),
    ipBlock: obj(
      'Addresses (for a gateway outside the cluster)',
      {
        cidr: str('CIDR, e.g. 10.0.0.0/16', { maxLength: 64 }),
        except: { type: 'array', description: 'CIDRs left out', maxItems: 16, items: str('CIDR', { maxLength: 64 }) },
      },
      { required: ['cidr'] },
    ),
  },
  { 'x-kubernetes-validations': [CEL_RULES.peerIsSelectorsOrIpBlock] },
);

export const networkPolicySchema: Schema = obj(
  `The NetworkPolicy the operator renders for the installation's pods. Each service listens on a public port (${SERVICE_PORT}, the Sunbird APIs) and an internal one (${INTERNAL_SERVICE_PORT}, /private routes). Ingress to every Lern pod is allowed from the installation's own pods; the public port also from publicFrom. Prometheus scrapes /metrics on the public port, so list it in publicFrom too when you set it.`,
  {
    enabled: bool('Render the NetworkPolicy. Turn off only when policies of your own govern the namespace', true),
    publicFrom: {
      type: 'array',
      description: 'Who may reach the public port besides the installation\'s own pods: an ingress controller, a gateway, Prometheus. Absent: any source may (like Strimzi\'s networkPolicyPeers). An empty list: only the installation\'s own pods. The internal port is never opened to these',
      maxItems: 32,
      items: networkPolicyPeer,
    },
  },
  { default: {} },
);
