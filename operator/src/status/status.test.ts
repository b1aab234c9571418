import { describe, expect, it } from 'vitest';
import type { LernInstallationStatus } from '../api/types.ts';
import type { DesiredCondition } from '../plan/plan.ts';
import { applyTx, sameStatus, setConditions, setDrift, setObservedGeneration } from './status.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:05:00.000Z';

describe('status transactions', () => {
  const migrating: DesiredCondition[] = [
    { type: 'Ready', status: 'False', reason: 'Migrating', message: 'm' },
    { type: 'Reconciling', status: 'True', reason: 'Migrating', message: 'm' },
    { type: 'MigrationsSucceeded', status: 'False', reason: 'Migrating', message: 'm' },
  ];
  const ready: DesiredCondition[] = [
    { type: 'Ready', status: 'True', reason: 'Ready', message: 'ok' },
    { type: 'Reconciling', status: 'False', reason: 'Ready', message: '' },
    { type: 'Stalled', status: 'False', reason: 'Ready', message: '' },
    { type: 'MigrationsSucceeded', status: 'True', reason: 'MigrationsComplete', message: 'ok' },
  ];

  it('Reconciling and Stalled exist only while true', () => {
    const s = applyTx({}, [setConditions(ready, 3, T0)]);
    expect(s.conditions?.map((c) => c.type)).toEqual(['Ready', 'MigrationsSucceeded']);
    expect(applyTx({}, [setConditions(migrating, 3, T0)]).conditions?.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'MigrationsSucceeded']);
  });

  it('lastTransitionTime moves only when a condition changes status; observedGeneration always follows', () => {
    const first = applyTx({}, [setConditions(migrating, 1, T0)]);
    const again = applyTx(first, [setConditions(migrating.map((c) => ({ ...c, message: 'newer message' })), 2, T1)]);
    expect(again.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ lastTransitionTime: T0, observedGeneration: 2, message: 'newer message' });
    const done = applyTx(again, [setConditions(ready, 2, T1)]);
    expect(done.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: T1 });
  });

  it('the same transactions on the same status change nothing (no write)', () => {
    const s: LernInstallationStatus = applyTx({}, [setConditions(ready, 2, T0), setObservedGeneration(2), setDrift([])]);
    const next = applyTx(s, [setConditions(ready, 2, T1), setObservedGeneration(2), setDrift([])]);
    expect(sameStatus(s, next)).toBe(true);
    expect(sameStatus(s, applyTx(s, [setDrift(['Deployment/x: missing'])]))).toBe(false);
  });
});

describe('apply errors', () => {
  it('an installation whose objects could not all be written is not Ready', async () => {
    const { withApplyErrors } = await import('../reconcile/reconciler.ts');
    const { plan } = await import('../plan/plan.ts');
    const { migrationJobs, workloadObjects } = await import('../plan/objects.ts');
    const { installation, jobFor, observed, rolledOutDeployment } = await import('../plan/fixtures.ts');
    const inst = installation({}, { version: '0.9.0' });
    const jobs = migrationJobs(inst, '').map((m) => jobFor(m, 'succeeded'));
    const p = plan(inst, observed(jobs, workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment').map((o) => rolledOutDeployment(o))));
    expect(p.phase).toBe('Ready');
    withApplyErrors(p, ['Service/lern-lms: 500 failed to allocate a serviceIP: range is full'], '0.9.0');
    expect(p.phase).toBe('RollingOut');
    expect(p.status.version).toBe('0.9.0');
    expect(p.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ComponentsNotReady' });
    expect(p.status.conditions.find((c) => c.type === 'Ready')?.message).toContain('range is full');
  });
});
