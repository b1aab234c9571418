import { describe, expect, it } from 'vitest';
import { parseServerNames } from '../src/manager.ts';
import { createdAt, isolatedNames } from '../src/names.ts';
import { DEFAULT_PORTS, resolvePorts } from '../src/ports.ts';
import { SERVER_NAMES } from '../src/types.ts';

describe('parseServerNames', () => {
  it.each([
    [undefined, [...SERVER_NAMES]],
    ['', [...SERVER_NAMES]],
    ['all', [...SERVER_NAMES]],
    ['redis', ['redis']],
    [' cassandra , kafka ', ['cassandra', 'kafka']],
  ])('%j -> %j', (input, expected) => {
    expect(parseServerNames(input)).toEqual(expected);
  });

  it('names the unknown server and lists the known ones', () => {
    expect(() => parseServerNames('redis,mongo')).toThrow(/unknown server mongo; known: cassandra, kafka/);
  });
});

describe('resolvePorts', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(resolvePorts({})).toEqual(DEFAULT_PORTS);
  });

  it('takes LERN_<NAME>_PORT overrides, camel case as snake case', () => {
    const ports = resolvePorts({ LERN_CASSANDRA_PORT: '9042', LERN_KUBE_APISERVER_PORT: '6443' });
    expect(ports.cassandra).toBe(9042);
    expect(ports.kubeApiserver).toBe(6443);
    expect(ports.kafka).toBe(DEFAULT_PORTS.kafka);
  });

  it.each(['0', '70000', 'abc', '12.5'])('refuses %s with the variable name', (value) => {
    expect(() => resolvePorts({ LERN_REDIS_PORT: value })).toThrow(`LERN_REDIS_PORT=${value} is not a TCP port`);
  });
});

describe('isolatedNames', () => {
  const names = isolatedNames('/work/main/services/userorg/test/Users.Int.test.ts');

  it('gives names each server accepts', () => {
    expect(names.keyspace).toMatch(/^[a-z][a-z0-9_]{0,47}$/);
    expect(names.namespace).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(names.index).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(names.topic).toMatch(/^[a-zA-Z0-9._-]+\.$/);
    expect(names.redisPrefix.endsWith(':')).toBe(true);
  });

  it('fits the longest keyspace suffix under Cassandra\'s 48 characters', () => {
    expect(`${names.keyspace}_sunbird_notifications`.length).toBeLessThanOrEqual(48);
  });

  it('carries its creation time, so a sweep can tell stale data from a running suite\'s', () => {
    const at = Date.UTC(2026, 11, 3, 9, 30);
    expect(createdAt(isolatedNames('/x/a.int.test.ts', at).id, at + 3_600_000)).toBe(at);
    // Names of older runs (random characters where the stamp is) read as stale.
    expect(createdAt('usersint5907a0ac8b', at)).toBeUndefined();
  });

  it('differs between two calls for the same file, so reruns never meet old data', () => {
    expect(isolatedNames('/x/a.int.test.ts').id).not.toBe(isolatedNames('/x/a.int.test.ts').id);
  });
});
