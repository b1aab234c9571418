import { describe, expect, it } from 'vitest';
import { firstDifference } from './diff.ts';

const table: [string, unknown, unknown, string | undefined][] = [
  ['equal', { a: 1 }, { a: 1 }, undefined],
  ['server defaults are ignored', { spec: { a: 1 } }, { spec: { a: 1, b: 2 } }, undefined],
  ['changed scalar', { spec: { replicas: 2 } }, { spec: { replicas: 5 } }, '.spec.replicas'],
  ['missing field', { spec: { x: 'y' } }, { spec: {} }, '.spec.x'],
  ['empty list equals absent', { env: [] }, {}, undefined],
  ['empty object equals absent (emptyDir: {})', { emptyDir: {} }, {}, undefined],
  ['named lists match by name, extra entries of others allowed', { env: [{ name: 'A', value: '1' }] }, { env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }, undefined],
  ['named list entry changed', { c: [{ name: 'lern', image: 'x:1' }] }, { c: [{ name: 'lern', image: 'x:2' }] }, '.c[lern].image'],
  ['unnamed list must match exactly', { args: ['service', 'lms'] }, { args: ['service', 'lms', '--debug'] }, '.args'],
  ['quantities by value', { resources: { requests: { memory: '1024Mi' } } }, { resources: { requests: { memory: '1Gi' } } }, undefined],
  ['quantities differ', { resources: { limits: { cpu: '1' } } }, { resources: { limits: { cpu: '500m' } } }, '.resources.limits.cpu'],
  ['string that only looks like a quantity elsewhere', { data: { A: '1' } }, { data: { A: '1.0' } }, '.data.A'],
];

describe('firstDifference', () => {
  it.each(table)('%s', (_name, desired, actual, diff) => expect(firstDifference(desired, actual)).toBe(diff));
});
