/**
 * Checks the CRD schema and CEL cannot express (quantity arithmetic, URL and address grammar,
 * names the operator reserves). Each validator is small and table-tested; the reconciler turns
 * their errors into a Stalled condition that lists the messages.
 */
import { parseQuantity } from '../render/quantity.ts';
import { MANAGED_ENV_NAMES } from '../render/env.ts';
import { JOB_NAMES, SERVICE_NAMES } from './components.ts';
import type { ComponentSpec, LernInstallationSpec } from './types.ts';

/** One problem in the spec, at a field path. */
export interface FieldError {
  field: string;
  message: string;
}

/** A validator: spec in, problems out. */
export type Validator = (spec: LernInstallationSpec) => FieldError[];

function components(spec: LernInstallationSpec): { path: string; c: ComponentSpec }[] {
  return [
    ...SERVICE_NAMES.map((n) => ({ path: `spec.services.${n}`, c: spec.services[n] })),
    ...JOB_NAMES.map((n) => ({ path: `spec.jobs.${n}`, c: spec.jobs[n] })),
  ].filter((x) => x.c !== undefined && x.c.enabled);
}

/** Requests must not exceed limits (the API server would refuse the pods, far from the cause). */
export const validateRequestsWithinLimits: Validator = (spec) => {
  const errors: FieldError[] = [];
  for (const { path, c } of components(spec)) {
    for (const r of ['cpu', 'memory'] as const) {
      const req = c.resources?.requests?.[r];
      const lim = c.resources?.limits?.[r];
      if (req === undefined || lim === undefined) continue;
      const rv = parseQuantity(req);
      const lv = parseQuantity(lim);
      if (rv !== undefined && lv !== undefined && rv > lv) {
        errors.push({ field: `${path}.resources.requests.${r}`, message: `request ${req} exceeds limit ${lim}` });
      }
    }
  }
  return errors;
};

/** Extra env may not replace what the operator derives from the spec (it would silently win or lose). */
export const validateEnvNotManaged: Validator = (spec) => {
  const errors: FieldError[] = [];
  for (const { path, c } of components(spec)) {
    for (const e of c.env ?? []) {
      if (MANAGED_ENV_NAMES.includes(e.name)) {
        errors.push({ field: `${path}.env`, message: `${e.name} is set by the operator from the spec; change the spec field instead` });
      }
    }
  }
  return errors;
};

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})$/;

function checkHostPorts(field: string, entries: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  entries.forEach((entry, i) => {
    const m = HOST_PORT.exec(entry);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) errors.push({ field: `${field}[${i}]`, message: `"${entry}" is not host:port with a port from 1 to 65535` });
  });
  return errors;
}

/** Cassandra contact points and Kafka brokers are host:port. */
export const validateAddresses: Validator = (spec) => [
  ...checkHostPorts('spec.cassandra.contactPoints', spec.cassandra.contactPoints),
  ...checkHostPorts('spec.kafka.brokers', spec.kafka.brokers),
];

function checkUrl(field: string, url: string | undefined, schemes: string[]): FieldError[] {
  if (url === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ field, message: `"${url}" is not a URL` }];
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) return [{ field, message: `"${url}" must use ${schemes.join(' or ')}` }];
  if (!parsed.hostname) return [{ field, message: `"${url}" has no host` }];
  return [];
}

/** Store URLs use the scheme their client understands. */
export const validateUrls: Validator = (spec) => [
  ...checkUrl('spec.search.url', spec.search?.url, ['http', 'https']),
  ...checkUrl('spec.redis.url', spec.redis?.url, ['redis', 'rediss']),
  ...checkUrl('spec.postgres.url', spec.postgres?.url, ['postgres', 'postgresql']),
];

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** The repository must be a reference without a tag or digest: the tag is spec.version. */
export const validateImage: Validator = (spec) => {
  const repo = spec.image.repository;
  const lastPart = repo.split('/').at(-1) ?? '';
  if (lastPart.includes(':') || repo.includes('@')) {
    return [{ field: 'spec.image.repository', message: `"${repo}" carries a tag or digest; give the repository only, the tag is spec.version` }];
  }
  if (!REPOSITORY.test(repo)) return [{ field: 'spec.image.repository', message: `"${repo}" is not a valid image repository` }];
  return [];
};

/** Every validator, in the order their messages are reported. */
export const VALIDATORS: readonly Validator[] = [validateImage, validateAddresses, validateUrls, validateRequestsWithinLimits, validateEnvNotManaged];

/** Runs every validator. */
export function validateSpec(spec: LernInstallationSpec): FieldError[] {
  return VALIDATORS.flatMap((v) => v(spec));
}
