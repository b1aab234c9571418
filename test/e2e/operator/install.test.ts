/**
 * An installation from apply to Ready on the real control plane (KWOK runs the pods and completes the
 * Jobs): the objects match the plan, a no-op reconcile writes nothing, drift is reverted, a deleted
 * child comes back, deleting the installation removes the workloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApi, plan, withDefaults, type Operator } from '@lern/operator';
import { argoHealth } from '../../../operator/src/argocd/lua.ts';
import { observe } from '../../../operator/src/reconcile/observe.ts';
import { applyInstallation, capture, childrenOf, cleanup, cluster, getInstallation, imageOf, manifest, startOperator, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let op: Operator;
const NAME = 'lern';

beforeAll(async () => {
  c = await cluster(import.meta.url);
  op = await startOperator(c);
});

afterAll(async () => {
  await op?.stop();
  await cleanup(c);
});

describe('an installation on the real control plane', () => {
  it('goes from apply to Ready, migrations first', async () => {
    await applyInstallation(c, manifest(NAME));
    const progressing = await waitFor('a status', async () => {
      const inst = await getInstallation(c, NAME);
      return inst.status?.phase ? inst : undefined;
    });
    // Before Ready, Argo CD sees Progressing
    expect(argoHealth(progressing).status).toBe('Progressing');
    capture('progressing.yaml', progressing);
    const ready = await waitReady(c, NAME);
    expect(ready.status).toMatchObject({ phase: 'Ready', version: '1.0.0', targetVersion: '1.0.0', schemaVersion: '1.0.0', observedGeneration: ready.metadata.generation });
    expect(ready.status?.conditions?.map((x) => x.type)).toEqual(['Ready', 'MigrationsSucceeded']);
    for (const cond of ready.status?.conditions ?? []) {
      expect(cond.reason).toBeTruthy();
      expect(cond.message).toBeTruthy();
      expect(cond.lastTransitionTime).toBeTruthy();
      expect(cond.observedGeneration).toBe(ready.metadata.generation);
    }
    expect(ready.status?.components).toHaveLength(14);
    expect(ready.status?.components?.every((x) => x.ready)).toBe(true);
    expect(argoHealth(ready)).toEqual({ status: 'Healthy', message: ready.status!.conditions![0]!.message });
    capture('healthy.yaml', ready);
    // every migration Job had completed before the first Deployment was created
    const jobs = await childrenOf<{ metadata: { name: string }; status?: { succeeded?: number; completionTime?: string } }>(c, 'Job', NAME);
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(ready.status!.migrations!.map((m) => m.job).sort());
    expect(jobs.every((j) => j.status?.succeeded === 1)).toBe(true);
    const lastCompletion = Math.max(...jobs.map((j) => Date.parse(j.status!.completionTime!)));
    const deployments = await childrenOf<{ metadata: { creationTimestamp: string } }>(c, 'Deployment', NAME);
    const firstDeployment = Math.min(...deployments.map((d) => Date.parse(d.metadata.creationTimestamp)));
    expect(firstDeployment).toBeGreaterThanOrEqual(lastCompletion);
  });

  it('the objects in the cluster are the plan', async () => {
    const inst = await getInstallation(c, NAME);
    const spec = withDefaults(inst.spec);
    const p = plan({ ...inst, spec }, observe(op.reconciler.children({ ...inst, spec })));
    expect(p.phase).toBe('Ready');
    for (const o of p.objects) {
      const actual = await c.api.get(o.kind, o.name, c.namespace);
      expect(op.reconciler.differs(o, actual as never), `${o.kind}/${o.name}`).toBeUndefined();
      const meta = actual.metadata as { labels: Record<string, string>; ownerReferences: { uid: string; controller: boolean }[] };
      expect(meta.labels['lern.sunbird.org/installation']).toBe(NAME);
      expect(meta.labels).not.toHaveProperty('app.kubernetes.io/instance');
      expect(meta.ownerReferences[0]).toMatchObject({ uid: inst.metadata.uid, controller: true });
    }
    const kinds = new Set(p.objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'Service', 'ServiceAccount']);
    // nothing owned that the plan does not name (besides the finished migration Jobs it keeps)
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'NetworkPolicy', 'ServiceAccount']) {
      const names = (await childrenOf<{ metadata: { name: string } }>(c, kind, NAME)).map((x) => x.metadata.name).sort();
      expect(names).toEqual(p.objects.filter((o) => o.kind === kind).map((o) => o.name).sort());
    }
    const d = await c.api.get('Deployment', 'lern-userorg', c.namespace);
    expect(imageOf(d as never)).toBe('ghcr.io/sunbird-lern/lern:1.0.0');
  });

  it('a no-op reconcile issues zero writes', async () => {
    const before = KubeApi.writes(op.api.takeCounts());
    expect(before).toBeGreaterThan(0); // the install did write
    for (let i = 0; i < 5; i++) await op.reconciler.reconcile(`${c.namespace}/${NAME}`);
    // and the running loop (watch events, requeues) also stays quiet for a while
    op.enqueueAll();
    await new Promise((r) => setTimeout(r, 3_000));
    const counts = op.api.takeCounts();
    expect(KubeApi.writes(counts)).toBe(0);
    expect(counts.get + counts.list).toBe(0); // observed from the caches, not the API
  });

  it('reverts a hand edit to an owned Deployment', async () => {
    await c.api.mergePatch('Deployment', 'lern-lms', c.namespace, { spec: { replicas: 4, template: { spec: { containers: [{ name: 'lern', image: 'ghcr.io/sunbird-lern/lern:9.9.9' }] } } } });
    const reverted = await waitFor('the edit reverted', async () => {
      const d = await c.api.get<{ spec: { replicas: number } }>('Deployment', 'lern-lms', c.namespace);
      return imageOf(d as never) === 'ghcr.io/sunbird-lern/lern:1.0.0' && d.spec.replicas === 1 ? d : undefined;
    });
    expect(reverted.spec.replicas).toBe(1);
    await waitReady(c, NAME);
  });

  it('recreates a deleted child', async () => {
    const before = await c.api.get<{ metadata: { uid: string } }>('Service', 'lern-groups', c.namespace);
    await c.api.delete('Service', 'lern-groups', c.namespace);
    await c.api.delete('ConfigMap', 'lern-user-cache-updater', c.namespace);
    const after = await waitFor('the Service recreated', async () => {
      const s = await c.api.get<{ metadata: { uid: string } }>('Service', 'lern-groups', c.namespace);
      return s.metadata.uid !== before.metadata.uid ? s : undefined;
    });
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    await waitFor('the ConfigMap recreated', async () => (await c.api.get('ConfigMap', 'lern-user-cache-updater', c.namespace)) !== undefined);
  });

  it('disabling a component removes its objects', async () => {
    await applyInstallation(c, manifest(NAME, { services: { discussion: { enabled: false } } }));
    await waitReady(c, NAME);
    const names = (await childrenOf<{ metadata: { name: string } }>(c, 'Deployment', NAME)).map((d) => d.metadata.name);
    await waitFor('discussion gone', async () => !(await childrenOf<{ metadata: { name: string } }>(c, 'Deployment', NAME)).some((d) => d.metadata.name === 'lern-discussion'));
    expect(names.length).toBeGreaterThanOrEqual(13);
  });

  it('deleting the installation removes the workloads and runs nothing against the data', async () => {
    const jobsBefore = (await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME)).map((j) => j.metadata.name).sort();
    await c.api.delete('LernInstallation', NAME, c.namespace, 'Background');
    await waitFor('children collected', async () => {
      const left = await Promise.all(['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'NetworkPolicy', 'Job'].map((k) => childrenOf(c, k, NAME)));
      return left.every((l) => l.length === 0);
    }, 120_000);
    // no Job other than the migrations ever ran: deletion drops no keyspace, index or topic
    expect(jobsBefore.every((n) => n.startsWith('lern-migrate-'))).toBe(true);
  });
});
