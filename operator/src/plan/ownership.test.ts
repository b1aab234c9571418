import { describe, expect, it } from 'vitest';
import { plan } from './plan.ts';
import { NOTHING_OBSERVED } from './observed.ts';
import { migrationJobs } from './objects.ts';
import { installation, jobFor, observed } from './fixtures.ts';
import { notOwnedMessage, refuseUnowned, unownedObjects, type SameNamedObject } from './ownership.ts';

const inst = installation();
const fresh = plan(inst, NOTHING_OBSERVED);
const ours = { 'app.kubernetes.io/managed-by': 'lern-operator', 'lern.sunbird.org/installation': 'lern', 'app.kubernetes.io/name': 'lern' };
const cond = (p: ReturnType<typeof plan>, type: string) => p.status.conditions.find((c) => c.type === type);

describe('unownedObjects', () => {
  const table: [string, SameNamedObject[], string[]][] = [
    ['nothing there yet', [], []],
    ['our own object', [{ kind: 'ServiceAccount', name: 'lern-lern', labels: ours }], []],
    ['a ServiceAccount a person made, without labels', [{ kind: 'ServiceAccount', name: 'lern-lern' }], ['ServiceAccount/lern-lern']],
    ['managed by something else (a chart)', [{ kind: 'NetworkPolicy', name: 'lern-lern', labels: { ...ours, 'app.kubernetes.io/managed-by': 'Helm' } }], ['NetworkPolicy/lern-lern']],
    ['made by the operator for another installation', [{ kind: 'ServiceAccount', name: 'lern-lern', labels: { ...ours, 'lern.sunbird.org/installation': 'other' } }], ['ServiceAccount/lern-lern']],
    ['the installation label alone is not enough', [{ kind: 'ServiceAccount', name: 'lern-lern', labels: { 'lern.sunbird.org/installation': 'lern' } }], ['ServiceAccount/lern-lern']],
    ['same name, other kind: no conflict', [{ kind: 'ConfigMap', name: 'lern-lern' }], []],
    ['a name the plan does not use', [{ kind: 'ServiceAccount', name: 'default' }], []],
    ['reported once, in the order found', [{ kind: 'NetworkPolicy', name: 'lern-lern' }, { kind: 'ServiceAccount', name: 'lern-lern' }, { kind: 'NetworkPolicy', name: 'lern-lern' }], ['NetworkPolicy/lern-lern', 'ServiceAccount/lern-lern']],
  ];
  it.each(table)('%s', (_name, found, want) => {
    expect(unownedObjects(inst, fresh, found).map((r) => `${r.kind}/${r.name}`)).toEqual(want);
  });
});

describe('refuseUnowned', () => {
  it('without unowned objects the plan is unchanged', () => {
    expect(refuseUnowned(inst, fresh, [])).toBe(fresh);
  });

  it('with one: Stalled (ObjectNotOwned) naming kind and name, nothing written, removed or pruned', () => {
    const p = refuseUnowned(inst, fresh, [{ kind: 'ServiceAccount', name: 'lern-lern' }]);
    expect(p.phase).toBe('Stalled');
    expect(p.status.phase).toBe('Stalled');
    expect(p.write).toBe(false);
    expect(p.prune).toBe(false);
    expect(p.remove).toEqual([]);
    expect(cond(p, 'Stalled')).toMatchObject({ status: 'True', reason: 'ObjectNotOwned' });
    expect(cond(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ObjectNotOwned' });
    expect(cond(p, 'Reconciling')).toBeUndefined();
    expect(cond(p, 'Stalled')?.message).toContain('ServiceAccount/lern-lern');
    expect(cond(p, 'Stalled')?.message).toContain('app.kubernetes.io/managed-by=lern-operator');
    // the migrations' own condition is kept as the plan found it
    expect(cond(p, 'MigrationsSucceeded')).toEqual(cond(fresh, 'MigrationsSucceeded'));
    // the objects stay in the plan, so what is pending is still reported as drift
    expect(p.objects).toEqual(fresh.objects);
  });

  it('a retry request is not used up while nothing can be retried', () => {
    const v2 = installation({ version: '1.1.0' }, { lastRetryToken: 'old' }, { generation: 2, annotations: { 'lern.sunbird.org/retry-migrations': 'new' } });
    const [first] = migrationJobs(v2, 'new');
    const retrying = plan(v2, observed([jobFor(first!, 'failed', { generation: 2, retryToken: 'old' })]));
    expect(retrying.remove).toHaveLength(1);
    expect(retrying.status.lastRetryToken).toBe('new');
    const refused = refuseUnowned(v2, retrying, [{ kind: 'ServiceAccount', name: 'lern-lern' }]);
    expect(refused.remove).toEqual([]);
    expect(refused.status.lastRetryToken).toBe('old');
  });

  it('the message names every object and says what to do', () => {
    const message = notOwnedMessage(inst, [{ kind: 'Service', name: 'lern-userorg' }, { kind: 'ConfigMap', name: 'lern-lms' }]);
    expect(message).toMatch(/^Service\/lern-userorg, ConfigMap\/lern-lms already exist and were not created by the operator/);
    expect(message).toContain('renamed or deleted');
  });
});
