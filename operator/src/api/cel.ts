/**
 * The CEL rules (`x-kubernetes-validations`) of the LernInstallation CRD, with the message a person
 * reads when one fails. The "required while enabled" rules are built from the component catalogue.
 */
import {
  jobsNeedingEncryptionKey,
  jobsUsing,
  servicesNeedingEncryptionKey,
  servicesUsing,
  type Store,
} from './components.ts';

/** A CEL rule with the message a person reads when it fails. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
}

/** CEL accepts property names that are not identifiers only in escaped form. */
export function celField(name: string): string {
  return name.replace(/__/g, '__underscores__').replace(/-/g, '__dash__').replace(/\./g, '__dot__').replace(/\//g, '__slash__');
}

const SEMVER = '^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$';
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
  peerIsSelectorsOrIpBlock: {
    rule: 'has(self.ipBlock) != (has(self.podSelector) || has(self.namespaceSelector))',
    message: 'a publicFrom peer is either an ipBlock or a podSelector and/or namespaceSelector, not both and not neither',
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

/** The rule that the encryption key Secret is referenced while any component that needs it is enabled. */
export function requiredEncryptionKeyRule(): CelRule {
  const users = [
    ...servicesNeedingEncryptionKey().map((s) => ({ name: s, path: `self.services.${celField(s)}` })),
    ...jobsNeedingEncryptionKey().map((j) => ({ name: j, path: `self.jobs.${celField(j)}` })),
  ];
  return {
    rule: `has(self.encryptionKeySecretRef) || !(${users.map((u) => `${u.path}.enabled`).join(' || ')})`,
    message: `spec.encryptionKeySecretRef is required while any of these is enabled: ${users.map((u) => u.name).join(', ')} (they encrypt personal data at rest and do not start without the key)`,
    reason: 'FieldValueRequired',
    fieldPath: '.encryptionKeySecretRef',
  };
}
