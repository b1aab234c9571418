import { describe, expect, it } from 'vitest';
import { installation } from '../plan/fixtures.ts';
import { validateAddresses, validateEnvNotManaged, validateImage, validateRequestsWithinLimits, validateSpec, validateUrls, type Validator } from './validate.ts';
import type { SpecInput } from './defaults.ts';

const spec = (s: Partial<SpecInput>) => installation(s).spec;

const table: [string, Validator, Partial<SpecInput>, string[]][] = [
  ['valid image', validateImage, {}, []],
  ['image with a tag', validateImage, { image: { repository: 'ghcr.io/x/lern:1.0' } }, ['spec.image.repository']],
  ['image with a digest', validateImage, { image: { repository: 'ghcr.io/x/lern@sha256:abc' } }, ['spec.image.repository']],
  ['registry with a port is fine', validateImage, { image: { repository: 'registry.local:5000/lern' } }, []],
  ['upper-case repository', validateImage, { image: { repository: 'GHCR.io/Lern' } }, ['spec.image.repository']],
  ['addresses fine', validateAddresses, {}, []],
  ['contact point without port', validateAddresses, { cassandra: { contactPoints: ['cassandra'] } }, ['spec.cassandra.contactPoints[0]']],
  ['broker port out of range', validateAddresses, { kafka: { brokers: ['k:9092', 'k:70000'] } }, ['spec.kafka.brokers[1]']],
  ['IPv6 broker', validateAddresses, { kafka: { brokers: ['[::1]:9092'] } }, []],
  ['urls fine', validateUrls, {}, []],
  ['search url not http', validateUrls, { search: { url: 'ftp://s:9200' } }, ['spec.search.url']],
  ['redis url not a url', validateUrls, { redis: { url: 'redis host' } }, ['spec.redis.url']],
  ['postgresql scheme accepted', validateUrls, { postgres: { url: 'postgresql://u@h:5432/d' } }, []],
  ['requests within limits', validateRequestsWithinLimits, { services: { userorg: { resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } } } }, []],
  ['cpu request above limit', validateRequestsWithinLimits, { services: { lms: { resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } } } }, ['spec.services.lms.resources.requests.cpu']],
  ['disabled component is not checked', validateRequestsWithinLimits, { services: { lms: { enabled: false, resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } } } }, []],
  ['extra env of own name', validateEnvNotManaged, { jobs: { 'notification-job': { env: [{ name: 'SMTP_HOST', value: 'mail' }] } } }, []],
  ['extra env overriding a managed one', validateEnvNotManaged, { jobs: { 'notification-job': { env: [{ name: 'LERN_KAFKA_BROKERS', value: 'x:1' }] } } }, ['spec.jobs.notification-job.env']],
];

describe('validators', () => {
  it.each(table)('%s', (_name, validator, input, fields) => {
    expect(validator(spec(input)).map((e) => e.field)).toEqual(fields);
  });

  it('validateSpec joins every validator, each error with a message', () => {
    const errors = validateSpec(spec({ image: { repository: 'a:b' }, kafka: { brokers: ['nope'] } }));
    expect(errors.map((e) => e.field)).toEqual(['spec.image.repository', 'spec.kafka.brokers[0]']);
    expect(errors.every((e) => e.message.length > 10)).toBe(true);
  });
});
