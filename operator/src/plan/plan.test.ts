import { describe, expect, it } from 'vitest';
import { RETRY_ANNOTATION } from '../api/types.ts';
import { plan, type Plan } from './plan.ts';
import { migrationJobs, workloadObjects } from './objects.ts';
import { FULL_SPEC, installation, jobFor, observed, rolledOutDeployment } from './fixtures.ts';
import { NOTHING_OBSERVED } from './observed.ts';

const kinds = (p: Plan) => p.objects.map((o) => `${o.kind}/${o.name}`);
const condition = (p: Plan, type: string) => p.status.conditions.find((c) => c.type === type);
const deploymentImages = (p: Plan) =>
  p.objects.filter((o) => o.kind === 'Deployment').map((o) => ((o.object.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image));

describe('plan: a fresh installation', () => {
  it('runs the migrations first and renders no Deployment until they succeed', () => {
    // GIVEN a new installation with nothing in the cluster
    const p = plan(installation(), NOTHING_OBSERVED);
    // THEN it migrates: the ServiceAccount and NetworkPolicy first, three Jobs (cassandra, search, kafka), no workloads
    expect(p.phase).toBe('Migrating');
    expect(kinds(p).filter((k) => k.startsWith('Job/'))).toHaveLength(3);
    expect(kinds(p).slice(0, 2)).toEqual(['ServiceAccount/lern-lern', 'NetworkPolicy/lern-lern']);
    expect(kinds(p).some((k) => k.startsWith('Deployment/'))).toBe(false);
    expect(p.deployVersion).toBeUndefined();
    expect(condition(p, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Migrating' });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'Migrating' });
    expect(condition(p, 'MigrationsSucceeded')).toMatchObject({ status: 'False', reason: 'Migrating' });
    expect(p.status.version).toBeUndefined();
  });

  it('rolls out every enabled component once the migrations succeeded', () => {
    const inst = installation();
    const jobs = migrationJobs(inst, '').map((m) => jobFor(m, 'succeeded'));
    const p = plan(inst, observed(jobs));
    expect(p.phase).toBe('RollingOut');
    expect(p.deployVersion).toBe('1.0.0');
    expect(kinds(p).filter((k) => k.startsWith('Deployment/'))).toHaveLength(14);
    expect(kinds(p).filter((k) => k.startsWith('Service/'))).toHaveLength(5);
    expect(p.status.schemaVersion).toBe('1.0.0');
    expect(p.status.migrations.map((m) => m.store).sort()).toEqual(['cassandra', 'kafka', 'search']);
    expect(condition(p, 'MigrationsSucceeded')).toMatchObject({ status: 'True', reason: 'MigrationsComplete' });
    // Jobs that ran are kept, not re-planned
    expect(kinds(p).some((k) => k.startsWith('Job/'))).toBe(false);
    expect(p.keep).toHaveLength(3);
  });

  it('is Ready only when every component is rolled out at the planned rendering', () => {
    const inst = installation();
    const jobs = migrationJobs(inst, '').map((m) => jobFor(m, 'succeeded'));
    const deployments = workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment');
    const allButOne = deployments.slice(1).map((o) => rolledOutDeployment(o));
    const half = plan(inst, observed(jobs, allButOne));
    expect(half.phase).toBe('RollingOut');
    expect(condition(half, 'Reconciling')?.message).toContain('13 of 14');
    const all = plan(inst, observed(jobs, deployments.map((o) => rolledOutDeployment(o))));
    expect(all.phase).toBe('Ready');
    expect(all.status.version).toBe('1.0.0');
    expect(condition(all, 'Ready')).toMatchObject({ status: 'True', reason: 'Ready' });
    expect(condition(all, 'Reconciling')).toBeUndefined();
    expect(condition(all, 'Stalled')).toBeUndefined();
  });
});

describe('plan: readiness of one Deployment', () => {
  const inst = installation();
  const jobs = migrationJobs(inst, '').map((m) => jobFor(m, 'succeeded'));
  const deployments = workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment');
  const cases: [string, Parameters<typeof rolledOutDeployment>[1], boolean][] = [
    ['fully rolled out', {}, true],
    ['controller has not seen the latest generation', { observedGeneration: 1 }, false],
    ['pods still updating', { updatedReplicas: 0 }, false],
    ['old pods still present', { statusReplicas: 2 }, false],
    ['not available', { availableReplicas: 0 }, false],
    ['another rendering (hand-edited or older operator output)', { renderHash: 'different' }, false],
  ];
  it.each(cases)('%s -> ready=%s', (_name, extra, ready) => {
    const obs = deployments.map((o, i) => rolledOutDeployment(o, i === 0 ? extra : {}));
    const p = plan(inst, observed(jobs, obs));
    expect(p.status.components[0]!.ready).toBe(ready);
    expect(p.phase).toBe(ready ? 'Ready' : 'RollingOut');
  });
});

describe('plan: upgrades', () => {
  const v1 = installation({}, undefined);
  const v1Jobs = migrationJobs(v1, '');
  const v1Status = {
    version: '1.0.0',
    schemaVersion: '1.0.0',
    migrations: v1Jobs.map((m) => ({ store: m.store, version: m.version, hash: m.hash, job: m.name })),
  };
  const v1Deployments = workloadObjects(v1, '1.0.0').filter((o) => o.kind === 'Deployment').map((o) => rolledOutDeployment(o));
  const v2 = installation({ version: '1.1.0' }, v1Status, { generation: 2 });

  it('keeps the old image while the new version migrates', () => {
    const p = plan(v2, observed([], v1Deployments));
    expect(p.phase).toBe('Migrating');
    expect(p.deployVersion).toBe('1.0.0');
    expect(new Set(deploymentImages(p))).toEqual(new Set(['ghcr.io/sunbird-lern/lern:1.0.0']));
    expect(kinds(p).filter((k) => k.startsWith('Job/')).every((k) => k.includes('1-1-0'))).toBe(true);
    expect(p.status.version).toBe('1.0.0');
    expect(p.status.targetVersion).toBe('1.1.0');
  });

  it('rolls to the new image only when every migration of the new version succeeded', () => {
    const jobs = migrationJobs(v2, '');
    const partial = plan(v2, observed([jobFor(jobs[0]!, 'succeeded'), jobFor(jobs[1]!, 'succeeded'), jobFor(jobs[2]!, 'running')], v1Deployments));
    expect(partial.deployVersion).toBe('1.0.0');
    const done = plan(v2, observed(jobs.map((m) => jobFor(m, 'succeeded')), v1Deployments));
    expect(done.deployVersion).toBe('1.1.0');
    expect(new Set(deploymentImages(done))).toEqual(new Set(['ghcr.io/sunbird-lern/lern:1.1.0']));
    // status.version moves only once every component is available at 1.1.0
    expect(done.status.version).toBe('1.0.0');
    expect(done.status.schemaVersion).toBe('1.1.0');
  });

  it('a failed migration stalls with the Job reason and leaves the old version serving', () => {
    const jobs = migrationJobs(v2, '');
    const obs = observed(
      [jobFor(jobs[0]!, 'failed', { generation: 2, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }), jobFor(jobs[1]!, 'succeeded'), jobFor(jobs[2]!, 'succeeded')],
      v1Deployments,
    );
    const p = plan(v2, obs);
    expect(p.phase).toBe('Stalled');
    expect(p.deployVersion).toBe('1.0.0');
    expect(new Set(deploymentImages(p))).toEqual(new Set(['ghcr.io/sunbird-lern/lern:1.0.0']));
    expect(condition(p, 'Stalled')).toMatchObject({ status: 'True', reason: 'MigrationFailed' });
    expect(condition(p, 'Stalled')?.message).toContain('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(condition(p, 'Stalled')?.message).toContain('1.0.0 keeps serving');
    expect(condition(p, 'Reconciling')).toBeUndefined();
    expect(condition(p, 'MigrationsSucceeded')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect(p.remove).toEqual([]);
    expect(p.keep).toContain(`Job/${jobs[0]!.name}`);
  });

  it('retries a failed migration when the spec changed since the Job was made', () => {
    const jobs = migrationJobs(v2, '');
    const failedAtGen1 = jobFor(jobs[0]!, 'failed', { generation: 1, reason: 'BackoffLimitExceeded' });
    const p = plan(v2, observed([failedAtGen1], v1Deployments));
    expect(p.phase).toBe('Migrating');
    expect(p.remove).toEqual([{ kind: 'Job', name: jobs[0]!.name }]);
  });

  it('retries a failed migration when the retry annotation gets a new value', () => {
    const withToken = installation({ version: '1.1.0' }, v1Status, { generation: 2, annotations: { [RETRY_ANNOTATION]: 'try-2' } });
    const jobs = migrationJobs(withToken, 'try-2');
    const failed = jobFor(jobs[0]!, 'failed', { generation: 2, retryToken: 'try-1' });
    const p = plan(withToken, observed([failed], v1Deployments));
    expect(p.remove).toEqual([{ kind: 'Job', name: jobs[0]!.name }]);
    expect(p.status.lastRetryToken).toBe('try-2');
    // the same token again does not retry
    const same = plan(withToken, observed([jobFor(jobs[0]!, 'failed', { generation: 2, retryToken: 'try-2' })], v1Deployments));
    expect(same.phase).toBe('Stalled');
  });

  it('a migration Job name carries version and content hash, and changes with the content', () => {
    const [a] = migrationJobs(v2, '');
    const [b] = migrationJobs(installation({ version: '1.1.0', migrations: { backoffLimit: 5 } }, v1Status), '');
    expect(a!.name).toMatch(/^lern-migrate-cassandra-1-1-0-[0-9a-f]{8}$/);
    expect(a!.name).not.toBe(b!.name);
    expect(a!.name.length).toBeLessThanOrEqual(63);
  });
});

describe('plan: paused, invalid and partial installations', () => {
  it('paused: plans but writes nothing, reports Paused', () => {
    const p = plan(installation({ paused: true }), NOTHING_OBSERVED);
    expect(p.phase).toBe('Paused');
    expect(p.write).toBe(false);
    expect(p.prune).toBe(false);
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'Paused' });
    expect(condition(p, 'Reconciling')).toBeUndefined();
  });

  it('invalid spec: Stalled with every validator message, nothing written or pruned', () => {
    const p = plan(installation({ cassandra: { contactPoints: ['no-port'] }, image: { repository: 'repo:tag' } }), NOTHING_OBSERVED);
    expect(p.phase).toBe('Stalled');
    expect(p.write).toBe(false);
    expect(p.prune).toBe(false);
    expect(p.objects).toEqual([]);
    const stalled = condition(p, 'Stalled');
    expect(stalled?.reason).toBe('InvalidSpec');
    expect(stalled?.message).toContain('spec.image.repository');
    expect(stalled?.message).toContain('spec.cassandra.contactPoints[0]');
  });

  it('disabled components get no objects and are left out of migrations', () => {
    const inst = installation({
      services: { lms: { enabled: false }, groups: { enabled: false } },
      jobs: Object.fromEntries(['activity-aggregate-updater', 'enrolment-reconciliation', 'assessment-aggregator', 'collection-cert-pre-processor', 'collection-certificate-generator', 'merge-user-courses', 'notification-job', 'user-deletion-cleanup', 'user-cache-updater'].map((j) => [j, { enabled: false }])),
    });
    const migrations = migrationJobs(inst, '');
    const cassandra = migrations.find((m) => m.store === 'cassandra')!;
    const args = (cassandra.object.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]!.args;
    expect(args).toEqual(['migrate', 'cassandra', '--services', 'userorg,notification,discussion']);
    const search = migrations.find((m) => m.store === 'search')!;
    expect((search.object.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]!.args).toEqual(['migrate', 'search', '--services', 'userorg']);
    const objs = workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment').map((o) => o.name);
    expect(objs).toEqual(['lern-userorg', 'lern-notification', 'lern-discussion']);
  });

  it('no search migration when no block is given', () => {
    const inst = installation({ search: undefined });
    expect(migrationJobs(inst, '').map((m) => m.store)).toEqual(['cassandra', 'kafka']);
  });

  it('autoscaled services leave replicas to the autoscaler and get an HPA; budgets when asked', () => {
    const inst = installation({ services: { userorg: { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 }, podDisruptionBudget: { enabled: true } } } });
    const objs = workloadObjects(inst, '1.0.0');
    const d = objs.find((o) => o.kind === 'Deployment' && o.name === 'lern-userorg')!;
    expect((d.object.spec as { replicas?: number }).replicas).toBeUndefined();
    expect(objs.find((o) => o.kind === 'HorizontalPodAutoscaler')?.object.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    expect(objs.find((o) => o.kind === 'PodDisruptionBudget')?.object.spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('the fixture spec is what a person writes (no defaults in it)', () => {
    expect(FULL_SPEC).not.toHaveProperty('services');
  });
});
